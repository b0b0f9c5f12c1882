"""Time to produce a study-visit briefing pack (DOCX), against loading its inputs in the same run.

    python bench/brief_speed.py     # prints figures, writes bench/results/brief_speed.json

"brief" = rujukan.brief.build_brief for Kabupaten Tegal (3328) with Prodamas Plus and Sistem
Informasi Eksekutif: checks, the comparison table, two matplotlib charts (PNG), two practice
sections, the sources, and saving the DOCX. The baseline is loading the knowledge base and the
region tables. The first brief of a process also pays the python-docx and matplotlib imports;
it is reported separately, and the median is over the following rounds. Where LibreOffice is
installed, the same DOCX is converted to PDF: the first conversion (LibreOffice starting) apart,
then the median of three.
"""

from __future__ import annotations

import io
import resource
import statistics
import sys
import time

from rujukan.practices import load_knowledge
from rujukan.regions import load_dataset

from common import ROOT, write

ROUNDS = 5
REGION = "3328"
PRACTICES = ["prodamas-plus", "sistem-informasi-eksekutif"]


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out


def main() -> int:
    import docx

    from rujukan.brief import build_brief, docx_to_pdf, pdf_available

    def load():
        return load_knowledge(ROOT / "knowledge" / "practices"), load_dataset(ROOT / "data")

    first_s, (kb, ds) = timed(load)
    first_brief_s, data = timed(lambda: build_brief(kb, ds, REGION, PRACTICES, visit_date="2025-06-23"))
    loads, briefs, everything = [], [], []
    for _ in range(ROUNDS):
        seconds, (kb, ds) = timed(load)
        loads.append(seconds)
        seconds, data = timed(lambda kb=kb, ds=ds: build_brief(kb, ds, REGION, PRACTICES, visit_date="2025-06-23"))
        briefs.append(seconds)
        seconds, whole = timed(lambda kb=kb, ds=ds: build_brief(kb, ds, REGION, [p.id for p in kb.practices]))
        everything.append(seconds)
    document = docx.Document(io.BytesIO(data))
    figures = {
        "load_knowledge_and_tables_s_median": round(statistics.median(loads), 3),
        "brief_2_practices_s_median": round(statistics.median(briefs), 3),
        "brief_2_practices_over_load": round(statistics.median(briefs) / statistics.median(loads), 1),
        "first_brief_in_process_s": round(first_brief_s, 3),
        "brief_all_practices_s_median": round(statistics.median(everything), 3),
        "all_practices": len(kb.practices),
        "brief_2_practices_kb": round(len(data) / 1024, 1),
        "brief_all_practices_kb": round(len(whole) / 1024, 1),
        "images": len(document.inline_shapes),
        "tables": len(document.tables),
        "rounds": ROUNDS,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "target_brief_s": 5.0,
    }
    if pdf_available():  # the PDF beside the DOCX: LibreOffice headless, its first start apart
        first_pdf_s, pdf = timed(lambda: docx_to_pdf(data))
        pdfs = [timed(lambda: docx_to_pdf(data))[0] for _ in range(3)]
        figures |= {"first_pdf_in_process_s": round(first_pdf_s, 3), "pdf_2_practices_s_median": round(statistics.median(pdfs), 3),
                    "pdf_2_practices_kb": round(len(pdf) / 1024, 1)}
    else:
        figures["pdf"] = "LibreOffice not installed"
    for key, value in figures.items():
        print(f"{key:38} {value}")
    print("written:", write("brief_speed", figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
