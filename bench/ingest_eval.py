"""How well ``hpkg ingest`` finds the figures of a report (issue 12, "Measured").

    python bench/ingest_eval.py [--set bench/ingest] [--out bench/results]

The annotated set is one JSON file per document, ``{"id", "text", "facts": [...]}`` with the facts in the ingest
contract's fields (``start``, ``end``, ``quote``, ``value``, ``unit``, ``indicator``, ``period``, ``qualifier``,
``relation`` ``{"kind", "of"}``). A document may give ``"source"`` (a path in the repository) instead of
``"text"``: the shipped source article is read from the package, not copied into the set. The other documents
are written for the benchmark in the style of the press.

A candidate matches a gold fact when their offsets overlap, the units agree and the values agree within 0.5%;
each gold fact and each candidate matches at most once. Reported per document and over all: recall and
precision of value+unit, and among the matched pairs the accuracy of indicator, qualifier, period and relation
(kind, and ``of`` pointing at the figure the gold relation points at). Speed: the time to ingest a
2,000-character report (the set's texts cut to 2,000 characters at a sentence end), as milliseconds and as a
ratio to the number finder alone (``numbers.find_quantities``) on the same text in the same run.
Targets (issue 12): on the source article recall 1.0 and precision ≥ 0.95; a 2,000-character report ≤ 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from hpkg.ingest.extract import Document, extract  # noqa: E402
from hpkg.ingest.numbers import find_quantities  # noqa: E402

SET = ROOT / "bench" / "ingest"
ARTICLE = "article-2025-01-06"


def load_set(folder: Path = SET) -> list[dict[str, Any]]:
    """The annotated documents of ``folder``, each with its ``text`` (read from ``source`` when given)."""
    docs = []
    for path in sorted(folder.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if "text" not in doc:
            doc["text"] = (ROOT / doc["source"]).read_text(encoding="utf-8")
        for f in doc["facts"]:
            assert doc["text"][f["start"]:f["end"]] == f["quote"], (path.name, f["quote"])
        docs.append(doc)
    return docs


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * max(abs(b), 1e-9)


def match(gold: list[dict[str, Any]], found: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Pairs (gold index, candidate index): overlapping offsets, same unit, value within 0.5%; greedy, once each."""
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    for gi, g in enumerate(gold):
        best = None
        for ci, c in enumerate(found):
            if ci in used or c["unit"] != g["unit"] or not _close(float(c["value"]), float(g["value"])):
                continue
            if c["start"] < g["end"] and g["start"] < c["end"]:
                overlap = min(c["end"], g["end"]) - max(c["start"], g["start"])
                if best is None or overlap > best[0]:
                    best = (overlap, ci)
        if best is not None:
            used.add(best[1])
            pairs.append((gi, best[1]))
    return pairs


def score(gold: list[dict[str, Any]], found: list[dict[str, Any]]) -> dict[str, Any]:
    """Recall, precision and the accuracies among matched pairs, with the misses spelled out."""
    pairs = match(gold, found)
    to_found = dict(pairs)
    gold_by_start: dict[int, list[int]] = {}
    for gi, g in enumerate(gold):
        gold_by_start.setdefault(g["start"], []).append(gi)
    ok = {"indicator": 0, "qualifier": 0, "period": 0, "relation": 0}
    wrong: list[str] = []
    for gi, ci in pairs:
        g, c = gold[gi], found[ci]
        for key in ("indicator", "qualifier", "period"):
            if g.get(key) == c.get(key):
                ok[key] += 1
            else:
                wrong.append(f"{key} of {g['quote']!r}: gold {g.get(key)!r}, found {c.get(key)!r}")
        gr, cr = g.get("relation"), c.get("relation")
        same = gr is None and cr is None
        if gr is not None and cr is not None and gr["kind"] == cr["kind"]:
            if gr["of"] is None:
                same = cr["of"] is None
            else:  # the candidate's "of" must be the figure matched to the gold fact it points at
                targets = {to_found.get(i) for i in gold_by_start.get(gr["of"], [])}
                same = cr["of"] is not None and any(found[t]["start"] == cr["of"] for t in targets if t is not None)
        if same:
            ok["relation"] += 1
        else:
            wrong.append(f"relation of {g['quote']!r}: gold {gr!r}, found {cr!r}")
    matched_gold = {gi for gi, _ in pairs}
    matched_found = {ci for _, ci in pairs}
    n = len(pairs)
    return {
        "gold": len(gold), "found": len(found), "matched": n,
        "recall": round(n / len(gold), 4) if gold else 1.0,
        "precision": round(n / len(found), 4) if found else 1.0,
        **{f"{k}_accuracy": round(v / n, 4) if n else None for k, v in ok.items()},
        "missed": [f"{g['quote']!r} {g['value']} {g['unit']}" for i, g in enumerate(gold) if i not in matched_gold],
        "spurious": [f"{c['quote']!r} {c['value']} {c['unit']}" for i, c in enumerate(found) if i not in matched_found],
        "wrong": wrong,
    }


def ingest(text: str, published: str | None = None, title: str | None = None) -> Document:
    return extract(text, published=published, title=title)


def evaluate(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-document and overall scores of the extractor on ``docs``."""
    per_doc = {}
    all_gold: list[dict[str, Any]] = []
    all_found: list[dict[str, Any]] = []
    for i, doc in enumerate(docs):
        # a document may give its metadata, as ``hpkg ingest --published/--title`` would
        found = [f.to_json() for f in ingest(doc["text"], doc.get("published"), doc.get("title")).facts]
        per_doc[doc["id"]] = score(doc["facts"], found)
        shift = i * 10**7  # keep offsets of different documents apart in the pooled score
        all_gold += [{**f, "start": f["start"] + shift, "end": f["end"] + shift,
                      "relation": f["relation"] and {**f["relation"], "of": None if f["relation"]["of"] is None
                                                     else f["relation"]["of"] + shift}} for f in doc["facts"]]
        all_found += [{**f, "start": f["start"] + shift, "end": f["end"] + shift,
                       "relation": f["relation"] and {**f["relation"], "of": None if f["relation"]["of"] is None
                                                      else f["relation"]["of"] + shift}} for f in found]
    overall = score(all_gold, all_found)
    written = [d for d in docs if d["id"] != ARTICLE]
    return {"documents": per_doc, "overall": {k: v for k, v in overall.items() if not isinstance(v, list)},
            "written_documents": len(written), "gold_facts": len(all_gold)}


def report_of_chars(docs: list[dict[str, Any]], chars: int = 2000) -> str:
    """A report of about ``chars`` characters: the set's texts joined, cut at the last sentence end before it."""
    joined = "\n\n".join(d["text"].strip() for d in docs)
    cut = joined[:chars]
    end = max(cut.rfind(". "), cut.rfind(".\n"))
    return cut[:end + 1] if end > 0 else cut


def cli_timing(text: str, repeat: int = 5) -> dict[str, Any]:
    """``hpkg ingest REPORT`` as a user runs it: a new process reading a built store (median of ``repeat``).

    The store is built once, unvalidated, into a temporary folder; each run's wall time and CPU time (the child's
    user + system) are measured. Python's start-up and the imports are included: this is the user's wait."""
    hpkg = [sys.executable, "-c", "import sys; from hpkg.cli import main; sys.argv[0] = 'hpkg'; main()"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryDirectory() as tmp:
        store, report = Path(tmp) / "store", Path(tmp) / "report.txt"
        report.write_text(text, encoding="utf-8")
        base = [*hpkg, "--project", str(ROOT), "--store", str(store)]
        subprocess.run([*base, "build", "--no-validate", "--no-export"], check=True, env=env, capture_output=True)
        walls, cpus = [], []
        for _ in range(repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run([*base, "ingest", str(report), "--format", "json", "-o", str(Path(tmp) / "out.json")],
                           check=True, env=env, capture_output=True)
            walls.append(time.perf_counter() - t0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return {"cli_wall_ms": round(1000 * statistics.median(walls), 1),
            "cli_cpu_ms": round(1000 * statistics.median(cpus), 1), "cli_runs": repeat}


def timing(docs: list[dict[str, Any]], repeat: int = 20) -> dict[str, Any]:
    text = report_of_chars(docs)
    ingest(text)  # warm: the shipped graph and the lexicon are read once per process
    # CPU time of this process (the machine is shared: wall time measures the neighbours too)
    t0 = time.process_time()
    for _ in range(repeat):
        ingest(text)
    full = (time.process_time() - t0) / repeat
    t0 = time.process_time()
    for _ in range(repeat):
        find_quantities(text)
    base = (time.process_time() - t0) / repeat
    t0 = time.process_time()
    from hpkg.ingest import extract as extract_module

    extract_module.shipped_store.cache_clear()
    extract_module.graph_lexicon.cache_clear()
    ingest(text)
    cold = time.process_time() - t0
    return {"report_chars": len(text), "ingest_ms": round(1000 * full, 2),
            "baseline_find_quantities_ms": round(1000 * base, 2), "ratio_to_baseline": round(full / base, 2),
            "first_ingest_in_a_process_ms": round(1000 * cold, 1), "clock": "CPU time (time.process_time)",
            **cli_timing(text), "load_average": [round(x, 2) for x in os.getloadavg()]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", default=str(SET), help="The folder of annotated documents (*.json).")
    ap.add_argument("--out", default=None, help="Write ingest_eval.json and .md into this folder.")
    args = ap.parse_args()
    docs = load_set(Path(args.set))
    result = evaluate(docs)
    result["speed"] = timing(docs)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        from hpkg.fileio import write_atomic

        write_atomic(out / "ingest_eval.json",
                     (json.dumps(result, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        keys = ("gold", "found", "matched", "recall", "precision", "indicator_accuracy", "qualifier_accuracy",
                "period_accuracy", "relation_accuracy")
        rows = [f"| {name} | " + " | ".join(str(s[k]) for k in keys) + " |"
                for name, s in [*result["documents"].items(), ("**all**", result["overall"])]]
        speed = result["speed"]
        notes = [f"- {name}: {kind} {x}" for name, s in result["documents"].items()
                 for kind in ("missed", "spurious", "wrong") for x in s[kind]]
        md = ("# Ingest: figures found in annotated reports\n\n"
              "`python bench/ingest_eval.py --out bench/results` (targets: the source article recall 1.0, "
              "precision ≥ 0.95; a 2,000-character report ≤ 1 s). The set: the shipped source article (gold from "
              f"the curated data) and {result['written_documents']} documents written for the benchmark "
              "(`bench/ingest/`). A match overlaps, has the same unit and a value within 0.5%.\n\n"
              "| document | gold | found | matched | recall | precision | indicator | qualifier | period | "
              "relation |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n" + "\n".join(rows) +
              f"\n\nSpeed: a {speed['report_chars']}-character report in {speed['ingest_ms']} ms "
              f"({speed['ratio_to_baseline']}× the number finder alone, {speed['baseline_find_quantities_ms']} ms, "
              f"in the same run); the first report of a process that builds the shipped graph in memory, "
              f"{speed['first_ingest_in_a_process_ms']} ms (CPU time). `hpkg ingest REPORT` as a user runs it (a "
              f"new process reading a built store, start-up and imports included, median of {speed['cli_runs']}): "
              f"{speed['cli_wall_ms']} ms wall, {speed['cli_cpu_ms']} ms CPU. Load average {speed['load_average']}."
              "\n\n"
              "## What the extractor gets wrong\n\n" + ("\n".join(notes) or "- nothing") + "\n")
        write_atomic(out / "ingest_eval.md", md.encode("utf-8"))


if __name__ == "__main__":
    main()
