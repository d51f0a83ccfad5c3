"""The library stands on its own: importing any module of it never imports the server or the command line
(nor starlette, uvicorn). Checked in a fresh interpreter, whose ``sys.modules`` holds only what they import."""

from __future__ import annotations

import subprocess
import sys

from ..conftest import ROOT, cli_env

SRC = ROOT / "src"


def library_modules() -> list[str]:
    """Every module of hpkg but the server, the command line and ``__main__``."""
    out = []
    for path in sorted((SRC / "hpkg").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[1:2] in (("server",), ("cli",)) or parts[-1] == "__main__":
            continue
        out.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return out


def test_the_library_never_imports_the_server():
    modules = library_modules()
    assert {"hpkg", "hpkg.build", "hpkg.store.oxigraph", "hpkg.shacl.compiler", "hpkg.opendata.link"} <= set(modules)
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "bad = [m for m in sys.modules if m.startswith(('hpkg.server', 'hpkg.cli', 'starlette', 'uvicorn'))]\n"
            "assert not bad, bad\n")
    r = subprocess.run([sys.executable, "-c", code], env=cli_env(), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
