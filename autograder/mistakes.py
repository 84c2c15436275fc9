"""The catalogue of common backpropagation mistakes, worded once for every lesson.

Lessons build :class:`autograder.exercises.Mistake` objects with :func:`mistake`, giving the
wrong computation and the section that explains the right one; the wording lives here so a
student meets the same name for the same mistake in every lesson.
"""
from __future__ import annotations

from .exercises import Mistake

#: key -> what the student most likely did, in a sentence written for the student.
CATALOGUE = {
    "opposite_sign": (
        "the sign is flipped: this is what you get with y - a (or t - y) where a - y belongs, "
        "or with + where gradient descent needs -. With the flipped sign, gradient descent "
        "climbs the loss instead of descending it"
    ),
    "h_prime_wrong_layer": (
        "the derivative of the activation is taken at the wrong layer's pre-activation, "
        "h'(z^(2)) where h'(z^(1)) belongs (the slip in the source notes)"
    ),
    "sigma_for_sigma_prime": (
        "the activation itself, sigma(z), stands where its derivative sigma'(z) belongs"
    ),
    "sigma_prime_at_a": (
        "the derivative is evaluated at the activation a = sigma(z) instead of at z: "
        "sigma'(a) is not sigma'(z) (sigma'(z) = a(1 - a) is fine; sigma'(a) is not)"
    ),
    "missing_transpose": (
        "a transpose is missing (or one too many): check which index runs over examples "
        "and which over units in each matrix product"
    ),
    "sum_not_mean": (
        "this is the sum over the batch; the course's convention is the mean, so divide by "
        "the number of examples"
    ),
    "mean_not_sum": (
        "this is the mean over the batch where the sum is asked for here"
    ),
    "forgotten_bias": (
        "the bias is left out of the linear part z = w x + b"
    ),
    "forgotten_batch_sum": (
        "the per-example terms are not combined over the batch: every example must contribute"
    ),
    "wrong_layer_activation": (
        "the delta is built from the wrong layer's activation (for example the output y "
        "where the hidden h belongs, the slip in the source notes)"
    ),
    "forgotten_chain_factor": (
        "a factor of the chain rule is missing"
    ),
    "single_path": (
        "only one path from the weight to the loss is counted; a weight used by several "
        "units collects one term per path, summed"
    ),
    "no_update": (
        "the parameters come back unchanged: the update step is not applied"
    ),
    "gradient_ascent": (
        "the step goes uphill: the update must subtract lr times the gradient"
    ),
    "wrong_output": (
        "the returned value is a different quantity from the one asked for"
    ),
}


def mistake(key, fn, where="", message=None) -> Mistake:
    """Build a :class:`Mistake` with the catalogue's wording for ``key``.

    Parameters
    ----------
    key : str
        A key of :data:`CATALOGUE`, or a new key together with ``message``.
    fn : callable
        The wrong computation, with the reference's signature.
    where : str
        The lesson section that explains the right version.
    message : str, optional
        Overrides or supplies the wording.
    """
    if message is None:
        try:
            message = CATALOGUE[key]
        except KeyError:
            raise KeyError(f"Unknown mistake {key!r}: give a message or use one of "
                           f"{', '.join(sorted(CATALOGUE))}.") from None
    return Mistake(key=key, fn=fn, message=message, where=where)
