"""Parsing and validation of practice records: every problem names its file and field."""

import re
from pathlib import Path

import pytest

from rujukan.practices import load_knowledge, parse_practice

FIXTURE = Path(__file__).parent / "fixtures" / "contoh-praktik.md"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


def variant(tmp_path: Path, old: str, new: str) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text, f"fixture lacks {old!r}"
    return write(tmp_path, "contoh-praktik", text.replace(old, new, 1))


def problems_of(path: Path) -> list[tuple[str, str]]:
    practice, problems = parse_practice(path)
    assert (practice is None) == bool(problems)
    for p in problems:
        assert p.file == str(path)
    return [(p.field, p.message) for p in problems]


def test_valid_record_parses_with_every_field():
    practice, problems = parse_practice(FIXTURE)
    assert problems == []
    assert practice.id == "contoh-praktik"
    assert practice.dimensions == ("governance",)
    assert practice.start_year == 2019
    assert practice.uncertain == ("started",)
    assert [s.key for s in practice.sections] == ["problem", "what", "results"]
    assert practice.section("results").text == "Tidak diketahui."
    assert practice.replicated_by[0].region == "Kabupaten Tegal"
    assert practice.source(2).date == "~2022"
    assert practice.source(3) is None


@pytest.mark.parametrize(
    "old, new, field, fragment",
    [
        ("dimensions: [governance]", "dimensions: [governance, smart-city]", "dimensions", "'smart-city' is not a dimension"),
        ("dimensions: [governance]", "dimensions: []", "dimensions", "at least one"),
        ("status: running", "status: paused", "status", "'paused' is not a status"),
        ('started: "2019-05-15"', 'started: "2019-13-01"', "started", "not a date"),
        ('started: "2019-05-15"', "started: 2019-05-15", "started", "quoted string"),
        ('last_verified: "2026-11-29"', 'last_verified: ""', "last_verified", "required"),
        ("title: Contoh Praktik\n", "", "title", "required"),
        ("id: contoh-praktik", "id: Contoh_Praktik", "id", "kebab-case"),
        ("id: contoh-praktik", "id: lain", "id", "must equal the file name"),
        ('url: "https://example.org/a"', 'url: "example.org/a"', "sources[1].url", "not an http(s) address"),
        ('date: "~2022"', 'date: "kemarin"', "sources[2].date", "not YYYY"),
        ("Sebuah masalah yang dijawab [1].", "Sebuah masalah tanpa sumber.", "section 'Masalah'", "no citation"),
        ("Sebuah masalah yang dijawab [1].", "Sebuah masalah [7].", "sources", "citation [7] has no source 7"),
        ('last_verified: "2026', '  - {url: "https://example.org/c", title: C, date: ""}\nlast_verified: "2026', "sources[3]", "never cited"),
        ("## Hasil\n\nTidak diketahui.\n", "", "section 'Hasil'", "is required"),
        ("## Masalah", "## Latar", "section 'Latar'", "unknown heading"),
        ("uncertain: [started]", "uncertain: [mulai]", "uncertain", "'mulai' is not a field"),
        ('region: {code: "3571", name: Kota Kediri}', "region: Kota Kediri", "region", "BPS code"),
        ("keywords: [Contoh]", "keywords: [Contoh]\nrating: 5", "rating", "unknown field"),
        ("source: 2}", "source: dua}", "replicated_by[1].source", "number of a source"),
    ],
)
def test_each_problem_names_its_field(tmp_path, old, new, field, fragment):
    found = problems_of(variant(tmp_path, old, new))
    assert any(f == field and fragment in m for f, m in found), found


def test_out_of_order_sections_are_reported(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    body_start = text.index("## Masalah")
    swapped = text[:body_start] + "## Yang dilakukan\n\nA [1] [2].\n\n## Masalah\n\nB [1].\n\n## Hasil\n\nC [1].\n"
    found = problems_of(write(tmp_path, "contoh-praktik", swapped))
    assert ("section 'Masalah'", "is repeated or out of order (see knowledge/README.md)") in found


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("no front matter at all\n", "must start with '---'"),
        ("---\nid: [unclosed\n---\n## Masalah\n", "YAML does not parse at line"),
        ("---\n- just\n- a list\n---\n", "must be a YAML mapping"),
        ("---\n!!python/object/apply:os.system ['echo hacked']\n---\n", "YAML does not parse"),
    ],
)
def test_broken_front_matter_is_named_not_raised(tmp_path, text, fragment):
    found = problems_of(write(tmp_path, "rusak", text))
    assert found and found[0][0] == "front matter" and fragment in found[0][1]


def test_non_utf8_file_is_reported(tmp_path):
    path = tmp_path / "biner.md"
    path.write_bytes(b"---\nid: \xff\xfe\n---\n")
    assert "UTF-8" in problems_of(path)[0][1]


def test_knowledge_base_keeps_valid_records_and_reports_broken_ones(tmp_path):
    write(tmp_path, "contoh-praktik", FIXTURE.read_text(encoding="utf-8"))
    write(tmp_path, "rusak", "---\nid: [\n---\n")
    kb = load_knowledge(tmp_path)
    assert [p.id for p in kb.practices] == ["contoh-praktik"]
    assert [(Path(p.file).name, p.field) for p in kb.problems] == [("rusak.md", "front matter")]


def test_related_ids_must_exist(tmp_path):
    variant(tmp_path, "related: []", "related: [tidak-ada]")
    kb = load_knowledge(tmp_path)
    assert kb.practices == []
    assert [(p.field, p.message) for p in kb.problems] == [("related", "no practice has the id 'tidak-ada'")]


def test_empty_folder_is_a_problem(tmp_path):
    kb = load_knowledge(tmp_path)
    assert kb.practices == [] and "no practice records" in kb.problems[0].message


def test_repository_knowledge_base_is_valid():
    """The shipped records pass every check, with the ids other issues rely on."""
    kb = load_knowledge(Path(__file__).parents[1] / "knowledge" / "practices")
    assert [str(p) for p in kb.problems] == []
    required = {
        "prodamas-plus", "progresio", "surga", "sistem-informasi-eksekutif", "lapor-mbak-wali-112",
        "home-care-peduli", "english-massive", "kurnia", "koperasi-rw", "mall-pelayanan-publik",
        "masterplan-smart-city", "si-malik", "satu-data-kediri", "e-sptpd", "bank-sampah",
    }
    assert required <= {p.id for p in kb.practices}
    prodamas = kb.get("prodamas-plus")
    assert prodamas.section("history") is not None, "Prodamas Plus tells the original 2015 Prodamas as its history"


def test_an_oversized_record_is_refused_naming_the_file(tmp_path):
    from rujukan.practices import MAX_RECORD_BYTES

    path = tmp_path / "contoh-praktik.md"
    path.write_text(FIXTURE.read_text(encoding="utf-8") + "\n" + "kata " * (MAX_RECORD_BYTES // 4), encoding="utf-8")
    practice, problems = parse_practice(path)
    assert practice is None and len(problems) == 1
    assert problems[0].file == str(path) and f"at most {MAX_RECORD_BYTES:,} bytes" in problems[0].message


def test_an_overlong_section_is_refused_naming_it(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    path = tmp_path / "contoh-praktik.md"
    path.write_text(text.replace("## Masalah\n", "## Masalah\n" + "Kata yang diulang [1]. " * 1_200 + "\n"), encoding="utf-8")
    _, problems = parse_practice(path)
    assert [p.field for p in problems] == ["section 'Masalah'"] and "at most 3,000 words" in problems[0].message


def test_no_chunk_goes_beyond_the_models_input_whatever_the_text():
    from dataclasses import replace

    from rujukan.chunks import MAX_CHARS, MAX_WORDS, practice_chunks
    from rujukan.practices import Section

    practice, _ = parse_practice(FIXTURE)
    for pasted in ("kata " * 5_000, "x" * 50_000, ("kalimat panjang sekali " * 300 + "\n\n") * 3):
        long = replace(practice, sections=(Section("problem", "Masalah", pasted.strip()),))
        chunks = practice_chunks(long)[1:]
        assert chunks and all(len(c.text) <= MAX_CHARS and len(c.text.split()) <= MAX_WORDS for c in chunks)
        assert "".join(c.text.replace(" ", "").replace("\n", "") for c in chunks) == pasted.replace(" ", "").replace("\n", "")  # nothing lost


@pytest.mark.parametrize("url, said", [
    ("https://example.go.id/berita)(javascript:alert(1)", "')' unencoded"),
    ("https://example.go.id/a b", "' ' unencoded"),
    ("javascript:alert(1)", "is not an http(s) address"),
    ("https:///tanpa-host", "is not an http(s) address"),
])
def test_a_source_address_is_checked_strictly(tmp_path, url, said):
    text = FIXTURE.read_text(encoding="utf-8")
    path = tmp_path / "contoh-praktik.md"
    path.write_text(text.replace('url: "https://example.org/a"', f"url: {url!r}".replace("'", '"'), 1), encoding="utf-8")
    _, problems = parse_practice(path)
    assert any(p.field == "sources[1].url" and said in p.message for p in problems), problems


def test_a_source_title_may_be_unknown_but_must_be_stated(tmp_path):
    practice, problems = parse_practice(variant(tmp_path, 'title: "Sumber pertama"', 'title: ""'))
    assert problems == [] and practice.source(1).title == ""
    found = problems_of(variant(tmp_path, 'title: "Sumber pertama", ', ""))
    assert any(f == "sources[1].title" and "is required" in m for f, m in found), found


def test_an_unknown_title_is_named_by_publisher_and_label_never_by_the_address():
    from rujukan.practices import Source, source_name

    known = Source(1, "https://example.org/judul-dari-alamat", "Judul terbit", "example.org", "")
    assert source_name(known) == source_name(known, "en") == "Judul terbit"
    unknown = Source(1, "https://example.org/judul-dari-alamat", "", "example.org", "")
    assert source_name(unknown) == "example.org (judul sebagaimana terbit tidak diketahui)"
    assert source_name(unknown, "en") == "example.org (title as published unknown)"
    assert source_name(Source(1, unknown.url, "", "", "")) == "judul sebagaimana terbit tidak diketahui"


#: The sourced facts the records are written from (outside the repository: absent on a clean clone).
FACTS = Path(__file__).resolve().parent.parent.parent / "shared" / "facts"


def _normal(text: str) -> str:
    """Case, runs of whitespace and typographic quotes do not count."""
    return " ".join(text.translate(str.maketrans("“”„‘’‚", "\"\"\"'''")).casefold().split())


def _address(url: str) -> str:
    return _normal(re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/"))


def test_every_source_title_is_one_the_facts_give_for_its_address():
    """A title is "" (not known) or the title as published, as the facts quote it in an entry that
    names the source's address: never one composed from the address or from what the source is about."""
    files = sorted(FACTS.glob("*.md")) if FACTS.is_dir() else []
    if not files:
        pytest.skip(f"the sourced facts ({FACTS}) are not here (a clean clone): source titles are not checked against them")
    entries = [_normal(e) for f in files for e in re.split(r"\n(?=\s*(?:[-*]|\d+\.)\s)|\n\s*\n", f.read_text(encoding="utf-8"))]
    kb = load_knowledge(Path(__file__).resolve().parent.parent / "knowledge" / "practices")
    assert kb.practices and not kb.problems
    composed = [
        f"{p.id} sources[{s.number}]: {s.title!r} ({s.url})"
        for p in kb.practices
        for s in p.sources
        if s.title and not any(_address(s.url) in e and _normal(s.title) in e for e in entries)
    ]
    assert composed == [], 'titles the facts do not give for that address (write title: "" when the title as published is not known)'


# ------------------------------------------------------------------ the record's region (issue 13 §5)

KEDIRI_REGION = 'region: {code: "3571", name: Kota Kediri}'


@pytest.mark.parametrize("region, code, name", [
    ('region: {code: "3328", name: Kabupaten Tegal}', "3328", "Kabupaten Tegal"),  # any kabupaten/kota of the region table
    ('region: {code: "6472", name: Kota Samarinda}', "6472", "Kota Samarinda"),
    ('region: {code: "35", name: Jawa Timur}', "35", "Jawa Timur"),  # a province, as the table names it…
    ('region: {code: "35", name: Provinsi Jawa Timur}', "35", "Provinsi Jawa Timur"),  # …or with "Provinsi"
    ('region: {code: "3571", name: "Kota  Kediri "}', "3571", "Kota Kediri"),  # runs of spaces do not count
])
def test_a_record_may_be_of_any_region_the_app_knows(tmp_path, region, code, name):
    practice, problems = parse_practice(variant(tmp_path, KEDIRI_REGION, region))
    assert problems == [] and (practice.region_code, practice.region_name) == (code, name)


@pytest.mark.parametrize("region, field, fragment", [
    ('region: {code: "3599", name: Kota Kediri}', "region.code", "'3599' is not the BPS code of a kabupaten/kota"),
    ('region: {code: "99", name: Antah}', "region.code", "'99' is not the BPS code"),
    ('region: {code: "35711", name: Kota Kediri}', "region.code", "not a BPS region code (2 or 4 digits)"),
    ('region: {code: "3571", name: Kediri}', "region.name", "write 'Kota Kediri'"),  # Kediri alone: the kota or the kabupaten?
    ('region: {code: "3571", name: Kabupaten Kediri}', "region.name", "'Kabupaten Kediri' is not the name of region 3571"),
    ('region: {code: "3328", name: Kab. Tegal}', "region.name", "write 'Kabupaten Tegal'"),
    ('region: {code: "3328", name: Provinsi Kabupaten Tegal}', "region.name", "is not the name of region 3328"),
])
def test_a_region_the_app_does_not_know_is_refused(tmp_path, region, field, fragment):
    found = problems_of(variant(tmp_path, KEDIRI_REGION, region))
    assert any(f == field and fragment in m for f, m in found), found


def test_the_regions_are_the_ones_the_region_data_knows():
    """Read without pandas from the same table the comparisons load: the same 514 names, and the provinces."""
    from rujukan.practices import known_regions
    from rujukan.regions import REGION_COUNT, load_dataset

    regions = known_regions()
    ds = load_dataset(Path(__file__).parents[1] / "data")
    four = {code: name for code, name in regions.items() if len(code) == 4}
    assert four == ds.names() and len(four) == REGION_COUNT
    assert {code: name for code, name in regions.items() if len(code) == 2} == dict(zip(ds.regions["province_code"], ds.regions["province"]))


def test_the_knowledge_base_lists_its_reference_regions(tmp_path):
    write(tmp_path, "contoh-praktik", FIXTURE.read_text(encoding="utf-8"))
    assert load_knowledge(tmp_path).regions() == {"3571": "Kota Kediri"}
    other = FIXTURE.read_text(encoding="utf-8").replace("id: contoh-praktik", "id: praktik-tegal")
    write(tmp_path, "praktik-tegal", other.replace(KEDIRI_REGION, 'region: {code: "3328", name: Kabupaten Tegal}'))
    assert load_knowledge(tmp_path).regions() == {"3328": "Kabupaten Tegal", "3571": "Kota Kediri"}  # by name


def test_a_new_record_starts_as_a_kediri_practice():
    from rujukan.record_form import new_record

    record = new_record("baru")
    assert (record.region_code, record.region_name) == ("3571", "Kota Kediri")
