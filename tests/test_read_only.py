"""Read-only folders (issue 14 §3, §9), made truly read-only with a read-only bind mount in a
private mount namespace (root ignores file permissions): the index folder is never called damaged
or deleted, and a read-only state folder is read — saved assessments count, a brief is still
written — while saving is said to be off."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rujukan.assessment import AssessmentStore
from rujukan.config import REPO_ROOT

pytestmark = pytest.mark.model

MOUNT_READ_ONLY = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && shift && exec "$@"'


def read_only_run(folder: Path, argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """argv with `folder` read-only (for this process tree only)."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare for a read-only bind mount")
    return subprocess.run(["unshare", "-m", "sh", "-c", MOUNT_READ_ONLY, "sh", str(folder), *argv], capture_output=True, text=True,
                          env={**os.environ, **env}, cwd=REPO_ROOT, timeout=600)


def digests(folder: Path) -> dict[str, str]:
    return {str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(folder.rglob("*")) if f.is_file()}


def test_a_read_only_index_folder_is_said_to_be_read_only_and_left_untouched(ready, session_env):
    index = Path(session_env["RUJUKAN_INDEX_DIR"])
    before = digests(index)
    done = read_only_run(index, [sys.executable, "-m", "rujukan", "search", "dana RT"], session_env)
    assert done.returncode == 2 and f"The index folder {index} is read-only" in done.stderr, done.stderr[-2000:]
    assert "damaged" not in done.stderr and "Traceback" not in done.stderr
    assert digests(index) == before  # nothing deleted, nothing rebuilt


@pytest.fixture
def saved_state(tmp_path, session_env) -> dict[str, str]:
    state = tmp_path / "state"
    AssessmentStore(state / "assessments.sqlite3").save(
        "3328", "2026-11-30", {"governance": 2, "branding": 1, "economy": 2, "living": 3, "society": 2, "environment": 1}, {})
    return {**session_env, "RUJUKAN_STATE_DIR": str(state)}


def test_the_command_line_reads_a_read_only_state_folder_and_says_saving_is_off(ready, saved_state, tmp_path):
    state = Path(saved_state["RUJUKAN_STATE_DIR"])
    rec = read_only_run(state, [sys.executable, "-m", "rujukan", "recommend", "--region", "3328", "--json"], saved_state)
    assert rec.returncode == 0, rec.stderr[-2000:]
    assert json.loads(rec.stdout)["assessment"]["date"] == "2026-11-30"  # the saved assessment was read
    out = tmp_path / "brief.docx"
    brief = read_only_run(state, [sys.executable, "-m", "rujukan", "brief", "--region", "3328", "--practices", "prodamas-plus", "--out", str(out)],
                          saved_state)
    assert brief.returncode == 0 and out.stat().st_size > 10_000, brief.stderr[-2000:]
    assert "the visit was not recorded" in brief.stderr and "read-only" in brief.stderr


PAGE = textwrap.dedent("""
    import json, sys
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(sys.argv[1], default_timeout=300)
    at.query_params["region"] = "3328"
    at.run(); at.switch_page("views/penilaian.py"); at.run()
    shown = {"exceptions": [e.value for e in at.exception], "dates": list(at.selectbox(key="pm_pick").options)}
    at.select_slider(key="pm_score_governance").set_value(3)
    next(b for b in at.button if b.proto.form_id).click().run()  # the form's save button
    shown["after_save"] = [m.value for m in [*at.warning, *at.error]]
    shown["exceptions"] += [e.value for e in at.exception]
    print(json.dumps(shown))
""")


def test_the_self_assessment_page_shows_what_is_saved_in_a_read_only_folder(ready, saved_state):
    state = Path(saved_state["RUJUKAN_STATE_DIR"])
    done = read_only_run(state, [sys.executable, "-c", PAGE, str(REPO_ROOT / "app.py")], saved_state)
    assert done.returncode == 0, done.stderr[-3000:]
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["exceptions"] == []
    assert shown["dates"] == ["2026-11-30"], shown  # the saved assessment is listed
    assert any("Saving is off" in s.replace("\\\\", "") or "saving is off" in s.replace("\\\\", "").lower() for s in shown["after_save"]), shown
