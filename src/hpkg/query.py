"""Named queries (the shipped ``queries/*.rq`` and the project's), SPARQL text or a ``.rq`` file, and result formatting.

A named query file starts with its question as comments::

    # vi: Năm 2024 thu hút bao nhiêu vốn FDI, so với kế hoạch?
    # en: How much FDI was attracted in 2024, compared with the plan?
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from hpkg.errors import HpkgError
from hpkg.params import Parameter, bind, parameters
from hpkg.project import Origin, Project, open_project
from hpkg.store import QueryResult, Store

TABLE_FORMATS = ("table", "csv", "tsv", "json", "xml")
_HEADER = re.compile(r"^#\s*(vi|en)\s*:\s*(.+?)\s*$")


@dataclass(frozen=True)
class NamedQuery:
    """A competency question and the SPARQL that answers it."""

    name: str
    path: Path
    question_vi: str
    question_en: str
    origin: Origin = "shipped"
    #: A project query that hides the shipped query of the same name.
    overrides: bool = False

    @property
    def sparql(self) -> str:
        """The query text."""
        return self.path.read_text(encoding="utf-8")

    @cached_property
    def parameters(self) -> dict[str, Parameter]:
        """The query's parameters (grlc convention, :mod:`hpkg.params`), by name."""
        return parameters(self.sparql)

    def bind(self, values: Mapping[str, str]) -> str:
        """The query text with ``values`` bound to its parameters (checked; see :func:`hpkg.params.bind`)."""
        return bind(self.sparql, values, f"query {self.name!r}")


def named_queries(project: Project | None = None) -> dict[str, NamedQuery]:
    """All named queries, by name (the file name without ``.rq``); a project query wins over a shipped one."""
    out = {}
    for name, f in (project or open_project()).query_files().items():
        q = {"vi": "", "en": ""}
        for line in f.path.read_text(encoding="utf-8").splitlines():
            m = _HEADER.match(line)
            if m:
                q[m.group(1)] = m.group(2)
            elif line.strip() and not line.startswith("#"):
                break
        out[name] = NamedQuery(name, f.path, q["vi"], q["en"], f.origin, f.overrides)
    return out


def resolve(text: str, project: Project | None = None, params: Mapping[str, str] | None = None) -> str:
    """SPARQL text for a named query, a ``.rq`` file path, or SPARQL itself, with ``params`` bound.

    An unknown name raises an error that lists the known names; a missing, unknown or ill-typed parameter
    raises :class:`hpkg.params.ParameterError` listing the query's parameters.
    """
    stripped = text.strip()
    known = named_queries(project)
    values = dict(params or {})
    if stripped in known:
        return known[stripped].bind(values)
    if stripped.endswith((".rq", ".sparql")):
        p = Path(stripped)
        if not p.is_file():
            raise HpkgError(f"{p}: no such query file")
        return bind(p.read_text(encoding="utf-8"), values, f"query file {p}")
    if re.match(r"^[A-Za-z0-9_-]+$", stripped):
        raise HpkgError(f"unknown named query {stripped!r}; known: {', '.join(sorted(known))}")
    return bind(text, values)


def run(store: Store, text: str, project: Project | None = None,
        params: Mapping[str, str] | None = None) -> QueryResult:
    """Resolve ``text`` (name, file or SPARQL), bind ``params`` and run it on ``store``."""
    return store.query(resolve(text, project, params))


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def format_table(result: QueryResult) -> str:
    """A plain-text table of a SELECT result (ASK prints ``true``/``false``)."""
    if result.kind == "ask":
        return "true" if result.boolean else "false"
    rows = [[_cell(r[v]) for v in result.variables] for r in result.rows()]
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(result.variables)]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [line, "| " + " | ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True)) + " |", line]
    out += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    out += [line, f"{len(rows)} row(s)"]
    return "\n".join(out)


def format_result(result: QueryResult, fmt: str = "table") -> bytes:
    """Serialise a result: ``table``/``csv``/``tsv``/``json``/``xml`` for SELECT/ASK, RDF formats for CONSTRUCT."""
    if result.kind == "graph":
        return result.serialize("turtle" if fmt == "table" else fmt)
    if fmt == "table":
        return (format_table(result) + "\n").encode("utf-8")
    if result.kind == "ask" and fmt in ("csv", "tsv"):
        return (("true" if result.boolean else "false") + "\n").encode()
    return result.serialize(fmt)


def run_with_timeout(
    text: str,
    *,
    timeout: float,
    fmt: str = "table",
    store_spec: str | None = None,
    memory: bool = False,
    project: Project | None = None,
    params: Mapping[str, str] | None = None,
) -> bytes:
    """Run a query in a worker process that is killed after ``timeout`` seconds; the formatted result.

    Oxigraph cannot interrupt a query from Python, so the query runs in ``python -m hpkg.query_worker``,
    which opens the store read-only (readers do not block each other) and writes the formatted result to
    stdout. On time-out the worker is killed and :class:`HpkgError` says so; the store is untouched.
    """
    import json
    import os
    import subprocess
    import sys

    if timeout <= 0:
        raise HpkgError(f"--timeout must be positive (got {timeout})")
    sparql = resolve(text, project, params)
    job = json.dumps({"query": sparql, "fmt": fmt, "store": store_spec, "memory": memory}).encode("utf-8")
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen(
        [sys.executable, "-m", "hpkg.query_worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        out, err = proc.communicate(job, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise HpkgError(f"the query did not finish within {timeout:g} s and was stopped (--timeout)") from None
    if proc.returncode != 0:
        msg = err.decode("utf-8", "replace").strip().removeprefix("error: ")
        raise HpkgError(msg or f"the query worker failed (exit {proc.returncode})")
    return out
