"""Print issue 11's evidence table for the blind corpus, per lesson, tuning and held-out apart.

    .venv/bin/python tests/blind_corpus/report.py [--part tuning|held_out] [--details]

Columns: wrong answers caught (lost points in their own exercise), caught answers whose message
names the manifest's family or locates the difference, answers named with a wrong family, points
lost in other exercises (by any answer), correct answers at full marks. ``--details`` lists every
answer that misses a target, with its messages.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import outcomes as corpus  # noqa: E402 - outcomes.py: the corpus graded


def _pct(a, b):
    return f"{a}/{b} ({100.0 * a / b:.0f}%)" if b else "-"


def rows(outcomes):
    by_lesson = defaultdict(list)
    for outcome in outcomes:
        by_lesson[outcome.answer.lesson].append(outcome)
    table = []
    for lesson in sorted(by_lesson) + ["all"]:
        group = outcomes if lesson == "all" else by_lesson[lesson]
        wrong = [o for o in group if not o.answer.correct]
        right = [o for o in group if o.answer.correct]
        caught = [o for o in wrong if o.caught]
        table.append((lesson, _pct(len(caught), len(wrong)),
                      _pct(sum(o.named_or_located for o in caught), len(caught)),
                      str(sum(bool(o.wrong_names) for o in caught)),
                      f"{sum(o.lost_elsewhere for o in group):g}",
                      _pct(sum(o.own_lost == 0 for o in right), len(right))))
    return table


HEADER = ("lesson", "caught", "named or located", "wrong names", "pts lost elsewhere",
          "correct at full marks")


def print_table(title, outcomes):
    table = [HEADER] + rows(outcomes)
    widths = [max(len(r[i]) for r in table) for i in range(len(HEADER))]
    print(f"\n## {title}\n")
    for n, row in enumerate(table):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def print_details(outcomes):
    for o in outcomes:
        a = o.answer
        problems = []
        if a.correct and o.own_lost:
            problems.append(f"correct but lost {o.own_lost:g}")
        if not a.correct and not o.caught:
            problems.append("not caught")
        if o.wrong_names:
            problems.append(f"wrong name {o.wrong_names}")
        if not a.correct and o.caught and not o.named_or_located:
            problems.append("caught, not named or located")
        if o.elsewhere:
            problems.append(f"lost elsewhere {o.elsewhere}")
        if problems:
            print(f"\n- {a.id} [{a.family}]: {'; '.join(problems)}\n    {a.description}")
            for grade_id, message in o.messages[:1]:
                print("    " + message.replace("\n", "\n    "))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=corpus.PARTS)
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args(argv)
    for part in corpus.PARTS if args.part is None else (args.part,):
        outcomes = [corpus.grade(a) for a in corpus.answers(part)]
        print_table(part, outcomes)
        if args.details:
            print_details(outcomes)


if __name__ == "__main__":
    main()
