"""The recorded answer key is data only: JSON plus an .npz read without pickle."""
from __future__ import annotations

import io
import json
import pickle

import numpy as np
import pytest

from autograder import answer_key, key_codec
from autograder.curves import parabola_slope

from layout import GRADED_LESSONS


@pytest.fixture(scope="module")
def key():
    return answer_key.record()


@pytest.mark.parametrize("lesson", GRADED_LESSONS)
def test_every_lessons_key_round_trips(key, lesson):
    """Does each lesson's recorded key come back from its files as the same inputs, right
    answers and mistakes (arrays bit for bit, dtypes, tuples and seeds kept)?"""
    items = [item for item in key["exercises"] if item["id"].startswith(lesson + ".")]
    assert items
    part = {"version": key["version"], "seeds": key["seeds"], "exercises": items,
            "groups": {item["group"]: key["groups"][item["group"]] for item in items}}
    back = key_codec.loads(*key_codec.dumps(part))
    assert answer_key.same(back, part)
    assert type(back["seeds"]) is tuple and set(back["exercises"][0]["inputs"]) == set(key["seeds"])


def test_values_of_every_kind_round_trip():
    """Do numpy scalars, non-finite floats, integer dict keys, generators, a recorded raise and a
    parabola come back with their types and values?"""
    rng = np.random.default_rng(5)
    rng.random(3)
    value = {"f": np.float64(0.1), "i": np.int64(-3), "b": True, "n": None, 7: float("nan"),
             "inf": -float("inf"), "t": (1, 1.0, "x", [np.arange(3.0)]), "rng": rng,
             "raised": key_codec.Raised("ValueError: no"), "dJ": parabola_slope(1.5, -0.25),
             "ints": np.arange(4, dtype=np.int32)}
    back = key_codec.loads(*key_codec.dumps(value))
    assert list(back) == list(value)
    assert type(back["f"]) is np.float64 and back["f"] == 0.1
    assert type(back["i"]) is np.int64 and type(back["b"]) is bool and back["n"] is None
    assert np.isnan(back[7]) and back["inf"] == -np.inf
    assert back["t"][:3] == (1, 1.0, "x") and type(back["t"][1]) is float
    assert back["ints"].dtype == np.int32
    assert back["rng"].random() == rng.random()  # the same state, not a fresh generator
    assert back["raised"] == value["raised"]
    assert back["dJ"](2.0) == value["dJ"](2.0) and back["dJ"].__doc__ == value["dJ"].__doc__


def test_a_pickle_is_refused_and_never_loaded(tmp_path):
    """Is a pickled key refused with a message, before anything in it runs?"""
    class Boom:
        def __reduce__(self):
            return (print, ("a pickle ran code",))

    payload = pickle.dumps({"version": 2, "boom": Boom()})
    for text, npz in [(payload, key_codec.dumps({})[1]), (key_codec.dumps({})[0], payload)]:
        with pytest.raises(key_codec.KeyFormatError, match="is a pickle"):
            key_codec.loads(text, npz)
    (tmp_path / "visible_key.json").write_bytes(payload)
    (tmp_path / "visible_key.npz").write_bytes(key_codec.dumps({})[1])
    with pytest.raises(key_codec.KeyFormatError, match="make student-package"):
        key_codec.read(tmp_path / "visible_key")


def test_an_object_array_in_the_npz_is_refused(capsys):
    """Is an .npz whose array would need pickle to load refused (allow_pickle=False)?"""
    buffer = io.BytesIO()
    np.savez(buffer, a0=np.array([{"x": 1}, None], dtype=object))
    text = json.dumps({"$": "array", "ref": "a0"}).encode()
    with pytest.raises(key_codec.KeyFormatError, match="other than plain arrays"):
        key_codec.loads(text, buffer.getvalue())


@pytest.mark.parametrize("node, message", [
    ({"$": "code", "source": "import os"}, "Unknown tag 'code'"),
    ({"$": "function", "name": "os.system", "args": ["echo hi"]}, "Unknown function 'os.system'"),
    ({"$": "rng", "state": {"$": "dict", "items": [["bit_generator", "Evil"]]}},
     "Unknown bit generator"),
    ({"$": "array", "ref": "a9"}, "does not hold"),
])
def test_a_tag_outside_the_allow_list_is_refused(node, message):
    """Does the reader refuse tags, functions and generators it does not know?"""
    with pytest.raises(key_codec.KeyFormatError, match=message):
        key_codec.loads(json.dumps(node).encode(), key_codec.dumps({})[1])


def test_a_value_that_is_not_data_is_refused_when_written():
    """Is a function that is not in the allow-list refused when the key is written (never
    stored as source or by reference)?"""
    scale = 2.0

    def closure(w):
        return scale * w

    for value in (closure, lambda w: w, object(), np.array([object()])):
        with pytest.raises(key_codec.KeyFormatError, match="cannot store|objects"):
            key_codec.dumps({"x": value})
