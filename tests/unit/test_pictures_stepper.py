"""Specification of the backprop stepper's steps (autograder.pictures.stepper): the values are the
reference's and finite differences', and a planted bug is found where it enters."""
import numpy as np
import pytest

from autograder.gradcheck import numerical_gradient, relative_error
from autograder.pictures import stepper as st
from autograder.reference import delta_rule, hidden_layer, neuron
from layout import REPO


def test_are_the_neurons_steps_lesson_1s_worked_example():
    """On w = 0.5, b = -1, x = 2, y = 1: is z = 0, a = 0.5, dL/dz = -0.125 and dL/dw = -0.25, the
    numbers lesson 1 works out, with the formula written out with those numbers?"""
    walk = st.neuron_walkthrough()
    v = {s.key: s.value for s in walk.steps}
    assert (v["z"], v["a"], v["dL/da"], v["dL/dz"], v["dL/dw"], v["dL/db"]) == \
        (0.0, 0.5, -0.5, -0.125, -0.25, -0.125)
    assert walk.step("dL/dw").formula == "∂L/∂w = ∂L/∂z · x = (-0.125) · 2 = -0.25"
    assert walk.step("dL/dz").local == "σ'(z) = a (1 − a) = 0.25"
    assert [s.phase for s in walk.steps] == ["forward"] * 4 + ["backward"] * 4


@pytest.mark.parametrize("point", [dict(), dict(w=-1.3, b=0.4, x=-0.7, y=0.2)])
def test_do_the_neurons_gradients_equal_the_reference_and_finite_differences(point):
    """Are dL/dw, dL/db those of reference.neuron_example_gradients, and are they, and dL/dz and
    dL/da, the finite-difference slopes of the loss?"""
    walk = st.neuron_walkthrough(**point)
    p = walk.inputs
    grads = st.reference_gradients(walk)
    dw, db = neuron.neuron_example_gradients(p["w"], p["b"], p["x"], p["y"])
    assert grads == {"dw": dw, "db": db}

    def loss(q):
        return neuron.neuron_cost(q["w"], q["b"], np.array([p["x"]]), np.array([p["y"]]))

    numeric = numerical_gradient(loss, {"w": np.array(p["w"]), "b": np.array(p["b"])})
    assert relative_error(grads["dw"], numeric["w"]) < 1e-8
    assert relative_error(grads["db"], numeric["b"]) < 1e-8
    z = walk.step("z").value
    from autograder.activations import sigmoid
    by_z = numerical_gradient(lambda q: 0.5 * (sigmoid(q["z"]) - p["y"]) ** 2,
                              {"z": np.array(z)})["z"]
    by_a = numerical_gradient(lambda q: 0.5 * (q["a"] - p["y"]) ** 2,
                              {"a": np.array(walk.step("a").value)})["a"]
    assert relative_error(walk.step("dL/dz").value, by_z) < 1e-8
    assert relative_error(walk.step("dL/da").value, by_a) < 1e-8


def test_is_the_2_3_2_example_the_first_row_of_lesson_4s_worked_batch():
    """Does lesson4_worked_example make the arrays of lesson 4's make_network(m=5, seed=4)?"""
    import ast
    
    source = (REPO / "course" / "source" / "04_generalised_delta"
              / "04_generalised_delta.py").read_text()
    tree = ast.parse(source)
    make = next(n for n in tree.body if isinstance(n, ast.FunctionDef)
                and n.name == "make_network")
    namespace = {"np": np}
    exec(compile(ast.Module([make], []), "<lesson 4>", "exec"), namespace)
    for ours, lessons in zip(st.lesson4_worked_example(), namespace["make_network"](5, 4)):
        np.testing.assert_array_equal(ours, lessons)


def test_do_the_2_3_2_gradients_equal_the_reference_and_finite_differences():
    """Do the stepper's 16 parameter gradients equal reference.delta_gradients on its example,
    and the centred-difference gradient of the loss (relative error < 1e-7 per parameter)?"""
    walk = st.network_232_walkthrough()
    p = walk.inputs
    ours = st.reference_gradients(walk)
    X, T = p["x"][None, :], p["t"][None, :]
    reference = delta_rule.delta_gradients(X, T, p["w"], p["b1"], p["u"], p["b2"])
    for name in ("dw", "db1", "du", "db2"):
        np.testing.assert_array_equal(ours[name], reference[name])

    def loss(q):
        return delta_rule.delta_cost(X, T, q["w"], q["b1"], q["u"], q["b2"])

    numeric = numerical_gradient(loss, {k: p[k] for k in ("w", "b1", "u", "b2")})
    for name in ("w", "b1", "u", "b2"):
        assert np.max(relative_error(ours["d" + name], numeric[name])) < 1e-7, name


def test_are_the_hidden_errors_finite_difference_slopes_in_h():
    """Is each dL/dh_j, the sum over both paths, the slope of the loss in h_j?"""
    walk = st.network_232_walkthrough()
    p = walk.inputs
    from autograder.activations import sigmoid
    h = np.array([walk.step(f"h{j}").value for j in (1, 2, 3)])
    numeric = numerical_gradient(
        lambda q: 0.5 * np.sum((sigmoid(q["h"] @ p["u"] + p["b2"]) - p["t"]) ** 2), {"h": h})["h"]
    ours = np.array([walk.step(f"dL/dh{j}").value for j in (1, 2, 3)])
    assert np.max(relative_error(ours, numeric)) < 1e-7
    assert walk.step("dL/dh1").formula.startswith("∂L/∂h1 = δ1 u11 + δ2 u12 = ")


def test_does_the_walkthrough_go_forward_then_backward_through_every_node_and_weight():
    """Are there 8 forward steps (x1, x2, h1..h3, y1, y2, L) and then a gradient for every node,
    every weight and every bias, each highlighting something on the picture?"""
    walk = st.network_232_walkthrough()
    keys = [s.key for s in walk.steps]
    assert keys[:8] == ["x1", "x2", "h1", "h2", "h3", "y1", "y2", "L"]
    assert walk.n_forward == 8
    for name in [f"w{i}{j}" for i in (1, 2) for j in (1, 2, 3)] + \
            [f"u{j}{k}" for j in (1, 2, 3) for k in (1, 2)]:
        assert f"dL/d{name}" in keys
    assert all(s.targets for s in walk.steps)
    assert keys.index("delta1") < keys.index("dL/dh1") < keys.index("deltah1") < \
        keys.index("dL/dw11")


def _reference_functions():
    return {"delta_forward": delta_rule.delta_forward, "output_delta": delta_rule.output_delta,
            "output_weight_gradient": delta_rule.output_weight_gradient,
            "hidden_error": delta_rule.hidden_error, "hidden_delta": delta_rule.hidden_delta,
            "delta_gradients": delta_rule.delta_gradients}


def test_do_correct_functions_match_at_every_step():
    """With the reference functions passed in as the student's, does every step they compute
    match, and no step differ?"""
    walk = st.network_232_walkthrough()
    checks = st.check_steps(walk, st.student_values(walk, _reference_functions()))
    assert st.first_difference(checks) is None
    assert {c.status for c in checks} == {"match", "unchecked"}
    assert [c.step.key for c in checks if c.status == "unchecked"] == ["x1", "x2", "L"]


def test_is_a_hidden_delta_with_y_for_h_marked_at_the_hidden_delta():
    """A hidden_delta with the wrong local factor (h h for h (1 - h)) planted: is the first
    differing step the first hidden delta, with every step before it matching?"""
    functions = _reference_functions()
    functions["hidden_delta"] = lambda d, u, h: (d @ u.T) * h * h
    functions["delta_gradients"] = None
    functions = {k: f for k, f in functions.items() if f is not None}
    walk = st.network_232_walkthrough()
    checks = st.check_steps(walk, st.student_values(walk, functions))
    first = st.first_difference(checks)
    assert checks[first].step.key == "deltah1"
    assert all(c.status in ("match", "unchecked") for c in checks[:first])
    assert "reference" in checks[first].message


def test_does_a_wrong_output_delta_enter_at_the_output_and_flow_on():
    """A sign slip in output_delta (t - y): is the bug marked at delta1, and do the student's own
    downstream functions (fed their delta) differ as well?"""
    functions = _reference_functions()
    functions["output_delta"] = lambda y, t: (t - y) * y * (1 - y)
    walk = st.network_232_walkthrough()
    checks = st.check_steps(walk, st.student_values(walk, functions))
    assert checks[st.first_difference(checks)].step.key == "delta1"
    by_key = {c.step.key: c.status for c in checks}
    assert by_key["dL/du11"] == "differs" and by_key["deltah1"] == "differs"


def test_is_a_crashing_function_reported_on_its_step_without_crashing_the_stepper():
    """A student's output_weight_gradient that raises: is its step marked "error" with the
    exception's message, and the steps before it still checked?"""
    def broken(h, delta_out):
        raise RuntimeError("oops")

    walk = st.network_232_walkthrough()
    checks = st.check_steps(walk, st.student_values(walk, {"output_delta": delta_rule.output_delta,
                                                           "output_weight_gradient": broken}))
    first = checks[st.first_difference(checks)]
    assert first.step.key == "dL/du11" and first.status == "error" and "oops" in first.message


def test_is_the_neuron_bug_located_at_dL_dz_or_at_the_bias():
    """Neuron: sigma'(a) for sigma'(z) marks dL/dz first; x for 1 in dL/db (slip S2) marks only
    dL/db."""
    walk = st.neuron_walkthrough(w=0.8, b=-0.3, x=1.5, y=1.0)
    from autograder.activations import sigmoid, sigmoid_prime

    def forward(w, b, x):
        z = w * x + b
        return z, sigmoid(z)

    def wrong_slope(w, b, x, y):
        z, a = forward(w, b, x)
        d = (a - y) * sigmoid_prime(a)
        return d * x, d

    def bias_times_x(w, b, x, y):
        z, a = forward(w, b, x)
        d = (a - y) * sigmoid_prime(z)
        return d * x, d * x

    for bad, where in ((wrong_slope, "dL/dz"), (bias_times_x, "dL/db")):
        checks = st.check_steps(walk, st.student_values(
            walk, {"neuron_forward": forward, "neuron_example_gradients": bad}))
        assert checks[st.first_difference(checks)].step.key == where


def test_does_an_unknown_function_name_get_a_message_listing_the_known_ones():
    """Passing {"hiden_delta": ...}: does the error name the functions the stepper uses?"""
    walk = st.network_232_walkthrough()
    with pytest.raises(ValueError, match="hidden_delta"):
        st.student_values(walk, {"hiden_delta": delta_rule.hidden_delta})


def test_does_the_student_function_get_copies_of_the_inputs():
    """A student function that changes its arguments in place: are the walkthrough's inputs
    unchanged afterwards?"""
    walk = st.network_232_walkthrough()
    before = walk.inputs["u"].copy()

    def vandal(delta_out, u, h):
        u *= 0
        return delta_rule.hidden_delta(delta_out, before, h)

    st.student_values(walk, {"hidden_delta": vandal})
    np.testing.assert_array_equal(walk.inputs["u"], before)


def test_does_a_batch_of_several_examples_get_a_clear_message():
    """The stepper follows one example: does x of shape (5, 2) get a message saying to pass
    x[0]?"""
    x, t, w, b1, u, b2 = st.lesson4_worked_example()
    with pytest.raises(ValueError, match=r"x\[0\]"):
        st.network_232_walkthrough(x, t, w, b1, u, b2)


def test_do_the_pictures_and_the_grading_code_leave_ipywidgets_and_pyplot_alone():
    """Importing autograder.pictures (all of it), the checks and the grading pipeline, and
    building a walkthrough: is neither ipywidgets nor pyplot imported? (A separate process, so
    no other test's imports count.)"""
    import subprocess
    import sys

    code = ("import sys\n"
            "import autograder.checks, autograder.pipeline.grading\n"
            "from autograder.pictures import network, stepper, descent2d, lessons\n"
            "stepper.network_232_walkthrough(); network.network_232_picture().png()\n"
            "print('ipywidgets' in sys.modules, 'matplotlib.pyplot' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]


# --- the student package: the worked walkthroughs recorded as data ------------------------------

def test_is_the_recorded_walkthrough_the_live_one(tmp_path):
    """Written and read back, are every network's steps and inputs exactly the live ones?"""
    path = st.record_walkthroughs(tmp_path / "walkthroughs.json")
    for network in st.NETWORKS:
        live, recorded = st.walkthrough(network), st.recorded_walkthrough(network, path)
        assert recorded.steps == live.steps
        assert recorded.inputs.keys() == live.inputs.keys()
        for key, value in live.inputs.items():
            np.testing.assert_array_equal(recorded.inputs[key], value)


def test_without_a_reference_is_the_recorded_example_stepped(tmp_path, monkeypatch):
    """With no reference installed: does walkthrough() read the recorded example, refuse other
    inputs with a message that says what to do, and say so when the record is missing?"""
    from autograder import answer_key

    path = st.record_walkthroughs(tmp_path / "walkthroughs.json")
    live = st.walkthrough("neuron")
    monkeypatch.setattr(answer_key, "live", lambda: False)
    monkeypatch.setattr(st, "RECORDED", path)
    monkeypatch.setattr(st.recorded_walkthrough, "__defaults__", (path,))
    assert st.walkthrough("neuron").steps == live.steps
    with pytest.raises(ValueError, match="worked example only: call backprop_stepper without w"):
        st.walkthrough("neuron", w=1.0)
    monkeypatch.setattr(st.recorded_walkthrough, "__defaults__", (tmp_path / "absent.json",))
    with pytest.raises(RuntimeError, match="make student-package"):
        st.walkthrough("232")


# --- lesson 2's network: one hidden layer, one linear output ---------------------------------

def _hidden_functions():
    return {"hidden_forward": hidden_layer.hidden_forward,
            "output_layer_gradients": hidden_layer.output_layer_gradients,
            "hidden_layer_gradients": hidden_layer.hidden_layer_gradients}


def test_is_the_hidden_layer_example_the_first_column_of_lesson_2s_worked_example():
    """Is the stepped example column 0 of lesson 2's X (its own cell's numbers, z^[1]_1 = 0.22
    as the lesson works out), and are the forward values those of reference.hidden_forward?"""
    walk = st.hidden_walkthrough()
    params, X, y = st.lesson2_worked_example()
    np.testing.assert_array_equal(walk.inputs["x"], X[:, 0])
    assert walk.inputs["y"] == y[0, 0]
    assert "σ(0.22)" in walk.step("a1").formula
    forward = hidden_layer.hidden_forward(params, X[:, :1])
    v = {s.key: s.value for s in walk.steps}
    np.testing.assert_allclose([v["a1"], v["a2"]], forward["A1"][:, 0], rtol=1e-15)
    assert v["yhat"] == pytest.approx(forward["y_hat"][0, 0], rel=1e-15)
    assert v["L"] == pytest.approx(0.5 * (v["yhat"] - y[0, 0]) ** 2, rel=1e-15)


@pytest.mark.parametrize("seed", [None, 3])
def test_do_the_hidden_layer_gradients_equal_the_reference_and_finite_differences(seed):
    """On the worked example and on a random 4-3-1 network: are the stepped parameter gradients
    reference.hidden_backward's, and the hidden deltas and dL/da^[1] finite-difference slopes
    of the loss in z^[1] and a^[1]?"""
    if seed is None:
        walk = st.hidden_walkthrough()
    else:
        rng = np.random.default_rng(seed)
        walk = st.hidden_walkthrough(W1=rng.normal(size=(3, 4)), b1=rng.normal(size=(3, 1)),
                                     W2=rng.normal(size=(1, 3)), b2=rng.normal(size=(1, 1)),
                                     x=rng.normal(size=4), y=rng.normal())
    p = walk.inputs
    params = {k: p[k] for k in ("W1", "b1", "W2", "b2")}
    X, Y = p["x"][:, None], np.array([[p["y"]]])
    ours, theirs = st.reference_gradients(walk), hidden_layer.hidden_backward(params, X, Y)
    for name in theirs:
        np.testing.assert_allclose(ours[name], theirs[name], rtol=1e-12, atol=1e-15)
    v = {s.key: s.value for s in walk.steps}
    Z1 = params["W1"] @ X + params["b1"]

    def loss_from_z1(z1):
        y_hat = params["W2"] @ (1 / (1 + np.exp(-z1))) + params["b2"]
        return float(0.5 * (y_hat[0, 0] - Y[0, 0]) ** 2)

    def loss_from_a1(a1):
        return float(0.5 * ((params["W2"] @ a1 + params["b2"])[0, 0] - Y[0, 0]) ** 2)

    d = Z1.shape[0]
    deltas = numerical_gradient(lambda q: loss_from_z1(q["z1"]), {"z1": Z1})["z1"]
    slopes = numerical_gradient(lambda q: loss_from_a1(q["a1"]),
                                {"a1": 1 / (1 + np.exp(-Z1))})["a1"]
    for j in range(d):
        assert relative_error(v[f"delta1_{j + 1}"], deltas[j, 0]) < 1e-7
        assert relative_error(v[f"dL/da1_{j + 1}"], slopes[j, 0]) < 1e-7


def test_do_lesson_2s_correct_functions_match_and_a_doubled_delta_enter_at_the_delta():
    """With the reference functions: does every step they compute match (the inputs, L and
    dL/da^[1] unchecked: no function returns them)? With hidden_layer_gradients doubling its
    result: is the first difference the first hidden delta, after matching forward steps?"""
    walk = st.hidden_walkthrough()
    checks = st.check_steps(walk, st.student_values(walk, _hidden_functions()))
    assert st.first_difference(checks) is None
    assert [c.step.key for c in checks if c.status == "unchecked"] == \
        ["x1", "x2", "x3", "L", "dL/da1_1", "dL/da1_2"]

    def doubled(params, X, y, activation="sigmoid"):
        dW1, db1 = hidden_layer.hidden_layer_gradients(params, X, y, activation)
        return 2 * dW1, 2 * db1

    functions = {**_hidden_functions(), "hidden_layer_gradients": doubled}
    checks = st.check_steps(walk, st.student_values(walk, functions))
    first = st.first_difference(checks)
    assert checks[first].step.key == "delta1_1"
    assert all(c.status in ("match", "unchecked") for c in checks[:first])


def test_is_a_transposed_or_crashing_lesson_2_function_reported_on_its_step():
    """A hidden_forward whose A1 is a flat (d,) array still matches (the entries are right);
    an output_layer_gradients returning one array is an error on its steps, not a crash."""
    def flat_forward(params, X, activation="sigmoid"):
        out = hidden_layer.hidden_forward(params, X, activation)
        return {**out, "A1": out["A1"].ravel()}

    functions = {**_hidden_functions(), "hidden_forward": flat_forward,
                 "output_layer_gradients": lambda params, X, y: np.zeros(3)}
    walk = st.hidden_walkthrough()
    by_key = {c.step.key: c for c in st.check_steps(walk, st.student_values(walk, functions))}
    assert by_key["a1"].status == "match"
    assert by_key["dL/dw2_1"].status == "error"
    assert "output_layer_gradients" in by_key["dL/dw2_1"].message
