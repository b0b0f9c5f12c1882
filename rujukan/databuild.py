"""Build the tidy tables under data/ from the unchanged source copies in data/raw/.

Name-keyed tables (the BPS downloads and the Kaggle file) join the BPS region list only through
data/crosswalk.csv; a name without a crosswalk row, a region without a value row, or a region that
appears twice in one year stops the build with a message naming table, province and name. When
two sources give the same (region, indicator, year), the first in PRIORITY is kept and the others
must agree with it. The output is deterministic and written atomically.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from . import national_sources as national
from . import outlines
from .errors import ConflictError, DuplicateRegionError, JoinError, SourceFormatError
from .formats import write_atomically
from .national_sources import name_key, parse_number, source_text
from .regions import FILES, KEDIRI, REGION_COUNT, USER_SOURCE
from .vocabulary import DIMENSIONS

YEARS = range(2020, 2025)
JATENG = "33"

#: Every raw file the build reads, with the SHA-256 of the copy (PROVENANCE.md); edits are refused.
RAW_FILES: dict[str, str] = {
    "edwardsamuel_regencies.csv": "4276befd72e1fb6450a1939532de0752f1f1078225ee987da70368d7c6a797c2",
    "edwardsamuel_provinces.csv": "ef949df33d6c499bc296b314c3cfc7d553e65740bb1c0cc6a8dde3328a870b35",
    "kaggle_klasifikasi_kemiskinan_kabkota_2021.csv": "514300b389aea0a542e17780e0d8a6726bb3157b3b174b21a70b327d01b2f6c9",
    "syfdnnn_kemiskinan_jateng_2020_2025.csv": "1b2785e38361d98f3a43ba1935d7d75ffaa49b66f1cf4269da0ab5c6d4754303",
    "tauradavin_ipm_2020.csv": "8f9ffd4c3172380e917222f5dce44a271a99ad73ad3a8d204b5ec50d81fe7ed5",
    "tauradavin_ipm_2021.csv": "e4362acd7749b2bbc08dc0ecd9679b63be51f2c0a83bdb02641200a85567f3ec",
    "tauradavin_ipm_2022.csv": "d5b42dc335dc911e9f0df0c4b86e2d1170863a1e47d3e86d432b74d1ad022ea8",
    "tauradavin_ipm_2023.csv": "c5683509430114474b3f633481c7268cf73304e780524e86edc4b03d0c4e7304",
    "tauradavin_ipm_2024.csv": "1b4652f207d9c01a0a9949a2ebcdebb9784c17eac7c8446d7b550ee52e92a9fc",
    "tauradavin_miskin_2020.csv": "d4aa07305549e76a9fe5c6383a366ed2c4f2bfda021454db9cabf989014870ec",
    "tauradavin_miskin_2021.csv": "a73b2461dc77b5dbb428715668e904172f93971d829dd6fea2bf2e702345c382",
    "tauradavin_miskin_2022.csv": "b653b63979f28a67cb5ad4f8309a58cec7b2064a320abbad5721b5d00129ed8c",
    "tauradavin_miskin_2023.csv": "415a70be090e23083869ab82a3f093eda90764278a6f94cbf013906244d9c751",
    "tauradavin_miskin_2024.csv": "69486e400c654db080d8f5ff939d35fefbb9d83a164bf3e6c8fdd3d77a8c998f",
    national.POPULATION_FILE: "80e37caa6850412e099ae7afb0fce60109ac1c929e49ae56c62b678a6160a173",
    national.POPULATION_RDA: "7d339184356254842df4b5559a7d2775e73e8c65fdd42a51af52d59bc9c23d42",
    national.AREA_FILE: "3ffd506eaabaa2bfa101fb24c5e40582cf9548be38adba53a561d0ed7478c043",
    national.BRIDGE_FILE: "e174585339042675a5d255889cf6d37dc1d1ef001fb47d90f0af7bd597b78fe5",
    national.DAPOER_FILE: "97b95e9f94e767da3efd7538ca21975982f40960aa94492ea6f8b0e293cd7096",
    outlines.NATIONAL_FOLDER: "4f1a7c6a68d20d80eb1e523e7cc589157c6e3104d16ad403b851e98abaa9f86c",  # a folder: the digest of its files' digests (raw_digest)
}

#: Name-keyed tables: crosswalk table id -> (indicator, file name pattern or None for the Kaggle file).
BPS_TABLES = {"tauradavin_ipm": ("ipm", "tauradavin_ipm_{year}.csv"), "tauradavin_miskin": ("poverty", "tauradavin_miskin_{year}.csv")}
KAGGLE = "kaggle_2021"
DAPOER = "dapoer_2019"
SP2020 = "bps_sp2020"
BIG = "big_2024"
#: Figures Rujukan computes from two others; each has its own source row that names the formula.
DENSITY = "rujukan_density"
GRDP_PER_HEAD = "rujukan_grdp_per_head"
KAGGLE_FILE = "kaggle_klasifikasi_kemiskinan_kabkota_2021.csv"
KAGGLE_YEAR = 2021
#: Kaggle header -> indicator (None: not used; the label is the Kaggle author's, not BPS's).
KAGGLE_COLUMNS = {
    "Provinsi": "province",
    "Kab/Kota": "name",
    "Persentase Penduduk Miskin (P0) Menurut Kabupaten/Kota (Persen)": "poverty",
    "Rata-rata Lama Sekolah Penduduk 15+ (Tahun)": "rls",
    "Pengeluaran per Kapita Disesuaikan (Ribu Rupiah/Orang/Tahun)": "expenditure",
    "Umur Harapan Hidup (Tahun)": "uhh",
    "Persentase rumah tangga yang memiliki akses terhadap sanitasi layak": "sanitation",
    "Persentase rumah tangga yang memiliki akses terhadap air minum layak": "drinking_water",
    "Tingkat Pengangguran Terbuka": "tpt",
    "Klasifikasi Kemiskinan": None,
}
SYFDNNN = "syfdnnn_jateng"
SYFDNNN_FILE = "syfdnnn_kemiskinan_jateng_2020_2025.csv"
SYFDNNN_COLUMNS = {
    "persentase_penduduk_miskin": "poverty",
    "uhh": "uhh",
    "hls": "hls",
    "rls": "rls",
    "pengeluaran_per_kapita_disesuaikan": "expenditure",
    "tpt": "tpt",
}
SYFDNNN_YEARS = range(2020, 2026)

#: Which source wins when two give the same (region, indicator, year): the national table first,
#: then the all-region 2021 table, then the Jawa Tengah series. The others must agree with it.
PRIORITY = ("tauradavin_ipm", "tauradavin_miskin", KAGGLE, SYFDNNN, SP2020, BIG, DENSITY, DAPOER, GRDP_PER_HEAD)
TOLERANCE = 1e-9

#: Row caveats mark a point that is not like the others in its series; source-wide caveats live in sources.csv.
UHH_BREAK = (
    "series break 2023→2024: from 2024 life expectancy is on a different basis (SP2020 long form, it appears) "
    "for some regions and no longer matches the IPM series; do not compare with 2023 and earlier"
)
PRELIMINARY = "2025 figure may be preliminary"


@dataclass(frozen=True)
class Indicator:
    id: str
    name_id: str
    name_en: str
    unit: str
    higher_is_better: bool | None  # None: neither (a size: population, area), written as an empty cell
    source: str
    caveats: str
    low: float  # plausible range: a value outside it means a parsing mistake (e.g. a decimal separator)
    high: float


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "ipm", "Indeks Pembangunan Manusia (IPM)", "Human Development Index (IPM)", "indeks (0–100)", True, "tauradavin_ipm",
        "BPS 'metode baru' series on the older, projection-based life expectancy; BPS's newer 'UHH LF SP2020' "
        "series is higher, so do not mix the two. Papua regencies listed twice in the source are counted once (see crosswalk.csv).",
        10, 100,
    ),
    Indicator(
        "poverty", "Persentase penduduk miskin (P0)", "Poverty rate (P0)", "% penduduk", False, "tauradavin_miskin;syfdnnn_jateng",
        "Share of the population below the poverty line. Jawa Tengah 2025 comes from the BPS Jawa Tengah tables "
        "(SYFDNNN copy) and may be preliminary.",
        0, 100,
    ),
    Indicator(
        "rls", "Rata-rata lama sekolah (RLS)", "Mean years of schooling", "tahun", True, "kaggle_2021;syfdnnn_jateng",
        "IPM component, population aged 25+. 2021 for every region from the Kaggle table, whose header says '15+' "
        "but whose values equal the 25+ IPM component for all 35 Jawa Tengah regions, so both are kept as one indicator. "
        "Other years: Jawa Tengah only.",
        0, 16,
    ),
    Indicator(
        "hls", "Harapan lama sekolah (HLS)", "Expected years of schooling", "tahun", True, "syfdnnn_jateng",
        "IPM component. Jawa Tengah only (35 regions), 2020–2025.",
        0, 20,
    ),
    Indicator(
        "expenditure", "Pengeluaran per kapita disesuaikan", "Adjusted expenditure per head", "ribu Rp/orang/tahun", True,
        "kaggle_2021;syfdnnn_jateng",
        "IPM component, thousand rupiah per person per year, adjusted for purchasing power. 2021 for every region; "
        "Jawa Tengah 2020–2025.",
        1000, 40000,
    ),
    Indicator(
        "uhh", "Umur harapan hidup (UHH)", "Life expectancy at birth", "tahun", True, "kaggle_2021;syfdnnn_jateng",
        "IPM component. 2021 for every region (older projection basis). Jawa Tengah 2020–2025 has a series break "
        "2023→2024: do not read the jump as improvement; the IPM series keeps the older basis.",
        40, 90,
    ),
    Indicator(
        "sanitation", "Rumah tangga dengan sanitasi layak", "Households with adequate sanitation", "% rumah tangga", True,
        KAGGLE, "2021 only (Kaggle table, year inferred).", 0, 100,
    ),
    Indicator(
        "drinking_water", "Rumah tangga dengan air minum layak", "Households with safe drinking water", "% rumah tangga", True,
        KAGGLE, "2021 only (Kaggle table, year inferred).", 0, 100,
    ),
    Indicator(
        "tpt", "Tingkat pengangguran terbuka (TPT)", "Open unemployment rate", "% angkatan kerja", False,
        "kaggle_2021;syfdnnn_jateng", "Share of the labour force. 2021 for every region; Jawa Tengah 2020–2025.", 0, 100,
    ),
    Indicator(
        "population", "Jumlah penduduk (SP2020)", "Population (Census 2020)", "jiwa", None, SP2020,
        "BPS Sensus Penduduk 2020 count (September 2020), all 514 regions; not the yearly projection and not the Dukcapil register.",
        1_000, 20_000_000,
    ),
    Indicator(
        "area", "Luas wilayah", "Area", "km²", None, BIG,
        "Badan Informasi Geospasial's 2024 calculation for every region, joined through the BPS↔Kemendagri code bridge; "
        "local documents may differ by a few percent (Kota Kediri's own planning document says 63.404 km²).",
        1, 200_000,
    ),
    Indicator(
        "density", "Kepadatan penduduk", "Population density", "jiwa/km²", None, DENSITY,
        "Computed by Rujukan: SP2020 population ÷ BIG 2024 area (the census year is shown).", 0.01, 100_000,
    ),
    Indicator(
        "grdp", "PDRB atas dasar harga konstan 2010", "GRDP at constant 2010 prices", "juta Rp", None, DAPOER,
        "World Bank INDO-DAPOER 2019, with oil and gas. Left out as implausible for a whole regency (about a thousandth of "
        "its neighbours'): Malaka, Sabu Raijua and Malinau.",
        100_000, 10_000_000_000,
    ),
    Indicator(
        "grdp_per_head", "PDRB per kapita (harga konstan 2010)", "GRDP per head (constant 2010 prices)", "juta Rp/jiwa", True,
        GRDP_PER_HEAD,
        "Computed by Rujukan: INDO-DAPOER 2019 GRDP ÷ INDO-DAPOER 2019 population (the 2019 projection, not SP2020). "
        "Kota Kediri is an extreme outlier (third of 511 regions with a figure): shown as it is, never clipped. "
        "Not available for Buton Selatan, Buton Tengah and Muna Barat (no population in the source) nor for Malaka, Sabu Raijua "
        "and Malinau (their GRDP is left out as implausible).",
        2, 2_000,
    ),
    Indicator(
        "electricity", "Rumah tangga dengan akses listrik", "Households with electricity", "% rumah tangga", True, DAPOER,
        "World Bank INDO-DAPOER 2019.", 0, 100,
    ),
    Indicator(
        "water_access", "Rumah tangga dengan akses air (INDO-DAPOER)", "Households with water access (INDO-DAPOER)", "% rumah tangga", True,
        DAPOER, "World Bank INDO-DAPOER 2019; its definition is not BPS's 'air minum layak' (drinking_water), so the two are kept apart. "
        "Not available for Deiyai, Mamberamo Tengah and Puncak.", 0, 100,
    ),
    Indicator(
        "literacy", "Angka melek huruf penduduk 15+", "Literacy rate, age 15+", "% penduduk 15+", True, DAPOER,
        "World Bank INDO-DAPOER 2019.", 0, 100,
    ),
)

BPS = "BPS (Badan Pusat Statistik)"
#: Every source of the built tables. label_id and label_en are the short, honest names shown to
#: people (the briefing pack, the pages): who made the figures and how they reached us, from
#: data/SOURCES.md; a table title is quoted only where it is known as published.
SOURCES: tuple[tuple[str, ...], ...] = (
    # id, title, publisher, url, table, year, licence, caveats, label_id, label_en
    (
        "tauradavin_ipm", "[Metode Baru] Indeks Pembangunan Manusia (IPM) Menurut Kabupaten/Kota",
        f"{BPS}; copy in github.com/tauradavin/uas-visdat-2026",
        "https://www.bps.go.id/id/statistics-table/2/NDEzIzI=/-metode-baru-indeks-pembangunan-manusia.html",
        "Data/IPM 2020.csv … Data/IPM 2024.csv (commit 6f82eeb7)", "2020–2024",
        "BPS official statistics (cite 'Sumber: BPS'); the repository declares no licence",
        "Older-UHH basis; 26 Papua regencies listed under old and new provinces; no region codes (joined by crosswalk.csv).",
        "BPS, tabel \"[Metode Baru] Indeks Pembangunan Manusia (IPM) Menurut Kabupaten/Kota\", salinan di GitHub",
        "BPS, table \"[Metode Baru] Indeks Pembangunan Manusia (IPM) Menurut Kabupaten/Kota\", a copy on GitHub",
    ),
    (
        "tauradavin_miskin", "Persentase Penduduk Miskin (P0) Menurut Kabupaten/Kota (Persen)",
        f"{BPS}; copy in github.com/tauradavin/uas-visdat-2026",
        "https://www.bps.go.id/id/statistics-table/2/NjIxIzI=/persentase-penduduk-miskin-menurut-kabupaten-kota.html",
        "Data/Miskin 2020.csv … Data/Miskin 2024.csv (commit 6f82eeb7)", "2020–2024",
        "BPS official statistics (cite 'Sumber: BPS'); the repository declares no licence",
        "No region codes (joined by crosswalk.csv); Papua regencies listed under the new provinces.",
        "BPS, tabel \"Persentase Penduduk Miskin (P0) Menurut Kabupaten/Kota (Persen)\", salinan di GitHub",
        "BPS, table \"Persentase Penduduk Miskin (P0) Menurut Kabupaten/Kota (Persen)\", a copy on GitHub",
    ),
    (
        KAGGLE, "Klasifikasi Tingkat Kemiskinan di Indonesia (Kaggle dataset ermila/klasifikasi-tingkat-kemiskinan-di-indonesia)",
        "BPS figures compiled by a Kaggle author; copy in github.com/Abesttar/KlasifikasiKemiskinanDiIndonesia",
        "https://github.com/Abesttar/KlasifikasiKemiskinanDiIndonesia",
        "Klasifikasi Tingkat Kemiskinan di Indonesia.csv (commit 922124d1)", "2021 (inferred)",
        "none declared; the Kaggle licence could not be checked; the figures are BPS statistics",
        "Year not stated (inferred 2021: equals the 2021 P0 of every region); mixed decimal separators; "
        "RLS header says 15+ but values are the 25+ IPM component; the poverty label column is the Kaggle author's and is not used.",
        "Angka BPS yang dihimpun penulis dataset Kaggle ermila/klasifikasi-tingkat-kemiskinan-di-indonesia "
        "(judul tabel BPS tidak diketahui; tahun 2021 disimpulkan)",
        "BPS figures compiled by the author of the Kaggle dataset ermila/klasifikasi-tingkat-kemiskinan-di-indonesia "
        "(BPS table titles not known; year 2021 inferred)",
    ),
    (
        SYFDNNN, "Kemiskinan dan komponen IPM Jawa Tengah 2020–2025",
        "BPS Provinsi Jawa Tengah; compiled in github.com/SYFDNNN/Kemiskinan-Jawa-Tengah-2020-2025",
        "https://github.com/SYFDNNN/Kemiskinan-Jawa-Tengah-2020-2025",
        "data/processed/kemiskinan_jateng_2020_2025.csv (commit f1b163d3)", "2020–2025",
        "MIT (repository); figures from BPS Provinsi Jawa Tengah",
        "Jawa Tengah only; life expectancy series break 2023→2024; 2025 may be preliminary.",
        "Angka BPS Provinsi Jawa Tengah yang dihimpun di GitHub, SYFDNNN/Kemiskinan-Jawa-Tengah-2020-2025 (judul tabel BPS tidak diketahui)",
        "BPS Provinsi Jawa Tengah figures compiled on GitHub, SYFDNNN/Kemiskinan-Jawa-Tengah-2020-2025 (BPS table titles not known)",
    ),
    (
        "edwardsamuel", "Wilayah Administratif Indonesia: kabupaten/kota and provinces (BPS MFD/MBS)",
        "BPS; compiled in github.com/edwardsamuel/Wilayah-Administratif-Indonesia",
        "https://github.com/edwardsamuel/Wilayah-Administratif-Indonesia",
        "csv/regencies.csv, csv/provinces.csv (HEAD 92f52a0f)", "2018",
        "ODbL 1.0 (data); attribution BPS",
        "Pre-2022 provinces (34; no Papua Selatan/Tengah/Pegunungan/Barat Daya) and 2018 names "
        "(Toba Samosir, Mamuju Utara, Maluku Tenggara Barat).",
        "Daftar wilayah BPS (MFD/MBS, 2018) yang dihimpun di GitHub, edwardsamuel/Wilayah-Administratif-Indonesia",
        "BPS region list (MFD/MBS, 2018) compiled on GitHub, edwardsamuel/Wilayah-Administratif-Indonesia",
    ),
    (
        "kominfo_smart_city", "Evaluasi Gerakan Menuju 100 Smart City 2022: Kota Kediri",
        "Kominfo, letter B-1003/DJAI/AI.01.04/12/2022 (5 Dec 2022), as reported by nusadaily.com (29 Dec 2022)",
        "https://nusadaily.com/kota-kediri-duduki-posisi-ke-empat-tertinggi-se-jawa-timur-hasil-evaluasi-smart-city-2022",
        "", "2021–2022", "news report quoting official figures",
        "The environment score is not in the archived article; the maximum of the scale is not stated (likely 1–5).",
        "Evaluasi Gerakan Menuju 100 Smart City oleh Kominfo (surat B-1003/DJAI/AI.01.04/12/2022), "
        "menurut berita nusadaily.com 29 Desember 2022 (judul dokumen evaluasi tidak diketahui)",
        "Kominfo's evaluation of the 100 Smart City movement (letter B-1003/DJAI/AI.01.04/12/2022), "
        "as reported by nusadaily.com on 29 December 2022 (title of the evaluation not known)",
    ),
    (
        SP2020, "Sensus Penduduk 2020, penduduk per kabupaten/kota dan jenis kelamin (judul tabel BPS tidak diketahui)",
        "BPS; copy in the R package samplingin 1.1.1 (CRAN mirror github.com/cran/samplingin, data/pop_dt.rda)",
        "https://sensus.bps.go.id/main/index/sp2020", "data/pop_dt.rda (commit a60bf34c), read as its CSV copy", "2020",
        "MIT (package); figures from BPS",
        "Census count of September 2020; the 514 regions add up to the published 270,203,917. Not the yearly projection, "
        "not the Dukcapil register (which runs higher). The table's own title as published is not known.",
        "BPS (Sensus Penduduk 2020), salinan dalam paket R samplingin",
        "BPS (Census 2020), a copy in the R package samplingin",
    ),
    (
        BIG, "Luas wilayah per kabupaten/kota 2024 (judul dokumen tidak diketahui; perihal surat: Penghitungan Luas Wilayah di Seluruh Indonesia)",
        "Badan Informasi Geospasial, letter B-16.10/DIGD-BIG/IGD.04.04/12/2024 (16 Dec 2024); compiled in github.com/cahyadsn/wilayah",
        "https://github.com/cahyadsn/wilayah", "db/wilayah_luas.sql (snapshot b7ad440a)", "2024",
        "MIT (repository); figures from BIG",
        "Kemendagri codes (Kepmendagri 300.2.2-2138/2025), joined to BPS codes through the BPS↔Kemendagri bridge "
        "(github.com/zakiego/Kode-Wilayah-Administrasi-Indonesia-Relasi-BPS-Kemendagri, 2022), the Papua regions renumbered "
        "in 2022 by name; four codes that lost a trailing zero are restored. The letter's subject, as the file quotes it: "
        "'Penghitungan Luas Wilayah di Seluruh Indonesia'.",
        "Badan Informasi Geospasial, luas wilayah 2024 (surat B-16.10/DIGD-BIG/IGD.04.04/12/2024), dihimpun di GitHub cahyadsn/wilayah",
        "Badan Informasi Geospasial, areas 2024 (letter B-16.10/DIGD-BIG/IGD.04.04/12/2024), compiled on GitHub, cahyadsn/wilayah",
    ),
    (
        DENSITY, "Kepadatan penduduk: penduduk SP2020 ÷ luas BIG 2024", "computed by Rujukan from bps_sp2020 and big_2024", "", "",
        "2020 (population) / 2024 (area)", "", "A quotient of two sources of different years; the census year is given.",
        "Dihitung Rujukan: penduduk BPS (Sensus Penduduk 2020) ÷ luas Badan Informasi Geospasial 2024",
        "Computed by Rujukan: BPS population (Census 2020) ÷ Badan Informasi Geospasial area 2024",
    ),
    (
        DAPOER, "Indonesia Database for Policy and Economic Research (INDO-DAPOER), districts 2019",
        "World Bank; copy in github.com/nandazahriwibowo-debug/electricity-access-analysis (from the World Bank API, source 45)",
        "https://github.com/nandazahriwibowo-debug/electricity-access-analysis", "dapoer_district_2019.csv (commit 6649bed7)", "2019",
        "CC BY 4.0 (World Bank, as the repository's README states); the repository declares no licence",
        "Keyed by name and type (joined by crosswalk.csv); the repository author's polygon area and density are not used; "
        "population is the 2019 projection (SP2010 basis).",
        "World Bank INDO-DAPOER 2019 (CC BY 4.0), salinan di GitHub",
        "World Bank INDO-DAPOER 2019 (CC BY 4.0), a copy on GitHub",
    ),
    (
        GRDP_PER_HEAD, "PDRB per kapita: PDRB INDO-DAPOER 2019 ÷ penduduk INDO-DAPOER 2019", "computed by Rujukan from dapoer_2019", "", "",
        "2019", "", "Both figures from INDO-DAPOER 2019 (its population is the 2019 projection, not SP2020).",
        "Dihitung Rujukan: PDRB ÷ penduduk, keduanya World Bank INDO-DAPOER 2019 (CC BY 4.0)",
        "Computed by Rujukan: GRDP ÷ population, both World Bank INDO-DAPOER 2019 (CC BY 4.0)",
    ),
    (
        USER_SOURCE, "Figures uploaded by a user", "the user", "", "", "", "",
        "Not an official figure and not checked against official statistics.",
        "Angka unggahan pengguna (bukan angka resmi, tidak diperiksa)",
        "Figures uploaded by a user (not official, not checked)",
    ),
)

SMART_CITY_URL = SOURCES[5][3]
SMART_CITY_NOTE = "Kominfo evaluation, letter B-1003/DJAI/AI.01.04/12/2022 of 5 Dec 2022"
#: Kota Kediri's published smart-city evaluation (facts/kediri-practices.md §6): (year, measure, value, note).
SMART_CITY: tuple[tuple[int, str, float | None, str], ...] = (
    (2021, "index", 3.06, SMART_CITY_NOTE),
    (2022, "index", 3.31, SMART_CITY_NOTE + "; 4th in Jawa Timur, 22nd nationally"),
    (2022, "governance", 2.75, SMART_CITY_NOTE),
    (2022, "branding", 2.75, SMART_CITY_NOTE),
    (2022, "economy", 3.50, SMART_CITY_NOTE),
    (2022, "living", 3.33, SMART_CITY_NOTE),
    (2022, "society", 3.33, SMART_CITY_NOTE),
    (2022, "environment", None, "not published in the sources read (cut off in the archived article); left empty, not estimated"),
)


@dataclass(frozen=True)
class BuildReport:
    out_dir: Path
    regions: int
    values: int
    by_indicator: dict[str, dict[int, int]]  # indicator -> year -> rows
    agreements: int  # values given by a second source (or a second copy) that agreed with the kept one
    crosswalk_rows: int
    no_outline: tuple[str, ...]  # region names the outline source has no shape for
    files: tuple[Path, ...]
    seconds: float

    def summary(self) -> str:
        lines = [f"Built {self.regions} regions and {self.values} values in {self.seconds:.2f} s into {self.out_dir}."]
        for indicator, years in self.by_indicator.items():
            spans = ", ".join(f"{year}: {n}" for year, n in sorted(years.items()))
            lines.append(f"  {indicator}: {spans}")
        lines.append(f"  outlines: {self.regions - len(self.no_outline)} regions; none in the source for {', '.join(self.no_outline)}")
        lines.append(f"  {self.agreements} values also given by a second source or copy, all equal; {self.crosswalk_rows} crosswalk rows used.")
        return "\n".join(lines)


# --------------------------------------------------------------------------- reading


def raw_digest(path: Path) -> str:
    """SHA-256 of a raw file; of a folder, SHA-256 of its files' sorted 'relative path, SHA-256' lines."""
    if path.is_dir():
        listing = "".join(
            f"{f.relative_to(path).as_posix()}\t{hashlib.sha256(f.read_bytes()).hexdigest()}\n" for f in sorted(path.rglob("*")) if f.is_file()
        )
        return hashlib.sha256(listing.encode()).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_raw(raw_dir: Path, check_hashes: bool) -> None:
    for name, expected in RAW_FILES.items():
        path = raw_dir / name
        if not path.exists():
            raise SourceFormatError(f"{path} is missing; copy it unchanged from shared/data/sources/ (see data/SOURCES.md)")
        if check_hashes:
            digest = raw_digest(path)
            if digest != expected:
                raise SourceFormatError(f"{path} has been changed: SHA-256 {digest[:12]}…, expected {expected[:12]}… — raw files are kept unchanged")


def _human(upper: str) -> str:
    """'KABUPATEN S I A K' -> 'Kabupaten Siak'; 'KABUPATEN TOLI-TOLI' -> 'Kabupaten Toli-Toli'."""
    words = re.sub(r"\b([A-Z]) (?=[A-Z]\b)", r"\1", upper.strip()).split()
    keep = {"DKI": "DKI", "DI": "DI", "DAN": "dan"}
    return " ".join(keep.get(w, "-".join(p.capitalize() for p in w.split("-"))) for w in words)


def read_regions(raw_dir: Path) -> list[dict[str, str]]:
    """The 514 kabupaten/kota of the BPS 2018 list, with human names and their province."""
    provinces = {}
    for line, row in enumerate(csv.reader(io.StringIO(source_text(raw_dir / "edwardsamuel_provinces.csv"))), start=1):
        if len(row) != 2 or not re.fullmatch(r"\d{2}", row[0]):
            raise SourceFormatError(f"edwardsamuel_provinces.csv: line {line}: expected 'code,NAME', got {row!r}")
        provinces[row[0]] = _human(row[1])
    regions: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(csv.reader(io.StringIO(source_text(raw_dir / "edwardsamuel_regencies.csv"))), start=1):
        if len(row) != 3 or not re.fullmatch(r"\d{4}", row[0]) or row[1] not in provinces:
            raise SourceFormatError(f"edwardsamuel_regencies.csv: line {line}: expected 'code,province code,NAME', got {row!r}")
        code, province_code, upper = row
        kind = "kota" if upper.startswith("KOTA ") else "kabupaten" if upper.startswith("KABUPATEN ") else ""
        if not kind or not code.startswith(province_code):
            raise SourceFormatError(f"edwardsamuel_regencies.csv: line {line}: {upper!r} ({code}) is not a KABUPATEN/KOTA of province {province_code}")
        if code in seen:
            raise DuplicateRegionError(f"edwardsamuel_regencies.csv: region {code} appears twice (lines {seen[code]} and {line})")
        seen[code] = line
        regions.append({"code": code, "name": _human(upper), "province_code": province_code, "province": provinces[province_code], "kind": kind})
    if len(regions) != REGION_COUNT:
        raise SourceFormatError(f"edwardsamuel_regencies.csv has {len(regions)} regions, expected {REGION_COUNT}")
    return sorted(regions, key=lambda r: r["code"])


@dataclass(frozen=True)
class Link:
    """One crosswalk row: a (table, province, name) as written in the source -> a BPS code."""

    line: int
    table: str
    province: str
    name: str
    code: str
    years: frozenset[int] | None  # the years this row carries the value; None = every year


def _years(text: str, line: int) -> frozenset[int] | None:
    if not text.strip():
        return None
    years: set[int] = set()
    for part in text.split(";"):
        match = re.fullmatch(r"\s*(\d{4})(?:\s*-\s*(\d{4}))?\s*", part)
        if not match:
            raise JoinError(f"crosswalk.csv line {line}: column years: {text!r} is not like 2020-2023 or 2024")
        first, last = int(match[1]), int(match[2] or match[1])
        years.update(range(first, last + 1))
    return frozenset(years)


def read_crosswalk(path: Path, codes: set[str]) -> dict[tuple[str, str, str], Link]:
    """Crosswalk rows keyed by (table, province, name), each checked against the region list."""
    rows = list(csv.reader(io.StringIO(source_text(path))))
    header = ["table", "province", "name", "code", "years", "note"]
    if not rows or rows[0] != header:
        raise JoinError(f"{path.name}: line 1: the header must be {','.join(header)}")
    links: dict[tuple[str, str, str], Link] = {}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise JoinError(f"{path.name}: line {line}: {len(row)} fields, expected {len(header)}")
        table, province, name, code, years, _ = row
        if table not in BPS_TABLES and table not in (KAGGLE, DAPOER):
            raise JoinError(f"{path.name}: line {line}: column table: unknown table {table!r}")
        if code not in codes:
            raise JoinError(f"{path.name}: line {line}: column code: {code!r} ({province} / {name}) is not a region code of edwardsamuel_regencies.csv")
        key = (table, province, name)
        if key in links:
            raise JoinError(f"{path.name}: lines {links[key].line} and {line}: {table} {province} / {name} is listed twice")
        links[key] = Link(line, table, province, name, code, _years(years, line))
    return links


@dataclass(frozen=True)
class Cell:
    """One value as read from a name-keyed table."""

    file: str
    line: int
    province: str
    name: str
    indicator: str
    year: int
    value: float | None  # None: '-' (not available)


def read_bps_table(path: Path, indicator: str, year: int) -> list[Cell]:
    """A BPS download: 3 header lines (title, indicator, year), then name,value; UPPERCASE names are provinces."""
    rows = list(csv.reader(io.StringIO(source_text(path))))
    if len(rows) < 4 or rows[2] != ["", str(year)]:
        raise SourceFormatError(f"{path.name}: line 3 must give the year {year}, got {rows[2] if len(rows) > 2 else 'nothing'}")
    cells, province = [], None
    for line, row in enumerate(rows[3:], start=4):
        if not row:
            continue
        if len(row) != 2:
            raise SourceFormatError(f"{path.name}: line {line}: expected 'name,value', got {row!r}")
        name, text = row[0].strip(), row[1].strip()
        if name == name.upper():
            province = name  # a province row (or INDONESIA): aggregates, not used
            continue
        if province is None:
            raise SourceFormatError(f"{path.name}: line {line}: {name!r} comes before any province row")
        value = None if text == "-" else parse_number(text, path.name, line, "value")
        cells.append(Cell(path.name, line, province, name, indicator, year, value))
    return cells


def read_kaggle(path: Path) -> list[Cell]:
    """The all-region table: ';'-separated, decimal comma or point, no codes, year inferred 2021."""
    rows = list(csv.reader(io.StringIO(source_text(path), newline=""), delimiter=";"))
    if not rows or [c.strip() for c in rows[0]] != list(KAGGLE_COLUMNS):
        raise SourceFormatError(f"{path.name}: line 1: the header is not the expected {len(KAGGLE_COLUMNS)} Kaggle columns")
    header = list(KAGGLE_COLUMNS.values())
    cells = []
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(header):
            raise SourceFormatError(f"{path.name}: line {line}: {len(row)} fields, expected {len(header)}")
        province, name = row[0].strip(), row[1].strip()
        for column, indicator, text in zip(KAGGLE_COLUMNS, header, row):
            if indicator in (None, "province", "name"):
                continue
            value = parse_number(text, path.name, line, column, decimal_comma=True)
            cells.append(Cell(path.name, line, province, name, indicator, KAGGLE_YEAR, value))
    return cells


def read_syfdnnn(path: Path, regions: dict[str, dict[str, str]]) -> list[tuple[str, str, int, float, int]]:
    """The Jawa Tengah series, keyed by BPS code: (code, indicator, year, value, line)."""
    rows = list(csv.DictReader(io.StringIO(source_text(path))))
    expected = ["kode_wilayah", "kabupaten_kota", "tahun", *SYFDNNN_COLUMNS]
    if not rows or list(rows[0]) != expected:
        raise SourceFormatError(f"{path.name}: line 1: the header must be {','.join(expected)}")
    out: list[tuple[str, str, int, float, int]] = []
    seen: dict[tuple[str, int], int] = {}
    for line, row in enumerate(rows, start=2):
        code, name, year_text = row["kode_wilayah"].strip(), row["kabupaten_kota"].strip(), row["tahun"].strip()
        if code not in regions:
            raise JoinError(f"{path.name}: line {line}: {name} has code {code!r}, not a region code of edwardsamuel_regencies.csv")
        if name_key(name) != name_key(regions[code]["name"]):
            raise JoinError(f"{path.name}: line {line}: code {code} is {regions[code]['name']} in the region list, but the file says {name!r}")
        if not re.fullmatch(r"\d{4}", year_text) or int(year_text) not in SYFDNNN_YEARS:
            raise SourceFormatError(f"{path.name}: line {line}: column tahun: {year_text!r} is not a year 2020–2025")
        year = int(year_text)
        if (code, year) in seen:
            raise DuplicateRegionError(f"{path.name}: {name} ({code}) appears twice for {year} (lines {seen[code, year]} and {line})")
        seen[code, year] = line
        for column, indicator in SYFDNNN_COLUMNS.items():
            out.append((code, indicator, year, parse_number(row[column], path.name, line, column), line))
    jateng = {c for c, r in regions.items() if r["province_code"] == JATENG}
    for year in SYFDNNN_YEARS:
        absent = sorted(jateng - {c for c, y in seen if y == year})
        if absent:
            names = ", ".join(f"{regions[c]['name']} ({c})" for c in absent)
            raise JoinError(f"{path.name}: {year}: no row for {names}")
    return out


# --------------------------------------------------------------------------- joining


Row = tuple[str, str, int, float | None]  # code, indicator, year, value (None: not available)


def join_names(
    table: str, cells: list[Cell], links: dict[tuple[str, str, str], Link], regions: dict[str, dict[str, str]]
) -> tuple[list[Row], int, set[tuple[str, str, str]]]:
    """Map a name-keyed table's cells to codes through the crosswalk, one row per region and year.

    Returns (code, indicator, year, value) rows, the number of duplicate copies that agreed, and
    the crosswalk keys used. Where a region is listed twice (Papua), the crosswalk's `years` say
    which copy carries the value; the other copy must be '-' or equal.
    """
    used: set[tuple[str, str, str]] = set()
    grouped: dict[tuple[str, int, str], list[tuple[Cell, Link]]] = defaultdict(list)
    for cell in cells:
        key = (table, cell.province, cell.name)
        link = links.get(key)
        if link is None:
            raise JoinError(f"{cell.file}: line {cell.line}: table {table}, province {cell.province}, name {cell.name!r} has no row in crosswalk.csv")
        used.add(key)
        grouped[(link.code, cell.year, cell.indicator)].append((cell, link))
    rows, agreed = [], 0
    for (code, year, indicator), found in sorted(grouped.items()):
        active = [(c, link) for c, link in found if link.years is None or year in link.years]
        if len(active) != 1:
            where = "; ".join(f"{c.province} / {c.name} ({c.file} line {c.line}, crosswalk line {link.line})" for c, link in found)
            what = "appears twice" if active else "has no crosswalk row carrying this year"
            error = DuplicateRegionError if active else JoinError
            raise error(f"table {table}, {year}: {regions[code]['name']} ({code}) {what}: {where}")
        cell, _ = active[0]
        for other, _ in found:
            if other is cell or other.value is None:
                continue
            if cell.value is None or abs(other.value - cell.value) > TOLERANCE:
                kept = "'-' (not available)" if cell.value is None else cell.value
                raise ConflictError(
                    f"table {table}, {year}: {regions[code]['name']} ({code}) is {kept} under {cell.province} "
                    f"but {other.value} under {other.province} ({other.file} line {other.line}); check crosswalk.csv years"
                )
            agreed += 1
        rows.append((code, indicator, year, cell.value))
    for indicator in sorted({c.indicator for c in cells}):
        for year in sorted({c.year for c in cells if c.indicator == indicator}):
            covered = {code for code, y, i in grouped if i == indicator and y == year}
            absent = sorted(set(regions) - covered)
            if absent:
                names = ", ".join(f"{regions[c]['name']} ({c})" for c in absent[:10])
                raise JoinError(f"table {table}, {indicator} {year}: {len(absent)} region(s) do not join: {names} — add them to crosswalk.csv")
    return rows, agreed, used


def _fmt(value: float | None) -> str:
    """Fixed formatting: up to 6 decimals, no trailing zeros ('79.59', '9700')."""
    if value is None:
        return ""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _caveat(source: str, indicator: str, year: int) -> str:
    notes = []
    if source == SYFDNNN and indicator == "uhh" and year >= 2024:
        notes.append(UHH_BREAK)
    if source == SYFDNNN and year == 2025:
        notes.append(PRELIMINARY)
    return "; ".join(notes)


# --------------------------------------------------------------------------- building


def build(raw_dir: Path, out_dir: Path, *, crosswalk: Path | None = None, check_hashes: bool = True) -> BuildReport:
    """Build regions, indicator values, indicators, sources and smart-city scores into `out_dir`.

    `crosswalk` defaults to crosswalk.csv beside raw_dir (data/crosswalk.csv). Nothing is
    written unless every check passes.
    """
    started = time.perf_counter()
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    crosswalk = Path(crosswalk) if crosswalk else raw_dir.parent / "crosswalk.csv"
    _check_raw(raw_dir, check_hashes)
    region_list = read_regions(raw_dir)
    regions = {r["code"]: r for r in region_list}
    links = read_crosswalk(crosswalk, set(regions))
    meta = {i.id: i for i in INDICATORS}

    candidates: list[tuple[str, str, int, float, str]] = []  # code, indicator, year, value, source
    used: set[tuple[str, str, str]] = set()
    agreements = 0
    for table, (indicator, pattern) in BPS_TABLES.items():
        cells = [cell for year in YEARS for cell in read_bps_table(raw_dir / pattern.format(year=year), indicator, year)]
        rows, agreed, keys = join_names(table, cells, links, regions)
        candidates += [(c, i, y, v, table) for c, i, y, v in rows if v is not None]
        agreements += agreed
        used |= keys
    rows, agreed, keys = join_names(KAGGLE, read_kaggle(raw_dir / KAGGLE_FILE), links, regions)
    candidates += [(c, i, y, v, KAGGLE) for c, i, y, v in rows if v is not None]
    agreements += agreed
    used |= keys
    candidates += [(c, i, y, v, SYFDNNN) for c, i, y, v, _ in read_syfdnnn(raw_dir / SYFDNNN_FILE, regions)]
    bridge = national.read_bridge(raw_dir, regions)
    national_rows, keys = _national(raw_dir, regions, links, bridge)
    geo = outlines.read_national_outlines(raw_dir, regions, bridge)
    candidates += national_rows
    used |= keys
    unused = sorted((link.line, key) for key, link in links.items() if key not in used)
    if unused:
        line, (table, province, name) = unused[0]
        raise JoinError(f"crosswalk.csv line {line}: table {table} has no region {province} / {name!r} ({len(unused)} unused crosswalk row(s))")

    kept: dict[tuple[str, str, int], tuple[float, str]] = {}
    for code, indicator, year, value, source in sorted(candidates, key=lambda c: PRIORITY.index(c[4])):
        spec = meta[indicator]
        if not spec.low <= value <= spec.high:
            raise SourceFormatError(
                f"{source}: {regions[code]['name']} ({code}) {indicator} {year} = {value} is outside {spec.low:g}–{spec.high:g}; "
                "check the decimal separator"
            )
        key = (code, indicator, year)
        if key in kept:
            first, first_source = kept[key]
            if abs(first - value) > TOLERANCE:
                raise ConflictError(f"{regions[code]['name']} ({code}) {indicator} {year}: {first_source} gives {first}, {source} gives {value}")
            agreements += 1
        else:
            kept[key] = (value, source)

    values = [
        [code, indicator, str(year), _fmt(value), source, _caveat(source, indicator, year)]
        for (code, indicator, year), (value, source) in sorted(kept.items())
    ]
    by_indicator: dict[str, dict[int, int]] = {i.id: {} for i in INDICATORS}
    for _code, indicator, year in sorted(kept):
        by_indicator[indicator][year] = by_indicator[indicator].get(year, 0) + 1
    tables = {
        "regions.csv": [[r[c] for c in FILES["regions.csv"]] for r in region_list],
        "indicator_values.csv": values,
        "indicators.csv": [[i.id, i.name_id, i.name_en, i.unit, _direction(i.higher_is_better), i.source, i.caveats] for i in INDICATORS],
        "sources.csv": [list(s) for s in SOURCES],
        "smart_city_scores.csv": _smart_city_rows(),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    files = tuple(_write(out_dir / name, FILES[name], rows) for name, rows in tables.items())
    files += (_write_text(out_dir / outlines.NATIONAL_FILE, json.dumps(geo, ensure_ascii=False, separators=(",", ":")) + "\n"),)
    return BuildReport(
        out_dir=out_dir,
        regions=len(region_list),
        values=len(values),
        by_indicator=by_indicator,
        agreements=agreements,
        crosswalk_rows=len(used),
        no_outline=tuple(regions[c]["name"] for c in outlines.no_outline(geo)),
        files=files,
        seconds=time.perf_counter() - started,
    )


def _national(
    raw_dir: Path, regions: dict[str, dict[str, str]], links: dict[tuple[str, str, str], Link], bridge: dict[str, tuple[str, str]]
) -> tuple[list[tuple[str, str, int, float, str]], set[tuple[str, str, str]]]:
    """Population, area and density for every region; INDO-DAPOER's GRDP, electricity, water and
    literacy, and GRDP per head where the source gives a population. Candidate rows, and the
    crosswalk keys the INDO-DAPOER join used."""
    population = national.read_population(raw_dir, regions)
    area = national.read_area(raw_dir, regions, bridge)
    rows: list[tuple[str, str, int, float, str]] = []
    for code in sorted(regions):
        rows.append((code, "population", national.POPULATION_YEAR, float(population[code]), SP2020))
        rows.append((code, "area", national.AREA_YEAR, area[code], BIG))
        rows.append((code, "density", national.POPULATION_YEAR, population[code] / area[code], DENSITY))
    cells = [
        Cell(national.DAPOER_FILE, line, province, name, measure, national.DAPOER_YEAR, value)
        for line, province, name, measure, value in national.read_dapoer(raw_dir)
    ]
    joined, _, keys = join_names(DAPOER, cells, links, regions)
    given = {(code, measure): value for code, measure, _, value in joined if value is not None}
    rows += [(code, measure, year, value, DAPOER) for code, measure, year, value in joined if value is not None and measure != "population_2019"]
    for code in sorted(regions):
        grdp, people = given.get((code, "grdp")), given.get((code, "population_2019"))
        if grdp is not None and people:
            rows.append((code, "grdp_per_head", national.DAPOER_YEAR, grdp / people, GRDP_PER_HEAD))
    return rows, keys


def _direction(higher_is_better: bool | None) -> str:
    return "" if higher_is_better is None else "true" if higher_is_better else "false"


def _smart_city_rows() -> list[list[str]]:
    order = ["index", *DIMENSIONS]
    rows = sorted(SMART_CITY, key=lambda r: (r[0], order.index(r[1])))
    return [[KEDIRI, str(year), measure, _fmt(value), SMART_CITY_URL, note] for year, measure, value, note in rows]


def _write(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> Path:
    """Write a CSV atomically."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return _write_text(path, buffer.getvalue())


def _write_text(path: Path, text: str) -> Path:
    return write_atomically(path, text.encode("utf-8"))


if __name__ == "__main__":  # python -m rujukan.databuild [data_dir]
    import sys

    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "data"
    print(build(data / "raw", data).summary())
