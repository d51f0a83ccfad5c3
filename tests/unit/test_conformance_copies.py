"""The conformance suites under ``tests/conformance/`` are unchanged copies of the project's shared references.

Every file of every folder ``tests/conformance/NAME/`` (but its README.md) must have the SHA-256 of
``../shared/conformance/NAME/`` at the same relative path; a folder added later is covered without touching
this test. Without ``../shared`` (a clone on its own, as users have it) there is nothing to compare with: skip.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ..conftest import CONFORMANCE, SHARED

ORIGINALS = SHARED / "conformance"


def copies() -> list[Path]:
    """Every copied file, relative to ``tests/conformance`` (README.md files are ours, not copies)."""
    return sorted(
        p.relative_to(CONFORMANCE)
        for folder in CONFORMANCE.iterdir() if folder.is_dir()
        for p in folder.rglob("*") if p.is_file() and p.name != "README.md"
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_there_are_copies_and_each_folder_says_where_they_come_from():
    folders = [f for f in CONFORMANCE.iterdir() if f.is_dir()]
    assert folders and copies()
    for folder in folders:
        readme = folder / "README.md"
        assert readme.is_file(), f"{folder.name}/ has no README.md (source, version and licence of the copy)"
        text = readme.read_text(encoding="utf-8").lower()
        for word in ("source", "version", "licen"):
            assert word in text, f"{folder.name}/README.md does not give the {word}"
        assert any(p.name != "README.md" for p in folder.rglob("*") if p.is_file()), f"{folder.name}/ is empty"


@pytest.mark.parametrize("rel", copies(), ids=str)
def test_copy_is_unchanged(rel: Path):
    if not ORIGINALS.is_dir():
        pytest.skip(f"{ORIGINALS} is not here: nothing to compare the copy with")
    original = ORIGINALS / rel
    assert original.is_file(), f"tests/conformance/{rel} has no original at {original}"
    assert sha256(CONFORMANCE / rel) == sha256(original), f"tests/conformance/{rel} differs from {original}"
