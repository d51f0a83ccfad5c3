"""The ``hpkg`` command line: a thin layer over the library (one module per group of commands).

Exit codes: 0 success; 1 the data does not conform / is inconsistent; 2 an error (bad input,
unknown name, failed load, a missing optional extra), with a message on stderr.
"""

from hpkg.cli import (  # the command modules register their commands on ``main``
    core,
    ingest,
    opendata,
    reconcile,
    scale,
    serve,
    update,
)
from hpkg.cli.base import EXTRAS, Context, main, require_extra

__all__ = ["EXTRAS", "Context", "core", "ingest", "main", "opendata", "reconcile", "require_extra", "scale", "serve", "update"]
