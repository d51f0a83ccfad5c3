"""``python -m hpkg`` as a real process, where the process is the point: exit codes and no traceback, a
``--timeout`` that kills the worker, variables read at start-up, a module that is genuinely not installed.

The same commands in this process (click's ``CliRunner``) are in ``tests/unit/test_cli*.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from hpkg.store import OxigraphStore
from hpkg.store.bulk import default_graph_for

from ..conftest import SMALL, broken_copy, cli_env, quad_snapshot

BROKEN_TTL = '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open\n'


# --------------------------------------------------------------------------- errors: a message and exit 2, never a traceback

ERRORS = [
    # (arguments, files to write first, what stderr must say)
    (("--memory", "query", "SELECT * WHERE { ?s ?p }"), {}, ["SPARQL syntax error", "1:"]),
    (("--memory", "query", "no-such-query"), {}, ["unknown named query 'no-such-query'; known:"]),
    (("--memory", "query", "no-such-file.rq"), {}, ["no-such-file.rq"]),
    (("validate", "bad.ttl"), {"bad.ttl": '@prefix ex: <http://example.org/> .\nex:a ex:b "x .\n'}, ["bad.ttl:2:"]),
    (("--project", "proj", "build"), {"proj/hpkg.toml": "", "proj/data/zz-broken.ttl": BROKEN_TTL},
     ["zz-broken.ttl:3:"]),
    (("--project", "nowhere", "stats"), {}, ["not an hpkg project"]),
    (("serve", "--store", "missing", "--port", "1"), {}, ["no store at", "hpkg build"]),
    (("generate", "-o", "g.ttl"), {}, ["N-Triples"]),
]


@pytest.mark.parametrize(("args", "files", "messages"), ERRORS, ids=[" ".join(e[0]) for e in ERRORS])
def test_errors_exit_2_with_a_message_and_no_traceback(cli_process, tmp_path, args, files, messages):
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    r = cli_process(*args)
    err = r.stderr.decode()
    assert r.returncode == 2, err
    for m in messages:
        assert m in err, err
    assert "Traceback" not in err
    assert r.stdout == b""


# --------------------------------------------------------------------------- --timeout: the query runs in a worker process that is killed


def test_query_timeout_stops_the_query(cli_process, synth):
    assert cli_process("--store", "st", "load", str(synth)).returncode == 0
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    r = cli_process("--store", "st", "query", "--timeout", "1", slow)
    assert r.returncode == 2
    assert b"did not finish within 1 s" in r.stderr
    ok = cli_process("--store", "st", "query", "--timeout", "60", "--format", "csv",
                     "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://purl.org/linked-data/cube#Observation> }")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.split() == [b"n", str(10 * SMALL["zones"] * SMALL["years"]).encode()]
    bad = cli_process("--store", "st", "query", "--timeout", "5", "SELECT WHERE {")
    assert bad.returncode == 2 and b"error" in bad.stderr


# --------------------------------------------------------------------------- HPKG_LOAD_TRANSACTION_LIMIT, read when the process starts


@pytest.mark.parametrize("limit", ["0", str(1 << 30)], ids=["checked-bulk-load", "one-transaction"])
def test_cli_load_then_broken_file_leaves_store_as_it_was(cli_process, tmp_path, synth, limit):
    env = {"HPKG_LOAD_TRANSACTION_LIMIT": limit}
    r = cli_process("--store", "st", "load", str(synth), env=env)
    assert r.returncode == 0, r.stderr
    graph = default_graph_for(synth)
    assert f"into <{graph}>".encode() in r.stdout
    with OxigraphStore(tmp_path / "st", read_only=True) as s:
        before = quad_snapshot(s)
        assert s.graphs() == [graph]
    n = broken_copy(synth, tmp_path / "broken.nt.gz", 900)
    assert n > 900
    r = cli_process("--store", "st", "load", "broken.nt.gz", "--graph", graph, env=env)
    assert r.returncode == 2
    assert b"broken.nt.gz:900:" in r.stderr
    with OxigraphStore(tmp_path / "st", read_only=True) as s:
        assert quad_snapshot(s) == before


# --------------------------------------------------------------------------- a missing optional extra

#: Makes uvicorn genuinely unavailable to the process, as when the server extra is not installed: a ``None`` in
#: ``sys.modules`` makes ``import uvicorn`` raise ModuleNotFoundError and ``importlib.util.find_spec`` answer None.
HIDE_UVICORN = 'import sys\nsys.modules["uvicorn"] = None\n'


def test_regression_serve_without_server_extra_names_the_extra(tmp_path):
    """``hpkg serve`` without uvicorn must name the extra to install and exit 2, without a traceback."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(HIDE_UVICORN, encoding="utf-8")
    env = cli_env()
    env["PYTHONPATH"] = str(site) + os.pathsep + env["PYTHONPATH"]

    hidden = subprocess.run([sys.executable, "-c", "import uvicorn"], env=env, capture_output=True, cwd=tmp_path)
    assert hidden.returncode == 1 and b"ModuleNotFoundError" in hidden.stderr  # the module is really gone
    r = subprocess.run([sys.executable, "-m", "hpkg", "serve", "--port", "1"], env=env, capture_output=True,
                       cwd=tmp_path, timeout=120)
    err = r.stderr.decode()
    assert r.returncode == 2, err
    assert "hpkg serve needs the server extra: pip install 'hpkg[server]'" in err
    assert "uvicorn" in err
    assert "Traceback" not in err
