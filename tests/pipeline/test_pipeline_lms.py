"""Reading what LMSs download, who the ids are, and what is never read.

The sample class is renamed as Canvas, Moodle, Blackboard and Gradescope name their downloads;
each must give the same (notebook -> lesson) assignment as nbgrader's layout, under the LMS's
own ids. Ids keep every script's letters and stay unique; links, hidden files and unsafe zip
names are skipped and listed, never read.
"""
import csv
import os
import zipfile

import pytest

from autograder.pipeline import lms
from autograder.pipeline.discover import (
    SubmissionError,
    discover,
    safe_student_id,
    unique_ids,
)
from autograder.pipeline.roster import Person, RosterError, read_roster, write_students
from layout import REPO

SAMPLE = REPO / "sample_class" / "submitted"
LESSONS = sorted(p.name for p in (REPO / "course" / "source").iterdir()
                 if (p / f"{p.name}.py").is_file())


def _sample():
    """(student, lesson, notebook path) of every sample-class submission."""
    return [(nb.parent.parent.name, nb.parent.name, nb)
            for nb in sorted(SAMPLE.glob("*/*/*.ipynb"))]


def _canvas_name(number, student, lesson, late=False, copy=0):
    sortable = student.replace("_", "")
    suffix = f"-{copy}" if copy else ""
    return (f"{sortable}_{'LATE_' if late else ''}{340900 + number}_{208490000 + 10 * number + copy}"
            f"_{lesson}{suffix}.ipynb")


def _lms_layout(tmp_path, layout):
    """The sample class renamed as ``layout`` names its downloads; returns (folder, id -> student).
    """
    folder = tmp_path / layout
    folder.mkdir()
    students = sorted({student for student, _, _ in _sample()})
    ids = {}
    metadata = {}
    for number, (student, lesson, nb) in enumerate(_sample()):
        index = students.index(student)
        if layout == "canvas":
            name = _canvas_name(index, student, lesson)
            ids[str(340900 + index)] = student
            target = folder / name
        elif layout == "moodle":
            full = student.replace("_", " ").title()
            ids[str(12000 + index)] = student
            target = folder / f"{full}_{12000 + index}_assignsubmission_file_" / f"{lesson}.ipynb"
        elif layout == "blackboard":
            user = student.replace("_", "")
            ids[user] = student
            target = folder / f"Backprop {lesson[:2]}_{user}_attempt_2025-03-01-17-05-00_{lesson}.ipynb"
        else:  # gradescope
            sub = f"submission_{9000 + number}"
            ids[f"s{index:03d}"] = student
            metadata[sub] = {":submitters": [{":name": student.title(), ":sid": f"s{index:03d}",
                                              ":email": f"{student}@example.org"}],
                             ":created_at": "2025-03-01 17:05:00.000000000 -08:00"}
            target = folder / sub / f"{lesson}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(nb.read_bytes())
    if layout == "gradescope":
        import yaml

        (folder / lms.METADATA_FILE).write_text(yaml.safe_dump(metadata))
    return folder, ids


@pytest.mark.parametrize("layout", lms.LAYOUTS)
def test_does_each_lms_download_of_the_sample_class_give_the_nbgrader_assignment(tmp_path, layout):
    """Does every notebook go to the same student and lesson as in nbgrader's layout, under the
    LMS's id, with the same bytes?"""
    folder, ids = _lms_layout(tmp_path, layout)
    found = discover(folder, LESSONS)
    assert found.layout == f"{layout} (folder)"
    assert found.unmatched == [] and found.skipped == []
    got = {(ids[s.student], s.lesson): s.read_bytes() for s in found.submissions}
    expected = {(student, lesson): nb.read_bytes() for student, lesson, nb in _sample()}
    assert got == expected


def test_is_a_zipped_canvas_download_read_like_the_folder(tmp_path):
    """Is a Canvas zip read without unpacking, with the user ids?"""
    folder, ids = _lms_layout(tmp_path, "canvas")
    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted(folder.iterdir()):
            z.write(path, path.name)
    found = discover(archive, LESSONS)
    assert found.layout == "canvas (zip)"
    assert {s.student for s in found.submissions} == set(ids)


def test_does_the_newest_canvas_upload_count_and_the_others_get_listed(tmp_path):
    """Is a resubmission (a later attachment id, Canvas's -1 copy) the same student, the later
    file graded and the earlier one listed as replaced?"""
    nb = next(SAMPLE.glob("ada_complete/01_single_neuron/*.ipynb")).read_bytes()
    first = tmp_path / "wellslane_340935_208490291_01_single_neuron.ipynb"
    second = tmp_path / "wellslane_LATE_340935_208490377_01_single_neuron-1.ipynb"
    other = tmp_path / "smithbob_340934_208490284_01_single_neuron.ipynb"
    for path in (first, second, other):
        path.write_bytes(nb)
    found = discover(tmp_path, LESSONS)
    assert [s.student for s in found.submissions] == ["340934", "340935"]
    wells = found.submissions[1]
    assert wells.path == str(second) and wells.late_mark and wells.display_name == "wellslane"
    assert not found.submissions[0].late_mark
    assert found.superseded == [(str(first), str(second))]


def test_does_the_later_blackboard_attempt_count(tmp_path):
    """Of two attempts, is the one with the later date graded?"""
    nb = next(SAMPLE.glob("ada_complete/01_single_neuron/*.ipynb")).read_bytes()
    early = tmp_path / "L1_bsmith_attempt_2025-03-01-09-00-00_01_single_neuron.ipynb"
    late = tmp_path / "L1_bsmith_attempt_2025-03-02-09-00-00_01_single_neuron.ipynb"
    early.write_bytes(nb)
    late.write_bytes(nb)
    found = discover(tmp_path, LESSONS)
    [sub] = found.submissions
    assert sub.student == "bsmith" and sub.path == str(late)
    assert found.superseded == [(str(early), str(late))]


def test_does_a_broken_gradescope_metadata_file_say_what_is_wrong(tmp_path):
    """Is a metadata file that is not YAML refused with a message naming it?"""
    (tmp_path / "submission_1").mkdir()
    (tmp_path / "submission_1" / "01_single_neuron.ipynb").write_bytes(b"{}")
    (tmp_path / lms.METADATA_FILE).write_text(":: [unclosed")
    with pytest.raises(SubmissionError, match="submission_metadata.yml is not YAML"):
        discover(tmp_path, LESSONS)


def test_does_a_gradescope_export_with_unknown_folders_list_them(tmp_path):
    """Are notebooks outside the folders the metadata names shown in the error?"""
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose" / "01_single_neuron.ipynb").write_bytes(b"{}")
    (tmp_path / lms.METADATA_FILE).write_text("submission_1:\n  :submitters: []\n")
    with pytest.raises(SubmissionError, match="loose/01_single_neuron.ipynb"):
        discover(tmp_path, LESSONS)


def test_are_plain_names_never_taken_for_an_lms_layout(tmp_path):
    """Does a folder of <student>_<lesson>.ipynb keep its ids (no LMS is detected)?"""
    for name in ("bob_01_single_neuron.ipynb", "carol_02_hidden_layer.ipynb",
                 "dave_42_01_single_neuron.ipynb"):
        (tmp_path / name).write_bytes(b"{}")
    found = discover(tmp_path, LESSONS)
    assert found.layout == "folder"
    assert sorted(s.student for s in found.submissions) == ["bob", "carol", "dave_42"]


# ---- ids -----------------------------------------------------------------------------------

def test_do_ids_keep_letters_of_every_script():
    """Are accented, CJK and Cyrillic names kept readable (NFC), unsafe characters replaced?"""
    assert safe_student_id("Zoë Durand") == "Zoë_Durand"
    assert safe_student_id("Zoe\u0308") == "Zoë"               # decomposed form, normalised
    assert safe_student_id("李雷") == "李雷"
    assert safe_student_id("Иван*Петров") == "Иван_Петров"
    assert safe_student_id(".hidden") == "hidden"


def test_are_ids_unique_and_stable_when_names_collide():
    """Do two names that give one id get distinct suffixes, the same on every run?"""
    ids = unique_ids(["a b", "a_b", "Müller", "Möller", "***"])
    assert len(set(ids.values())) == 5
    assert ids["Müller"] == "Müller" and ids["Möller"] == "Möller"
    assert ids["a b"].startswith("a_b-") and ids["a_b"].startswith("a_b-")
    assert ids["***"].startswith("student-")
    assert unique_ids(["a_b", "a b", "***", "Möller", "Müller"]) == ids


def test_do_two_accented_names_in_one_zip_grade_as_two_students(tmp_path):
    """Are "Zoë Durand" and "Zoé Durand" two students (the batch used to be refused)?"""
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Zoë Durand_01_single_neuron.ipynb", b"{}")
        z.writestr("Zoé Durand_01_single_neuron.ipynb", b"{}")
        z.writestr("李雷_01_single_neuron.ipynb", b"{}")
    found = discover(archive, LESSONS)
    assert sorted(s.student for s in found.submissions) == ["Zoé_Durand", "Zoë_Durand", "李雷"]
    assert {s.original for s in found.submissions} == {"Zoë Durand", "Zoé Durand", "李雷"}


# ---- what is never read ----------------------------------------------------------------------

def test_are_symbolic_links_skipped_and_listed(tmp_path):
    """Is a linked notebook (or folder) not read, and listed with the reason?"""
    secret = tmp_path / "secret.ipynb"
    secret.write_bytes(b"{}")
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "bob_01_single_neuron.ipynb").write_bytes(b"{}")
    os.symlink(secret, folder / "eve_01_single_neuron.ipynb")
    os.symlink(tmp_path, folder / "linked_folder")
    found = discover(folder, LESSONS)
    assert [s.student for s in found.submissions] == ["bob"]
    reasons = dict(found.skipped)
    assert "symbolic link" in reasons[str(folder / "eve_01_single_neuron.ipynb")]
    assert "symbolic link" in reasons[str(folder / "linked_folder")]


def test_are_unsafe_and_hidden_zip_entries_skipped_and_listed(tmp_path):
    """Are "../" names, absolute names, hidden files and zipped links listed, not graded?"""
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("bob_01_single_neuron.ipynb", b"{}")
        z.writestr("../eve_01_single_neuron.ipynb", b"{}")
        z.writestr(".mallory_01_single_neuron.ipynb", b"{}")
        link = zipfile.ZipInfo("trent_01_single_neuron.ipynb")
        link.external_attr = (0o120777 << 16)
        z.writestr(link, "/etc/passwd")
    found = discover(archive, LESSONS)
    assert [s.student for s in found.submissions] == ["bob"]
    reasons = {origin.split(":", 1)[1]: reason for origin, reason in found.skipped}
    assert "outside" in reasons["../eve_01_single_neuron.ipynb"]
    assert "hidden" in reasons[".mallory_01_single_neuron.ipynb"]
    assert "symbolic link" in reasons["trent_01_single_neuron.ipynb"]


# ---- rosters -------------------------------------------------------------------------------

def test_is_a_canvas_gradebook_export_read_as_a_roster(tmp_path):
    """Are Canvas's columns read, and its "Points Possible" row skipped?"""
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Student,ID,SIS User ID,SIS Login ID,Section,Lesson 1 (1201)\n"
        "    Points Possible,,,,,24\n"
        '"Smith, Bob",340934,S1,bsmith,Section A,\n'
        "Lane Wells,340935,S2,lwells,Section B,\n", encoding="utf-8")
    people = read_roster(roster)
    assert set(people) == {"340934", "340935"}
    assert people["340934"] == Person("340934", "Smith, Bob", "", "Section A")


def test_is_a_moodle_roster_with_first_and_last_names_read(tmp_path):
    """Are "First name" and "Last name" joined, and the e-mail kept?"""
    roster = tmp_path / "roster.csv"
    roster.write_text("\ufeffFirst name,Last name,ID number,Email address\n"
                      "Zoë,Durand,12001,zoe@example.org\n", encoding="utf-8")
    assert read_roster(roster)["12001"] == Person("12001", "Zoë Durand", "zoe@example.org", "")


def test_does_a_roster_without_an_id_column_say_so(tmp_path):
    """Does a roster with no id column name its header and what to add?"""
    roster = tmp_path / "roster.csv"
    roster.write_text("Name,Mark\nBob,1\n")
    with pytest.raises(RosterError, match="no id column; its header is Name, Mark"):
        read_roster(roster)
    with pytest.raises(RosterError, match="does not exist"):
        read_roster(tmp_path / "nope.csv")


def test_does_students_csv_map_every_id_to_its_person_and_files(tmp_path):
    """Does students.csv list each id with the roster's name (else the LMS's), its files, and the
    roster's people who submitted nothing?"""
    nb = next(SAMPLE.glob("ada_complete/01_single_neuron/*.ipynb")).read_bytes()
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "smithbob_340934_208490284_01_single_neuron.ipynb").write_bytes(nb)
    (tmp_path / "subs" / "wellslane_340935_208490291_01_single_neuron.ipynb").write_bytes(nb)
    found = discover(tmp_path / "subs", LESSONS)
    roster = {"340934": Person("340934", "Bob Smith", "bob@example.org", "A"),
              "999": Person("999", "Nobody Here")}
    write_students(tmp_path / "students.csv", found.submissions, roster)
    with open(tmp_path / "students.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_id = {row["student_id"]: row for row in rows}
    assert by_id["340934"]["name"] == "Bob Smith" and by_id["340934"]["email"] == "bob@example.org"
    assert by_id["340935"]["name"] == "wellslane" and by_id["340935"]["lms"] == "canvas"
    assert by_id["999"]["files"] == ""


# ---- through the grader --------------------------------------------------------------------

@pytest.mark.slow
def test_does_a_canvas_download_grade_to_the_expected_scores_under_canvas_ids(tmp_path):
    """Graded from a Canvas zip with a roster, do three sample students get exactly their
    expected scores under their Canvas ids, the roster's names in students.csv and grades.csv,
    and the LATE_ mark as a late flag?"""
    import subprocess
    import sys

    chosen = {"ada_complete": ("340901", False), "ben_loops": ("340902", True),
              "gus_stripped": ("340903", False)}
    lesson = "01_single_neuron"
    archive = tmp_path / "canvas.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for student, (uid, late) in chosen.items():
            nb = SAMPLE / student / lesson / f"{lesson}.ipynb"
            z.write(nb, f"{student.replace('_', '')}_{'LATE_' if late else ''}{uid}_2084902"
                        f"{uid[-2:]}_{lesson}.ipynb")
    roster = tmp_path / "roster.csv"
    roster.write_text("Student,ID,Section\n    Points Possible,,\n" + "".join(
        f"{student.title()} Example,{uid},A\n" for student, (uid, _) in chosen.items()))
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(archive), "--out", str(out),
         "--workers", "2", "--lesson", lesson, "--roster", str(roster)],
        cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with open(REPO / "sample_class" / "expected_scores.csv", newline="") as handle:
        expected = {(chosen[r["student_id"]][0], r["grade_id"]): (r["score"], r["status"])
                    for r in csv.DictReader(handle)
                    if r["student_id"] in chosen and r["assignment"] == lesson}
    with open(out / "scores.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    got = {(r["student_id"], r["grade_id"]): (r["score"], r["status"]) for r in rows}
    late_rows = {k: v for k, v in got.items() if k[0] == "340902"}
    assert all("late" in status for _, status in late_rows.values())
    strip = {k: (score, status.replace(";late", "").replace("late;", ""))
             for k, (score, status) in got.items()}
    assert strip == expected
    with open(out / "students.csv", newline="", encoding="utf-8") as handle:
        names = {r["student_id"]: r["name"] for r in csv.DictReader(handle)}
    assert names == {uid: f"{student.title()} Example" for student, (uid, _) in chosen.items()}
    with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
        graded_names = {r["student_id"]: (r.get("first_name"), r.get("last_name"))
                        for r in csv.DictReader(handle)}
    assert graded_names["340901"] == ("Ada_Complete", "Example")
    with open(out / "lms" / "canvas_gradebook.csv", newline="", encoding="utf-8") as handle:
        canvas = list(csv.reader(handle))
    totals = {}
    for (uid, _), (score, _) in expected.items():
        totals[uid] = totals.get(uid, 0.0) + float(score)
    assert {row[1]: float(row[5]) for row in canvas[2:]} == totals
    assert canvas[2][0] == "Example, Ada_Complete"


# --- who a file belongs to: the folders an LMS or nbgrader made, not the name a student chose ---

def _write(path, text="{}"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_does_an_extra_notebook_in_a_students_nbgrader_folder_stay_theirs_and_unread(tmp_path):
    """nbgrader's submit copies every file of the folder: a notebook named like another
    student's (or a JupyterLab duplicate) in eve's 01 folder is neither ada's nor a student of
    its own, it stops nothing, and it is listed as skipped; eve's 01_single_neuron.ipynb is
    graded."""
    folder = tmp_path / "submitted"
    _write(folder / "ada" / "01_single_neuron" / "01_single_neuron.ipynb")
    eve = _write(folder / "eve" / "01_single_neuron" / "01_single_neuron.ipynb")
    extra = _write(folder / "eve" / "01_single_neuron" / "ada_01_single_neuron.ipynb")
    copy = _write(folder / "eve" / "01_single_neuron" / "01_single_neuron-Copy1.ipynb")
    planted = _write(folder / "eve" / "01_single_neuron" / "dan_01_single_neuron.ipynb")
    found = discover(folder, LESSONS)
    assert sorted((s.student, s.path) for s in found.submissions) == [
        ("ada", str(folder / "ada" / "01_single_neuron" / "01_single_neuron.ipynb")),
        ("eve", str(eve))]
    reasons = dict(found.skipped)
    for path in (extra, copy, planted):
        assert "another notebook in eve's 01_single_neuron folder" in reasons[str(path)]
    assert found.layout == "nbgrader"


def test_is_the_one_notebook_of_an_nbgrader_folder_graded_as_the_folders_student(tmp_path):
    """A folder whose only notebook is renamed is still its student's; several notebooks none of
    which is <lesson>.ipynb are all listed, none graded, the rest of the class is."""
    folder = tmp_path / "submitted"
    renamed = _write(folder / "eve" / "01_single_neuron" / "ada_01_single_neuron.ipynb")
    _write(folder / "bob" / "02_hidden_layer" / "draft.ipynb")
    _write(folder / "bob" / "02_hidden_layer" / "final.ipynb")
    found = discover(folder, LESSONS)
    assert [(s.student, s.lesson, s.path) for s in found.submissions] == [
        ("eve", "01_single_neuron", str(renamed))]
    assert sum("none is named 02_hidden_layer.ipynb" in r for _, r in found.skipped) == 2


def test_is_a_jupyterlab_copy_next_to_its_original_skipped_not_a_student(tmp_path):
    """Flat layout: ada_01_single_neuron-Copy1.ipynb beside ada_01_single_neuron.ipynb is a copy
    (listed), not a student "ada_Copy1" and not a duplicate that stops the run."""
    folder = tmp_path / "flat"
    original = _write(folder / "ada_01_single_neuron.ipynb")
    copy = _write(folder / "ada_01_single_neuron-Copy1.ipynb")
    found = discover(folder, LESSONS)
    assert [(s.student, s.path) for s in found.submissions] == [("ada", str(original))]
    assert "a copy of" in dict(found.skipped)[str(copy)]


def test_does_a_moodle_folder_say_whose_file_it_is_whatever_the_file_is_called(tmp_path):
    """Moodle's download by folder: a student's file named like another participant's
    submission (x_1001_assignsubmission_file_...) stays the uploader's; the victim's own
    notebook is graded as theirs."""
    folder = tmp_path / "moodle"
    victim = _write(folder / "Ada Victim_1001_assignsubmission_file_" / "01_single_neuron.ipynb")
    attack = _write(folder / "Aaron Evil_1002_assignsubmission_file_"
                    / "x_1001_assignsubmission_file_01_single_neuron.ipynb")
    found = discover(folder, LESSONS)
    by_student = {s.student: s.path for s in found.submissions}
    assert by_student == {"1001": str(victim), "1002": str(attack)}


def test_is_a_file_name_that_is_not_utf8_skipped_and_listed(tmp_path):
    """A name with bytes that are not UTF-8 (a student's upload, collected by nbgrader) is
    listed with the reason and not read; the class is graded."""
    folder = tmp_path / "subs"
    _write(folder / "bob_01_single_neuron.ipynb")
    raw = os.fsencode(str(folder)) + b"/z\xff_01_single_neuron.ipynb"
    with open(raw, "w") as handle:
        handle.write("{}")
    found = discover(folder, LESSONS)
    assert [s.student for s in found.submissions] == ["bob"]
    assert any("not valid UTF-8" in reason for _, reason in found.skipped)


def test_is_a_tree_inside_a_students_folder_still_theirs(tmp_path):
    """eve/01_single_neuron/ada/01_single_neuron/01_single_neuron.ipynb and a drafts sub-folder
    (eve/01_single_neuron/backup/draft.ipynb) are eve's extra files: not ada's, not a student
    "draft", and no duplicate that stops the run (a second red-team round)."""
    folder = tmp_path / "submitted"
    ada = _write(folder / "ada" / "01_single_neuron" / "01_single_neuron.ipynb")
    eve = _write(folder / "eve" / "01_single_neuron" / "01_single_neuron.ipynb")
    nested = _write(folder / "eve" / "01_single_neuron" / "ada" / "01_single_neuron"
                    / "01_single_neuron.ipynb")
    draft = _write(folder / "eve" / "01_single_neuron" / "backup" / "draft.ipynb")
    found = discover(folder, LESSONS)
    assert sorted((s.student, s.path) for s in found.submissions) == [
        ("ada", str(ada)), ("eve", str(eve))]
    reasons = dict(found.skipped)
    assert "eve's 01_single_neuron folder" in reasons[str(nested)]
    assert "eve's 01_single_neuron folder" in reasons[str(draft)]


def test_do_files_a_student_adds_not_switch_the_class_to_an_lms_layout(tmp_path):
    """Five Blackboard-named notebooks in eve's own nbgrader folder, more than the class's
    honest notebooks, leave the layout nbgrader: ada and ben are graded as themselves."""
    folder = tmp_path / "submitted"
    for student in ("ada", "ben"):
        _write(folder / student / "01_single_neuron" / "01_single_neuron.ipynb")
    _write(folder / "eve" / "01_single_neuron" / "01_single_neuron.ipynb")
    for user in ("zzz", "yyy", "xxx", "www", "vvv"):
        _write(folder / "eve" / "01_single_neuron"
               / f"L_{user}_attempt_2025-03-01-17-05-00_01_single_neuron.ipynb")
    found = discover(folder, LESSONS)
    assert found.layout == "nbgrader"
    assert sorted(s.student for s in found.submissions) == ["ada", "ben", "eve"]


def test_does_a_moodle_copy_lose_to_the_file_without_a_copy_mark(tmp_path):
    """Moodle gives no dates: of 01_single_neuron-Copy1.ipynb and 01_single_neuron.ipynb in one
    participant's folder, the one without the copy mark is graded, whatever sorts first."""
    folder = tmp_path / "moodle"
    base = folder / "Ada Lovelace_1001_assignsubmission_file_"
    _write(base / "01_single_neuron-Copy1.ipynb")
    final = _write(base / "01_single_neuron.ipynb")
    _write(folder / "Ben Bit_1002_assignsubmission_file_" / "01_single_neuron.ipynb")
    found = discover(folder, LESSONS)
    assert {s.student: s.path for s in found.submissions}["1001"] == str(final)
