"""Record text as safe Markdown for Streamlit's st.markdown (CommonMark + GFM, never unsafe HTML).

A record is written by curators, so its text is data: only an allow-list of Markdown survives,
the rest shows exactly as typed.

Allowed (the structure records use, rebuilt by this module, not passed through):
- paragraphs (blank lines), one level of "- " / "* " bullets and "1. " numbered lists (numbers
  kept as written; indented or lazy continuation lines join their item);
- **bold** / __bold__ and *italic* / _italic_ (underscores only at word edges, so
  rencana_induk stays a word), their text escaped again (italic and links allowed inside bold);
- links [label](https://…) or (http://…), the label escaped, the address percent-encoded;
- citations [1], [1][2], [3, 4]: each number becomes [[n]](url) when source n has an http(s)
  address, else the plain text [n].

Everything else is text. Every ASCII punctuation character outside those constructs is
backslash-escaped (CommonMark's markup is made only of ASCII punctuation, and any of it may be
escaped), and lines lose their indentation (no indented code). So HTML, comments and entities
(&lt; shows as "&lt;"), headings, quotes, tables, code, rules, images (![x](…) is never loaded),
autolinks, bare URLs, links to any other scheme or relative ones, reference links, footnotes,
Streamlit's directives (:red[…], :blue-badge[…]) and $math$ all show as typed.

Streamlit also rewrites text itself: ":material/x:" in the source (the escaped "/" stops that),
and after parsing, where escapes no longer count, ":material_x:" (an icon), ":streamlit:" (a logo
image) and ":smile:" (an emoji). A WORD JOINER (U+2060, invisible) goes after the first colon of
any ":name:" so it stays text. Its typography (" -> " shown as an arrow) is harmless and left be; so is
its linking of bare http(s) addresses after parsing (the text still shows as typed, and only an
http(s) address becomes a link, opened in a new tab).
Directional overrides and isolates (U+202A–U+202E, U+2066–U+2069) and control characters are
removed: they could make text read other than it is.

Why not markdown-it-py with everything but the allow-list disabled: its tokens would still have to
be written back as Markdown, with this same escaping, for a different renderer (Streamlit's remark
and its extensions). Escaping everything except what this module writes itself is shorter and
easier to check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from .practices import Source

WORD_JOINER = "\u2060"

_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_SHORTCODE = re.compile(r":(?=[A-Za-z0-9_+-]+:)")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
# Characters left as they are in a link address; everything else (brackets, parentheses, quotes,
# backslashes, "<>", "$", spaces, non-ASCII) is percent-encoded so the address cannot end early.
_URL_SAFE = "-._~:/?#@!&'*+,;=%"

_BULLET = re.compile(r"^\s*[-*]\s+(\S.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,9})\.\s+(\S.*)$")

# Inline constructs, bounded in length so a hostile line cannot make the scan quadratic.
_CONSTRUCTS = {
    "link": r"(?<!!)\[(?P<label>[^\[\]\n]{1,500})\]\((?P<url>https?://(?:[^\s()<>]|\([^\s()<>]{0,200}\)){1,2000})\)",
    "cite": r"\[(?P<numbers>\d{1,6}(?:\s*,\s*\d{1,6}){0,30})\]",
    "bold": r"\*\*(?P<star2>\S(?:[^\n]{0,500}?\S)??)\*\*|(?<!\w)__(?P<under2>\S(?:[^\n]{0,500}?\S)??)__(?!\w)",
    "italic": r"(?<!\*)\*(?P<star1>[^\s*](?:[^*\n]{0,300}?[^\s*])??)\*(?!\*)|(?<!\w)_(?P<under1>[^\s_](?:[^_\n]{0,300}?[^\s_])??)_(?!\w)",
}


def _scanner(*kinds: str) -> re.Pattern[str]:
    """One pattern finding the leftmost of these constructs (links before citations, bold before italic)."""
    return re.compile("|".join(f"(?P<{kind}>{_CONSTRUCTS[kind]})" for kind in kinds), re.IGNORECASE)


_TOP = _scanner("link", "cite", "bold", "italic")
_IN_BOLD = _scanner("link", "cite", "italic")
_IN_ITALIC = _scanner("link", "cite")
_INSIDE = {"bold": _IN_BOLD, "italic": _IN_ITALIC}


def escape(text: str) -> str:
    """Plain text as Markdown that shows exactly these characters (see the module docstring)."""
    text = _SHORTCODE.sub(":" + WORD_JOINER, _INVISIBLE.sub("", text))
    return _PUNCTUATION.sub(r"\\\1", text)


def safe_url(url: str) -> str | None:
    """An http(s) address ready for a Markdown link destination, or None for any other address."""
    url = _INVISIBLE.sub("", url.strip())
    if not _URL.fullmatch(url):
        return None
    return quote(url, safe=_URL_SAFE)


def record_markdown(text: str, sources: Sequence[Source] = ()) -> str:
    """A record's text as safe Markdown: its paragraphs, lists, bold, italic, http(s) links and
    citations (linked to `sources` by number) kept; everything else shown as typed."""
    by_number = {s.number: s for s in sources}
    blocks: list[list[tuple[str, str]]] = []  # a paragraph or one list: (marker, text) per line
    kind = ""  # what the last line belongs to: "" (a blank line), "text", "-" or "1."
    for raw in re.split(r"\r\n|\r|\n", _INVISIBLE.sub("", text)):
        bullet, numbered = _BULLET.match(raw), _NUMBERED.match(raw)
        line = raw.strip()
        if not line:
            kind = ""
            continue
        if bullet:
            line_kind, marker, line = "-", "- ", bullet.group(1)
        elif numbered:
            line_kind, marker, line = "1.", f"{numbered.group(1)}. ", numbered.group(2)
        elif kind in ("-", "1."):
            marker, text_so_far = blocks[-1][-1]
            blocks[-1][-1] = (marker, f"{text_so_far} {line}")  # a continuation line joins its item
            continue
        else:
            line_kind, marker = "text", ""
        if line_kind != kind:
            blocks.append([])
        blocks[-1].append((marker, line))
        kind = line_kind
    return "\n\n".join("\n".join(marker + _inline(line, by_number, _TOP) for marker, line in block) for block in blocks)


def _inline(text: str, sources: Mapping[int, Source], scanner: re.Pattern[str]) -> str:
    """Text with the allowed inline constructs rebuilt and everything between them escaped."""
    out: list[str] = []
    done = 0
    for m in scanner.finditer(text):
        out.append(escape(text[done : m.start()]))
        done = m.end()
        kind = m.lastgroup
        if kind == "link":
            url, label = safe_url(m.group("url")), m.group("label")
            out.append(f"[{escape(label)}]({url})" if url and label.strip() else escape(m.group()))
        elif kind == "cite":
            out.append("".join(_citation(int(n), sources) for n in m.group("numbers").split(",")))
        elif kind in ("bold", "italic"):
            inner, mark = (m.group("star2") or m.group("under2"), "**") if kind == "bold" else (m.group("star1") or m.group("under1"), "*")
            out.append(mark + _inline(inner, sources, _INSIDE[kind]) + mark)
    out.append(escape(text[done:]))
    return "".join(out)


def _citation(number: int, sources: Mapping[int, Source]) -> str:
    """[[n]](url) for a source with an http(s) address, else the plain text [n]."""
    source = sources.get(number)
    url = safe_url(source.url) if source else None
    return f"[[{number}]]({url})" if url else escape(f"[{number}]")
