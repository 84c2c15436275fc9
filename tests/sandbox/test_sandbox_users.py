"""One user id per sandbox (autograder.sandbox.users)."""
import os

from autograder.sandbox import users

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def test_do_sandboxes_get_distinct_user_ids_when_root():
    """Does each sandbox of a root grader get a user id of its own (a round of slots in a row
    distinct, all in the sandbox range, below 2**32 - 1), and a grader that is not root none?"""
    uids = [users.new_uid() for _ in range(users.SLOTS)]
    if not ROOT:
        assert uids == [None] * users.SLOTS
        return
    assert len(set(uids)) == users.SLOTS and all(users.is_sandbox_uid(u) for u in uids)
    assert users.UID_MAX < 2 ** 32 - 1


def test_do_two_grading_processes_never_share_an_id():
    """The ids of two pids (the largest Linux gives included) never meet."""
    first = {users.uid_of(1234, slot) for slot in range(users.SLOTS)}
    second = {users.uid_of(1235, slot) for slot in range(users.SLOTS)}
    last = {users.uid_of(2 ** 22 - 1, slot) for slot in range(users.SLOTS)}
    assert not first & second and max(last) == users.UID_MAX


def test_are_real_accounts_never_taken_for_a_sandbox():
    """Root, nobody and ordinary accounts are not sandbox ids (killing all of one's processes
    is safe only for those)."""
    assert not any(users.is_sandbox_uid(uid) for uid in (None, 0, 1000, 65534,
                                                         users.UID_BASE - 1,
                                                         users.UID_MAX + 1))
