"""Revisions of the practice records (issue 13 §2): every save kept with who, when, why and the
full text; the file replaced atomically; an edit based on an older revision refused with the
difference; restore; changes made outside the app recorded; a save killed -9 leaves the previous
revision intact. On SQLite and on a real PostgreSQL."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from rujukan.config import REPO_ROOT
from rujukan.practices import load_knowledge
from rujukan.revisions import OUTSIDE, EditRefused, RevisionStore, digest

RECORD = "bank-sampah"


@pytest.fixture
def practices(tmp_path):
    folder = tmp_path / "knowledge" / "practices"
    shutil.copytree(REPO_ROOT / "knowledge" / "practices", folder)
    return folder


def edited(text: str, words: str = "Catatan Rujukan: kalimat uji yang baru [1].") -> str:
    return text.replace("## Hasil\n", f"## Hasil\n\n{words}\n", 1)


def test_history_starts_with_the_file_as_it_is(state_target, practices):
    store = RevisionStore(state_target, practices)
    [first] = store.history(RECORD)
    assert first.number == 1 and first.author == OUTSIDE and first.text == (practices / f"{RECORD}.md").read_text(encoding="utf-8")
    assert store.history(RECORD) == [first]  # read again: nothing new


def test_a_save_writes_the_file_and_keeps_the_revision(state_target, practices):
    store = RevisionStore(state_target, practices)
    base = store.latest(RECORD)
    new_text = edited(base.text)
    saved = store.save(RECORD, new_text, "Ani (Diskominfo)", "tambah hasil 2024", base=base.number)
    assert saved.number == 2 and (saved.author, saved.reason) == ("Ani (Diskominfo)", "tambah hasil 2024")
    assert (practices / f"{RECORD}.md").read_text(encoding="utf-8") == new_text
    assert [r.number for r in RevisionStore(state_target, practices).history(RECORD)] == [1, 2]  # kept in the database
    assert "+Catatan Rujukan: kalimat uji yang baru [1]." in store.diff(RECORD, 1, 2)
    kb = load_knowledge(practices)
    assert not kb.problems and "kalimat uji yang baru" in kb.get(RECORD).section("results").text
    assert store.save(RECORD, new_text, "Ani", "lagi", base=2).number == 2  # the same text: no new revision


def test_an_invalid_record_is_refused_field_by_field_and_nothing_is_written(state_target, practices):
    store = RevisionStore(state_target, practices)
    base = store.latest(RECORD)
    before = (practices / f"{RECORD}.md").read_bytes()
    broken = base.text.replace("status: unknown", "status: maybe").replace("dimensions: [", "dimensions: [nonsense, ")
    with pytest.raises(EditRefused) as caught:
        store.save(RECORD, broken, "Ani", "salah", base=base.number)
    fields = {p.field for p in caught.value.problems}
    assert {"status", "dimensions"} <= fields, caught.value.problems
    assert (practices / f"{RECORD}.md").read_bytes() == before and len(store.history(RECORD)) == 1


def test_the_second_of_two_edits_from_the_same_revision_is_refused_with_the_difference(state_target, practices):
    first, second = RevisionStore(state_target, practices), RevisionStore(state_target, practices)  # two curators
    base = first.latest(RECORD).number
    text = first.latest(RECORD).text
    first.save(RECORD, edited(text, "Catatan Rujukan: suntingan pertama [1]."), "Ani", "pertama", base=base)
    with pytest.raises(EditRefused, match="changed since revision 1") as caught:
        second.save(RECORD, edited(text, "Catatan Rujukan: suntingan kedua [1]."), "Budi", "kedua", base=base)
    assert "+Catatan Rujukan: suntingan pertama [1]." in caught.value.conflict and "Ani" in caught.value.conflict
    assert "suntingan kedua" not in (practices / f"{RECORD}.md").read_text(encoding="utf-8")  # no lost update
    assert [r.author for r in first.history(RECORD)] == [OUTSIDE, "Ani"]


def test_restore_makes_an_earlier_revision_the_latest(state_target, practices):
    store = RevisionStore(state_target, practices)
    original = store.latest(RECORD)
    store.save(RECORD, edited(original.text), "Ani", "ubah", base=1)
    restored = store.restore(RECORD, 1, "Budi")
    assert restored.number == 3 and restored.text == original.text and "restored revision 1" in restored.reason
    assert (practices / f"{RECORD}.md").read_text(encoding="utf-8") == original.text


def test_a_change_made_outside_the_app_is_recorded_before_the_next_edit(state_target, practices):
    store = RevisionStore(state_target, practices)
    store.history(RECORD)
    path = practices / f"{RECORD}.md"
    outside = edited(path.read_text(encoding="utf-8"), "Catatan Rujukan: diubah lewat git [1].")
    path.write_text(outside, encoding="utf-8")
    history = store.history(RECORD)
    assert [(r.number, r.author) for r in history] == [(1, OUTSIDE), (2, OUTSIDE)] and history[-1].digest == digest(outside)
    with pytest.raises(EditRefused, match="changed since revision 1"):  # an edit started before the outside change
        store.save(RECORD, edited(history[0].text), "Ani", "lama", base=1)


def test_a_new_record_is_saved_with_no_base(state_target, practices):
    store = RevisionStore(state_target, practices)
    text = (practices / f"{RECORD}.md").read_text(encoding="utf-8").replace(f"id: {RECORD}", "id: bank-sampah-baru", 1)
    saved = store.save("bank-sampah-baru", text, "Ani", "praktik baru", base=None)
    assert saved.number == 1 and (practices / "bank-sampah-baru.md").exists()
    assert "bank-sampah-baru" in load_knowledge(practices).by_id()


def test_who_and_why_are_required_and_ids_are_checked(state_target, practices):
    store = RevisionStore(state_target, practices)
    text = store.latest(RECORD).text
    with pytest.raises(EditRefused, match="author"):
        store.save(RECORD, edited(text), " ", "alasan", base=1)
    with pytest.raises(EditRefused, match="reason"):
        store.save(RECORD, edited(text), "Ani", "", base=1)
    with pytest.raises(EditRefused, match="not a practice id"):
        store.save("../../etc/passwd", text, "Ani", "x", base=None)


SAVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from rujukan.revisions import RevisionStore
    target, folder = sys.argv[1], Path(sys.argv[2])
    target = target if "://" in target else Path(target)
    store = RevisionStore(target, folder)
    print("ready", flush=True)
    n = 0
    while True:
        latest = store.latest("bank-sampah")
        n += 1
        text = latest.text.replace("## Hasil\\n", f"## Hasil\\n\\nCatatan Rujukan: simpan ke-{n} [1].\\n", 1)
        saved = store.save("bank-sampah", text, "uji", f"simpan {n}", base=latest.number)
        print(saved.number, flush=True)
""")


def test_a_save_killed_9_leaves_the_previous_revision_and_a_valid_file(state_target, practices):
    """Kill the saving process at random moments: the file is always a valid record, every revision
    reported saved is kept, and the file equals the latest revision (or is recorded as one)."""
    import random

    rng = random.Random(13)
    target = str(state_target)
    trials, reported = 12, []
    for _trial in range(trials):
        proc = subprocess.Popen([sys.executable, "-c", SAVER, target, str(practices)], stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT,
                                env={**os.environ})
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        reported += [int(line) for line in out.split() if line.isdigit()]
        kb = load_knowledge(practices)
        assert not kb.problems and RECORD in kb.by_id()  # never a half-written file
    store = RevisionStore(state_target, practices)
    history = store.history(RECORD)
    numbers = [r.number for r in history]
    assert numbers == list(range(1, len(numbers) + 1)) and set(reported) <= set(numbers)
    assert history[-1].digest == digest((practices / f"{RECORD}.md").read_text(encoding="utf-8"))
    print(f"kill -9 during saves ({'postgresql' if '://' in target else 'sqlite'}): {trials} trials, {len(reported)} saves reported, "
          f"{len(set(reported) - set(numbers))} lost, {len(numbers)} revisions, file valid every time")


def test_the_command_line_saves_lists_diffs_and_restores(practices, tmp_path):
    env = {**os.environ, "RUJUKAN_KNOWLEDGE_DIR": str(practices.parent), "RUJUKAN_STATE_DIR": str(tmp_path / "state")}

    def rujukan(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "rujukan", "practice", *args], capture_output=True, text=True, env=env, cwd=REPO_ROOT,
                              timeout=120)

    draft = tmp_path / f"{RECORD}.md"
    draft.write_text(edited((practices / f"{RECORD}.md").read_text(encoding="utf-8")), encoding="utf-8")
    done = rujukan("save", str(draft), "--author", "Ani", "--reason", "tambah hasil", "--base", "1")
    assert done.returncode == 0 and "revision 2" in done.stderr, done.stderr
    again = rujukan("save", str(draft), "--author", "Budi", "--reason", "dari revisi lama", "--base", "1")
    assert again.returncode == 1 and "changed since revision 1" in again.stderr and "Ani" in again.stdout  # the conflict, shown
    broken = tmp_path / "rusak.md"
    broken.write_text(draft.read_text(encoding="utf-8").replace("status: unknown", "status: maybe"), encoding="utf-8")
    bad = rujukan("save", str(broken), "--id", RECORD, "--author", "Ani", "--reason", "x", "--base", "2")
    assert bad.returncode == 1 and "  status:" in bad.stderr
    history = rujukan("history", RECORD).stdout.splitlines()
    assert [line.split("\t")[0] for line in history] == ["1", "2"] and history[1].split("\t")[2:] == ["Ani", "tambah hasil"]
    assert "+Catatan Rujukan: kalimat uji yang baru [1]." in rujukan("diff", RECORD, "1", "2").stdout
    restored = rujukan("restore", RECORD, "1", "--author", "Budi")
    assert restored.returncode == 0 and "as revision 3" in restored.stderr
    assert "kalimat uji yang baru" not in (practices / f"{RECORD}.md").read_text(encoding="utf-8")


def test_marking_a_record_checked_says_who_when_and_against_which_sources(state_target, practices):
    import datetime as dt

    store = RevisionStore(state_target, practices)
    done = store.mark_checked(RECORD, "ani@kedirikota.test", [1], today=dt.date(2026, 12, 3))
    assert done.number == 2 and done.reason == "checked against sources [1]"
    record = load_knowledge(practices).get(RECORD)
    assert (record.last_verified, record.verified_by, record.verified_against) == ("2026-12-03", "ani@kedirikota.test", (1,))
    diff = store.diff(RECORD, 1, 2)
    changed = [line[0] for line in diff.splitlines()[2:] if line.startswith(("+", "-"))]
    assert sorted(changed) == ["+", "+", "+", "-"]  # only the verification lines change
    with pytest.raises(EditRefused, match="Choose the source"):
        store.mark_checked(RECORD, "ani@kedirikota.test", [])
    with pytest.raises(EditRefused) as caught:
        store.mark_checked(RECORD, "ani@kedirikota.test", [7])  # the record has one source
    assert [p.field for p in caught.value.problems] == ["verified_against"]
