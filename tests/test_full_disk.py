"""A really full disk under the state folder (issue 12 §3): a 2 MB tmpfs in a private mount namespace,
filled to the last byte. Saving says the disk is full and names the file; what was saved before is
still read; once space is freed, saving works again, and nothing committed was lost."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from rujukan.config import REPO_ROOT

MOUNT_SMALL_DISK = 'mount -t tmpfs -o size=2m tmpfs "$1" && shift && exec "$@"'

SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from rujukan.assessment import AssessmentStore
    from rujukan.errors import StateError
    from rujukan.feedback import FeedbackStore, new_session_id

    folder = Path(sys.argv[1])
    store, session = FeedbackStore(folder / "rujukan.sqlite3"), new_session_id()
    saved = [store.log_event(session, "search", f"pertanyaan {n}", 1, None, None, False) for n in range(50)]
    with open(folder / "filler", "wb") as filler:  # the disk fills up, as another program might fill it
        try:
            while True:
                filler.write(b"x" * 65536)
                filler.flush()
        except OSError:
            pass
    shown = {"saved": len(saved)}
    try:
        for n in range(200):  # until a page of the file can no longer grow
            saved.append(store.log_event(session, "search", "x" * 900 + str(n), 1, None, None, False))
        shown["refused"] = None
    except StateError as exc:
        shown["refused"], shown["reason"] = str(exc), exc.reason
    try:
        AssessmentStore(folder / "assessments.sqlite3")
        shown["new_store"] = None
    except StateError as exc:
        shown["new_store"] = str(exc)
    shown["read_while_full"] = int(store.top_questions(limit=1000)["count"].sum())
    (folder / "filler").unlink()
    saved.append(store.log_event(session, "search", "sesudah ruang dibebaskan", 1, None, None, False))
    ids = set(store.events_table()["id"])
    shown["lost"] = len([i for i in saved if i not in ids])
    shown["saved_in_all"] = len(saved)
    print(json.dumps(shown))
""")


def test_a_full_disk_is_named_reads_go_on_and_nothing_committed_is_lost(tmp_path):
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare for a small tmpfs")
    folder = tmp_path / "state"
    folder.mkdir()
    done = subprocess.run(["unshare", "-m", "sh", "-c", MOUNT_SMALL_DISK, "sh", str(folder), sys.executable, "-c", SCRIPT, str(folder)],
                          capture_output=True, text=True, cwd=REPO_ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["reason"] in ("full", "io") and str(folder / "rujukan.sqlite3") in shown["refused"], shown
    assert "full" in shown["refused"] or "disk" in shown["refused"]
    assert shown["new_store"] is None or str(folder) in shown["new_store"]  # a store opened on a full disk names its folder too
    assert shown["read_while_full"] >= 50  # what was saved is still read
    assert shown["lost"] == 0 and shown["saved_in_all"] >= 51  # every committed row is there, and saving works again (the last one)
