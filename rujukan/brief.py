"""The study-visit briefing pack: a DOCX in Bahasa Indonesia for a delegation coming to Kota Kediri.

From a visiting region, a set of practices and the region data it builds: a title page, a table
of contents, the visit's purpose, a draft agenda, the comparison (a table with year and each
figure's source label, and charts drawn with matplotlib as PNG images, offline), one section per
practice, and every source with a clickable address. Every page has its number in the footer.

Nothing is invented: an empty field or a section written as "Tidak diketahui." appears as
"tidak diketahui", and the questions worth asking are built from exactly those gaps. Text from
the records goes into the document as plain runs (python-docx escapes it), citations [n] kept.
Figures and dates are written the Indonesian way (1.442,5; 23 Juni 2022). python-docx and
matplotlib are imported on first use, not at import time.

The table of contents and the page numbers are Word fields: Word fills them when the document is
opened (the file asks it to update its fields), and `docx_to_pdf` has LibreOffice fill them
before it writes the PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BriefError
from .formats import PARTIAL_DATE, iso_date, partial_date, write_atomically
from .formats import number as format_number
from .i18n import t
from .practices import KnowledgeBase, Practice, source_name
from .regions import CONTEXT_INDICATORS, COVERAGE_SHARE, KEDIRI, Dataset, compare, percentile_profile
from .sentences import EDITOR_LABEL, split_sentences
from .tables import transfer_table
from .transfer import differences, transfer_context, year_note
from .vocabulary import UNKNOWN_TEXT, status_label

UNKNOWN = t("common.unknown")  # the brief is written in Bahasa Indonesia
MAX_PURPOSE_CHARS = 2000
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember")
FIELD_LABELS = {
    "agency": "instansi", "budget": "anggaran", "started": "tahun mulai", "ended": "tahun berakhir", "status": "status", "legal_basis": "dasar hukum",
}
FOCUS_COLOR, REFERENCE_COLOR = "#d95f02", "#1b9e77"
#: XML 1.0 cannot hold most control characters; python-docx would refuse them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
#: Addresses that become clickable links; anything else stays plain text.
_LINKABLE = re.compile(r"^(https?://|mailto:)\S+$", re.IGNORECASE)
#: LibreOffice's command, by the names it has on Debian (libreoffice-writer-nogui) and elsewhere.
SOFFICE_NAMES = ("soffice", "libreoffice")
PDF_TIMEOUT_SECONDS = 180.0


# --------------------------------------------------------------------------- checks


def check_request(kb: KnowledgeBase, ds: Dataset, region_code: str, practice_ids: Iterable[str] | str, reference: str = KEDIRI) -> tuple[str, list[Practice]]:
    """The region code and the practices, in the order chosen; BriefError naming what is wrong."""
    code = str(region_code or "").strip()
    names = ds.names()
    if code not in names:
        raise BriefError(
            f"Unknown region code {code!r}: use a 4-digit BPS code "
            "of a kabupaten/kota, e.g. 3328 for Kabupaten Tegal."
        )
    if str(reference) not in names:
        raise BriefError(f"Unknown reference region code {reference!r}: use 3571 (Kota Kediri).")
    if code == str(reference):
        raise BriefError(f"The visiting region must not be {names[code]} itself; choose the region that comes to visit.")
    if isinstance(practice_ids, str):
        practice_ids = practice_ids.split(",")
    ids = list(dict.fromkeys(str(p).strip() for p in practice_ids if str(p).strip()))
    if not ids:
        raise BriefError("No practices chosen: choose at least one practice to study.")
    known = kb.by_id()
    unknown = [p for p in ids if p not in known]
    if unknown:
        raise BriefError(
            f"Unknown practice id(s): {', '.join(unknown)}. "
            f"Valid ids: {', '.join(sorted(known))}."
        )
    return code, [known[p] for p in ids]


def parse_date(value: dt.date | str | None) -> dt.date | None:
    """A visit date from a date or 'YYYY-MM-DD'; None stays None (shown as tidak diketahui)."""
    try:
        return iso_date(value)
    except ValueError:
        raise BriefError(f"{value!r} is not a visit date; write it as YYYY-MM-DD, e.g. 2025-06-23.") from None


def date_id(day: dt.date | None) -> str:
    """23 Juni 2022; tidak diketahui when there is no date."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else UNKNOWN


def partial_date_id(text: str, unknown: str = UNKNOWN) -> str:
    """A record's date ('2022-06-22', '2021-12', '2014', '~2019') in Indonesian: 22 Juni 2022,
    Desember 2021, 2014, sekitar 2019; `unknown` when empty; any other text as written."""
    text = str(text or "").strip()
    if not text:
        return unknown
    parsed = partial_date(text)
    match = PARTIAL_DATE.match(text)
    if parsed is None or match is None:
        return clean(text)
    start, _end, approximate = parsed
    _tilde, _year, month, day = match.groups()
    written = date_id(start) if day else f"{MONTHS[start.month - 1]} {start.year}" if month else str(start.year)
    return f"sekitar {written}" if approximate else written


def clean(text: Any) -> str:
    """Text safe for the document's XML: control characters become spaces, nothing else changes."""
    return _CONTROL.sub(" ", str(text))


def number(value: Any) -> str:
    """A figure the Indonesian way (1.442,5; at most 2 decimals); tidak diketahui when missing."""
    return format_number(value, "id", unknown=UNKNOWN)


def source_label(ds: Dataset, source_id: str) -> str:
    """A data source's Indonesian label (sources.csv label_id); the id and tidak diketahui when unknown."""
    sources = ds.sources.set_index("id")
    if source_id in sources.index and "label_id" in sources.columns and str(sources.at[source_id, "label_id"]).strip():
        return str(sources.at[source_id, "label_id"])
    return f"{source_id} ({UNKNOWN})"


# --------------------------------------------------------------------------- content (pure)


def _known(text: str) -> bool:
    return bool(text and text.strip() and text.strip() != UNKNOWN_TEXT)


def section_text(practice: Practice, key: str) -> str:
    s = practice.section(key)
    return s.text if s and _known(s.text) else ""


def visit_purpose(
    kb: KnowledgeBase,
    ds: Dataset,
    region_code: str,
    practice_ids: Iterable[str] | str,
    purpose: str | None = None,
    reference: str = KEDIRI,
) -> str:
    """The purpose the brief states (and the visit log keeps): the one given, cleaned and capped,
    or one written from the chosen practices when none is given. BriefError as build_brief."""
    code, practices = check_request(kb, ds, region_code, practice_ids, reference)
    return _purpose_text(purpose, ds.names()[code], practices)


def _purpose_text(purpose: str | None, region_name: str, practices: list[Practice]) -> str:
    own = clean(purpose).strip()[:MAX_PURPOSE_CHARS] if purpose and str(purpose).strip() else ""
    return own or default_purpose(region_name, practices)


def default_purpose(region_name: str, practices: list[Practice]) -> str:
    titles = [p.title for p in practices]
    listed = titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " dan " + titles[-1]
    return (
        f"Delegasi {region_name} datang ke Kota Kediri untuk melihat langsung cara kerja {listed}: "
        "masalah yang hendak dijawab, langkah yang ditempuh, tahapannya, biaya dan dasar hukumnya, "
        f"serta hasil yang sudah tercatat. Dari situ delegasi menimbang apa yang layak diterapkan di {region_name}, "
        "dengan siapa perlu berkoordinasi, dan apa yang masih harus ditanyakan."
    )


def questions(practice: Practice, region_name: str, limit: int = 5) -> list[str]:
    """3–5 questions, first from what the record does not know, then from its stages."""
    t = practice.title
    found: list[str] = []
    if not practice.budget and not section_text(practice, "costs"):
        found.append(f"Berapa anggaran tahunan {t}, dan dari mana sumber dananya (APBD, dana hibah, CSR, atau lainnya)?")
    if not practice.agency:
        found.append(f"Perangkat daerah (OPD) mana yang menjalankan {t}, dan siapa narahubung yang dapat dihubungi setelah kunjungan?")
    if not practice.legal_basis:
        found.append(f"Peraturan apa (Perwali, keputusan wali kota, atau lainnya) yang menjadi dasar hukum {t}?")
    if not section_text(practice, "results"):
        found.append(f"Hasil apa yang sudah terukur dari {t}, dan data apa yang dipakai untuk mengukurnya?")
    if practice.status not in ("running", "ended"):
        found.append(f"Apakah {t} masih berjalan saat ini? Bila tidak, kapan dan mengapa berhenti?")
    if not practice.started:
        found.append(f"Sejak kapan {t} dijalankan?")
    for name in practice.uncertain:
        found.append(f"Catatan kami tentang {FIELD_LABELS.get(name, name)} {t} belum pasti: bagaimana keadaan sebenarnya?")
    stages = section_text(practice, "stages")
    if stages:
        count = sum(1 for line in stages.splitlines() if _BULLET.match(line))
        what = f"{count} tahapan yang tercatat" if count > 1 else "tahapan yang tercatat"
        found.append(f"Dari {what}, tahap mana yang paling sulit, berapa lama, dan apa yang akan dilakukan berbeda bila mengulang dari awal?")
    else:
        found.append(f"Apa saja tahapan {t} sejak perencanaan sampai berjalan, dan berapa lama tiap tahap?")
    if practice.legal_basis:
        found.append(f"Bagaimana {practice.legal_basis[0]} disusun, dan bagian mana yang perlu disesuaikan bila diterapkan di {region_name}?")
    found.append(f"Berapa orang dan keahlian apa yang dibutuhkan untuk menjalankan dan memelihara {t}?")
    found.append(f"Bagaimana keberlanjutan {t} dijaga, misalnya setelah pergantian pimpinan daerah?")
    return list(dict.fromkeys(found))[: max(3, limit)]


def agenda(practices: list[Practice], start: str = "08:30") -> list[tuple[str, str, str]]:
    """(time, activity, whom to meet): opening at the Command Center, a slot per practice, closing Q&A."""
    hour, minute = (int(x) for x in start.split(":"))
    clock = hour * 60 + minute
    rows = []

    def slot(minutes: int, what: str, who: str) -> None:
        nonlocal clock
        end = clock + minutes
        rows.append((f"{clock // 60:02d}.{clock % 60:02d}–{end // 60:02d}.{end % 60:02d}", what, who))
        clock = end

    slot(30, "Pembukaan dan paparan umum smart city Kota Kediri di Command Center", "Pemerintah Kota Kediri")
    for n, p in enumerate(practices, start=1):
        slot(45, f"Paparan dan diskusi: {p.title}", p.agency or UNKNOWN)
        if n == 3 and len(practices) > 3:
            slot(60, "Istirahat", "-")
    slot(30, "Tanya jawab dan penutupan", "Pemerintah Kota Kediri")
    return rows


def comparison_indicators(ds: Dataset) -> list[str]:
    """Indicators whose reference year covers nearly every region (so one region's gap does not drop a
    row); the size and economy context (regions.CONTEXT_INDICATORS) is not a comparison of standing."""
    wanted = COVERAGE_SHARE * len(ds.regions)
    return [i for i in ds.indicators["id"] if i not in CONTEXT_INDICATORS and ds.latest(i)["region_code"].nunique() >= wanted]


def comparison_rows(ds: Dataset, code: str, reference: str) -> list[dict[str, Any]]:
    """One row per national indicator: name, unit, year, both values (or tidak diketahui), their
    percentiles, source (the Indonesian labels of the sources used) and source ids."""
    indicators = comparison_indicators(ds)
    if not indicators:
        return []
    profile = percentile_profile(ds, code, [reference], indicators)
    meta = ds.indicators.set_index("id")
    rows = []
    for indicator in indicators:
        part = profile[profile["indicator"] == indicator].set_index("region_code")
        used = [s for s in dict.fromkeys(part["source"]) if s]
        year = part["year"].dropna()
        rows.append({
            "indicator": indicator,
            "name": str(meta.at[indicator, "name_id"]),
            "unit": str(meta.at[indicator, "unit"]),
            "year": str(int(year.iloc[0])) if len(year) else UNKNOWN,
            "focus": number(part.at[code, "value"]) if code in part.index else UNKNOWN,
            "reference": number(part.at[reference, "value"]) if reference in part.index else UNKNOWN,
            "focus_pct": part.at[code, "percentile"] if code in part.index else None,
            "reference_pct": part.at[reference, "percentile"] if reference in part.index else None,
            "source": "; ".join(source_label(ds, s) for s in used) or UNKNOWN,
            "source_ids": used,
        })
    return rows


# --------------------------------------------------------------------------- charts


def _float(value: Any) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def percentile_chart(rows: list[dict[str, Any]], focus_name: str, reference_name: str) -> bytes:
    """Horizontal bars: each indicator's percentile (0–100, higher is better) for both regions."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    fig = Figure(figsize=(6.5, 0.45 * len(rows) + 1.4), dpi=150)
    ax = fig.subplots()
    labels = [r["name"] for r in rows]
    ys = range(len(rows))
    for offset, key, color in ((-0.2, "focus_pct", FOCUS_COLOR), (0.2, "reference_pct", REFERENCE_COLOR)):
        for y, r in zip(ys, rows):
            value = _float(r[key])
            if value is None:
                ax.text(1, y + offset, UNKNOWN, va="center", fontsize=6, color=color)
            else:
                ax.barh(y + offset, value, height=0.38, color=color)
    ax.set_yticks(list(ys), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    _indonesian_ticks(ax.xaxis)
    ax.set_xlabel("Persentil di antara 514 kabupaten/kota (100 = terbaik)", fontsize=7)
    ax.tick_params(axis="x", labelsize=7)
    ax.legend(handles=[Patch(color=FOCUS_COLOR, label=focus_name), Patch(color=REFERENCE_COLOR, label=reference_name)], fontsize=7, loc="lower right")
    ax.set_title("Posisi pada indikator nasional", fontsize=9)
    fig.tight_layout()
    return _png(fig)


def ipm_chart(ds: Dataset, code: str, reference: str) -> bytes | None:
    """IPM over the years for both regions; None when neither has an IPM value."""
    from matplotlib.figure import Figure

    if "ipm" not in set(ds.indicators["id"]):
        return None
    table = compare(ds, [code, reference], ["ipm"]).dropna(subset=["value"])
    table = table[(table["year"] >= 2020) & (table["year"] <= 2024)]
    if table.empty:
        return None
    fig = Figure(figsize=(6.5, 3.2), dpi=150)
    ax = fig.subplots()
    names = ds.names()
    for region, color in ((code, FOCUS_COLOR), (reference, REFERENCE_COLOR)):
        rows = table[table["region_code"] == region]
        label = names[region] if len(rows) else f"{names[region]} ({UNKNOWN})"
        ax.plot(rows["year"], rows["value"], marker="o", color=color, label=label)
    ax.set_xticks(sorted(set(int(y) for y in table["year"])))  # years as written: 2024, not 2.024
    _indonesian_ticks(ax.yaxis)
    ax.set_ylabel("IPM", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    ax.set_title("Indeks Pembangunan Manusia 2020–2024", fontsize=9)
    fig.tight_layout()
    return _png(fig)


def _indonesian_ticks(axis) -> None:
    """Tick labels the Indonesian way (72,5), like every other figure in the document."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _pos: format_number(value, "id")))


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


# --------------------------------------------------------------------------- document


@dataclass(frozen=True)
class _Visit:
    """What the pack is about: the visiting region, the region visited, the date, the practices and the purpose."""

    code: str
    reference: str
    region_name: str
    reference_name: str
    day: dt.date | None
    practices: list[Practice]
    purpose: str

    @property
    def title(self) -> str:
        return f"Bahan kunjungan studi: {self.region_name} ke {self.reference_name}"


class _Writer:
    """The python-docx Document being written, with the few kinds of block the pack is made of."""

    def __init__(self, title: str) -> None:
        from docx import Document
        from docx.enum.style import WD_STYLE_TYPE
        from docx.enum.text import WD_UNDERLINE
        from docx.shared import Pt, RGBColor

        self.doc = Document()
        self.doc.core_properties.title = title
        self.doc.core_properties.author = "Rujukan"
        self.doc.core_properties.language = "id-ID"
        self.doc.styles["Normal"].font.size = Pt(10.5)
        link = self.doc.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        link.font.underline = WD_UNDERLINE.SINGLE
        self._ask_to_update_fields()

    def para(self, text: str, style: str | None = None, italic: bool = False, bold: bool = False):
        p = self.doc.add_paragraph(style=style)
        run = p.add_run(clean(text))
        run.italic, run.bold = italic or None, bold or None
        return p

    def labelled(self, label: str, value: str) -> None:
        p = self.doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(clean(value))

    def record_text(self, text: str) -> None:
        """A record's section: paragraphs and '- ' bullets, as plain text with citations kept."""
        if not _known(text):
            self.para(UNKNOWN, italic=True)
            return
        for block in re.split(r"\n\s*\n", text.strip()):
            lines = [line for line in block.splitlines() if line.strip()]
            if lines and all(_BULLET.match(line) or line.startswith("  ") for line in lines):
                for line in lines:
                    m = _BULLET.match(line)
                    self.record_paragraph(m.group(1) if m else line.strip(), style="List Bullet")
            else:
                self.record_paragraph(" ".join(line.strip() for line in lines))

    def record_paragraph(self, text: str, style: str | None = None) -> None:
        """A paragraph of a record with the editors' label ("Catatan Rujukan:") once at its start
        rather than before each of the editors' sentences; the label covers the paragraph. A
        paragraph that mixes sources' and editors' sentences becomes one paragraph per run, so no
        sentence changes hands (a list item that mixes them stays one item, as the record wrote it)."""
        parts = editor_runs(text)
        if style and len(parts) > 1:
            parts = [(False, text)]
        for editorial, body in parts:
            p = self.doc.add_paragraph(style=style)
            if editorial:
                label = p.add_run(EDITOR_LABEL)
                label.bold = label.italic = True
                p.add_run(" ")
            p.add_run(clean(body))

    def link(self, paragraph, url: str, text: str | None = None) -> None:
        """A clickable address at the end of `paragraph`: a w:hyperlink with an external
        relationship, in the Hyperlink character style; anything but http(s)/mailto stays text."""
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        url = clean(url).strip()
        if not _LINKABLE.match(url):
            paragraph.add_run(clean(text or url))
            return
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("r:id"), paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
        hyperlink.set(qn("w:history"), "1")
        run = OxmlElement("w:r")
        properties = OxmlElement("w:rPr")
        style = OxmlElement("w:rStyle")
        style.set(qn("w:val"), self.doc.styles["Hyperlink"].style_id)
        properties.append(style)
        run.append(properties)
        shown = OxmlElement("w:t")
        shown.set(qn("xml:space"), "preserve")
        shown.text = clean(text or url)
        run.append(shown)
        hyperlink.append(run)
        paragraph._p.append(hyperlink)

    def field(self, paragraph, instruction: str, shown: str) -> None:
        """A complex field (PAGE, NUMPAGES, TOC …) with `shown` as its result until it is updated."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        def run_with(tag: str, text: str | None = None, **attributes: str) -> None:
            element = OxmlElement(tag)
            for name, value in attributes.items():
                element.set(qn(name), value)
            if text is not None:
                element.set(qn("xml:space"), "preserve")
                element.text = text
            paragraph.add_run()._r.append(element)

        run_with("w:fldChar", **{"w:fldCharType": "begin", "w:dirty": "true"})
        run_with("w:instrText", f" {instruction} ")
        run_with("w:fldChar", **{"w:fldCharType": "separate"})
        paragraph.add_run(clean(shown))
        run_with("w:fldChar", **{"w:fldCharType": "end"})

    def page_numbers(self) -> None:
        """"Halaman n dari m" centred in the footer of every page."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        footer = self.doc.sections[0].footer
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("Halaman ")
        self.field(p, "PAGE", "1")
        p.add_run(" dari ")
        self.field(p, "NUMPAGES", "1")

    def contents(self, note: str) -> None:
        """A table of contents over Heading 1 and 2 on a page of its own, and a note under it."""
        title = self.doc.add_paragraph("Daftar isi", style="TOC Heading")
        title.paragraph_format.page_break_before = True
        self.field(self.doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', "Daftar isi belum diperbarui; lihat catatan di bawah.")
        self.para(note, italic=True)

    def _ask_to_update_fields(self) -> None:
        """w:updateFields in settings.xml: Word offers to update the fields (the table of contents) on opening."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        # CT_Settings is a sequence: updateFields comes before these (ECMA-376 §17.15.1.78)
        self.doc.settings.element.insert_element_before(
            update, "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr",
            "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
            "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
            "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
        )

    def table(self, header: list[str], rows: list[list[str]], widths: list[float] | None = None) -> None:
        from docx.shared import Cm, Pt

        t = self.doc.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        for cell, text in zip(t.rows[0].cells, header):
            cell.text = ""
            cell.paragraphs[0].add_run(clean(text)).bold = True
        for row in rows:
            for cell, text in zip(t.add_row().cells, row):
                cell.text = clean(text)
        for row in t.rows:
            for cell in row.cells:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(9)
        if widths:  # the grid (LibreOffice reads it) and every cell (Word reads these)
            t.autofit = False
            for column, width in zip(t.columns, widths):
                column.width = Cm(width)
            for row in t.rows:
                for cell, width in zip(row.cells, widths):
                    cell.width = Cm(width)

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(text, level=level)

    def new_page_heading(self, text: str) -> None:
        self.doc.add_heading(text, level=1).paragraph_format.page_break_before = True

    def picture(self, png: bytes) -> None:
        from docx.shared import Cm

        self.doc.add_picture(io.BytesIO(png), width=Cm(16))

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def editor_runs(text: str) -> list[tuple[bool, str]]:
    """A paragraph cut into runs of sentences, (True, text) for the editors' own sentences (each
    written with "Catatan Rujukan:" in the record), the label taken off all of them; (False, text)
    for the others. Nothing else changes: the sentences, their order and their [n] marks stay; a
    sentence that now opens after a full stop starts with a capital ("… [10]. Pengawasan …")."""
    if EDITOR_LABEL not in text:
        return [(False, text)]
    runs: list[tuple[bool, list[str]]] = []
    for sentence in split_sentences(text):
        editorial = sentence.startswith(EDITOR_LABEL)
        body = sentence[len(EDITOR_LABEL):].strip() if editorial else sentence
        if runs and runs[-1][0] == editorial:
            runs[-1][1].append(_sentence_case(body) if editorial else body)
        else:
            runs.append((editorial, [body]))
    return [(editorial, " ".join(bodies)) for editorial, bodies in runs]


def _sentence_case(sentence: str) -> str:
    """A capital for a sentence whose first word is a plain lowercase word (not e-SPTPD or iOS)."""
    first = sentence.split(" ", 1)[0]
    return sentence[:1].upper() + sentence[1:] if re.fullmatch(r"[a-z][a-z-]*[,;:]?", first) else sentence


def build_brief(
    kb: KnowledgeBase,
    ds: Dataset,
    region_code: str,
    practice_ids: Iterable[str] | str,
    *,
    visit_date: dt.date | str | None = None,
    purpose: str | None = None,
    reference: str = KEDIRI,
) -> bytes:
    """The briefing pack as DOCX bytes; BriefError for an unknown region or practice, or none chosen.

    The purpose stated is `visit_purpose(...)` of the same arguments: record that one in the visit log."""
    code, practices = check_request(kb, ds, region_code, practice_ids, reference)
    reference = str(reference)
    day = parse_date(visit_date)
    names = ds.names()
    visit = _Visit(code, reference, names[code], names[reference], day, practices, _purpose_text(purpose, names[code], practices))

    w = _Writer(visit.title)
    w.page_numbers()
    _title_page(w, visit)
    _contents(w)
    _purpose_and_agenda(w, visit)
    rows = _comparison(w, ds, visit)
    for p in practices:
        _practice(w, ds, p, visit)
    _sources(w, ds, visit, rows)
    return w.save()


# --------------------------------------------------------------------------- parts of the document, in order


def _title_page(w: _Writer, visit: _Visit) -> None:
    w.heading(visit.title, 0)
    w.labelled("Wilayah pengunjung", f"{visit.region_name} (kode BPS {visit.code})")
    w.labelled("Tujuan kunjungan", f"{visit.reference_name} (kode BPS {visit.reference})")
    w.labelled("Tanggal kunjungan", date_id(visit.day))
    w.labelled("Praktik yang dipelajari", ", ".join(p.title for p in visit.practices))
    w.labelled(
        "Disusun",
        f"{date_id(dt.date.today())}, oleh Rujukan dari basis pengetahuan praktik Kota Kediri dan angka statistik BPS "
        "(dari salinan dan himpunan publik; sumber tiap angka tertulis di tabelnya dan di bagian Sumber)",
    )
    w.para(
        "Setiap fakta dalam dokumen ini bersumber. Angka dalam kurung siku [n] merujuk ke daftar sumber "
        "praktik yang bersangkutan di bagian Sumber. Yang tidak tercatat ditulis 'tidak diketahui', bukan ditebak. "
        f"Paragraf yang diawali '{EDITOR_LABEL}' berisi tafsiran penyusun Rujukan atas fakta yang dirujuk, bukan pernyataan sumber.",
        italic=True,
    )


def _contents(w: _Writer) -> None:
    w.contents(
        "Daftar isi dan nomor halaman diisi otomatis saat dokumen dibuka atau dicetak. Bila Word menanyakan "
        "apakah bidang (field) dalam dokumen perlu diperbarui, pilih Ya; bila daftar isi masih kosong, klik kanan "
        "pada daftar isi lalu pilih Perbarui bidang (Update Field)."
    )


def _purpose_and_agenda(w: _Writer, visit: _Visit) -> None:
    w.new_page_heading("Tujuan kunjungan")
    w.para(visit.purpose)
    w.heading("Agenda (draf)", 1)
    w.para(f"Draf: waktu dan pihak yang ditemui perlu dikonfirmasi dengan Pemerintah {visit.reference_name}.", italic=True)
    w.table(["Waktu", "Kegiatan", "Pihak yang ditemui"], [list(r) for r in agenda(visit.practices)], [3, 8.5, 5])


def _comparison(w: _Writer, ds: Dataset, visit: _Visit) -> list[dict[str, Any]]:
    """The indicator table, the percentile and IPM charts, and which values are missing; returns the rows (their sources are listed later)."""
    w.heading(f"Perbandingan: {visit.region_name} dan {visit.reference_name}", 1)
    rows = comparison_rows(ds, visit.code, visit.reference)
    w.para(
        "Angka pada tahun acuan tiap indikator (tahun terbaru yang mencakup hampir semua kabupaten/kota). "
        "Semuanya angka statistik BPS, tetapi tidak diunduh langsung dari BPS: sebagian dari salinan tabel BPS, "
        "sebagian dari himpunan angka BPS yang disusun pihak lain; kolom Sumber menyebut asal tiap angka. "
        "Persentil dihitung di antara semua kabupaten/kota yang memiliki nilai; 100 berarti terbaik."
    )
    if rows:
        w.table(
            ["Indikator", "Satuan", "Tahun", visit.region_name, visit.reference_name, "Sumber"],
            [[r["name"], r["unit"], r["year"], r["focus"], r["reference"], r["source"]] for r in rows],
            [3.2, 2.0, 1.5, 2.1, 2.1, 5.6],
        )
        w.picture(percentile_chart(rows, visit.region_name, visit.reference_name))
    else:
        w.para(f"Data indikator: {UNKNOWN}.", italic=True)
    ipm = ipm_chart(ds, visit.code, visit.reference)
    if ipm:
        w.picture(ipm)
        used = _ipm_sources(ds, visit)
        w.para(f"Sumber grafik IPM: {'; '.join(source_label(ds, s) for s in used) if used else UNKNOWN}.", italic=True)
    else:
        w.para(f"Grafik IPM 2020–2024: data {UNKNOWN}.", italic=True)
    missing = [r["name"] for r in rows if UNKNOWN in (r["focus"], r["reference"])]
    if missing:
        w.para(f"Nilai yang tidak tersedia ('{UNKNOWN}'): {', '.join(missing)}.", italic=True)
    return rows


def _ipm_sources(ds: Dataset, visit: _Visit) -> list[str]:
    """The sources of the IPM chart's points (2020–2024, both regions)."""
    if "ipm" not in set(ds.indicators["id"]):
        return []
    table = compare(ds, [visit.code, visit.reference], ["ipm"]).dropna(subset=["value"])
    table = table[(table["year"] >= 2020) & (table["year"] <= 2024)]
    return [s for s in dict.fromkeys(table["source"]) if s]


#: A practice's record sections before and after its costs and legal basis, as (heading, section key).
_SECTIONS_BEFORE = (("Masalah", "problem"), ("Yang dilakukan", "what"), ("Riwayat", "history"), ("Tahapan", "stages"))
_SECTIONS_AFTER = (("Hasil", "results"), ("Pelajaran", "lessons"), ("Cara mereplikasi", "replicate"))
#: Sections left out when the record has nothing for them (the others say tidak diketahui).
_OPTIONAL_SECTIONS = frozenset({"history", "replicate"})


def _practice(w: _Writer, ds: Dataset, p: Practice, visit: _Visit) -> None:
    """A practice on its own pages, from its facts and its context of transfer to the questions worth asking."""
    region_name = visit.region_name
    w.new_page_heading(p.title)
    _facts(w, p)
    _transfer(w, ds, p, visit.code)
    _record_sections(w, p, _SECTIONS_BEFORE)
    _costs(w, p)
    _legal_basis(w, p)
    _record_sections(w, p, _SECTIONS_AFTER)
    w.heading("Instansi yang ditemui", 2)
    w.para(p.agency or UNKNOWN, italic=not p.agency)
    _visitors(w, p)
    w.heading("Pertanyaan yang layak diajukan", 2)
    for n, q in enumerate(questions(p, region_name), start=1):
        w.para(f"{n}. {q}")


def _facts(w: _Writer, p: Practice) -> None:
    w.para(p.title_en, italic=True)
    w.record_text(p.summary)
    status = status_label(p.status)
    w.labelled("Status", status + (" (belum pasti)" if "status" in p.uncertain else ""))
    w.labelled("Mulai", partial_date_id(p.started) + (" (belum pasti)" if "started" in p.uncertain and p.started else ""))
    if p.ended:
        w.labelled("Berakhir", partial_date_id(p.ended))
    w.labelled("Terakhir diperiksa", partial_date_id(p.last_verified))


def _transfer(w: _Writer, ds: Dataset, p: Practice, code: str) -> None:
    """The practice's region when it began beside the visiting region: kind and sourced figures, and their differences in words."""
    context = transfer_context(ds, p, code)
    w.heading("Konteks penerapan", 2)
    frame = transfer_table(context, ds, "id")
    w.table(list(frame.columns), frame.astype(str).values.tolist(), [4.2, 1.6, 2.3, 2.3, 6.1][: len(frame.columns)])
    w.para(year_note(context, "id"), italic=True)
    for line in differences(context, ds, "id"):
        w.para(line, style="List Bullet")


def _record_sections(w: _Writer, p: Practice, sections: tuple[tuple[str, str], ...]) -> None:
    for heading, key in sections:
        if key in _OPTIONAL_SECTIONS and not section_text(p, key):
            continue
        w.heading(heading, 2)
        w.record_text(section_text(p, key))


def _costs(w: _Writer, p: Practice) -> None:
    w.heading("Biaya dan sumber daya", 2)
    if p.budget:
        w.labelled("Anggaran", p.budget + (" (belum pasti)" if "budget" in p.uncertain else ""))
    if section_text(p, "costs"):
        w.record_text(section_text(p, "costs"))
    elif not p.budget:
        w.para(UNKNOWN, italic=True)


def _legal_basis(w: _Writer, p: Practice) -> None:
    w.heading("Dasar hukum", 2)
    for law in p.legal_basis:
        w.para(law, style="List Bullet")
    if not p.legal_basis:
        w.para(UNKNOWN, italic=True)


def _visitors(w: _Writer, p: Practice) -> None:
    w.heading("Yang sudah mempelajari praktik ini", 2)
    for v in p.replicated_by:
        w.para(f"{v.region} ({partial_date_id(v.date)}): {v.what or UNKNOWN} [{v.source}]", style="List Bullet")
    if not p.replicated_by:
        w.para("Belum ada yang tercatat di Rujukan.", italic=True)


def _sources(w: _Writer, ds: Dataset, visit: _Visit, rows: list[dict[str, Any]]) -> None:
    """Each practice's numbered sources, then the data sources behind the comparison and the IPM chart,
    each by its Indonesian label and with its address as a link."""
    w.new_page_heading("Sumber")
    for p in visit.practices:
        w.heading(p.title, 2)
        for s in p.sources:
            publisher = f" — {s.publisher or UNKNOWN}" if s.title else ""  # an unknown title: the publisher and the label saying so
            line = w.para(f"[{s.number}] {source_name(s)}{publisher}, {partial_date_id(s.date, 'tanggal ' + UNKNOWN)}. ")
            w.link(line, s.url)
    w.heading("Data wilayah", 2)
    used = list(dict.fromkeys(s for r in rows for s in r["source_ids"]))
    used += [s for s in _ipm_sources(ds, visit) if s not in used]
    sources = ds.sources.set_index("id")
    for sid in used:
        url = str(sources.at[sid, "url"]).strip() if sid in sources.index else ""
        line = w.para(f"{source_label(ds, sid)}. ")
        if url:
            w.link(line, url)
        else:
            line.add_run(f"Alamat: {UNKNOWN}.")


def write_brief(
    kb: KnowledgeBase,
    ds: Dataset,
    region_code: str,
    practice_ids: Iterable[str] | str,
    out: Path,
    *,
    visit_date: dt.date | str | None = None,
    purpose: str | None = None,
    reference: str = KEDIRI,
) -> Path:
    """Build the brief, then write it atomically: a temporary file beside `out`, then os.replace.

    A failure while building or writing leaves an existing file at `out` untouched.
    """
    data = build_brief(kb, ds, region_code, practice_ids, visit_date=visit_date, purpose=purpose, reference=reference)
    return _write_atomic(Path(out), data, "brief.docx")


# --------------------------------------------------------------------------- PDF (LibreOffice)


def pdf_converter() -> str | None:
    """LibreOffice's command (soffice, or libreoffice) on PATH; None when it is not installed."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def pdf_available() -> bool:
    """Whether docx_to_pdf can run here (LibreOffice is installed)."""
    return pdf_converter() is not None


#: The LibreOffice Basic module that opens the DOCX, updates its table of contents (and other
#: indexes) and fields, and exports the PDF. A plain --convert-to fills the page numbers but
#: leaves the table of contents as written. Paths come in through the environment.
_MACRO_MODULE = "RujukanPdf"
_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="RujukanPdf" script:language="StarBasic">
Sub ExportPdf
  On Error GoTo Failed
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = &quot;Hidden&quot;
  load(0).Value = True
  document = StarDesktop.loadComponentFromURL(ConvertToURL(Environ(&quot;RUJUKAN_PDF_IN&quot;)), &quot;_blank&quot;, 0, load())
  indexes = document.getDocumentIndexes()
  For i = 0 To indexes.getCount() - 1
    indexes.getByIndex(i).update()
  Next i
  document.getTextFields().refresh()
  Dim export(0) As New com.sun.star.beans.PropertyValue
  export(0).Name = &quot;FilterName&quot;
  export(0).Value = &quot;writer_pdf_Export&quot;
  document.storeToURL(ConvertToURL(Environ(&quot;RUJUKAN_PDF_OUT&quot;)), export())
  document.close(True)
  Exit Sub
Failed:
  On Error Resume Next
  document.close(True)
End Sub
</script:module>
"""
_MACRO_LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" library:readonly="false" library:passwordprotected="false">
 <library:element library:name="RujukanPdf"/>
</library:library>
"""
_INSTALL_HINT = "Install LibreOffice Writer (Debian: apt-get install -y libreoffice-writer-nogui); the DOCX does not need it."


def docx_to_pdf(data: bytes, *, timeout: float = PDF_TIMEOUT_SECONDS) -> bytes:
    """The DOCX bytes as PDF bytes, converted by LibreOffice headless in a temporary folder with a
    profile of its own (so conversions can run side by side), the table of contents and page
    numbers filled in. BriefError when LibreOffice is missing, fails or takes longer than `timeout`."""
    soffice = pdf_converter()
    if soffice is None:
        raise BriefError(f"Cannot make the PDF: LibreOffice is not installed (neither soffice nor libreoffice is on PATH). {_INSTALL_HINT}")
    deadline = time.monotonic() + float(timeout)
    with tempfile.TemporaryDirectory(prefix="rujukan-pdf-") as tmp:
        folder = Path(tmp)
        source, target, profile = folder / "brief.docx", folder / "brief.pdf", folder / "profile"
        source.write_bytes(data)
        base = [soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                f"-env:UserInstallation={profile.as_uri()}"]
        # 1. a fresh profile, 2. the macro in its Standard library, 3. open, update, export
        _soffice(base + ["--terminate_after_init"], deadline, timeout)
        library = profile / "user" / "basic" / "Standard"
        if (library / "script.xlb").is_file():
            (library / f"{_MACRO_MODULE}.xba").write_text(_MACRO, encoding="utf-8")
            (library / "script.xlb").write_text(_MACRO_LIBRARY, encoding="utf-8")
            env = {**os.environ, "RUJUKAN_PDF_IN": str(source), "RUJUKAN_PDF_OUT": str(target)}
            _soffice(base + [f"macro:///Standard.{_MACRO_MODULE}.ExportPdf"], deadline, timeout, env)
        if not target.is_file() or target.stat().st_size == 0:  # the macro could not run: plain conversion
            _soffice(base + ["--convert-to", "pdf", "--outdir", str(folder), str(source)], deadline, timeout)
        if not target.is_file() or target.stat().st_size == 0:
            raise BriefError(
                f"LibreOffice ({soffice}) did not turn the brief into a PDF. Check that LibreOffice Writer works "
                f"(soffice --headless --convert-to pdf FILE.docx). {_INSTALL_HINT}"
            )
        return target.read_bytes()


def _soffice(command: list[str], deadline: float, timeout: float, env: dict[str, str] | None = None) -> None:
    """Run one LibreOffice step in its own process group, killed (with its children) at the deadline."""
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    except OSError as exc:
        raise BriefError(f"Cannot start LibreOffice ({command[0]}): {exc.strerror or exc}. {_INSTALL_HINT}") from exc
    try:
        _out, err = process.communicate(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            process.kill()
        process.communicate()
        raise BriefError(
            f"LibreOffice ({command[0]}) took longer than {timeout:g} s to make the PDF and was stopped. "
            "Try again; if it keeps happening, check that soffice --headless works on this machine."
        ) from None
    if process.returncode != 0:
        said = err.decode("utf-8", "replace").strip().splitlines()
        raise BriefError(
            f"LibreOffice ({command[0]}) failed with exit code {process.returncode} while making the PDF"
            f"{': ' + said[-1] if said else ''}. {_INSTALL_HINT}"
        )


def write_pdf(docx: bytes, out: Path, *, timeout: float = PDF_TIMEOUT_SECONDS) -> Path:
    """Convert the DOCX bytes (docx_to_pdf) and write the PDF atomically to `out`; BriefError if either fails,
    an existing file at `out` left untouched."""
    return _write_atomic(Path(out), docx_to_pdf(docx, timeout=timeout), "brief.pdf")


def _write_atomic(out: Path, data: bytes, example: str) -> Path:
    """Write `data` to a temporary file beside `out`, then os.replace; BriefError naming the file on failure."""
    if out.is_dir():
        raise BriefError(f"{out} is a folder; give a file name such as {example}.")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(out, data)
    except OSError as exc:
        raise BriefError(f"Cannot write {out}: {exc.strerror or exc}. Check the folder exists and is writable.") from exc
    return out
