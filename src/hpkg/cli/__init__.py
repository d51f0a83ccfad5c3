"""The ``hpkg`` command line: a thin layer over the library (one module per group of commands).

Each module registers its commands on :data:`~hpkg.cli.base.main`, and is imported only when one of its
commands is run or listed (:data:`hpkg.cli.base.COMMAND_MODULES`).

Exit codes: 0 success; 1 the data does not conform / is inconsistent; 2 an error (bad input,
unknown name, failed load, a missing optional extra), with a message on stderr.
"""

from hpkg.cli.base import EXTRAS, Context, main, require_extra

__all__ = ["EXTRAS", "Context", "main", "require_extra"]
