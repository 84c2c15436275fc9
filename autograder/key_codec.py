"""The recorded answer key as data only: JSON for names and numbers, ``.npz`` for arrays.

A pickle runs code when it is loaded, so a key a student can replace (or a key file a student is
handed) would be a way to run code in a grading process. This codec writes two files and reads
them without running anything from them:

* ``<stem>.json``: the tree of the key. Strings, numbers, ``None`` and lists are JSON's own;
  every other value is an object with a ``"$"`` tag (``{"$": "tuple", "items": [...]}``).
* ``<stem>.npz``: every array (and numpy scalar, as a 0-d array), named ``a0``, ``a1``, ...;
  read with ``np.load(..., allow_pickle=False)``, so an object array is refused.

The tags are an allow-list: ``tuple``, ``dict`` (keys of any encodable type, order kept),
``array``, ``scalar`` (a numpy scalar), ``float`` (non-finite floats, which JSON cannot hold),
``rng`` (a ``numpy.random.Generator`` by its bit generator's name and state), ``raised`` (a
recorded call that raised), and ``function``: only the functions of :data:`FUNCTIONS`, rebuilt by
calling their factory with the recorded closure values (the parabola an input carries). Anything
else is refused when the key is written, and an unknown tag when it is read.
"""
from __future__ import annotations

import io
import json
import math
import zipfile
from pathlib import Path

import numpy as np

from . import curves

#: Functions an input may carry, by name: ``name -> (factory, closure variable names)``. The
#: factory is called with the recorded closure values to rebuild the function (no code is read
#: from the key). Add an entry here when an input builder makes a new kind of function.
FUNCTIONS = {
    "parabola_slope": (curves.parabola_slope, ("curvature", "minimum")),
}

#: Bit generators a recorded ``numpy.random.Generator`` may name.
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")

#: The first bytes of a pickle (protocol 2 and later) and of a zip (an ``.npz``).
PICKLE_MAGIC = b"\x80"
ZIP_MAGIC = b"PK"


class KeyFormatError(ValueError):
    """The key files are not a key this codec wrote (or hold a value it cannot write)."""


class Raised:
    """A recorded call that raised (a mistake variant that cannot be computed on an input)."""

    def __init__(self, text):
        self.text = text

    def __eq__(self, other):
        return isinstance(other, Raised) and other.text == self.text

    def __repr__(self):
        return f"<raised {self.text!r}>"



def _function_name(fn):
    for name, (factory, _) in FUNCTIONS.items():
        if fn.__qualname__ == f"{factory.__qualname__}.<locals>.{fn.__name__}" \
                and fn.__module__ == factory.__module__:
            return name
    return None


class _Encoder:
    def __init__(self):
        self.arrays = {}

    def _array(self, value):
        if value.dtype.hasobject:
            raise KeyFormatError(f"An array of Python objects ({value.dtype}) cannot be stored "
                                 "as data; record numbers only.")
        name = f"a{len(self.arrays)}"
        self.arrays[name] = value
        return name

    def encode(self, value):
        if value is None or isinstance(value, (bool, str)) or type(value) is int:
            return value
        if type(value) is float:
            return value if math.isfinite(value) else {"$": "float", "value": repr(value)}
        if isinstance(value, np.ndarray):
            return {"$": "array", "ref": self._array(value)}
        if isinstance(value, np.generic):
            return {"$": "scalar", "ref": self._array(np.asarray(value))}
        if type(value) is list:
            return [self.encode(v) for v in value]
        if type(value) is tuple:
            return {"$": "tuple", "items": [self.encode(v) for v in value]}
        if type(value) is dict:
            return {"$": "dict", "items": [[self.encode(k), self.encode(v)]
                                           for k, v in value.items()]}
        if isinstance(value, np.random.Generator):
            state = value.bit_generator.state
            return {"$": "rng", "state": self.encode(state)}
        if isinstance(value, Raised):
            return {"$": "raised", "text": value.text}
        if callable(value) and getattr(value, "__closure__", None):
            name = _function_name(value)
            if name is not None:
                cells = dict(zip(value.__code__.co_freevars,
                                 (c.cell_contents for c in value.__closure__)))
                _, variables = FUNCTIONS[name]
                return {"$": "function", "name": name,
                        "args": [self.encode(cells[v]) for v in variables]}
        raise KeyFormatError(
            f"The answer key cannot store a {type(value).__module__}.{type(value).__qualname__} "
            f"({value!r:.80}) as data. An input builder's function must be one of "
            f"autograder.key_codec.FUNCTIONS ({', '.join(FUNCTIONS)}); add it there.")


def dumps(key) -> tuple[bytes, bytes]:
    """``(json bytes, npz bytes)`` of ``key``; raises :class:`KeyFormatError` on a value that
    is not data."""
    encoder = _Encoder()
    tree = encoder.encode(key)
    text = json.dumps(tree, separators=(",", ":"), allow_nan=False).encode()
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **encoder.arrays)
    return text, buffer.getvalue()


def _decode(node, arrays):
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if isinstance(node, list):
        return [_decode(v, arrays) for v in node]
    if not isinstance(node, dict) or "$" not in node:
        raise KeyFormatError(f"Unexpected value in the key: {node!r:.80}.")
    tag = node["$"]
    if tag == "array":
        return arrays[node["ref"]]
    if tag == "scalar":
        return arrays[node["ref"]][()]
    if tag == "float":
        return float(node["value"])
    if tag == "tuple":
        return tuple(_decode(v, arrays) for v in node["items"])
    if tag == "dict":
        return {_decode(k, arrays): _decode(v, arrays) for k, v in node["items"]}
    if tag == "rng":
        state = _decode(node["state"], arrays)
        if state.get("bit_generator") not in BIT_GENERATORS:
            raise KeyFormatError(f"Unknown bit generator {state.get('bit_generator')!r} in "
                                 "the key.")
        generator = np.random.Generator(getattr(np.random, state["bit_generator"])())
        generator.bit_generator.state = state
        return generator
    if tag == "raised":
        return Raised(node["text"])
    if tag == "function":
        if node["name"] not in FUNCTIONS:
            raise KeyFormatError(f"Unknown function {node['name']!r} in the key (known: "
                                 f"{', '.join(FUNCTIONS)}).")
        factory, _ = FUNCTIONS[node["name"]]
        return factory(*(_decode(v, arrays) for v in node["args"]))
    raise KeyFormatError(f"Unknown tag {tag!r} in the key.")


def _refuse_pickle(data: bytes, path) -> None:
    if data[:1] == PICKLE_MAGIC:
        raise KeyFormatError(
            f"{path} is a pickle. The answer key is read as data only (a pickle runs code when "
            "it is loaded); rebuild the package with `make student-package`.")


def loads(text: bytes, npz: bytes, where="the key"):
    """The key from the bytes :func:`dumps` wrote; raises :class:`KeyFormatError` on anything
    else (a pickle, an object array, an unknown tag)."""
    _refuse_pickle(text, f"{where} (.json)")
    _refuse_pickle(npz, f"{where} (.npz)")
    if npz[:2] != ZIP_MAGIC:
        raise KeyFormatError(f"{where} (.npz) is not an .npz archive.")
    try:
        tree = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise KeyFormatError(f"{where} (.json) is not JSON: {error}.") from None
    try:
        with np.load(io.BytesIO(npz), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except (ValueError, zipfile.BadZipFile) as error:
        # numpy says "Object arrays cannot be loaded when allow_pickle=False".
        raise KeyFormatError(f"{where} (.npz) holds something other than plain arrays: "
                             f"{error}.") from None
    try:
        return _decode(tree, arrays)
    except KeyError as error:
        raise KeyFormatError(f"{where} names an array {error} that its .npz does not hold.") \
            from None


def paths(stem) -> tuple[Path, Path]:
    """The two files of the key at ``stem`` (``data/visible_key`` -> ``.json``, ``.npz``)."""
    stem = Path(stem)
    return stem.with_suffix(".json"), stem.with_suffix(".npz")


def write(key, stem) -> tuple[Path, Path]:
    """Write ``key`` as ``stem.json`` and ``stem.npz``; returns the two paths."""
    text, npz = dumps(key)
    json_path, npz_path = paths(stem)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_bytes(text)
    npz_path.write_bytes(npz)
    return json_path, npz_path


def read(stem):
    """The key written by :func:`write` at ``stem``."""
    json_path, npz_path = paths(stem)
    return loads(json_path.read_bytes(), npz_path.read_bytes(), where=str(json_path.with_suffix("")))
