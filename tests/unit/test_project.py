"""hpkg.project: the shipped graph, and the user's project found by --project, HPKG_HOME or hpkg.toml upwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpkg.errors import HpkgError
from hpkg.iri import graph_iri
from hpkg.project import (
    PROJECT_FILE,
    find_root,
    graph_name,
    init_project,
    open_project,
    shipped_only,
    shipped_root,
)


@pytest.fixture(autouse=True)
def _no_home(monkeypatch):
    monkeypatch.delenv("HPKG_HOME", raising=False)


def make_project(folder: Path, body: str = '[project]\nname = "p"\n') -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PROJECT_FILE).write_text(body, encoding="utf-8")
    return folder


# ------------------------------------------------------------------ the shipped graph


def test_shipped_graph_is_package_data():
    root = shipped_root()
    assert root == Path(__import__("hpkg").__file__).parent / "graph"
    for sub in ("ontology/hpkg.ttl", "data/observations.ttl", "data/links/links.ttl", "shapes/common.ttl",
                "queries/fdi-vs-plan.rq", "sources/000_60cf227c69ab6101.txt"):
        assert (root / sub).is_file(), sub


def test_shipped_only_uses_the_shipped_files_and_the_current_folder(tmp_path):
    p = shipped_only(tmp_path)
    assert p.root is None
    assert p.store_path == tmp_path.resolve() / ".hpkg" / "store"
    assert p.exports_dir == tmp_path.resolve() / "dist"
    assert all(f.origin == "shipped" for f in p.data_files())
    assert {f.path.parent.name for f in p.data_files()} == {"data", "links"}
    assert "fdi-vs-plan" in p.query_files()
    assert "no hpkg.toml" in p.describe()
    with pytest.raises(HpkgError, match="--out"):
        _ = p.links_dir  # never written into the installed package


def test_data_sub_folders_get_their_own_named_graph():
    p = shipped_only()
    graphs = {f.path.name: f.graph for f in p.data_files()}
    assert graphs["observations.ttl"] == graph_iri("data")
    assert graphs["links.ttl"] == graph_iri("links")
    assert p.graph_names() == [graph_iri("data"), graph_iri("links")]


def test_graph_name_rejects_folder_names_that_cannot_name_a_graph(tmp_path):
    with pytest.raises(HpkgError, match="cannot name a graph"):
        graph_name(tmp_path / "data" / "a b" / "x.ttl", tmp_path / "data")
    assert graph_name(tmp_path / "data" / "fia" / "2023" / "x.ttl", tmp_path / "data") == "fia"


# ------------------------------------------------------------------ finding the project


def test_found_by_walking_up_from_a_sub_folder(tmp_path):
    root = make_project(tmp_path / "proj")
    deep = root / "data" / "a" / "b"
    deep.mkdir(parents=True)
    assert find_root(deep) == root.resolve()
    p = open_project(cwd=deep)
    assert p.root == root.resolve()
    assert p.name == "p"
    assert p.store_path == root.resolve() / ".hpkg" / "store"


def test_outside_any_project_the_shipped_graph_alone(tmp_path):
    p = open_project(cwd=tmp_path)
    assert p.root is None
    assert p.workdir == tmp_path.resolve()


def test_explicit_project_wins_over_home_and_cwd(tmp_path, monkeypatch):
    a = make_project(tmp_path / "a", '[project]\nname = "a"\n')
    b = make_project(tmp_path / "b", '[project]\nname = "b"\n')
    c = make_project(tmp_path / "c", '[project]\nname = "c"\n')
    monkeypatch.setenv("HPKG_HOME", str(b))
    assert open_project(a, cwd=c).name == "a"
    assert open_project(cwd=c).name == "b"
    monkeypatch.delenv("HPKG_HOME")
    assert open_project(cwd=c).name == "c"


@pytest.mark.parametrize("how", ["explicit", "env"])
def test_a_folder_without_hpkg_toml_is_refused_with_the_way_out(tmp_path, monkeypatch, how):
    folder = tmp_path / "nothing-here"
    folder.mkdir()
    if how == "env":
        monkeypatch.setenv("HPKG_HOME", str(folder))
    with pytest.raises(HpkgError) as e:
        open_project(folder if how == "explicit" else None, cwd=tmp_path)
    assert "not an hpkg project" in str(e.value)
    assert f"hpkg init {folder.resolve()}" in str(e.value)
    assert ("--project" if how == "explicit" else "HPKG_HOME") in str(e.value)


def test_regression_the_installed_checkout_is_never_used(tmp_path):
    """A project elsewhere is what counts, never the checkout the package was installed from."""
    p = open_project(cwd=tmp_path)
    assert p.root is None
    checkout = Path(__import__("hpkg").__file__).resolve().parents[2]
    assert p.workdir != checkout


@pytest.mark.parametrize(("body", "message"), [
    ('[project]\nname = "x"\ncolour = "red"\n', "unknown key(s) colour in [project]; known: name, description"),
    ('[tool]\nx = 1\n', "unknown table(s) tool; known: [project]"),
    ('[project]\nname = 3\n', "[project] name must be a string"),
    ('[project\n', "hpkg.toml: "),
])
def test_bad_hpkg_toml_is_a_clear_error(tmp_path, body, message):
    root = make_project(tmp_path / "p", body)
    with pytest.raises(HpkgError) as e:
        open_project(root)
    assert message in str(e.value)
    assert str(root.resolve() / PROJECT_FILE) in str(e.value)


# ------------------------------------------------------------------ a project extends the shipped graph


def test_project_files_come_after_the_shipped_ones(tmp_path):
    root = make_project(tmp_path / "p")
    (root / "data" / "extra").mkdir(parents=True)
    (root / "data" / "mine.ttl").write_text("", encoding="utf-8")
    (root / "data" / "extra" / "more.ttl").write_text("", encoding="utf-8")
    (root / "shapes").mkdir()
    (root / "shapes" / "mine.ttl").write_text("", encoding="utf-8")
    p = open_project(root)
    files = p.data_files()
    assert [f.origin for f in files][-2:] == ["project", "project"]
    assert {f.path.name: f.graph for f in files if f.origin == "project"} == {
        "mine.ttl": graph_iri("data"), "more.ttl": graph_iri("extra")}
    assert p.shape_files()[-1] == root.resolve() / "shapes" / "mine.ttl"
    assert graph_iri("extra") in p.graph_names()
    assert p.links_dir == root.resolve() / "data" / "links"


def test_a_project_query_overrides_the_shipped_one_by_name(tmp_path):
    root = make_project(tmp_path / "p")
    (root / "queries").mkdir()
    (root / "queries" / "fdi-vs-plan.rq").write_text("ASK {}", encoding="utf-8")
    (root / "queries" / "mine.rq").write_text("ASK {}", encoding="utf-8")
    q = open_project(root).query_files()
    assert q["fdi-vs-plan"].origin == "project" and q["fdi-vs-plan"].overrides
    assert q["mine"].origin == "project" and not q["mine"].overrides
    assert q["zones"].origin == "shipped" and not q["zones"].overrides


# ------------------------------------------------------------------ hpkg init


def test_init_creates_a_project_that_is_found(tmp_path):
    written = init_project(tmp_path / "new", name="my graph")
    root = (tmp_path / "new").resolve()
    assert {p.name for p in written} == {"data", "shapes", "queries", "README.md", ".gitignore", PROJECT_FILE}
    assert (root / "README.md").read_text(encoding="utf-8").startswith("# my graph")
    assert ".hpkg/" in (root / ".gitignore").read_text(encoding="utf-8")
    p = open_project(cwd=root / "data")
    assert p.root == root and p.name == "my graph"
    assert all(f.origin == "shipped" for f in p.data_files())  # an empty project adds nothing


def test_init_refuses_an_existing_project_and_changes_nothing(tmp_path):
    root = make_project(tmp_path / "p", '[project]\nname = "keep"\n')
    with pytest.raises(HpkgError, match="already an hpkg project"):
        init_project(root)
    assert (root / PROJECT_FILE).read_text(encoding="utf-8") == '[project]\nname = "keep"\n'
    assert not (root / "README.md").exists()


def test_init_keeps_an_existing_readme(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "README.md").write_text("mine\n", encoding="utf-8")
    init_project(tmp_path / "p")
    assert (tmp_path / "p" / "README.md").read_text(encoding="utf-8") == "mine\n"


def test_init_on_a_file_is_an_error(tmp_path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(HpkgError, match="not a folder"):
        init_project(tmp_path / "f")


def test_init_rejects_a_name_that_would_break_the_toml(tmp_path):
    with pytest.raises(HpkgError, match="no quotes"):
        init_project(tmp_path / "p", name='a"b')
    assert not (tmp_path / "p" / PROJECT_FILE).exists()
