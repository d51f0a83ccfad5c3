"""The server's settings: where the store is, the base of entity IRIs, limits and the update token."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from hpkg.iri import base_iri
from hpkg.project import Project, open_project

#: The environment variable holding the update token; updates are off when it is unset or empty.
TOKEN_ENV = "HPKG_UPDATE_TOKEN"


@dataclass(frozen=True)
class ServerSettings:
    """Everything ``hpkg serve`` needs to know besides the store itself."""

    base: str = field(default_factory=base_iri)
    project: Project = field(default_factory=open_project)
    update_token: str | None = None
    query_timeout: float = 30.0
    max_results: int = 10_000
    max_body: int = 10 * 1024 * 1024
    access_log: Path | None = None
    workers: int = 4
    process_workers: bool = True

    @property
    def updates_enabled(self) -> bool:
        """Whether SPARQL Update and the Graph Store Protocol's writes are on."""
        return bool(self.update_token)

    @staticmethod
    def token_from_env() -> str | None:
        """The update token from ``HPKG_UPDATE_TOKEN`` (never from the command line, where ``ps`` shows it)."""
        token = os.environ.get(TOKEN_ENV, "").strip()
        return token or None

    def iri_for_path(self, path: str) -> str:
        """The entity IRI for a request path below ``/id/`` (``zone/x`` -> ``{base}zone/x``)."""
        return self.base + path

    def path_for_iri(self, iri: str) -> str | None:
        """The path below ``/id/`` for an entity IRI under the base, or ``None`` for other IRIs."""
        if iri.startswith(self.base) and len(iri) > len(self.base):
            return iri[len(self.base) :]
        return None
