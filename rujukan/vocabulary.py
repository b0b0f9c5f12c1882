"""Fixed vocabularies of the practice record: dimensions, statuses, body sections."""

from __future__ import annotations

#: The six smart-city dimensions (pilar) of Gerakan Menuju 100 Smart City: id -> (Indonesian, English).
DIMENSIONS: dict[str, tuple[str, str]] = {
    "governance": ("Smart Governance (tata kelola)", "Smart Governance"),
    "branding": ("Smart Branding (citra daerah)", "Smart Branding"),
    "economy": ("Smart Economy (ekonomi)", "Smart Economy"),
    "living": ("Smart Living (kualitas hidup)", "Smart Living"),
    "society": ("Smart Society (masyarakat)", "Smart Society"),
    "environment": ("Smart Environment (lingkungan)", "Smart Environment"),
}

STATUSES: dict[str, tuple[str, str]] = {
    "running": ("berjalan", "running"),
    "ended": ("berakhir", "ended"),
    "unknown": ("tidak diketahui", "unknown"),
}

#: Body sections in their required order: heading -> (key, English label, required).
SECTIONS: dict[str, tuple[str, str, bool]] = {
    "Masalah": ("problem", "Problem", True),
    "Yang dilakukan": ("what", "What was done", True),
    "Riwayat": ("history", "History", False),
    "Tahapan": ("stages", "Stages", False),
    "Biaya dan sumber daya": ("costs", "Costs and resources", False),
    "Hasil": ("results", "Results", True),
    "Pelajaran": ("lessons", "Lessons and pitfalls", False),
    "Cara mereplikasi": ("replicate", "How to replicate", False),
}

SECTION_BY_KEY: dict[str, str] = {key: heading for heading, (key, _, _) in SECTIONS.items()}

#: What an unknown section or field says, in the record and in the app.
UNKNOWN_TEXT = "Tidak diketahui."
UNKNOWN_LABEL = {"id": "tidak diketahui", "en": "unknown"}


def dimension_label(dim: str, lang: str = "id") -> str:
    names = DIMENSIONS.get(dim)
    return names[0 if lang == "id" else 1] if names else dim


def section_label(key: str, lang: str = "id") -> str:
    if key == "summary":
        return "Ringkasan" if lang == "id" else "Summary"
    heading = SECTION_BY_KEY.get(key, key)
    if lang == "id" or heading not in SECTIONS:
        return heading
    return SECTIONS[heading][1]
