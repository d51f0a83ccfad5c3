"""Named queries from ``queries/*.rq``, SPARQL text or a ``.rq`` file, and result formatting.

A named query file starts with its question as comments::

    # vi: Năm 2024 thu hút bao nhiêu vốn FDI, so với kế hoạch?
    # en: How much FDI was attracted in 2024, compared with the plan?
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from hpkg.config import project_root
from hpkg.errors import HpkgError
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

    @property
    def sparql(self) -> str:
        """The query text."""
        return self.path.read_text(encoding="utf-8")


def queries_dir(root: Path | None = None) -> Path:
    """The folder of named queries."""
    return (root or project_root()) / "queries"


def named_queries(root: Path | None = None) -> dict[str, NamedQuery]:
    """All named queries, by name (the file name without ``.rq``)."""
    out = {}
    for path in sorted(queries_dir(root).glob("*.rq")):
        q = {"vi": "", "en": ""}
        for line in path.read_text(encoding="utf-8").splitlines():
            m = _HEADER.match(line)
            if m:
                q[m.group(1)] = m.group(2)
            elif line.strip() and not line.startswith("#"):
                break
        out[path.stem] = NamedQuery(path.stem, path, q["vi"], q["en"])
    return out


def resolve(text: str, root: Path | None = None) -> str:
    """SPARQL text for a named query, a ``.rq`` file path, or SPARQL itself.

    An unknown name raises an error that lists the known names.
    """
    stripped = text.strip()
    known = named_queries(root)
    if stripped in known:
        return known[stripped].sparql
    if stripped.endswith((".rq", ".sparql")):
        p = Path(stripped)
        if not p.is_file():
            raise HpkgError(f"{p}: no such query file")
        return p.read_text(encoding="utf-8")
    if re.match(r"^[A-Za-z0-9_-]+$", stripped):
        raise HpkgError(f"unknown named query {stripped!r}; known: {', '.join(sorted(known))}")
    return text


def run(store: Store, text: str, root: Path | None = None) -> QueryResult:
    """Resolve ``text`` (name, file or SPARQL) and run it on ``store``."""
    return store.query(resolve(text, root))


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
