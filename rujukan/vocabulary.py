"""Fixed vocabularies of the practice record: dimensions, statuses, body sections.

The ids are the record's format; their labels, in both languages, are in rujukan.i18n under the
namespaces "dimension", "status" and "section".
"""

from __future__ import annotations

from .i18n import t

#: The six smart-city dimensions (pilar) of Gerakan Menuju 100 Smart City.
DIMENSIONS: tuple[str, ...] = ("governance", "branding", "economy", "living", "society", "environment")

STATUSES: tuple[str, ...] = ("running", "ended", "unknown")

#: Body sections in their required order: heading as written in a record -> (key, required).
SECTIONS: dict[str, tuple[str, bool]] = {
    "Masalah": ("problem", True),
    "Yang dilakukan": ("what", True),
    "Riwayat": ("history", False),
    "Tahapan": ("stages", False),
    "Biaya dan sumber daya": ("costs", False),
    "Hasil": ("results", True),
    "Pelajaran": ("lessons", False),
    "Cara mereplikasi": ("replicate", False),
}

SECTION_BY_KEY: dict[str, str] = {key: heading for heading, (key, _) in SECTIONS.items()}

#: What an unknown section or field says in a record.
UNKNOWN_TEXT = "Tidak diketahui."


def dimension_label(dim: str, lang: str = "id") -> str:
    return t(f"dimension.{dim}", lang) if dim in DIMENSIONS else dim


def status_label(status: str, lang: str = "id") -> str:
    """The status as a person reads it; an unrecognised one reads as unknown."""
    return t(f"status.{status if status in STATUSES else 'unknown'}", lang)


def section_label(key: str, lang: str = "id") -> str:
    """A section key ("costs", "summary", or "fields": the front matter) as a heading; an
    unrecognised key stays as it is."""
    return t(f"section.{key}", lang) if key in ("summary", "fields") or key in SECTION_BY_KEY else key
