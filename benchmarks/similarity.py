"""How long the similarity report takes on a class of 300 notebooks (issue: "in seconds").

The class is the sample class replicated under new ids until it holds N notebooks; each copy's
answer cells get a comment of their own, so no normalisation is served from the cache (a real
class's cells differ). The baseline, measured in the same run, is reading and parsing the same
notebooks with nbformat, which every report needs anyway.

    .venv/bin/python benchmarks/similarity.py [--notebooks 300]
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import nbformat  # noqa: E402

from autograder.pipeline.similarity import answer_cells, compare_class  # noqa: E402


def replicated_class(count):
    """``count`` (student, lesson, notebook JSON text) made from the sample class."""
    originals = []
    for path in sorted((REPO / "sample_class" / "submitted").glob("*/*/*.ipynb")):
        try:
            originals.append((path.parent.name, json.loads(path.read_text(encoding="utf-8"))))
        except ValueError:
            continue          # the malformed notebook
    texts = []
    for number in range(count):
        lesson, nb = originals[number % len(originals)]
        nb = copy.deepcopy(nb)
        for cell in nb["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell["cell_type"] == "code" and meta.get("solution"):
                source = cell["source"] if isinstance(cell["source"], str) else \
                    "".join(cell["source"])
                cell["source"] = source + f"\n# copy {number}\n"
        texts.append((f"student{number:04d}", lesson, json.dumps(nb)))
    return texts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=int, default=300)
    args = parser.parse_args(argv)
    texts = replicated_class(args.notebooks)
    lessons = sorted({lesson for _, lesson, _ in texts})
    read = (lambda folder, l: nbformat.read(REPO / folder / l / f"{l}.ipynb", as_version=4))
    releases = {l: read("notebooks", l) for l in lessons}
    solutions = {l: read("solutions", l) for l in lessons}

    started = time.perf_counter()
    notebooks = [(s, l, nbformat.reads(t, as_version=4)) for s, l, t in texts]
    parse_seconds = time.perf_counter() - started

    started = time.perf_counter()
    report = compare_class(notebooks, releases, solutions)
    compare_seconds = time.perf_counter() - started

    cells = sum(len(answer_cells(nb)) for _, _, nb in notebooks)
    print(f"{len(notebooks)} notebooks, {cells} answer cells, {len(lessons)} lessons")
    print(f"baseline (nbformat parse)  {parse_seconds:7.2f} s   1.00x")
    print(f"similarity report          {compare_seconds:7.2f} s   "
          f"{compare_seconds / parse_seconds:.2f}x the parse, "
          f"{len(notebooks) / compare_seconds:.0f} notebooks/s")
    print(f"findings: {len(report.pairs)} pairs, {len(report.solution_copies)} solution copies "
          "(the sample class is made from the solutions: every copy repeats them)")


if __name__ == "__main__":
    main()
