"""Server time of every page, first view and warm rerun, against loading the tables they read, in
the same run.

    python bench/page_speed.py     # prints figures, writes bench/results/page_speed.json

Each page runs in-process through Streamlit's AppTest (the script run and AppTest's own
bookkeeping; no browser, no network): "first" is the page's first run in a fresh session once the
model and index are loaded (a first page is run beforehand and not counted), "warm" the median of
three reruns of the same session. The baseline is reading the knowledge base and the region
tables. Saving a self-assessment is the form's submit run. Targets (issue 10): every warm page
under 0.5 s, the compare page's first view under 1 s, saving a self-assessment under 0.3 s.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

from streamlit.testing.v1 import AppTest

from rujukan.config import REPO_ROOT, Settings
from rujukan.practices import load_knowledge
from rujukan.regions import load_dataset

from common import write

PAGES = [
    ("beranda", "views/beranda.py", {}),
    ("cari", "views/cari.py", {"q": "bagaimana warga RT mengusulkan penggunaan dana"}),
    ("praktik", "views/praktik.py", {"practice": "prodamas-plus"}),
    ("tanya", "views/tanya.py", {"tanya": "Berapa dana Prodamas Plus per RT?"}),
    ("perjalanan", "views/perjalanan.py", {"focus": "3328"}),
    ("penilaian", "views/penilaian.py", {"region": "3328"}),
    ("bandingkan", "views/bandingkan.py", {}),
    ("kunjungan", "views/brief.py", {"region": "3328", "practices": "prodamas-plus"}),
    ("sumber", "views/sumber.py", {}),
    ("kurasi", "views/kurasi.py", {}),
]
TIMEOUT = 600


def opened(page: str, params: dict[str, str]) -> tuple[AppTest, float]:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")
    return at, seconds


def rerun(at: AppTest, clock=time.perf_counter) -> float:
    """One rerun of the session, by `clock` (wall time; page_bytes.py passes process CPU time)."""
    started = clock()
    at.run()
    return clock() - started


def main() -> int:
    os.environ.setdefault("RUJUKAN_STATE_DIR", tempfile.mkdtemp(prefix="rujukan-bench-state-"))
    settings = Settings.from_env()
    loads = []
    for _ in range(3):
        started = time.perf_counter()
        load_knowledge(settings.practices_dir)
        load_dataset(settings.data_dir)
        loads.append(time.perf_counter() - started)
    opened("views/tanya.py", {"tanya": "apa itu Prodamas Plus?"})  # loads the model, the index and the sentences: not counted
    pages = {}
    for name, page, params in PAGES:
        at, first = opened(page, params)
        warm = statistics.median(rerun(at) for _ in range(3))
        pages[name] = {"first_s": round(first, 3), "warm_s": round(warm, 3)}
        if name == "penilaian":
            at.select_slider(key="pm_score_economy").set_value(2)
            save = next(b for b in at.button if b.proto.is_form_submitter)
            save.click()
            started = time.perf_counter()
            at.run()
            pages[name]["save_s"] = round(time.perf_counter() - started, 3)
    baseline = statistics.median(loads)
    figures = {"load_knowledge_and_tables_s": round(baseline, 3), "pages": pages,
               "targets": {"warm_page_s": 0.5, "compare_first_s": 1.0, "save_assessment_s": 0.3}}
    print(f"baseline: reading the knowledge base and the tables {baseline:.3f} s\n")
    print(f"{'page':12} {'first s':>8} {'warm s':>8} {'warm ÷ load':>12}")
    for name, row in pages.items():
        save = f"   save {row['save_s']:.3f} s" if "save_s" in row else ""
        print(f"{name:12} {row['first_s']:8.3f} {row['warm_s']:8.3f} {row['warm_s'] / baseline:12.1f}{save}")
    print(f"\nwritten: {write('page_speed', figures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
