"""rujukan.markdown: a record's structure and citations survive as Markdown, and hostile text
(tests/fixtures/hostile/*.md and the strings below) shows as typed, never as markup. The output is
also rendered with markdown-it-py (CommonMark, raw HTML off and on, GFM tables on) and the HTML
checked against an allow-list of tags, attributes and link schemes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from rujukan.config import REPO_ROOT
from rujukan.markdown import WORD_JOINER, escape, record_markdown, safe_url
from rujukan.practices import CITATION_PATTERN, Source, load_knowledge

HOSTILE_DIR = Path(__file__).parent / "fixtures" / "hostile"
SOURCES = (
    Source(1, "https://example.org/satu", "Satu", "example.org", "2020"),
    Source(2, "http://example.org/dua?a=1&b=2", "Dua", "", ""),
    Source(3, "javascript:alert(1)", "Tiga", "", ""),
    Source(4, "https://example.org/x)![i](https://example.org/i.png", "Empat", "", ""),
)
RENDERERS = {
    "commonmark": MarkdownIt("commonmark", {"html": False}),
    "commonmark+html": MarkdownIt("commonmark", {"html": True}),
    "gfm-ish+html": MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]),
}
ALLOWED_ATTRIBUTES = {"p": set(), "ul": set(), "ol": {"start"}, "li": set(), "strong": set(), "em": set(), "a": {"href"}}
PUNCTUATION = r"[!-/:-@\[-`{-~]"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# What a curator might type -> what the Markdown made of it must not contain.
HOSTILE: dict[str, tuple[str, ...]] = {
    "<script>alert(1)</script>": ("<script", "</script"),
    "<img src=x onerror=alert(1)>": ("<img", "onerror="),
    '<a href="javascript:alert(1)">x</a>': ("<a ", "javascript:", 'href="'),
    '<iframe src="https://example.org/embed"></iframe>': ("<iframe", 'src="'),
    "<style>body{display:none}</style>": ("<style", "{display"),
    "<!-- komentar tersembunyi -->": ("<!--", "-->"),
    "&lt;b&gt;tebal palsu&lt;/b&gt;": ("&lt;", "&gt;"),
    "&#106;avascript:": ("&#106;",),
    '<div onmouseover="alert(1)">arahkan</div>': ("<div", "onmouseover="),
    "<details><summary>ringkas</summary>isi</details>": ("<details", "<summary"),
    "<svg onload=alert(1)></svg>": ("<svg", "onload="),
    "[click](javascript:alert(1))": ("](javascript:", "javascript:", "[click]"),
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)": ("](data:", "data:"),
    "![img](https://example.org/x.png)": ("![", "](https://example.org/x.png", "[img]"),
    "<http://example.org/autolink>": ("<http", "http://"),
    "https://example.org/polos": ("https://example.org/polos",),
    "www.example.org": ("www.example.org",),
    "javascript:alert(1)": ("javascript:",),
    "[relatif](/admin)": ("](/admin)",),
    "[vb](vbscript:msgbox(1))": ("vbscript:",),
    "[berkas](file:///etc/passwd)": ("file:", "](file"),
    "[JS besar](JAVASCRIPT:alert(1))": ("JAVASCRIPT:",),
    "[entitas](&#106;avascript:alert(1))": ("&#106;", "](&"),
    "[rujukan][ref]": ("[ref]", "[rujukan]"),
    "[ref]: javascript:alert(1)": ("[ref]:", "javascript:"),
    "[^1]: catatan kaki palsu": ("[^1]",),
    ":red[merah]": (":red[",),
    ":material/warning:": (":material/", "material/warning:", ":material_"),
    ":material_home:": (":material_", "\\:material"),
    ":blue-badge[lencana]": (":blue-badge[", "badge["),
    ":streamlit:": (":streamlit", "\\:streamlit"),
    ":smile:": (":smile", "\\:smile"),
    ':color[x]{foreground="red"}': (":color[", "]{"),
    "$x^2$": ("$x", "^2$"),
    "$$\\int_0^1 x\\,dx$$": ("$$", "$\\"),
    "# Judul palsu": ("# ",),
    "### Subjudul palsu": ("###",),
    "> Kutipan palsu": ("> ",),
    "| kolom a | kolom b |": ("| ",),
    "|---|---|": ("|---", "---"),
    "```html": ("```",),
    "~~~": ("~~~",),
    "`<b>kode</b>`": ("`<", "<b>"),
    "~~coret~~": ("~~",),
    "[ ] tugas": ("[ ]",),
    "==================": ("==",),
    '    print("kode berindentasi")': ("\n    print",),
}


class _Html(HTMLParser):
    """Every tag, attribute and piece of text of a rendered fragment."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.other: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.other.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.other.append(decl)

    def handle_pi(self, data):
        self.other.append(data)


def assert_safe_html(html: str) -> _Html:
    """Only paragraphs, lists, strong, em and http(s) links; nothing that runs, loads or styles."""
    lowered = html.lower()
    for bad in ("<script", "<img", "<iframe", "<style", "<svg", "<object", "<table", "<h1", "<pre", "<code", "<blockquote", "<hr"):
        assert bad not in lowered, (bad, html[:500])
    parsed = _Html(html)
    assert parsed.other == []
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_ATTRIBUTES, (tag, html[:500])
        assert set(attrs) <= ALLOWED_ATTRIBUTES[tag], (tag, attrs)
        assert not any(name.startswith("on") for name in attrs)
        if tag == "a":
            assert re.match(r"https?://[^\s]+$", attrs["href"] or ""), attrs
    return parsed


def rendered(md: str) -> list[_Html]:
    return [assert_safe_html(renderer.render(md)) for renderer in RENDERERS.values()]


def visible(md: str) -> str:
    """The characters a reader sees: escaping backslashes and word joiners removed."""
    return re.sub(r"\\(" + PUNCTUATION + ")", r"\1", md).replace(WORD_JOINER, "")


def html_text(parsed: _Html) -> str:
    return "".join(parsed.text).replace(WORD_JOINER, "")


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


MARKUP_TOKEN = re.compile(r"\\" + PUNCTUATION + r"|\[\[\d+\]\]\(https?://[^\s()<>\[\]\\]+\)|\]\(https?://[^\s()<>\[\]\\]+\)|" + PUNCTUATION)


def assert_only_allowed_markup(md: str) -> None:
    """Apart from list markers, emphasis marks (*), citation links and http(s) links with an
    escaped label, every ASCII punctuation character is escaped, and no line starts with a space."""
    assert not re.search(r"^[^\S\n]", md, re.MULTILINE)
    for line in md.split("\n"):
        in_label = False
        for token in MARKUP_TOKEN.findall(re.sub(r"^(- |\d{1,9}\. )", "", line)):
            if token == "[" and not in_label:
                in_label = True
            elif token.startswith("](") and in_label:
                in_label = False
            else:
                assert token.startswith("\\") or token.startswith("[[") or (token == "*" and not in_label), (token, line[:300])
        assert not in_label, line[:300]


def unmarked(text: str) -> str:
    """Record text without its list markers and with http(s) links reduced to their label: the
    words a reader should see."""
    text = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", text, flags=re.MULTILINE)
    return re.sub(r"(?<!!)\[([^\[\]\n]+)\]\(https?://[^\s()<>]+\)", r"\1", text)


def fixture_texts() -> list[tuple[str, str, tuple[Source, ...]]]:
    kb = load_knowledge(HOSTILE_DIR)
    assert kb.problems == []
    return [
        (f"{p.id}:{name}", text, p.sources)
        for p in kb.practices
        for name, text in [("summary", p.summary), ("summary_en", p.summary_en)] + [(s.key, s.text) for s in p.sections]
    ]


# ------------------------------------------------------------------ structure


def test_paragraphs_lists_and_emphasis_are_kept():
    text = (
        "Paragraf pertama dengan **tebal** dan __tebal juga__.\nBaris kedua, *miring* dan _miring_; rencana_induk_kota tetap.\n\n"
        "Daftar:\n- butir satu\n  lanjutan butir satu\n* butir dua\nlanjutan malas\n\n"
        "1. **Seleksi.** pertama\n3. ketiga, nomor seperti ditulis\n\nPenutup."
    )
    md = record_markdown(text)
    assert md.split("\n\n") == [
        "Paragraf pertama dengan **tebal** dan **tebal juga**\\.\nBaris kedua\\, *miring* dan *miring*\\; rencana\\_induk\\_kota tetap\\.",
        "Daftar\\:",
        "- butir satu lanjutan butir satu\n- butir dua lanjutan malas",
        "1. **Seleksi\\.** pertama\n3. ketiga\\, nomor seperti ditulis",
        "Penutup\\.",
    ]
    html = RENDERERS["commonmark"].render(md)
    assert "<strong>tebal</strong>" in html and "<strong>tebal juga</strong>" in html
    assert html.count("<em>miring</em>") == 2 and "rencana_induk_kota" in html
    assert re.search(r"<ul>\s*<li>butir satu lanjutan butir satu</li>\s*<li>butir dua lanjutan malas</li>\s*</ul>", html)
    assert re.search(r"<ol>\s*<li><strong>Seleksi.</strong> pertama</li>\s*<li>ketiga, nomor seperti ditulis</li>\s*</ol>", html)
    assert html.count("<p>") == 3
    rendered(md)
    assert_only_allowed_markup(md)


def test_http_links_are_kept_with_their_label_escaped():
    md = record_markdown("Lihat [situs *resmi* <b>](https://example.org/a_b?x=1&y=(2)) dan [lama](http://example.org).")
    assert md == "Lihat [situs \\*resmi\\* \\<b\\>](https://example.org/a_b?x=1&y=%282%29) dan [lama](http://example.org)\\."
    for parsed in rendered(md):
        assert [a["href"] for tag, a in parsed.tags if tag == "a"] == ["https://example.org/a_b?x=1&y=%282%29", "http://example.org"]
        assert "situs *resmi* <b>" in html_text(parsed)


def test_citations_become_links_to_their_sources():
    md = record_markdown("Satu [1], dua [1][2], daftar [1, 2], tanpa sumber [9], skema lain [3], alamat aneh [4].", SOURCES)
    assert md == (
        "Satu [[1]](https://example.org/satu)\\, dua [[1]](https://example.org/satu)[[2]](http://example.org/dua?a=1&b=2)\\, "
        "daftar [[1]](https://example.org/satu)[[2]](http://example.org/dua?a=1&b=2)\\, tanpa sumber \\[9\\]\\, skema lain \\[3\\]\\, "
        "alamat aneh [[4]](https://example.org/x%29!%5Bi%5D%28https://example.org/i.png)\\."
    )
    for parsed in rendered(md):
        links = [(a["href"], i) for i, (tag, a) in enumerate(parsed.tags) if tag == "a"]
        assert len(links) == 6
        assert "[9]" in html_text(parsed) and "[3]" in html_text(parsed)
    assert record_markdown("Tanpa daftar sumber [1].") == "Tanpa daftar sumber \\[1\\]\\."


def test_masterplan_stages_keep_numbers_bold_and_citations():
    kb = load_knowledge(REPO_ROOT / "knowledge" / "practices")
    practice = kb.get("masterplan-smart-city")
    assert practice is not None
    stages = practice.section("stages")
    assert stages is not None
    md = record_markdown(stages.text, practice.sources)
    html = RENDERERS["commonmark"].render(md)
    assert html.count("<li>") == 9 and html.count("<ol>") == 1
    assert "<li><strong>Seleksi.</strong> Daerah undangan" in html
    assert "<strong>MoU, 15 Mei 2019.</strong> Di Jakarta" in html
    assert f'<a href="{practice.sources[0].url}">[1]</a>' in html


def test_every_real_record_keeps_its_words_and_links_every_citation():
    kb = load_knowledge(REPO_ROOT / "knowledge" / "practices")
    assert kb.practices
    for p in kb.practices:
        urls = {safe_url(s.url) for s in p.sources}
        for text in [p.summary, p.summary_en, p.budget] + [s.text for s in p.sections]:
            md = record_markdown(text, p.sources)
            assert_only_allowed_markup(md)
            cited = [n for group in CITATION_PATTERN.findall(text) for n in group.split(",")]
            for parsed in rendered(md):
                hrefs = [a["href"] for tag, a in parsed.tags if tag == "a"]
                assert len(hrefs) == len(cited) and set(hrefs) <= urls, p.id
                assert words(html_text(parsed)) == words(unmarked(text)), p.id


# ------------------------------------------------------------------ hostile text


def test_the_hostile_fixtures_are_valid_records_holding_every_hostile_string():
    kb = load_knowledge(HOSTILE_DIR)
    assert kb.problems == [] and len(kb.practices) >= 3
    corpus = "\n".join(text for _, text, _ in fixture_texts())
    missing = [s for s in HOSTILE if s.strip() not in corpus]
    assert missing == []
    assert any(len(line) > 5000 for line in corpus.splitlines())
    assert any(ch in corpus for ch in BIDI)


@pytest.mark.parametrize("typed", list(HOSTILE))
def test_hostile_text_shows_as_typed_and_never_as_markup(typed):
    md = record_markdown(f"Awal {typed} akhir [1].\n\n{typed}\n\n- {typed}\n1. {typed}", SOURCES)
    for forbidden in HOSTILE[typed]:
        assert not re.search(r"(?<!\\)" + re.escape(forbidden), md), forbidden
    assert_only_allowed_markup(md)
    shown = typed.strip()
    assert visible(md).count(shown) == 4
    for parsed in rendered(md):
        assert html_text(parsed).count(shown) == 4
        assert [a["href"] for tag, a in parsed.tags if tag == "a"] == ["https://example.org/satu"]


@pytest.mark.parametrize("where", [row[0] for row in fixture_texts()])
def test_hostile_fixtures_render_safely_with_their_words(where):
    _, text, sources = next(row for row in fixture_texts() if row[0] == where)
    md = record_markdown(text, sources)
    assert_only_allowed_markup(md)
    assert not any(ch in md for ch in BIDI)
    for bad in ("<script", "<img", "<iframe", "](javascript:", "](data:", "![", ":red[", ":material/", ":streamlit:", "$x"):
        assert not re.search(r"(?<!\\)" + re.escape(bad), md), bad
    urls = {safe_url(s.url) for s in sources} | {"https://example.org/resmi", "https://example.org/label"}
    for parsed in rendered(md):
        assert {a["href"] for tag, a in parsed.tags if tag == "a"} <= urls
        assert words(html_text(parsed)) == words(unmarked(text))


def test_directional_overrides_and_control_characters_are_removed():
    md = record_markdown("pembalik \u202egnp.exe\u202c dan \u2066isolasi\u2069 \x00\x1b[31m merah\x7f [1]", SOURCES)
    assert md == "pembalik gnp\\.exe dan isolasi \\[31m merah [[1]](https://example.org/satu)"


def test_streamlit_shortcodes_get_a_word_joiner_and_stay_visible():
    md = record_markdown(":streamlit: :smile: :material_home: :material/warning: pukul 10:30 Catatan: ok")
    assert md == (
        f"\\:{WORD_JOINER}streamlit\\: \\:{WORD_JOINER}smile\\: \\:{WORD_JOINER}material\\_home\\: "
        "\\:material\\/warning\\: pukul 10\\:30 Catatan\\: ok"
    )
    assert visible(md) == ":streamlit: :smile: :material_home: :material/warning: pukul 10:30 Catatan: ok"


def test_a_very_long_hostile_line_stays_text():
    line = " ".join(f"<b>{i}</b> **{i}** [x](javascript:{i}) ![i](https://example.org/{i}.png) [{1 + i % 2}]" for i in range(1000))
    md = record_markdown(line, SOURCES)
    assert_only_allowed_markup(md)
    # Counts, not `in`: pytest's explanation of a failed `in` on a 100 kB string takes minutes.
    assert (md.count("**"), md.count("!["), md.count("](javascript")) == (2 * 1000, 0, 0)
    for parsed in rendered(md):
        assert parsed.tags.count(("strong", {})) == 1000
        assert len([tag for tag, _ in parsed.tags if tag == "a"]) == 1000


def test_escape_and_safe_url():
    assert escape("<b>*x*</b> & :red[y] $z$") == "\\<b\\>\\*x\\*\\<\\/b\\> \\& \\:red\\[y\\] \\$z\\$"
    assert safe_url("HTTPS://Example.org/a b") is None
    assert safe_url("HTTPS://Example.org/a(b)[c]\\\"`<>$é") == "HTTPS://Example.org/a%28b%29%5Bc%5D%5C%22%60%3C%3E%24%C3%A9"
    for url in ("javascript:alert(1)", "data:text/html,x", "vbscript:x", "file:///etc/passwd", "/relatif", "//example.org", "ftp://example.org", ""):
        assert safe_url(url) is None
