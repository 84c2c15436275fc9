"""Read the file names that learning-management systems give the submissions they download.

Each LMS renames a student's file on download, putting its own user id, the student's name,
resubmission counters and late marks into the name. :func:`parse` recognises four layouts
(``python -m autograder grade --help`` shows an example of each):

Canvas ("Download Submissions")
    ``<sortablename>_[LATE_]<user id>_<attachment id>_<original file>[-N].ipynb``, e.g.
    ``smithbob_340934_208490284_01_single_neuron.ipynb`` and, for a second upload of a file of
    the same name, ``wellslane_LATE_340935_208490291_01_single_neuron-1.ipynb``.
Moodle ("Download all submissions", flat or "in folders")
    ``<Full Name>_<participant id>_assignsubmission_file_<original file>``, or a folder
    ``<Full Name>_<participant id>_assignsubmission_file[_]/<original file>``.
Blackboard ("Download Assignment")
    ``<Assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<original file>``.
Gradescope ("Export Submissions")
    ``submission_<NNN>/<original file>`` folders with a ``submission_metadata.yml`` at the
    root naming each folder's submitters (``:sid:``, ``:name:``, ``:email:``).

The student id is the LMS's own id (Canvas user id, Moodle participant id, Blackboard username,
Gradescope SID or e-mail), so a resubmission is the same student, and the name the LMS put in
the file becomes the student's display name (a roster file can override it). What came later
counts: Canvas's larger attachment id (its ``-N`` copies in order), Blackboard's later attempt
date, Gradescope's later ``:created_at:``; :mod:`~autograder.pipeline.discover` keeps the last
and lists the others.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

#: The layouts this module reads, in the order they are tried.
LAYOUTS = ("canvas", "moodle", "blackboard", "gradescope")

EXAMPLES = {
    "canvas": "smithbob_340934_208490284_01_single_neuron.ipynb, "
              "wellslane_LATE_340935_208490291_01_single_neuron-1.ipynb",
    "moodle": "Bob Smith_12345_assignsubmission_file_01_single_neuron.ipynb",
    "blackboard": "Lesson 1_bsmith_attempt_2025-03-01-17-05-00_01_single_neuron.ipynb",
    "gradescope": "submission_9001/01_single_neuron.ipynb with submission_metadata.yml",
}

_CANVAS = re.compile(r"^(?P<name>[^_/]+?)_(?P<late>LATE_)?(?P<uid>\d+)_(?P<attachment>\d+)_"
                     r"(?P<file>.+)$")
_CANVAS_COPY = re.compile(r"^(?P<stem>.+?)-(?P<n>\d+)$")
_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<uid>\d+)_assignsubmission_[a-z]+_?(?P<file>.*)$")
_BLACKBOARD = re.compile(r"^(?P<assignment>.+?)_(?P<user>[^_]+)_attempt_"
                         r"(?P<date>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})_(?P<file>.+)$")
_GRADESCOPE_FOLDER = re.compile(r"^submission_(?P<number>\d+)$")

METADATA_FILE = "submission_metadata.yml"


@dataclass(frozen=True)
class LmsName:
    """What an LMS's file name says about one submitted file.

    Attributes
    ----------
    layout : str
        One of :data:`LAYOUTS`.
    student : str
        The LMS's id of the student.
    display_name : str
        The student's name as the LMS wrote it ("smithbob", "Bob Smith"), or "".
    original : str
        The file name the student uploaded, as far as the LMS kept it (the lesson id is
        searched for here).
    late : bool
        The LMS marked the file late (Canvas's ``LATE_``).
    order : tuple
        Sorts the files of one student and lesson oldest first.
    """

    layout: str
    student: str
    display_name: str
    original: str
    late: bool = False
    order: tuple = ()


def parse(parts, layout, metadata=None):
    """The :class:`LmsName` of a notebook at relative path ``parts`` in ``layout``, or None.

    Parameters
    ----------
    parts : tuple of str
        The notebook's path relative to the submissions folder (or inside the zip).
    layout : str
        One of :data:`LAYOUTS`.
    metadata : dict, optional
        Gradescope only: the folder name -> submitters mapping of ``submission_metadata.yml``
        (:func:`gradescope_submitters`).
    """
    name = parts[-1]
    if layout == "canvas":
        match = _CANVAS.match(name)
        if not match:
            return None
        stem = PurePosixPath(match["file"]).stem
        copy = _CANVAS_COPY.match(stem)
        original, copy_number = (copy["stem"], int(copy["n"])) if copy else (stem, 0)
        return LmsName("canvas", match["uid"], match["name"], original,
                       late=bool(match["late"]), order=(int(match["attachment"]), copy_number))
    if layout == "moodle":
        # Moodle's own folder first, from the top: a student chooses the file's name (and may
        # name it like another student's submission), never the folder Moodle made. Flat
        # downloads: Moodle's prefix is the leftmost match of the file name (the lazy name).
        for index in [*range(len(parts) - 1), len(parts) - 1]:
            match = _MOODLE.match(parts[index])
            if match:
                original = match["file"] if index == len(parts) - 1 else parts[-1]
                return LmsName("moodle", match["uid"], match["name"],
                               PurePosixPath(original).stem or PurePosixPath(name).stem)
        return None
    if layout == "blackboard":
        match = _BLACKBOARD.match(name)
        if not match:
            return None
        return LmsName("blackboard", match["user"], match["user"],
                       f"{match['assignment']} {PurePosixPath(match['file']).stem}",
                       order=(match["date"],))
    if layout == "gradescope":
        folder = next((p for p in parts[:-1] if _GRADESCOPE_FOLDER.match(p)), None)
        if folder is None or metadata is None or folder not in metadata:
            return None
        student, display, created = metadata[folder]
        return LmsName("gradescope", student, display, PurePosixPath(name).stem,
                       order=(created, int(_GRADESCOPE_FOLDER.match(folder)["number"])))
    raise ValueError(f"unknown LMS layout {layout!r}; known: {', '.join(LAYOUTS)}")


def gradescope_submitters(text):
    """Folder name -> (student id, name, created_at) from ``submission_metadata.yml``'s text.

    Gradescope writes Ruby-style keys (``:submitters:``, ``:sid:``); a group submission counts
    for its first submitter. The id is the SID when there is one, else the e-mail.

    Raises
    ------
    ValueError
        The text is not YAML, or not the mapping Gradescope writes.
    """
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValueError(f"{METADATA_FILE} is not YAML ({error})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{METADATA_FILE} does not map submission folders to submitters")
    result = {}
    for folder, entry in data.items():
        entry = entry if isinstance(entry, dict) else {}
        submitters = entry.get(":submitters") or entry.get("submitters") or []
        first = submitters[0] if submitters and isinstance(submitters[0], dict) else {}
        sid = first.get(":sid") or first.get("sid")
        email = first.get(":email") or first.get("email")
        student = str(sid if sid not in (None, "") else email or "").strip()
        if not student:
            continue
        display = str(first.get(":name") or first.get("name") or "")
        created = str(entry.get(":created_at") or entry.get("created_at") or "")
        result[str(folder)] = (student, display, created)
    return result


def detect(all_parts, metadata=None):
    """The LMS layout that reads the most of these notebook paths, or None.

    A layout is chosen only when it reads more than half of the notebooks, so a folder of plain
    ``<student>_<lesson>.ipynb`` files is never taken for Canvas by accident.
    """
    best, best_count = None, 0
    for layout in LAYOUTS:
        count = sum(parse(parts, layout, metadata) is not None for parts in all_parts)
        if count > best_count:
            best, best_count = layout, count
    return best if best_count * 2 > len(all_parts) else None
