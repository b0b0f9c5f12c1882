#!/usr/bin/env bash
# Lint (ruff: pycodestyle, pyflakes, import order, bugbear, pyupgrade) and types (mypy on rujukan/),
# both configured in pyproject.toml. Fails on any finding; tests/run.sh runs it before the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "ruff check ."
python -m ruff check .
echo "mypy (rujukan/)"
python -m mypy
