"""What each page sends to the browser and the server CPU one view costs (issue 12 §2), measured on
the elements a page run produces, in the same run as reading the tables.

    python bench/page_bytes.py     # prints figures, writes bench/results/page_bytes.json

Each page runs in-process through Streamlit's AppTest once the model and index are loaded (as in
page_speed.py). "sent" is the serialized size of every element the run produces (the protobuf
messages Streamlit sends, without the websocket framing); "charts" counts the plotly specifications,
"tables" the Arrow data of data frames. "cpu" is the process CPU time of a warm rerun (the median
of three; it includes AppTest's own bookkeeping, so it overstates the page a little).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

from page_speed import PAGES, TIMEOUT, opened, rerun
from streamlit.testing.v1 import AppTest

from rujukan.config import REPO_ROOT, Settings
from rujukan.practices import load_knowledge
from rujukan.regions import load_dataset

from common import write

#: The compare page builds only its open tab: these are the heavier tabs opened by their link.
OPENED_TABS = [("bandingkan·Peta", "views/bandingkan.py", {"tab": "Peta"}), ("bandingkan·Peringkat", "views/bandingkan.py", {"tab": "Peringkat"})]


def elements(node):
    """Every element of an AppTest tree, depth first."""
    proto = getattr(node, "proto", None)
    if proto is not None and not getattr(node, "children", None):
        yield node
    for child in getattr(node, "children", {}).values():
        yield from elements(child)


def weigh(at: AppTest) -> dict[str, int]:
    sent = charts = tables = 0
    for element in elements(at._tree):
        size = len(element.proto.SerializeToString())
        sent += size
        if element.type == "plotly_chart":
            charts += size
        elif element.type in ("arrow_data_frame", "dataframe", "table"):
            tables += size
    return {"sent_bytes": sent, "chart_bytes": charts, "table_bytes": tables}


def main() -> int:
    os.environ.setdefault("RUJUKAN_STATE_DIR", tempfile.mkdtemp(prefix="rujukan-bench-state-"))
    settings = Settings.from_env()
    started = time.process_time()
    load_knowledge(settings.practices_dir)
    load_dataset(settings.data_dir)
    baseline = time.process_time() - started
    warmup = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT)
    warmup.run()  # the model, the index and the sentences: not counted
    pages = {}
    for name, page, params in [*PAGES, *OPENED_TABS]:
        at, _ = opened(page, params)
        pages[name] = {**weigh(at), "warm_cpu_s": round(statistics.median(rerun(at, time.process_time) for _ in range(3)), 3)}
    figures = {"read_tables_cpu_s": round(baseline, 3), "pages": pages, "targets": {"compare_cpu_s": 0.5}}
    print(f"baseline: reading the knowledge base and the tables, CPU {baseline:.3f} s\n")
    print(f"{'page':20} {'sent KB':>9} {'charts KB':>10} {'tables KB':>10} {'warm CPU s':>11}")
    for name, row in pages.items():
        print(f"{name:20} {row['sent_bytes'] / 1000:9.1f} {row['chart_bytes'] / 1000:10.1f} {row['table_bytes'] / 1000:10.1f} {row['warm_cpu_s']:11.3f}")
    print(f"\nwritten: {write('page_bytes', figures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
