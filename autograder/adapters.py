"""Adapters that put a student's function in the form a check compares.

They hold no answer (they reshape what the student's own function returns), so they ship in the
student package too; the lesson modules re-export them for the grade cells
(``from autograder.exercises.lesson04 import named_gradients``).
"""
from __future__ import annotations

import functools

from .checks import CheckFailed, layer_count_failure


def named_gradients(backward):
    """Wrap a ``generalised_backward`` so its two lists come back as one dict of arrays.

    The dict runs from the output layer down (``"dweights[L-1]"``, ``"dbiases[L-1]"``, ...,
    ``"dbiases[0]"``), so a check reports the layer nearest the loss first: an error there
    spreads to every layer below it.

    Parameters
    ----------
    backward : callable
        ``backward(x, t, weights, biases) -> (dweights, dbiases)``, two lists of arrays.

    Returns
    -------
    callable
        ``(x, t, weights, biases) -> dict of str -> array``.
    """
    name = getattr(backward, "__name__", "generalised_backward")

    @functools.wraps(backward)
    def as_dict(x, t, weights, biases):
        result = backward(x, t, weights, biases)
        if result is None:
            raise CheckFailed(f"`{name}` returned None. Did you forget a `return` statement?")
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise CheckFailed(
                f"`{name}` should return two lists, as in `return dweights, dbiases`; it "
                f"returned a {type(result).__name__}."
            )
        n_layers = len(weights)
        for label, grads in zip(("dweights", "dbiases"), result):
            if not isinstance(grads, (list, tuple)) or len(grads) != n_layers:
                got = f"{len(grads)} entries" if isinstance(grads, (list, tuple)) \
                    else f"a {type(grads).__name__}"
                message = (f"`{label}` returned by `{name}` should be a list of {n_layers} "
                           f"arrays, one per layer (this network has {n_layers} weight "
                           f"matrices); it has {got}.")
                if isinstance(grads, (list, tuple)) and abs(len(grads) - n_layers) == 1:
                    raise layer_count_failure(message)
                raise CheckFailed(message)
        dweights, dbiases = result
        named = {}
        for layer in reversed(range(n_layers)):
            named[f"dweights[{layer}]"] = dweights[layer]
            named[f"dbiases[{layer}]"] = dbiases[layer]
        return named

    return as_dict
