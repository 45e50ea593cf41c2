"""What the README and the docs tell a person to run exists: every `make` target, every
`manage.py` command, every test file named, and every `pytest` command line selects at
least one test."""

import re
import subprocess
import sys
from pathlib import Path

from django.core.management import get_commands

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TEXT = {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8") for path in DOCS}


def mentions(pattern):
    found = sorted(
        {(name, match) for name, text in TEXT.items() for match in re.findall(pattern, text)}
    )
    assert found, pattern  # the pattern still finds what it looks for
    return found


def test_every_make_target_named_exists():
    targets = set(re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(), re.MULTILINE))
    for name, target in mentions(r"`make ([a-z][a-z-]*)"):
        assert target in targets, f"{name} : make {target}"


def test_every_management_command_named_exists():
    commands = set(get_commands())
    for name, command in mentions(r"manage\.py ([a-z_]+)"):
        assert command in commands, f"{name} : manage.py {command}"


def test_every_test_file_named_exists():
    for name, path in mentions(r"(tests/[\w/]+\.py)"):
        assert (ROOT / path).is_file(), f"{name} : {path}"


@pytest.mark.parametrize("command", sorted({m for _, m in mentions(r"pytest ([^`\n]+)")}))
def test_every_pytest_command_shown_selects_tests(command):
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *command.split()],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^\d+ tests? collected", result.stdout, re.MULTILINE), result.stdout
