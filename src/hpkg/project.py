"""Where every file comes from: the graph shipped in the package, and the user's project that extends it.

The *shipped graph* is package data (``hpkg/graph/``: ``ontology/``, ``data/``, ``shapes/``, ``queries/``,
``sources/``), read with :mod:`importlib.resources`, so a wheel installed anywhere has it.

A *project* is a folder with an ``hpkg.toml`` (``hpkg init DIR`` makes one). Its ``data/``, ``shapes/`` and
``queries/`` are added to the shipped ones; a project query overrides a shipped query of the same name. The
project is found as git finds a repository: ``--project DIR``, else ``HPKG_HOME``, else the nearest folder at or
above the current one holding ``hpkg.toml``. Outside any project only the shipped graph is used, and the store
and exports go under the current folder. The folder the package was installed from is never looked at.

Named graphs: a data file directly under a ``data/`` folder goes into ``{base}graph/data``; a file under
``data/NAME/`` into ``{base}graph/NAME`` (``data/links/`` is the linkset, ``graph/links``).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import Literal

from hpkg.errors import HpkgError
from hpkg.iri import graph_iri

PROJECT_FILE = "hpkg.toml"
STATE_DIR = ".hpkg"
STORE_DIR = f"{STATE_DIR}/store"
EXPORTS_DIR = "dist"
#: The keys ``hpkg.toml`` may hold, under ``[project]``.
PROJECT_KEYS = ("name", "description")

Origin = Literal["shipped", "project"]
_GRAPH_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def shipped_root() -> Path:
    """The folder of the graph that ships with the package (``hpkg/graph``)."""
    root = files("hpkg") / "graph"
    if not isinstance(root, Path):  # a zipped install: no real folder to read RDF files from
        raise HpkgError(f"hpkg's shipped graph is not on the file system ({root}); install hpkg unzipped")
    return root


@dataclass(frozen=True)
class DataFile:
    """An RDF data file, the named graph it goes into, and where it comes from."""

    path: Path
    graph: str
    origin: Origin


@dataclass(frozen=True)
class QueryFile:
    """A ``.rq`` file offered by name; ``overrides`` when a project query hides a shipped one."""

    name: str
    path: Path
    origin: Origin
    overrides: bool = False


@dataclass(frozen=True)
class Project:
    """The shipped graph plus, when ``root`` is set, the user's project folder that extends it."""

    root: Path | None = None
    name: str | None = None
    description: str | None = None
    cwd: Path = field(default_factory=Path.cwd)
    #: Data folders (graph names, e.g. ``fia``) left out of :meth:`data_files`; ``None``: ``HPKG_SKIP_GRAPHS``.
    skip_graphs: frozenset[str] | None = None

    # -- where things are ------------------------------------------------------------------------------
    @cached_property
    def shipped(self) -> Path:
        return shipped_root()

    @property
    def workdir(self) -> Path:
        """The folder that holds the store and the exports: the project, or the current folder outside one."""
        return self.root if self.root is not None else self.cwd

    @property
    def store_path(self) -> Path:
        return self.workdir / STORE_DIR

    @property
    def exports_dir(self) -> Path:
        return self.workdir / EXPORTS_DIR

    @property
    def ontology_file(self) -> Path:
        return self.shipped / "ontology" / "hpkg.ttl"

    @property
    def sources_dir(self) -> Path:
        return self.shipped / "sources"

    @property
    def reference_dir(self) -> Path:
        """Reference tables the linker reads (``data/reference/``, shipped)."""
        return self.shipped / "data" / "reference"

    @property
    def links_dir(self) -> Path:
        """Where ``hpkg link`` writes the linkset: the project's ``data/links/`` (never into the installed package)."""
        if self.root is None:
            raise HpkgError("hpkg link writes the linkset into a project's data/links/: run it in a project "
                            "(hpkg init DIR) or give --out DIR")
        return self.root / "data" / "links"

    @property
    def fia_dir(self) -> Path:
        """Where ``hpkg import fia`` writes the FIA reports' Turtle: the project's ``data/fia/`` (graph ``graph/fia``)."""
        if self.root is None:
            raise HpkgError("hpkg import fia writes into a project's data/fia/: run it in a project "
                            "(hpkg init DIR) or give --out DIR")
        return self.root / "data" / "fia"

    def _layers(self) -> list[tuple[Path, Origin]]:
        layers: list[tuple[Path, Origin]] = [(self.shipped, "shipped")]
        if self.root is not None and self.root.resolve() != self.shipped.resolve():
            layers.append((self.root, "project"))
        return layers

    # -- what is there ---------------------------------------------------------------------------------
    def data_files(self, base: str | None = None) -> list[DataFile]:
        """Every Turtle file of the shipped ``data/`` and then the project's, each with its named graph."""
        out: list[DataFile] = []
        skip = self.skipped_graphs
        for layer, origin in self._layers():
            folder = layer / "data"
            for path in sorted(folder.rglob("*.ttl")):
                name = graph_name(path, folder)
                if name not in skip:
                    out.append(DataFile(path, graph_iri(name, base), origin))
        if not out:
            raise HpkgError(f"no data files under {self.shipped / 'data'}")
        return out

    @property
    def skipped_graphs(self) -> frozenset[str]:
        """The data folders left out: :attr:`skip_graphs`, else the comma-separated ``HPKG_SKIP_GRAPHS``
        (the test suite sets ``fia`` so that tests without the FIA reports do not parse and validate them)."""
        if self.skip_graphs is not None:
            return self.skip_graphs
        return frozenset(n.strip() for n in os.environ.get("HPKG_SKIP_GRAPHS", "").split(",") if n.strip())

    def graph_names(self, base: str | None = None) -> list[str]:
        """The named graphs the data files go into (``graph/data`` first), without duplicates."""
        names = [graph_iri("data", base)]
        for f in self.data_files(base):
            if f.graph not in names:
                names.append(f.graph)
        return names

    def shape_files(self) -> list[Path]:
        """The SHACL files: the shipped ``shapes/`` and then the project's."""
        found = [p for layer, _ in self._layers() for p in sorted((layer / "shapes").glob("*.ttl"))]
        if not found:
            raise HpkgError(f"no SHACL shapes found under {self.shipped / 'shapes'}")
        return found

    def query_files(self) -> dict[str, QueryFile]:
        """The named queries by name: shipped ones, then the project's (which win on a name clash)."""
        out: dict[str, QueryFile] = {}
        for layer, origin in self._layers():
            for path in sorted((layer / "queries").glob("*.rq")):
                out[path.stem] = QueryFile(path.stem, path, origin, overrides=path.stem in out)
        return out

    def describe(self) -> str:
        """One line saying which graph the commands use."""
        if self.root is None:
            return f"no {PROJECT_FILE} here or above {self.cwd}: using the graph shipped with hpkg alone"
        return f"project {self.name or self.root.name} at {self.root}"


def graph_name(path: Path, data_dir: Path) -> str:
    """``data`` for ``data/x.ttl``; ``NAME`` for ``data/NAME/…/x.ttl``."""
    rel = path.relative_to(data_dir)
    if len(rel.parts) == 1:
        return "data"
    name = rel.parts[0]
    if not _GRAPH_NAME.match(name):
        raise HpkgError(f"{path}: the folder name {name!r} cannot name a graph (letters, digits, . _ - only)")
    return name


def read_project_file(root: Path) -> dict[str, str]:
    """The ``[project]`` table of ``ROOT/hpkg.toml``; unknown keys are an error that lists the known ones."""
    path = root / PROJECT_FILE
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise HpkgError(f"{path}: {e}") from None
    except OSError as e:
        raise HpkgError(f"{path}: {e.strerror}") from None
    unknown_tables = sorted(set(doc) - {"project"})
    if unknown_tables:
        raise HpkgError(f"{path}: unknown table(s) {', '.join(unknown_tables)}; known: [project]")
    table = doc.get("project", {})
    if not isinstance(table, dict):
        raise HpkgError(f"{path}: [project] must be a table")
    unknown = sorted(set(table) - set(PROJECT_KEYS))
    if unknown:
        raise HpkgError(f"{path}: unknown key(s) {', '.join(unknown)} in [project]; known: {', '.join(PROJECT_KEYS)}")
    for key, value in table.items():
        if not isinstance(value, str):
            raise HpkgError(f"{path}: [project] {key} must be a string")
    return dict(table)


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding ``hpkg.toml``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    return None


def open_project(explicit: str | Path | None = None, *, cwd: Path | None = None) -> Project:
    """The project the commands work on: ``explicit`` (``--project``), ``HPKG_HOME``, or found by walking up."""
    cwd = (cwd or Path.cwd()).resolve()
    chosen = explicit or os.environ.get("HPKG_HOME") or None
    if chosen:
        root = Path(chosen).expanduser().resolve()
        source = "--project" if explicit else "HPKG_HOME"
        if not (root / PROJECT_FILE).is_file():
            raise HpkgError(f"{source} {root}: not an hpkg project (no {PROJECT_FILE}); create one with: hpkg init {root}")
    else:
        found = find_root(cwd)
        if found is None:
            return Project(None, cwd=cwd)
        root = found
    meta = read_project_file(root)
    return Project(root, name=meta.get("name"), description=meta.get("description"), cwd=cwd)


def shipped_only(cwd: Path | None = None) -> Project:
    """The shipped graph alone (store and exports under ``cwd``)."""
    return Project(None, cwd=(cwd or Path.cwd()).resolve())


PROJECT_TEMPLATE = """\
# An hpkg project: the data, shapes and queries in this folder extend the graph that ships with hpkg.
# Every hpkg command run in this folder (or below it) uses this project.
[project]
name = "{name}"
description = ""
"""

README_TEMPLATE = """\
# {name}

An [hpkg](https://w3id.org/hpkg) project. It extends the Hai Phong economic-zone knowledge graph that ships
with hpkg:

- `data/` — your RDF (Turtle, `*.ttl`), added to the shipped data. A file directly in `data/` goes into the
  graph `graph/data`; a file in `data/NAME/` into its own graph `graph/NAME`. Relative IRIs resolve against
  the entity base (`https://w3id.org/hpkg/id/`, or `HPKG_BASE`), so `<zone/dinh-vu>` is a shipped zone.
- `shapes/` — your SHACL shapes (`*.ttl`), checked together with the shipped shapes.
- `queries/` — your named SPARQL queries (`NAME.rq`); one named like a shipped query overrides it
  (`hpkg queries` says which).

Then:

    hpkg build                # parse, validate, write the store (.hpkg/store) and the exports (dist/)
    hpkg validate data/*.ttl  # check files against the shapes
    hpkg queries              # the named queries, shipped and yours
    hpkg query NAME           # run one

`.hpkg/` (the store) and `dist/` (the exports) are made by hpkg and can be deleted at any time.
"""

GITIGNORE_TEMPLATE = ".hpkg/\ndist/\n"


def init_project(folder: str | Path, *, name: str | None = None) -> list[Path]:
    """Create a project in ``folder`` (made if missing); refuses to overwrite an existing project."""
    root = Path(folder).expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise HpkgError(f"{root}: exists and is not a folder")
    if (root / PROJECT_FILE).exists():
        raise HpkgError(f"{root}: already an hpkg project ({PROJECT_FILE} exists); nothing was changed")
    name = name or root.name or "hpkg-project"
    if '"' in name or "\\" in name or "\n" in name:
        raise HpkgError(f"project name {name!r}: no quotes, backslashes or line breaks")
    from hpkg.fileio import write_atomic

    written: list[Path] = []
    for sub in ("data", "shapes", "queries"):
        (root / sub).mkdir(parents=True, exist_ok=True)
        written.append(root / sub)
    for rel, text in (("README.md", README_TEMPLATE), (".gitignore", GITIGNORE_TEMPLATE)):
        target = root / rel
        if not target.exists():
            written.append(write_atomic(target, text.format(name=name).encode("utf-8")))
    # hpkg.toml last: a folder is a project only once everything else is in place.
    written.append(write_atomic(root / PROJECT_FILE, PROJECT_TEMPLATE.format(name=name).encode("utf-8")))
    return written
