"""Cost curves that the checks hand to a student's function as inputs (not answers).

``gradient_descent_1d(dJ, w0, lr, n_iter)`` takes the slope of a cost as a function; the checks
draw parabolas for it. They live here, outside the lesson's exercise module, because the student
package (:mod:`autograder.student_package`) rebuilds them from the recorded key
(:mod:`autograder.key_codec`) from their two numbers, without any code in the key.
"""
from __future__ import annotations


def parabola_slope(curvature, minimum):
    """``dJ`` of the cost ``J(w) = curvature / 2 * (w - minimum)**2``.

    Parameters
    ----------
    curvature, minimum : float
        The parabola's second derivative and the ``w`` of its minimum.

    Returns
    -------
    callable
        ``dJ(w) -> float`` (or an array of the shape of ``w``); its docstring names the curve.
    """
    def dJ(w):
        return curvature * (w - minimum)
    dJ.__doc__ = f"Slope of J(w) = {curvature:.4g} / 2 * (w - {minimum:.4g})**2."
    return dJ
