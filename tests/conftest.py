"""Shared fixtures and helpers of both layers (``tests/unit``, ``tests/integration``).

* Paths: the repository (``ROOT``), the shipped graph (``SHIPPED``, read through :func:`hpkg.project.shipped_root`,
  so it is the package's own copy), the seed article, the test fixtures and the conformance copies.
* ``built_store``: the shipped graph built and validated once per session.
* ``new_project``: a fresh project as ``hpkg init`` makes it, with only the files a test adds to it.
* ``cli``: the command line in this process (click's ``CliRunner``); ``cli_process``: ``python -m hpkg`` as a
  real subprocess, for the tests where the process itself is the point (exit codes, tracebacks, time-outs).

Both runners start outside any project (in the test's temporary folder, ``HPKG_HOME`` unset): the commands use
the graph shipped with hpkg, and the store (``.hpkg/store``) and the exports (``dist/``) land in that folder,
never in the checkout. A test that wants a project says so (``new_project``, ``HPKG_HOME``, ``--project``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

import hpkg
from hpkg.build import BuildReport, build
from hpkg.project import Project, find_root, init_project, shipped_only, shipped_root
from hpkg.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
TEST_DATA = TESTS / "data"
#: Unchanged copies of published conformance suites (each folder has a README with source, version, licence).
CONFORMANCE = TESTS / "conformance"
#: The project's shared inputs beside the checkout: only the checksum tests of the copies look at it.
SHARED = ROOT.parent / "shared"
#: The graph that ships with the package (``src/hpkg/graph``).
SHIPPED = shipped_root()
SEED = SHIPPED / "sources" / "000_60cf227c69ab6101.txt"

#: Variables that would point a command somewhere else than the test says.
HPKG_ENV = ("HPKG_HOME", "HPKG_STORE", "HPKG_BASE", "HPKG_UPDATE_TOKEN", "HPKG_UPDATE_URL", "HPKG_GSP_URL",
            "HPKG_SPARQL_TOKEN", "HPKG_SPARQL_USER", "HPKG_SPARQL_PASSWORD", "HPKG_SPARQL_AUTH",
            "HPKG_SPARQL_TIMEOUT", "HPKG_SPARQL_UNION_PARAM", "HPKG_SPARQL_HIDE_GRAPHS", "HPKG_LOAD_TRANSACTION_LIMIT",
            "HPKG_QUERY_TIMEOUT", "HPKG_MAX_RESULTS", "HPKG_MAX_BODY", "HPKG_QUERY_WORKERS")


#: The FIA reports' ~280k triples (``data/fia/``) are left out of every build the tests make, in this process and
#: in the commands they start, unless a test asks for them (``fia_project``, ``HPKG_SKIP_GRAPHS=""``).
os.environ["HPKG_SKIP_GRAPHS"] = "fia"


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to test another copy of hpkg than this checkout's (an editable install elsewhere, a wheel)."""
    here = Path(hpkg.__file__).resolve()
    if not here.is_relative_to(ROOT / "src"):
        raise pytest.UsageError(f"hpkg is imported from {here}, not from {ROOT / 'src'}: run with PYTHONPATH=src")


def shipped_project(cwd: Path | None = None) -> Project:
    """The shipped graph alone, as a command run outside any project sees it."""
    return shipped_only(cwd or ROOT)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def project(tmp_path_factory) -> Project:
    """The shipped graph alone (its store and exports would go to a temporary folder, never the checkout)."""
    return shipped_only(tmp_path_factory.mktemp("shipped"))


@pytest.fixture(scope="session")
def shipped_build(project) -> tuple[OxigraphStore, BuildReport]:
    """The shipped graph built and validated once for the session, and what the build reported (do not modify)."""
    store = OxigraphStore(None)
    return store, build(store, project=project, exports_dir=None)


@pytest.fixture(scope="session")
def built_store(shipped_build) -> OxigraphStore:
    """The shipped graph, built and validated once for the session (in memory; do not modify)."""
    return shipped_build[0]


#: Another base for the entity IRIs than the default ``https://w3id.org/hpkg/id/`` (``HPKG_BASE``).
OTHER_BASE = "http://example.org/other/"


@pytest.fixture(scope="session")
def other_base_build(project) -> tuple[OxigraphStore, BuildReport]:
    """The shipped graph built and validated under :data:`OTHER_BASE`, and the build's report (do not modify)."""
    store = OxigraphStore(None)
    return store, build(store, project=project, base=OTHER_BASE, exports_dir=None)


@pytest.fixture(scope="session")
def synthetic_store(tmp_path_factory):
    """Generated data with one injected violation of each kind, with the code lists and units it refers to.

    Yields ``(store, generate report)``; do not modify the store.
    """
    from hpkg.generate import generate

    d = tmp_path_factory.mktemp("synthetic")
    report = generate(d / "v.nt.gz", provinces=2, zones=4, projects=16, years=2, violations=1, seed=5)
    store = OxigraphStore(None)
    store.load_file(d / "v.nt.gz")
    for name in ("concepts.ttl", "units.ttl"):
        store.load_file(SHIPPED / "data" / name, base_iri="https://w3id.org/hpkg/id/")
    return store, report


def make_project(folder: Path, files: Mapping[str, str | bytes] | None = None) -> Path:
    """A project as ``hpkg init FOLDER`` makes it, plus ``files`` (path relative to the folder -> content)."""
    init_project(folder)
    for rel, content in (files or {}).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def new_project(tmp_path) -> Callable[..., Path]:
    """``new_project({"data/x.ttl": TEXT})``: a project under the test's temporary folder that extends the shipped graph."""

    def _make(files: Mapping[str, str | bytes] | None = None, *, name: str = "proj") -> Path:
        return make_project(tmp_path / name, files)

    return _make


@pytest.fixture(autouse=True, scope="session")
def _temporary_folders_are_outside_any_project(tmp_path_factory) -> None:
    base = tmp_path_factory.getbasetemp()
    found = find_root(base)
    if found is not None:
        pytest.exit(f"the temporary folder {base} is inside the hpkg project {found}: set --basetemp elsewhere")


# --------------------------------------------------------------------------- the command line, in this process


@dataclass
class Ran:
    """What a command run gave: exit code, standard output and standard error (bytes), like a subprocess."""

    returncode: int
    stdout: bytes
    stderr: bytes


def invoke(*args: str, cwd: Path, env: Mapping[str, str | None] | None = None,
           input: bytes | str | None = None) -> Ran:
    """Run ``hpkg ARGS`` in this process with click's ``CliRunner`` (in ``cwd``, ``HPKG_*`` unset unless given).

    An exception the command line did not turn into a message and an exit code is raised again, so the test
    fails with its traceback (a real run would print one).
    """
    from click.testing import CliRunner

    from hpkg.cli import main

    environment: dict[str, str | None] = dict.fromkeys(HPKG_ENV)
    environment.update(env or {})
    before = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), input=input, env=environment, catch_exceptions=True)
    finally:
        os.chdir(before)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout_bytes, result.stderr_bytes)


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., Ran]:
    """``cli('build')`` runs the command line in this process, in the test's temporary folder."""

    def _run(*args: str, **kw) -> Ran:
        return invoke(*args, cwd=kw.pop("cwd", tmp_path), **kw)

    return _run


# --------------------------------------------------------------------------- the command line, as a real process


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a ``python -m hpkg`` subprocess: this checkout's code first, ``HPKG_*`` unset unless given."""
    env = {k: v for k, v in os.environ.items() if k not in HPKG_ENV}
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")
    env.update(extra)
    return env


def run_cli(*args: str, cwd: Path, env: Mapping[str, str] | None = None, input: bytes | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``python -m hpkg ARGS`` as a real subprocess (the code under test, not an installed copy).

    ``env`` holds the variables to set on top of :func:`cli_env`.
    """
    return subprocess.run(
        [sys.executable, "-m", "hpkg", *args],
        cwd=cwd,
        env=cli_env(**(env or {})),
        input=input,
        capture_output=True,
        timeout=timeout,
    )


@pytest.fixture
def cli_process(tmp_path: Path):
    """``cli_process('build')`` runs the real command line as a subprocess in the test's temporary folder."""

    def _run(*args: str, **kw) -> subprocess.CompletedProcess:
        return run_cli(*args, cwd=kw.pop("cwd", tmp_path), **kw)

    return _run


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- a small synthetic file, and a broken copy of it

#: A small synthetic graph (hpkg generate), quick to load in the load and CLI tests.
SMALL = {"provinces": 2, "zones": 4, "projects": 40, "years": 3}


@pytest.fixture(scope="session")
def synth(tmp_path_factory) -> Path:
    """A small generated N-Triples file (gzipped), made once for the session."""
    from hpkg.generate import generate

    d = tmp_path_factory.mktemp("synth")
    generate(d / "s.nt.gz", **SMALL)
    return d / "s.nt.gz"


def quad_snapshot(store: OxigraphStore) -> list[str]:
    """Every quad of the store as sorted text: equal snapshots, equal stores."""
    return sorted(str(q) for q in store.quads())


def broken_copy(src: Path, dst: Path, line: int) -> int:
    """``src`` (gzipped N-Triples) with line ``line`` replaced by garbage, written to ``dst``; the number of lines."""
    import gzip

    lines = gzip.decompress(src.read_bytes()).splitlines(keepends=True)
    lines[line - 1] = b"<https://example.org/s> <https://example.org/p> this is not RDF .\n"
    data = b"".join(lines)
    dst.write_bytes(gzip.compress(data) if dst.suffix == ".gz" else data)
    return len(lines)
