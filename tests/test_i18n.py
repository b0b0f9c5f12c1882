"""The one table of strings: every key the code uses exists in both languages, every key in the
table is used, and no screen keeps a table of its own."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from rujukan import answer, assessment, fields, regions, search, vocabulary
from rujukan.config import REPO_ROOT
from rujukan.i18n import TEXTS, t

SOURCES = sorted([REPO_ROOT / "app.py", *(REPO_ROOT / "views").glob("*.py"), *(REPO_ROOT / "rujukan").glob("*.py")])
KEY = re.compile(r"^([a-z_]+)\.([a-z0-9_]+)$")
FILE_NAME = re.compile(r"\.(csv|md|py|json|txt|sqlite3|docx|pdf|png)$")

#: Namespaces whose names are a vocabulary's ids, looked up as t(f"<namespace>.{id}"): exactly those ids.
VOCABULARIES: dict[str, set[str]] = {
    "dimension": set(vocabulary.DIMENSIONS),
    "status": set(vocabulary.STATUSES),
    "section": {"summary", "fields", *vocabulary.SECTION_BY_KEY},
    "field": set(fields.FIELDS),
    "notice": set(search.NOTICES),
    "scale": {str(level) for level in assessment.LEVELS},
    "institution": set(assessment.INSTITUTIONS),
    "institution_state": set(assessment.INSTITUTION_STATES),
    "gap_status": {"gap", "no_gap", "unknown", "not_assessed"},
    "prerequisites_from": {"record", "rujukan"},
    "followup": set(answer.FOLLOWUPS),
    "upload": set(regions.UPLOAD_PROBLEMS),
    "kind": {"kabupaten", "kota"},
    "measure": {"total", "per_head", "per_km2"},
    "health_part": {"model", "knowledge", "documents", "data", "index", "state"},
    "health_status": {"ok", "note", "problem"},
}


def _trees() -> dict[Path, ast.AST]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in SOURCES}


def _literal_keys() -> dict[str, list[str]]:
    """Every string constant of the form namespace.name whose namespace is in the table, and every
    first argument of t(...), with where it stands."""
    found: dict[str, list[str]] = {}
    for path, tree in _trees().items():
        for node in ast.walk(tree):
            where = f"{path.relative_to(REPO_ROOT)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.setdefault(first.value, []).append(where)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                match = KEY.match(node.value)
                if match and match.group(1) in TEXTS and not FILE_NAME.search(node.value) and path.name != "i18n.py":
                    found.setdefault(node.value, []).append(where)
    return found


def _dynamic_namespaces() -> dict[str, list[str]]:
    """Namespaces looked up with an f-string key: t(f"dimension.{dim}")."""
    found: dict[str, list[str]] = {}
    for path, tree in _trees().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                match = re.match(r"^([a-z_]+)\.$", str(node.values[0].value))
                if match and (match.group(1) in TEXTS or match.group(1) in VOCABULARIES):
                    found.setdefault(match.group(1), []).append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}")
    return found


def test_every_key_used_exists_in_both_languages():
    missing = {key: where for key, where in _literal_keys().items() if t(key, "id") == key or t(key, "en") == key}
    assert missing == {}


def test_keys_looked_up_by_vocabulary_are_exactly_that_vocabulary():
    dynamic = _dynamic_namespaces()
    assert set(dynamic) <= set(VOCABULARIES), f"add these namespaces to VOCABULARIES: {set(dynamic) - set(VOCABULARIES)}"
    for namespace, ids in VOCABULARIES.items():
        assert set(TEXTS.get(namespace, {})) == ids, namespace


def test_every_key_in_the_table_is_used():
    used = set(_literal_keys())
    dynamic = set(_dynamic_namespaces())
    unused = [f"{ns}.{name}" for ns, names in TEXTS.items() if ns not in dynamic for name in names if f"{ns}.{name}" not in used]
    assert unused == []
    assert dynamic == set(VOCABULARIES), f"vocabulary namespaces no code looks up: {set(VOCABULARIES) - dynamic}"


@pytest.mark.parametrize("namespace", sorted(TEXTS))
def test_both_languages_are_written_with_the_same_placeholders(namespace):
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for name, pair in TEXTS[namespace].items():
        assert len(pair) == 2 and all(isinstance(x, str) and x.strip() for x in pair), f"{namespace}.{name}"
        assert fields(pair[0]) == fields(pair[1]), f"{namespace}.{name}"


def test_no_screen_keeps_its_own_strings_or_picks_a_language_by_hand():
    offenders = []
    for path in SOURCES:
        if path.name == "i18n.py":
            continue
        source = path.read_text(encoding="utf-8")
        for pattern in (r"^(STRINGS|TEXTS)\b", r"\[\s*[01] if lang", r'"(id|en)":\s*"'):
            offenders += [f"{path.name}: {m.group(0)}" for m in re.finditer(pattern, source, re.MULTILINE)]
    assert offenders == []


def test_an_unknown_key_shows_itself_and_english_is_chosen_only_by_en():
    assert t("journey.no_such_key", "en") == "journey.no_such_key"
    assert t("nav.home", "en") == "Home" and t("nav.home", "id") == t("nav.home", "xx") == "Beranda"
    assert t("journey.current", "en", name="Kabupaten Tegal") == "Kabupaten Tegal's furthest stage"
