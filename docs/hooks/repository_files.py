"""MkDocs hook: publish a few repository files that live outside ``docs/``.

The benchmark results (written by ``bench/run.py`` into ``bench/results/``), ``CONTRIBUTING.md`` and
``CHANGELOG.md`` have one copy each, at their place in the repository. The pages link to them by their real
relative path (``../bench/results/results.md``), which is also the right link on the repository host. This hook
registers each file under exactly that path, so MkDocs resolves the links and renders the files into the site
under ``repository/``. A file that is missing is not registered, so a link to it stays broken and
``mkdocs build --strict`` fails, as it does for any other broken link.
"""

from __future__ import annotations

import os
import posixpath

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

#: Paths relative to the repository root (the folder of mkdocs.yml).
REPOSITORY_FILES = (
    "bench/results/results.md",
    "bench/results/load_server.md",
    "bench/results/update_latency.md",
    "bench/results/reconcile_eval.md",
    "bench/results/latency.png",
    "CONTRIBUTING.md",
    "CHANGELOG.md",
)


def _site_path(path: str, use_directory_urls: bool) -> str:
    """Where the file goes in the built site: under repository/, pages as HTML."""
    target = posixpath.join("repository", path)
    stem, ext = posixpath.splitext(target)
    if ext != ".md":
        return target
    return posixpath.join(stem, "index.html") if use_directory_urls else stem + ".html"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = os.path.dirname(os.path.abspath(config.config_file_path))
    docs = os.path.relpath(root, config.docs_dir).replace(os.sep, "/")  # ".." for docs/ at the root
    for path in REPOSITORY_FILES:
        source = os.path.join(root, path)
        if not os.path.isfile(source):
            continue
        file = File.generated(config, posixpath.join(docs, path), abs_src_path=source,
                              inclusion=InclusionLevel.INCLUDED)
        file.dest_uri = _site_path(path, config.use_directory_urls)
        files.append(file)
    return files
