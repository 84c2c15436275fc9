"""``report.html``: the class at a glance, with PNG plots in ``plots/``.

Sections: what the run did (and what the sandbox covered), each lesson's scores, the
distribution of scores per lesson, the pass rate of every test cell, the misconceptions the
checks named most often, and the submissions that need a human look, with the reason.
Matplotlib draws on its Agg canvas directly (no global backend is set in this process). The
page is ``templates/report.html.j2``, rendered with autoescape (:mod:`.pages`): this module
gathers the values, the template writes the HTML.
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from pathlib import Path

from .pages import render
from .status import Status, legend

def _figure(width, height):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def _auto_fraction(record):
    rows = record.auto_rows()
    top = sum(r.max_score for r in rows)
    return (sum(r.score for r in rows) / top) if top else 0.0


def plot_score_distribution(path, records, lessons):
    """Box plot and points: autograded score (% of the autograded points) per lesson."""
    import numpy as np

    figure = _figure(8, 3.6)
    axes = figure.add_subplot()
    data = [[100 * _auto_fraction(r) for r in records if r.lesson == lesson]
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
        graded = [r for r in records if r.lesson == lesson]
        for cell in tests[lesson]:
            if not cell.is_test or not graded:
                continue
            passed = sum(1 for r in graded for row in r.rows
                         if row.grade_id == cell.grade_id and row.status == Status.PASSED)
            rates.append((lesson, cell.grade_id, passed / len(graded)))
    return rates


def misconception_counts(records):
    """``{key: (submissions, students, message, grade cells)}``, most frequent first."""
    submissions, students, messages, cells = Counter(), defaultdict(set), {}, defaultdict(set)
    for record in records:
        keys = set()
        for found in record.misconceptions:
            keys.add(found.key)
            messages.setdefault(found.key, found.message)
            cells[found.key].add(f"{record.lesson}/{found.grade_id}")
        for key in keys:
            submissions[key] += 1
            students[key].add(record.student)
    from ..mistakes import CATALOGUE

    # the course-wide wording of a misconception, where there is one (exercises may word it
    # for their own context)
    return {key: (n, len(students[key]), CATALOGUE.get(key, messages[key]), sorted(cells[key]))
            for key, n in submissions.most_common()}


def verification_facts(records, lessons):
    """What the out-of-kernel confirmation covered, lowered, and could not verify.

    Returns
    -------
    dict, the context of ``templates/verification.html.j2``
    """
    graded = [r for r in records if r.graded]
    checked = [r for r in graded if r.verification is not None]
    facts = {"graded": len(graded), "unchecked": len(graded) - len(checked)}
    if not graded or facts["unchecked"]:
        return facts
    lowered = [(r, row) for r in checked for row in r.rows if row.status == Status.NOT_CONFIRMED]
    sandboxes = [r.verification.sandbox for r in checked if r.verification.sandbox]
    unverified = {}
    for record in checked:
        for grade_id, reason in record.verification.unverified.items():
            unverified.setdefault((record.lesson, grade_id), reason)
    order = {lesson: i for i, lesson in enumerate(lessons)}
    facts.update(
        checked=len(checked),
        seconds=statistics.mean(r.verification.seconds for r in checked),
        sandbox=sandboxes[0] if sandboxes else "",
        lowered=len(lowered),
        lowered_submissions=len({r.key for r, _ in lowered}),
        failed=sum(1 for r in checked if r.verification.error),
        unverified=[[lesson, grade_id, reason] for (lesson, grade_id), reason in sorted(
            unverified.items(), key=lambda item: (order.get(item[0][0], 0), item[0][1]))])
    return facts


def verification_section(records, lessons):
    """HTML: the report's section on the out-of-kernel confirmation (escaped)."""
    return render("verification.html.j2", v=verification_facts(records, lessons))


def run_facts(summary, records, students, lessons):
    """The report's list of what the run did: ``[(sentence, is_a_warning)]``."""
    facts = [
        (f"{len(students)} students, {summary.submissions} submitted notebooks "
         f"({', '.join(lessons)}), layout: {summary.layout}.", False),
        (f"{summary.graded_now} graded in this run, {summary.reused} unchanged since an earlier "
         f"run (kept), with {summary.workers} worker process(es) in {summary.seconds:.0f} s.",
         False),
    ]
    if summary.phases:
        text = "Time: " + ", ".join(f"{name} {seconds:.0f} s"
                                    for name, seconds in summary.phases.items())
        if summary.graded_now and "grading" in summary.phases:
            per = summary.phases["grading"] * summary.workers / summary.graded_now
            text += f" ({per:.1f} worker-seconds per notebook graded)"
        facts.append((text + ".", False))
    if summary.sandbox is not None:
        facts += [(f"Sandbox: {line}", False) for line in summary.sandbox.lines()]
    modes = Counter(r.sandbox or "none" for r in records if r.graded)
    if len(modes) > 1:
        facts.append(("Submissions graded in earlier runs used another sandbox: " + ", ".join(
            f"{n} with {'bubblewrap' if mode == 'bubblewrap' else 'resource limits only'}"
            for mode, n in sorted(modes.items())) + ". Use --regrade to grade all alike.", False))
    if summary.errors:
        facts.append((f"{len(summary.errors)} submission(s) could not be graded because the "
                      "grader failed (listed below); the command exited with status 1.", True))
    if summary.unmatched:
        facts.append((f"{len(summary.unmatched)} notebook(s) named no lesson and were not "
                      "graded: " + ", ".join(summary.unmatched[:20]), True))
    if summary.skipped:
        facts.append((f"{len(summary.skipped)} file(s) were not read: " + "; ".join(
            f"{origin} ({reason})" for origin, reason in summary.skipped[:20]), True))
    if summary.superseded:
        facts.append((f"{len(summary.superseded)} earlier resubmission(s) were replaced by a "
                       "later one and not graded: " + "; ".join(
                           f"{old} (replaced by {new})" for old, new in summary.superseded[:50]),
                       False))
    if summary.unknown_to_roster:
        facts.append((f"{len(summary.unknown_to_roster)} student id(s) are not in the roster: "
                      + ", ".join(summary.unknown_to_roster[:30]), True))
    if summary.similarity_failure:
        facts.append((f"The similarity check could not run ({summary.similarity_failure}); no "
                      "similarity.html was written. Scores and feedback are not affected.", True))
    if summary.similarity is not None:
        facts.append((f"Similar answers (evidence to weigh, not a verdict): "
                       f"{len(summary.similarity.pairs)} pair(s) of students share unusual "
                       f"answers, {len(summary.similarity.solution_copies)} submission(s) "
                       "repeat the published solutions; similarity.html shows each side by "
                       "side.", False))
    return facts


def lesson_rows(graded, students, lessons, tests):
    """One row per lesson of the report's lesson table."""
    rows = []
    for lesson in lessons:
        mine = [r for r in graded if r.lesson == lesson]
        fractions = [100 * _auto_fraction(r) for r in mine]
        auto_max = sum(cell.points for cell in tests[lesson] if cell.is_test)
        written = sum(1 for r in mine for row in r.rows if row.status == Status.MANUAL)
        rows.append([lesson, len(mine), len(students) - len(mine),
                     f"{statistics.mean(fractions):.0f}%" if fractions else "-",
                     f"{statistics.median(fractions):.0f}%" if fractions else "-",
                     sum(1 for f in fractions if f >= 100 - 1e-9), f"{auto_max:g}", written])
    return rows


def write_report(out_dir, summary, records, students, lessons, tests):
    """Write ``report.html`` and ``plots/*.png`` into ``out_dir``."""
    out_dir = Path(out_dir)
    plots = out_dir / "plots"
    plots.mkdir(parents=True, exist_ok=True)
    graded = [r for r in records if r.outcome in ("graded", Status.MALFORMED)]
    drawn = {"distribution": False, "pass_rates": False}
    if graded:
        plot_score_distribution(plots / "score_distribution.png", graded, lessons)
        drawn["distribution"] = True
        rates = pass_rates(graded, lessons, tests)
        if rates:
            plot_pass_rates(plots / "pass_rates.png", rates)
            drawn["pass_rates"] = True
    top = list(misconception_counts(graded).items())[:12]
    if top:
        plot_misconceptions(plots / "misconceptions.png", [(k, v[0]) for k, v in top])
    rows = lesson_rows(graded, students, lessons, tests)
    page = render(
        "report.html.j2", facts=run_facts(summary, records, students, lessons), lessons=rows,
        waiting=sum(r[-1] for r in rows), course=str(out_dir / "nbgrader"), plots=drawn,
        misconceptions=[[k, n, s, msg, ", ".join(cells)] for k, (n, s, msg, cells) in top],
        v=verification_facts(graded, lessons),
        review=[[r.student, r.lesson, r.review] for r in records if r.review],
        errors=summary.errors, legend=legend())
    (out_dir / "report.html").write_text(page)
