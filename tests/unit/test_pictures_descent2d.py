"""Specification of the 2-D descent view of lesson 3 (autograder.pictures.descent2d and its widget):
the path is the reference's gradient descent, the slip climbs, the boundary is where a = 1/2."""
import numpy as np
import pytest

from autograder.gradcheck import numerical_gradient, relative_error
from autograder.pictures import descent2d as d2
from autograder.reference.logistic import logistic_gradient_descent


def test_is_the_path_the_reference_gradient_descent():
    """Do the iterates and costs of descent_path equal reference.logistic_gradient_descent's
    after the same number of steps from the same start?"""
    X, y = d2.data()
    path, costs = d2.descent_path(w0=1.5, b0=-2.0, lr=0.8, n_iter=25)
    w, b, ref_costs = logistic_gradient_descent(X, y, 0.8, 25, w0=np.array([[1.5]]), b0=-2.0)
    np.testing.assert_allclose(path[-1], [w[0, 0], b], rtol=1e-12)
    np.testing.assert_allclose(costs, ref_costs, rtol=1e-12)


def test_does_each_step_follow_the_finite_difference_gradient():
    """Is the first step -lr times the centred-difference gradient of J at the start?"""
    path, _ = d2.descent_path(w0=1.0, b0=0.5, lr=0.3, n_iter=1)
    numeric = numerical_gradient(lambda q: d2.cost(q["w"], q["b"]),
                                 {"w": np.array(1.0), "b": np.array(0.5)})
    step = (path[1] - path[0]) / -0.3
    assert relative_error(step[0], numeric["w"]) < 1e-7
    assert relative_error(step[1], numeric["b"]) < 1e-7


def test_does_descent_go_down_and_the_sign_slip_climb():
    """With the default settings, does the cost fall at every step towards the minimum, and
    with the slip y - a, rise at every step?"""
    _, down = d2.descent_path(n_iter=100)
    _, up = d2.descent_path(slip=True)
    assert np.all(np.diff(down) < 0) and np.all(np.diff(up[np.isfinite(up)]) > 0)
    w_star, b_star = d2.minimum()
    assert abs(down[-1] - d2.cost(w_star, b_star)) < 1e-2
    assert w_star < 0  # a larger radius is less likely benign


def test_is_the_contour_grid_the_reference_cost():
    """Is each grid value J(w, b) from the reference cost?"""
    W, B, J = d2.cost_grid(n=7)
    for i, j in ((0, 0), (3, 5), (6, 2)):
        assert J[i, j] == pytest.approx(d2.cost(W[i, j], B[i, j]), rel=1e-12)


def test_is_the_decision_boundary_where_the_model_says_one_half():
    """At x = decision_boundary(w, b), is sigma(w x + b) = 1/2; and none for w = 0?"""
    from autograder.activations import sigmoid

    x = d2.decision_boundary(-2.0, 0.7)
    assert sigmoid(-2.0 * x + 0.7) == pytest.approx(0.5)
    assert d2.decision_boundary(0.0, 1.0) is None


def test_does_a_run_away_path_end_in_nan_without_warnings():
    """A huge learning rate with the slip: does the path stop with nan rows, and no warning?"""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path, costs = d2.descent_path(lr=1e7, slip=True, n_iter=10)
    assert np.isnan(path[-1]).all() and np.isfinite(path[0]).all()


def test_does_the_widget_follow_the_iteration_slider_and_the_slip_toggle(capfd):
    """Moving the iterate slider: does the marker move to that iterate and the picture change?
    Turning the slip on: does the shown cost at the same k go up, and the note say it climbs?"""
    from autograder import widgets as wd

    plane = wd.descent_plane()
    plane.k_slider.value = 5
    before = plane.image.value
    x, y = plane.plot.lines["current"].get_data()
    np.testing.assert_array_equal([x[0], y[0]], plane.path[5])
    plane.k_slider.value = 6
    assert plane.image.value != before and plane.plot.shown["k"] == 6
    down = plane.plot.shown["J"]
    plane.slip_toggle.value = True
    assert plane.plot.shown["J"] > plane.costs[0] > down
    assert "climbs" in plane.plot.shown["note"]
    plane.close()
    assert capfd.readouterr().err == ""


# --- the student's own logistic_cost and logistic_gradients ------------------------------------

def _cost_by_loop(w, b, X, y):
    """A right cost written another way (a loop over examples, stable)."""
    total = 0.0
    for i in range(X.shape[1]):
        z = float(w[0, 0] * X[0, i] + b)
        total += np.logaddexp(0.0, z) - y[0, i] * z
    return total / X.shape[1]


def _gradients_mine(w, b, X, y):
    a = 1.0 / (1.0 + np.exp(-(w.T @ X + b)))
    return (X @ (a - y).T) / X.shape[1], float(np.mean(a - y))


def _gradients_slip(w, b, X, y):
    dw, db = _gradients_mine(w, b, X, y)
    return -dw, -db


def _unwritten(w, b, X, y):
    raise NotImplementedError()


def test_do_right_functions_written_otherwise_make_the_students_path():
    """A loop cost and a vectorised gradient: is the run the student's, equal to the reference's?"""
    run = d2.plane_descent(1.5, -2.0, 0.8, 25, cost_fn=_cost_by_loop, gradients_fn=_gradients_mine)
    assert (run.source, run.note) == ("yours", "")
    path, costs = d2.descent_path(1.5, -2.0, 0.8, 25)
    np.testing.assert_allclose(run.path, path, rtol=1e-10)
    np.testing.assert_allclose(run.costs, costs, rtol=1e-10)


@pytest.mark.parametrize("cost_fn, gradients_fn, words", [
    (_cost_by_loop, _gradients_slip, "Your logistic_gradients gives (dw, db)"),
    (lambda w, b, X, y: 2 * _cost_by_loop(w, b, X, y), _gradients_mine, "Your logistic_cost gives"),
    (_unwritten, _gradients_mine, "Your logistic_cost is not written yet"),
    (_cost_by_loop, lambda w, b, X, y: w @ X, "Your logistic_gradients raised"),
])
def test_is_a_wrong_function_named_and_the_reference_path_shown(cost_fn, gradients_fn, words):
    """A gradient with the sign slip, a doubled cost, an unwritten cost, a crash: does the note
    name the function and the picture show the reference's path?"""
    run = d2.plane_descent(1.0, 0.5, 0.3, 10, cost_fn=cost_fn, gradients_fn=gradients_fn)
    assert words in run.note and run.source == "reference"
    np.testing.assert_array_equal(run.path, d2.descent_path(1.0, 0.5, 0.3, 10)[0])


def test_without_a_reference_is_the_students_path_or_the_start_shown(monkeypatch):
    """In the student package: a slipped gradient draws the student's (climbing) path with the
    note; unwritten functions draw the start only; the widget says so and never raises."""
    from autograder import widgets as wd

    monkeypatch.setattr(d2, "reference_functions", lambda: None)
    run = d2.plane_descent(1.0, 0.5, 0.3, 10, cost_fn=_cost_by_loop, gradients_fn=_gradients_slip)
    assert run.source == "yours" and "shows your path" in run.note
    assert np.all(np.diff(run.costs) > 0)  # the slip climbs
    blank = d2.plane_descent(1.0, 0.5, 0.3, 10, cost_fn=_unwritten, gradients_fn=_unwritten)
    assert blank.source == "none" and "not written yet" in blank.note
    assert np.isfinite(blank.path[0]).all() and np.isnan(blank.path[1:]).all()
    with pytest.raises(RuntimeError, match="cost=logistic_cost"):
        d2.descent_path(1.0, 0.5, 0.3, 10)
    plane = wd.descent_plane(cost=_unwritten, gradients=_unwritten, display=False)
    assert "not written yet" in plane.note_html.value
    assert plane.plot.shown["note"].startswith("no path")
    plane.close()
