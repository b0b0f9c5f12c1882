"""Rujukan: learn from Kota Kediri's documented smart-city practices.

The core package: everything the app, the command line, the benches and the tests share. It
never imports streamlit; the screens in views/ call it. Which module serves which capability:

- the knowledge base: practices (parse and validate a record), vocabulary (dimensions,
  statuses, sections), chunks (records cut into passages), sentences (their citable sentences)
- search: embeddings and model_build (the offline model), index (Chroma, embedded or server),
  keyword (BM25), search (hybrid ranking with filters), service (wires them into an engine)
- answers: answer (cited sentences or fields, calibrated confidence, or an honest decline),
  fields (what a record's fields say and which sentence sources them), feedback (questions and thumbs)
- regions: databuild (data/raw -> the built tables), national_sources (the all-Indonesia size and
  economy sources), regions (load, percentiles, ranks, peers, uploads), outlines (map shapes),
  charts (plotly figures), tables (tables as people read them), transfer (a practice's region
  when it began beside the region that would adopt it)
- from gaps to lessons: journey (the programme's stages and milestones), assessment (the
  self-assessment and its store), recommend (gaps and recommended practices), brief (the
  briefing pack, DOCX and PDF), visits (visits recorded with briefs)
- the house: health (what `rujukan doctor` reports), config (settings), errors (the one error family), i18n (every string a person
  reads), formats (cleaned text, dates, numbers, safe CSV), markdown (record text as safe
  Markdown), database (the state stores: SQLite or PostgreSQL), __main__ (the `rujukan` command)
"""

__version__ = "0.1.0"
