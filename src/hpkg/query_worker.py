"""Run one query and print its formatted result: the killable worker behind ``hpkg query --timeout``.

Reads ``{"query", "fmt", "store", "memory"}`` as JSON on stdin; writes the result to stdout; on error writes
``error: …`` to stderr and exits 2.
"""

from __future__ import annotations

import json
import sys

from hpkg.errors import HpkgError


def main() -> int:
    """Entry point of ``python -m hpkg.query_worker``."""
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    from hpkg.query import format_result
    from hpkg.store import open_store

    try:
        store = open_store(job.get("store"), memory=bool(job.get("memory")), read_only=True)
        try:
            if job.get("memory"):
                from hpkg.build import build

                build(store, validate=False, exports_dir=None)
            data = format_result(store.query(job["query"]), job.get("fmt", "table"))
        finally:
            store.close()
    except HpkgError as e:
        sys.stderr.write(f"error: {e}\n")
        return 2
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
