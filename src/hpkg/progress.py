"""Progress bars that show on a terminal and stay quiet in pipes and CI logs."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Never, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress(items: Iterable[T], *, desc: str, total: int | None = None, unit: str = "it") -> Iterator[T]:
    """Wrap an iterable in a progress bar shown only when stderr is a terminal."""
    return iter(
        tqdm(items, desc=desc, total=total, unit=unit, disable=not sys.stderr.isatty(), leave=False, file=sys.stderr)
    )


def bar(*, desc: str, total: int | None = None, unit: str = "it", unit_scale: bool = False) -> tqdm[Never]:
    """A manual progress bar (``update(n)``), shown only when stderr is a terminal."""
    return tqdm(
        desc=desc, total=total, unit=unit, unit_scale=unit_scale, disable=not sys.stderr.isatty(), leave=False,
        file=sys.stderr,
    )
