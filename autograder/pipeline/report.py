"""``report.html``: the class at a glance, with PNG plots in ``plots/``.

Sections: what the run did (and what the sandbox covered), each lesson's scores, the
distribution of scores per lesson, the pass rate of every test cell, the misconceptions the
checks named most often, and the submissions that need a human look, with the reason.
Matplotlib draws on its Agg canvas directly (no global backend is set in this process).
"""
from __future__ import annotations

import html
import statistics
from collections import Counter, defaultdict
from pathlib import Path

from . import results as R

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; color: #222;
       line-height: 1.45; padding: 0 1rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.92rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; border: 1px solid #eee; } code { background: #f6f6f6; padding: 0 0.2rem; }
.warn { color: #8a4b00; }
"""


def _figure(width, height):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def _auto_fraction(record):
    rows = [r for r in record["rows"] if r["kind"] == "auto"]
    top = sum(r["max_score"] for r in rows)
    return (sum(r["score"] for r in rows) / top) if top else 0.0


def plot_score_distribution(path, records, lessons):
    """Box plot and points: autograded score (% of the autograded points) per lesson."""
    import numpy as np

    figure = _figure(8, 3.6)
    axes = figure.add_subplot()
    data = [[100 * _auto_fraction(r) for r in records if r["lesson"] == lesson]
            for lesson in lessons]
    axes.boxplot([d if d else [np.nan] for d in data], widths=0.5, showfliers=False)
    rng = np.random.default_rng(0)                      # jitter, reproducible
    for position, values in enumerate(data, start=1):
        axes.scatter(position + rng.uniform(-0.12, 0.12, size=len(values)), values, s=16,
                     alpha=0.7, color="tab:blue", zorder=3)
    axes.set_xticks(range(1, len(lessons) + 1), lessons, rotation=15, fontsize=8)
    axes.set_ylabel("autograded score (%)")
    axes.set_ylim(-5, 105)
    axes.set_title("Score distribution per lesson (one point per submission)")
    figure.tight_layout()
    figure.savefig(path)


def plot_pass_rates(path, rates):
    """Horizontal bars: share of submissions that passed each test cell."""
    figure = _figure(8, max(2.5, 0.22 * len(rates) + 1))
    axes = figure.add_subplot()
    labels = [f"{lesson[:2]} {grade_id}" for lesson, grade_id, _ in rates]
    values = [100 * rate for _, _, rate in rates]
    colours = ["tab:green" if v >= 70 else "tab:orange" if v >= 40 else "tab:red"
               for v in values]
    axes.barh(range(len(rates)), values, color=colours)
    axes.set_yticks(range(len(rates)), labels, fontsize=7)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("submissions that passed (%)")
    axes.set_title("Pass rate per test cell")
    figure.tight_layout()
    figure.savefig(path)


def plot_misconceptions(path, counts):
    figure = _figure(8, max(2.2, 0.35 * len(counts) + 1))
    axes = figure.add_subplot()
    keys = [key for key, _ in counts]
    axes.barh(range(len(counts)), [n for _, n in counts], color="tab:purple")
    axes.set_yticks(range(len(counts)), keys, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel("submissions in which a check named it")
    axes.set_title("Most frequent named misconceptions")
    figure.tight_layout()
    figure.savefig(path)


def pass_rates(records, lessons, tests):
    """``[(lesson, grade_id, rate)]`` for every autograded test cell, in notebook order."""
    rates = []
    for lesson in lessons:
        graded = [r for r in records if r["lesson"] == lesson]
        for grade_id, _, is_test in tests[lesson]:
            if not is_test or not graded:
                continue
            passed = sum(1 for r in graded for row in r["rows"]
                         if row["grade_id"] == grade_id and row["status"] == R.PASSED)
            rates.append((lesson, grade_id, passed / len(graded)))
    return rates


def misconception_counts(records):
    """``{key: (submissions, students, message, grade cells)}``, most frequent first."""
    submissions, students, messages, cells = Counter(), defaultdict(set), {}, defaultdict(set)
    for record in records:
        keys = set()
        for found in record.get("misconceptions", []):
            keys.add(found["key"])
            messages.setdefault(found["key"], found["message"])
            cells[found["key"]].add(f"{record['lesson']}/{found['grade_id']}")
        for key in keys:
            submissions[key] += 1
            students[key].add(record["student"])
    from ..mistakes import CATALOGUE

    # the course-wide wording of a misconception, where there is one (exercises may word it
    # for their own context)
    return {key: (n, len(students[key]), CATALOGUE.get(key, messages[key]), sorted(cells[key]))
            for key, n in submissions.most_common()}


def verification_section(records, lessons):
    """HTML: what the out-of-kernel confirmation covered, lowered, and could not verify."""
    graded = [r for r in records if r.get("outcome") == "graded"]
    checked = [r for r in graded if "verification" in r]
    title = "<h2>Scores confirmed outside the kernel</h2>"
    if not graded:
        return title + "<p>No notebook was graded.</p>"
    if len(checked) < len(graded):
        return title + (
            f"<p class='warn'>{len(graded) - len(checked)} of {len(graded)} graded notebooks were "
            "<b>not</b> confirmed outside their kernel (<code>--no-verify</code>, or graded by "
            "an earlier run without it): their scores are what the student's own kernel "
            "reported, which a student's code can change. Run the command again without "
            "<code>--no-verify</code> and with <code>--regrade</code> to confirm them.</p>")
    lowered = [(r, row) for r in checked for row in r["rows"] if row["status"] == R.NOT_CONFIRMED]
    failed = [r for r in checked if r["verification"].get("error")]
    seconds = [r["verification"].get("seconds", 0.0) for r in checked]
    sandboxes = [r["verification"]["sandbox"] for r in checked
                 if r["verification"].get("sandbox")]
    # every item is HTML: the one text that comes from a record is escaped here
    items = [
        f"{len(checked)} notebooks: every autograded function was called again in a separate "
        "sandboxed process, on fresh secret inputs, and each grade cell kept the lower of the two "
        f"scores ({statistics.mean(seconds):.1f} s per notebook).",
        html.escape(sandboxes[0] if sandboxes else "No verifier sandbox was started (no lesson "
                                                   "of this run registers an exercise)."),
        f"{len(lowered)} grade cell(s) in {len({(r['student'], r['lesson']) for r, _ in lowered})}"
        " submission(s) passed in the kernel but not outside it, and scored 0 (status "
        "<code>not confirmed</code>; each is listed below for a human look).",
    ]
    if failed:
        items.append(f"<span class='warn'>The verifier could not run on {len(failed)} "
                     "submission(s): the grade cells it should have confirmed scored 0 (status "
                     "<code>not confirmed</code>, \"could not be confirmed: ...\"); they are "
                     "listed below for a human look.</span>")
    unverified = {}
    for record in checked:
        for grade_id, reason in record["verification"].get("unverified", {}).items():
            unverified.setdefault((record["lesson"], grade_id), reason)
    order = {lesson: i for i, lesson in enumerate(lessons)}
    rows = [[lesson, grade_id, reason] for (lesson, grade_id), reason in
            sorted(unverified.items(), key=lambda item: (order.get(item[0][0], 0), item[0][1]))]
    body = "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    if rows:
        body += ("<p>These grade cells cannot be confirmed outside the kernel; their scores are "
                 "the kernel's (written answers are graded by hand in Formgrader):</p>"
                 + _table(["lesson", "grade cell", "why"], rows))
    return title + body


def _table(header, rows, numeric=()):
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td class='n'>{html.escape(str(v))}</td>" if i in numeric
                         else f"<td>{v if isinstance(v, _Raw) else html.escape(str(v))}</td>"
                         for i, v in enumerate(row)) + "</tr>"
        for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


class _Raw(str):
    """Already-escaped HTML for a table cell."""


def write_report(out_dir, summary, records, students, lessons, tests):
    """Write ``report.html`` and ``plots/*.png`` into ``out_dir``."""
    out_dir = Path(out_dir)
    plots = out_dir / "plots"
    plots.mkdir(parents=True, exist_ok=True)
    graded = [r for r in records if r.get("outcome") in ("graded", "malformed")]
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Grading report</title>"
             f"<style>{_STYLE}</style></head><body><h1>Grading report</h1>"]

    # what the run did
    facts = [
        f"{len(students)} students, {summary.submissions} submitted notebooks "
        f"({', '.join(lessons)}), layout: {summary.layout}.",
        f"{summary.graded_now} graded in this run, {summary.reused} unchanged since an earlier "
        f"run (kept), with {summary.workers} worker process(es) in {summary.seconds:.0f} s.",
    ]
    if summary.phases:
        text = "Time: " + ", ".join(f"{name} {seconds:.0f} s"
                                    for name, seconds in summary.phases.items())
        if summary.graded_now and "grading" in summary.phases:
            per = summary.phases["grading"] * summary.workers / summary.graded_now
            text += f" ({per:.1f} worker-seconds per notebook graded)"
        facts.append(text + ".")
    if summary.sandbox is not None:
        facts += [f"Sandbox: {line}" for line in summary.sandbox.lines()]
    modes = Counter(r.get("sandbox", "none") for r in records if r.get("outcome") == "graded")
    if len(modes) > 1:
        facts.append("Submissions graded in earlier runs used another sandbox: " + ", ".join(
            f"{n} with {'bubblewrap' if mode == 'bubblewrap' else 'resource limits only'}"
            for mode, n in sorted(modes.items())) + ". Use --regrade to grade all alike.")
    if summary.errors:
        facts.append(f"<span class='warn'>{len(summary.errors)} submission(s) could not be "
                     "graded because the grader failed (listed below); the command exited with "
                     "status 1.</span>")
    if summary.unmatched:
        facts.append(f"<span class='warn'>{len(summary.unmatched)} notebook(s) named no lesson "
                     "and were not graded: " + html.escape(", ".join(summary.unmatched[:20]))
                     + "</span>")
    if summary.skipped:
        facts.append(f"<span class='warn'>{len(summary.skipped)} file(s) were not read: "
                     + html.escape("; ".join(f"{origin} ({reason})"
                                             for origin, reason in summary.skipped[:20]))
                     + "</span>")
    if summary.superseded:
        facts.append(f"{len(summary.superseded)} earlier resubmission(s) were replaced by a "
                     "later one and not graded: " + "; ".join(
                         f"{old} (replaced by {new})" for old, new in summary.superseded[:50]))
    if summary.unknown_to_roster:
        facts.append(f"<span class='warn'>{len(summary.unknown_to_roster)} student id(s) are "
                     "not in the roster: " + html.escape(", ".join(summary.unknown_to_roster[:30]))
                     + "</span>")
    if summary.similarity is not None:
        facts.append(f"Similar answers (evidence to weigh, not a verdict): "
                     f"{len(summary.similarity.pairs)} pair(s) of students share unusual "
                     f"answers, {len(summary.similarity.solution_copies)} submission(s) repeat "
                     "the published solutions; similarity.html shows each side by side.")
    parts.append("<h2>The run</h2><ul>" + "".join(
        f"<li>{f if f.startswith('<span') else html.escape(f)}</li>" for f in facts) + "</ul>")

    # per lesson
    rows = []
    for lesson in lessons:
        mine = [r for r in graded if r["lesson"] == lesson]
        fractions = [100 * _auto_fraction(r) for r in mine]
        auto_max = sum(p for _, p, t in tests[lesson] if t)
        written = sum(1 for r in mine for row in r["rows"] if row["status"] == R.MANUAL)
        rows.append([lesson, len(mine), len(students) - len(mine),
                     f"{statistics.mean(fractions):.0f}%" if fractions else "-",
                     f"{statistics.median(fractions):.0f}%" if fractions else "-",
                     sum(1 for f in fractions if f >= 100 - 1e-9), f"{auto_max:g}", written])
    parts.append("<h2>Lessons</h2>" + _table(
        ["lesson", "submitted", "not submitted", "mean (autograded)", "median", "full marks",
         "autograded points", "written answers to grade"], rows, numeric=range(1, 8)))
    waiting = sum(r[-1] for r in rows)
    if waiting:
        parts.append(f"<p>{waiting} written answers wait for a grader. Open "
                     f"<code>{html.escape(str(out_dir / 'nbgrader'))}</code> in JupyterLab's "
                     "Formgrader (it is an nbgrader course), grade them, then run the same "
                     "grade command again: <code>grades.csv</code> will include them.</p>")

    # plots
    if graded:
        plot_score_distribution(plots / "score_distribution.png", graded, lessons)
        parts.append("<h2>Score distribution</h2><img src='plots/score_distribution.png' "
                     "alt='Box plot of the autograded score of each submission, per lesson'>")
        rates = pass_rates(graded, lessons, tests)
        if rates:
            plot_pass_rates(plots / "pass_rates.png", rates)
            parts.append("<h2>Pass rate per test cell</h2><img src='plots/pass_rates.png' "
                         "alt='Share of submissions that passed each test cell'>")
    counts = misconception_counts(graded)
    parts.append("<h2>Most frequent named misconceptions</h2>")
    if counts:
        top = list(counts.items())[:12]
        plot_misconceptions(plots / "misconceptions.png", [(k, v[0]) for k, v in top])
        parts.append("<img src='plots/misconceptions.png' alt='Bar chart of the misconceptions "
                     "the checks named most often'>")
        parts.append(_table(["misconception", "submissions", "students", "what the students "
                             "were told", "where"],
                            [[k, n, s, msg, ", ".join(cells)] for k, (n, s, msg, cells) in top],
                            numeric=(1, 2)))
    else:
        parts.append("<p>No check named a known mistake.</p>")

    parts.append(verification_section(graded, lessons))

    # human look
    review = [(r["student"], r["lesson"], r.get("review", [])) for r in records
              if r.get("review")]
    parts.append("<h2>Submissions that need a human look</h2>")
    if review:
        parts.append(_table(["student", "lesson", "why"],
                            [[s, lesson, _Raw("<br>".join(html.escape(x) for x in why))]
                             for s, lesson, why in review]))
    else:
        parts.append("<p>None.</p>")
    if summary.errors:
        parts.append("<h2>Grader errors</h2>" + _table(
            ["student", "lesson", "log (end)"],
            [[s, lesson, _Raw(f"<pre>{html.escape(reason)}</pre>")]
             for s, lesson, reason in summary.errors]))
    parts.append("<h2>Status words in scores.csv</h2><pre>" + html.escape(R.legend())
                 + "</pre>")
    parts.append("</body></html>\n")
    (out_dir / "report.html").write_text("\n".join(parts))
