"""The data-only channel between the trusted grader and the sandboxed student process.

Messages are JSON objects, one per line. Values are encoded as plain JSON (``null``, booleans,
integers, finite floats, strings, lists) or as tagged objects ``{"$": tag, ...}``:

==============  ===============================================================================
tag             meaning
==============  ===============================================================================
``ndarray``     ``{"dtype": "float64", "shape": [...], "data": base64 of little-endian bytes}``
``f64``         a numpy float64 scalar, ``{"v": float}`` (``"nan"``, ``"inf"``, ``"-inf"`` allowed)
``float``       a non-finite Python float, ``{"v": "nan" | "inf" | "-inf"}``
``tuple``       ``{"items": [...]}``
``dict``        ``{"items": [[key, value], ...]}``, string keys, order kept
``generator``   a ``numpy.random.Generator`` (PCG64) by its state (grader -> sandbox only)
``callable``    a function of the grader that the sandbox may call back (grader -> sandbox only)
``unsupported`` something the sandbox could not encode, ``{"type": str}`` (sandbox -> grader)
==============  ===============================================================================

Arrays are always float64: the sandbox converts boolean, integer and floating arrays (exactly
what :func:`autograder.checks.coerce_to_float_array` accepts) and reports anything else as
``unsupported``. No pickling and no evaluation anywhere: the trusted side only ever builds
numbers, strings, lists, tuples, dicts and fresh float64 arrays from what it reads, within the
:class:`Limits` it is given.

This module is copied into the sandbox, so it imports only the standard library and numpy.
"""
from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass

import numpy as np

_SPECIAL_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_INT64 = 2 ** 63


class ProtocolError(ValueError):
    """A message broke the protocol or a limit; the text says which."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what a decoder accepts.

    Attributes
    ----------
    max_depth : int
        Nesting of lists, tuples and dicts (a gradient dict of lists of arrays is depth 3).
    max_items : int
        Entries of all lists, tuples and dicts of one message together.
    max_elements : int
        Floats of all arrays of one message together (8 bytes each).
    max_string : int
        Characters of one string.
    max_ndim : int
        Dimensions of one array.
    """

    max_depth: int = 16
    max_items: int = 200_000
    max_elements: int = 4_000_000
    max_string: int = 200_000
    max_ndim: int = 8


# ---- values -> JSON ----------------------------------------------------------------------------

class EncodeError(TypeError):
    """A value that the channel does not carry (said in the message)."""


def _float_json(value):
    value = float(value)
    if math.isfinite(value):
        return value
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def _array_json(array):
    array = np.asarray(array, dtype="<f8")  # not ascontiguousarray: it makes 0-d arrays 1-d
    return {"$": "ndarray", "dtype": "float64", "shape": list(array.shape),
            "data": base64.b64encode(array.tobytes(order="C")).decode("ascii")}


def encode(value, *, callables=None, strict=True, depth=0, max_depth=16):
    """Encode a value for the channel.

    Parameters
    ----------
    value
        Numbers, strings, ``None``, float64 arrays, numpy scalars, lists, tuples, dicts with
        string keys; with ``callables`` (a list) functions too, recorded there by index; numpy
        ``Generator`` objects with a PCG64 bit generator.
    callables : list, optional
        Where functions are recorded (the grader's side of a call); ``None`` refuses functions.
    strict : bool
        ``True`` (the grader) raises :class:`EncodeError` for anything else; ``False`` (the
        sandbox, encoding what a student returned) encodes it as ``unsupported`` and converts
        boolean/integer arrays and numpy scalars to float64.
    """
    if depth > max_depth:
        if strict:
            raise EncodeError("the value is nested too deeply")
        return {"$": "unsupported", "type": "a value nested too deeply"}
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        if -_INT64 <= value < _INT64:
            return value
        if strict:
            raise EncodeError("an integer outside the int64 range")
        return {"$": "unsupported", "type": "an int outside the int64 range"}
    if kind is float:
        encoded = _float_json(value)
        return encoded if isinstance(encoded, float) else {"$": "float", "v": encoded}
    if issubclass(kind, np.ndarray):
        base = np.ndarray.view(value, np.ndarray)  # a subclass is read through its data only
        if base.dtype == np.float64 or (not strict and base.dtype.kind in "biuf"):
            return _array_json(base)
        if strict:
            raise EncodeError(f"an array of dtype {base.dtype} (only float64 is carried)")
        return {"$": "unsupported", "type": f"an ndarray of dtype {base.dtype}"}
    if issubclass(kind, np.generic):
        scalar = np.array(value)  # copies the data, runs none of the scalar's methods
        if scalar.dtype == np.float64 or (not strict and scalar.dtype.kind in "biuf"):
            return {"$": "f64", "v": _float_json(np.float64(scalar))}
        if strict:
            raise EncodeError(f"a numpy scalar of dtype {scalar.dtype}")
        return {"$": "unsupported", "type": f"a numpy scalar of dtype {scalar.dtype}"}
    nested = dict(callables=callables, strict=strict, depth=depth + 1, max_depth=max_depth)
    if not strict and kind not in (list, tuple, dict):
        # What a student returned may be an OrderedDict or a namedtuple, as the grade cells
        # accept: carried as the plain container, read through the base type's own methods
        # (none of the subclass's runs).
        for base in (dict, tuple, list):
            if issubclass(kind, base):
                value = dict(dict.items(value)) if base is dict else base(base.__iter__(value))
                kind = base
                break
    if kind is list:
        return [encode(item, **nested) for item in value]
    if kind is tuple:
        return {"$": "tuple", "items": [encode(item, **nested) for item in value]}
    if kind is dict:
        if all(type(key) is str for key in value):
            return {"$": "dict", "items": [[key, encode(item, **nested)]
                                           for key, item in value.items()]}
        if strict:
            raise EncodeError("a dict with keys that are not strings")
        return {"$": "unsupported", "type": "a dict with keys that are not strings"}
    if strict and kind is np.random.Generator:
        state = value.bit_generator.state
        if state.get("bit_generator") != "PCG64":
            raise EncodeError(f"a Generator on {state.get('bit_generator')} (only PCG64)")
        return {"$": "generator", "state": _plain_state(state)}
    if strict and callables is not None and callable(value):
        callables.append(value)
        return {"$": "callable", "id": len(callables) - 1}
    if strict:
        raise EncodeError(f"a {kind.__name__}")
    return {"$": "unsupported", "type": f"a {_type_name(value)}"}


def _type_name(value):
    try:
        return str(type(value).__name__)[:80]
    except Exception:  # a hostile metaclass: say nothing more
        return "object"


def _plain_state(state):
    """A bit generator's state as JSON-able data: dicts of ints (PCG64's are 128-bit)."""
    return {key: _plain_state(item) if isinstance(item, dict) else int(item)
            if not isinstance(item, str) else item for key, item in state.items()}


def dumps(message):
    """One message as a line of bytes (no NaN literals: floats are tagged instead)."""
    return (json.dumps(message, allow_nan=False, separators=(",", ":")) + "\n").encode("utf-8")


# ---- JSON -> values ----------------------------------------------------------------------------

class Unsupported:
    """Stands for a value the sandbox could not carry; no check accepts it."""

    __slots__ = ("description",)

    def __init__(self, description):
        self.description = description

    def __repr__(self):
        return f"<unsupported: {self.description}>"


def _refuse_constant(name):
    raise ProtocolError(f"the literal {name} is not allowed")


def loads(line, limits=Limits()):
    """Parse one message line into a dict (its values still encoded)."""
    if len(line) > 0 and line[-1:] == b"\n":
        line = line[:-1]
    try:
        message = json.loads(line.decode("utf-8"), parse_constant=_refuse_constant)
    except ProtocolError:
        raise
    except RecursionError:
        raise ProtocolError("a message is nested too deeply") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProtocolError(f"a message is not valid JSON ({error})") from None
    if type(message) is not dict:
        raise ProtocolError("a message is not a JSON object")
    return message


class Decoder:
    """Decode values of one message within :class:`Limits`.

    Parameters
    ----------
    limits : Limits
    callback : callable, optional
        ``callback(id) -> function`` makes the sandbox's stand-in for a grader function;
        without it a ``callable`` tag is refused (the grader never accepts one).
    allow_generator : bool
        Accept ``generator`` tags (the sandbox does; the grader does not).
    """

    def __init__(self, limits=Limits(), callback=None, allow_generator=False):
        self.limits = limits
        self.callback = callback
        self.allow_generator = allow_generator
        self.items = 0
        self.elements = 0

    def decode(self, value, depth=0):
        kind = type(value)
        if value is None or kind is bool:
            return value
        if kind is int:
            if not -_INT64 <= value < _INT64:
                return Unsupported("an int outside the int64 range")
            return value
        if kind is float:
            return value
        if kind is str:
            return self._string(value)
        if depth >= self.limits.max_depth:
            raise ProtocolError(f"a value is nested deeper than {self.limits.max_depth}")
        if kind is list:
            self._count(len(value))
            return [self.decode(item, depth + 1) for item in value]
        if kind is not dict:
            raise ProtocolError(f"unexpected JSON value of type {kind.__name__}")
        tag = value.get("$")
        if tag == "ndarray":
            return self._array(value)
        if tag in ("f64", "float"):
            number = self._number(value.get("v"))
            return np.float64(number) if tag == "f64" else number
        if tag == "tuple":
            items = self._list(value.get("items"))
            return tuple(self.decode(item, depth + 1) for item in items)
        if tag == "dict":
            items = self._list(value.get("items"))
            result = {}
            for pair in items:
                if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str:
                    raise ProtocolError("a dict entry is not a [string, value] pair")
                result[self._string(pair[0])] = self.decode(pair[1], depth + 1)
            return result
        if tag == "unsupported":
            return Unsupported(self._string(str(value.get("type", "object")))[:200])
        if tag == "generator" and self.allow_generator:
            return _generator(value.get("state"))
        if tag == "callable" and self.callback is not None:
            index = value.get("id")
            if type(index) is not int:
                raise ProtocolError("a callable without an integer id")
            return self.callback(index)
        raise ProtocolError(f"unknown or refused tag {str(tag)[:40]!r}")

    def _count(self, n):
        self.items += n
        if self.items > self.limits.max_items:
            raise ProtocolError(f"a message holds more than {self.limits.max_items} entries")

    def _list(self, items):
        if type(items) is not list:
            raise ProtocolError("tagged items are not a list")
        self._count(len(items))
        return items

    def _string(self, text):
        if len(text) > self.limits.max_string:
            raise ProtocolError(f"a string is longer than {self.limits.max_string} characters")
        return text

    @staticmethod
    def _number(number):
        if type(number) is float:
            return number
        if type(number) is int and -_INT64 <= number < _INT64:
            return float(number)
        if type(number) is str and number in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[number]
        raise ProtocolError("a tagged float is not a number")

    def _array(self, value):
        shape, data = value.get("shape"), value.get("data")
        if value.get("dtype") != "float64":
            raise ProtocolError("an array that is not float64")
        if (type(shape) is not list or len(shape) > self.limits.max_ndim
                or not all(type(n) is int and 0 <= n <= self.limits.max_elements
                           for n in shape)):
            raise ProtocolError("an array shape is not a short list of sizes")
        size = math.prod(shape)
        self.elements += size
        if self.elements > self.limits.max_elements:
            raise ProtocolError(f"a message holds more than {self.limits.max_elements} floats")
        if type(data) is not str or len(data) != 4 * math.ceil(8 * size / 3):
            raise ProtocolError("array data does not match its shape")
        try:
            raw = base64.b64decode(data.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise ProtocolError("array data is not base64") from None
        if len(raw) != 8 * size:
            raise ProtocolError("array data does not match its shape")
        return np.frombuffer(raw, dtype="<f8").astype(np.float64).reshape(shape)


def _generator(state):
    if type(state) is not dict or state.get("bit_generator") != "PCG64":
        raise ProtocolError("a generator state that is not PCG64")
    generator = np.random.Generator(np.random.PCG64())
    generator.bit_generator.state = state
    return generator
