# The commands README.md gives, by name. `make` alone lists them.
.PHONY: help run test fast lint bench

help:
	@echo "make run    install and start the app on the embedded defaults"
	@echo "make test   the whole suite (installs what it needs; lint, types, then pytest with the network cut)"
	@echo "make fast   the quick loop: lint, types, and the tests that need no model and no browser"
	@echo "make lint   ruff and mypy only"
	@echo "make bench  every bench script (several minutes); figures in bench/results/"

run:
	pip install -r requirements.txt -e . && streamlit run app.py

test:
	bash tests/run.sh

fast:
	bash tests/lint.sh && python -m pytest -m "not model and not browser"

lint:
	bash tests/lint.sh

bench:
	python bench/search_quality.py
	python bench/answer_quality.py
	python bench/compare_speed.py
	python bench/brief_speed.py
	python bench/recommend_quality.py
	python bench/search_speed.py
	python bench/page_bytes.py
	python bench/faults.py
	python bench/load.py
