"""The source article the shipped graph is drawn from (``hpkg/graph/sources/``): the copy is the one received.

The evidence quotes are checked against this copy (``test_graph_data.py``); here the copy itself is checked:
its SHA-256 is the one its README records, and the one of the project's shared seed when that is beside the
checkout.
"""

from __future__ import annotations

import hashlib
import re

import pytest

from ..conftest import SEED, SHARED, SHIPPED

README = SHIPPED / "sources" / "README.md"
SHARED_SEED = SHARED / "seeds" / SEED.name


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_seed_is_read_from_the_package():
    assert SEED.is_file() and SEED.parent.parent == SHIPPED
    assert SEED.read_text(encoding="utf-8").strip()


def test_the_readme_records_the_seed_checksum():
    recorded = re.findall(r"^([0-9a-f]{64})  (\S+)$", README.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert (sha256(SEED.read_bytes()), SEED.name) in recorded, recorded
    # every file the README gives a checksum for is there, with that checksum
    for digest, name in recorded:
        assert sha256((README.parent / name).read_bytes()) == digest, name


def test_the_seed_is_the_shared_one_byte_for_byte():
    if not SHARED_SEED.is_file():
        pytest.skip(f"{SHARED_SEED} is not here: nothing to compare the copy with")
    assert sha256(SEED.read_bytes()) == sha256(SHARED_SEED.read_bytes())
