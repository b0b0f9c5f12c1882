"""The ten-minute map stays true: README lists every module, documents every command the way the
command line takes it, and the documents and docstrings point only at files that exist."""

from __future__ import annotations

import ast
import io
import re
import shlex
import tokenize

import pytest

from rujukan.__main__ import build_parser
from rujukan.config import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def _documented_commands() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", _section("Command line"), re.DOTALL)
    assert block, "README's Command line section has no bash block"
    lines = [line.split("  #")[0].strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line.startswith("rujukan ")]


def test_the_layout_lists_every_module_and_screen():
    layout = _section("Layout")
    files = sorted(REPO_ROOT.glob("rujukan/*.py")) + sorted(REPO_ROOT.glob("views/*.py"))
    missing = [f"{f.parent.name}/{f.name}" for f in files if not re.search(rf"^\s+{re.escape(f.name)}\s", layout, re.MULTILINE)]
    assert missing == []


def test_every_command_is_documented():
    subcommands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    documented = {line.split()[1] for line in _documented_commands()}
    assert set(subcommands) == documented


@pytest.mark.parametrize("line", _documented_commands())
def test_each_documented_command_parses(line):
    args = build_parser().parse_args(shlex.split(line)[1:])
    assert callable(args.run)


@pytest.mark.parametrize("document", ["README.md", "CONTRIBUTING.md", "bench/README.md", "knowledge/README.md", "data/README.md"])
def test_documents_point_only_at_files_that_exist(document):
    text = (REPO_ROOT / document).read_text(encoding="utf-8")
    _assert_paths_exist(text, document)


def test_comments_and_docstrings_point_only_at_files_that_exist():
    for path in [*REPO_ROOT.glob("rujukan/*.py"), *REPO_ROOT.glob("views/*.py"), *REPO_ROOT.glob("bench/*.py")]:
        source = path.read_text(encoding="utf-8")
        comments = [tok.string for tok in tokenize.generate_tokens(io.StringIO(source).readline) if tok.type == tokenize.COMMENT]
        nodes = [n for n in ast.walk(ast.parse(source)) if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))]
        docstrings = [ast.get_docstring(n) or "" for n in nodes]
        _assert_paths_exist("\n".join(comments + docstrings), str(path.relative_to(REPO_ROOT)))


def _assert_paths_exist(text: str, where: str) -> None:
    """Paths like bench/README.md or data/programme/stages.csv (no wildcards or placeholders)."""
    pattern = r"(?<![\w/.-])((?:bench|knowledge|data|tests|views|rujukan|docs|notes)/[\w./-]*\w\.(?:md|py|csv|jsonl|json|sh|png))\b"
    missing = sorted({p for p in re.findall(pattern, text) if not (REPO_ROOT / p).exists()})
    assert missing == [], f"{where} points at files that do not exist"
