"""Regenerate the 2025 reorganisation data and the province boundaries (hpkg.opendata.reorganisation).

    python scripts/reorganisation_2025.py                      # data/*.ttl from the shipped simplified GeoJSON
    python scripts/reorganisation_2025.py --boundaries DIR     # first re-simplify the 34 original GeoJSON files
                                                               # (e.g. ../shared/sources/provinces-2025)

Writes (atomically) src/hpkg/graph/data/reorganisation-2025.ttl and boundaries-2025.ttl and, with --boundaries,
src/hpkg/graph/sources/provinces-2025/provinces-2025.geojson, SHA256SUMS and LICENSE. Review the diff and commit.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from hpkg.fileio import write_atomic
from hpkg.opendata.reorganisation import generated_files, geojson_bytes, sha256, simplify_boundaries
from hpkg.project import shipped_root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boundaries", type=Path, default=None,
                        help="folder of the 34 original GeoJSON files (with their LICENSE) to simplify again")
    args = parser.parse_args()
    graph = shipped_root()
    sources = graph / "sources" / "provinces-2025"
    if args.boundaries:
        collection = simplify_boundaries(args.boundaries)
        sources.mkdir(parents=True, exist_ok=True)
        write_atomic(sources / "provinces-2025.geojson", geojson_bytes(collection))
        sums = "".join(f"{sha256(p)}  {p.name}\n" for p in sorted(args.boundaries.glob("*.geojson")))
        write_atomic(sources / "SHA256SUMS", sums.encode("utf-8"))
        shutil.copyfile(args.boundaries / "LICENSE", sources / "LICENSE")
        print(f"wrote {sources / 'provinces-2025.geojson'} ({(sources / 'provinces-2025.geojson').stat().st_size} bytes)")
    for name, data in generated_files(sources).items():
        write_atomic(graph / "data" / name, data)
        print(f"wrote {graph / 'data' / name} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
