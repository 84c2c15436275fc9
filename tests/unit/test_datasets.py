"""Specification of autograder.datasets: data shipped in the package, examples as columns."""
import subprocess
import sys

import numpy as np
import pytest

from autograder.datasets import (
    load_breast_cancer,
    load_digits,
    one_hot,
    train_test_split_columns,
)


@pytest.fixture(scope="module")
def cancer():
    return load_breast_cancer()


@pytest.fixture(scope="module")
def raw_cancer():
    return load_breast_cancer(standardize=False)


# --- breast cancer ---------------------------------------------------------------------------

def test_is_the_breast_cancer_data_in_columns(cancer):
    """Are X (30, 569) and y (1, 569) float64, with 30 feature names in the order of X's rows?"""
    X, y, names = cancer
    assert X.shape == (30, 569) and y.shape == (1, 569)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert len(names) == 30
    assert names[0] == "mean radius" and names[-1] == "worst fractal dimension"


def test_are_the_labels_zero_and_one_with_one_for_benign(cancer):
    """Are the labels exactly 0 and 1, with 357 benign (1) and 212 malignant (0) tumours?"""
    y = cancer[1]
    assert set(np.unique(y)) == {0.0, 1.0}
    assert int(y.sum()) == 357 and int((y == 0).sum()) == 212


def test_is_every_feature_standardized(cancer):
    """Does every row (feature) have mean 0 and standard deviation 1?"""
    X = cancer[0]
    np.testing.assert_allclose(X.mean(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=1), 1.0, rtol=1e-12)


def test_is_standardization_an_affine_map_of_the_raw_data(cancer, raw_cancer):
    """Is the standardized X the raw X centred and scaled row by row (same examples, same order)?
    """
    X, raw = cancer[0], raw_cancer[0]
    np.testing.assert_allclose(X, (raw - raw.mean(axis=1, keepdims=True))
                               / raw.std(axis=1, keepdims=True), rtol=1e-12, atol=1e-12)
    assert raw[0].mean() > 10  # raw mean radius is in millimetres, not standardized
    np.testing.assert_array_equal(cancer[1], raw_cancer[1])


def test_are_features_selected_by_name_and_by_index(raw_cancer):
    """Do names and indices pick the same rows, in the order asked for?"""
    X_all, _, names = raw_cancer
    by_name, y, picked = load_breast_cancer(["worst area", "mean radius"], standardize=False)
    by_index, _, picked_again = load_breast_cancer([23, 0], standardize=False)
    assert picked == picked_again == ["worst area", "mean radius"]
    assert by_name.shape == (2, 569) and y.shape == (1, 569)
    np.testing.assert_array_equal(by_name, by_index)
    np.testing.assert_array_equal(by_name, X_all[[names.index("worst area"), 0]])


def test_is_a_single_feature_name_taken_as_one_feature():
    """Does features='mean radius' (a string, not a list) give that one feature?"""
    X, _, names = load_breast_cancer("mean radius")
    assert X.shape == (1, 569) and names == ["mean radius"]


def test_does_an_unknown_feature_name_give_a_clear_error():
    """Does a misspelt name raise ValueError naming it and listing the known features?"""
    with pytest.raises(ValueError) as error:
        load_breast_cancer(["mean radus"])
    message = str(error.value)
    assert "'mean radus'" in message and "mean radius" in message and "worst area" in message


# --- digits ----------------------------------------------------------------------------------

def test_are_the_digits_columns_of_64_pixels_in_the_unit_interval():
    """Are all 1797 images columns of 64 pixels scaled to [0, 1], with int labels 0..9?"""
    X, labels = load_digits()
    assert X.shape == (64, 1797) and X.dtype == np.float64
    assert labels.shape == (1797,) and labels.dtype.kind == "i"
    assert X.min() == 0.0 and X.max() == 1.0
    assert set(labels.tolist()) == set(range(10))


def test_does_a_digit_subset_keep_only_those_classes_in_order():
    """Does digits=(3, 8) keep exactly the 3s and 8s, as the same columns as the full set?"""
    X_all, labels_all = load_digits()
    X, labels = load_digits(digits=(3, 8))
    keep = np.isin(labels_all, [3, 8])
    assert set(labels.tolist()) == {3, 8} and labels.size == keep.sum()
    np.testing.assert_array_equal(X, X_all[:, keep])
    np.testing.assert_array_equal(labels, labels_all[keep])


def test_are_standardized_digits_finite_with_constant_pixels_at_zero():
    """With standardize=True, are pixels mean 0, std 1 (or all 0 for always-blank pixels)?"""
    X, _ = load_digits(standardize=True)
    assert np.all(np.isfinite(X))
    np.testing.assert_allclose(X.mean(axis=1), 0.0, atol=1e-12)
    std = X.std(axis=1)
    constant = std == 0
    assert constant.any()  # the corner pixels are always blank
    np.testing.assert_array_equal(X[constant], 0.0)
    np.testing.assert_allclose(std[~constant], 1.0, rtol=1e-12)


def test_does_one_hot_put_a_single_one_in_each_column():
    """Is one_hot(labels) (n_classes, n) float64 with a 1 in the row of each label?"""
    labels = np.array([2, 0, 1, 2])
    Y = one_hot(labels)
    np.testing.assert_array_equal(Y, [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]])
    assert Y.dtype == np.float64
    assert one_hot(labels, n_classes=5).shape == (5, 4)
    _, digit_labels = load_digits()
    Y = one_hot(digit_labels)
    assert Y.shape == (10, 1797)
    np.testing.assert_array_equal(Y.sum(axis=0), 1.0)
    np.testing.assert_array_equal(Y.argmax(axis=0), digit_labels)


# --- splitting -------------------------------------------------------------------------------

def test_is_the_split_a_reproducible_partition_of_the_columns(cancer):
    """Same seed, same split; the parts are disjoint, cover every column and keep X with y?"""
    X, y, _ = cancer
    X_train, y_train, X_test, y_test = train_test_split_columns(X, y, seed=3)
    again = train_test_split_columns(X, y, seed=3)
    for first, second in zip((X_train, y_train, X_test, y_test), again):
        np.testing.assert_array_equal(first, second)
    assert X_test.shape == (30, 142) and X_train.shape == (30, 427)
    assert y_test.shape == (1, 142) and y_train.shape == (1, 427)
    together = np.hstack([np.vstack([X_train, y_train]), np.vstack([X_test, y_test])])
    original = np.vstack([X, y])
    order = np.lexsort(together[::-1])
    np.testing.assert_array_equal(together[:, order], original[:, np.lexsort(original[::-1])])


def test_does_another_seed_give_another_split(cancer):
    """Does a different seed shuffle differently?"""
    X, y, _ = cancer
    assert not np.array_equal(train_test_split_columns(X, y, seed=0)[2],
                              train_test_split_columns(X, y, seed=1)[2])


def test_does_the_split_take_one_dimensional_labels_and_a_fraction():
    """Do 1-D labels follow their columns, and does test_fraction set the test size?"""
    X = np.arange(20.0).reshape(2, 10)
    labels = np.arange(10)
    X_train, l_train, X_test, l_test = train_test_split_columns(X, labels, test_fraction=0.3)
    assert X_test.shape == (2, 3) and l_test.shape == (3,) and l_train.shape == (7,)
    np.testing.assert_array_equal(X_test[0], l_test * 1.0)  # column j of X holds j in row 0
    np.testing.assert_array_equal(X_train[0], l_train * 1.0)


# --- the shipped copies ----------------------------------------------------------------------

def test_do_the_loaders_work_without_scikit_learn():
    """Do both loaders run in a process where importing scikit-learn fails, and import no SciPy?"""
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('sklearn', 'scipy'):\n"
        "            raise ImportError(name + ' is blocked in this test')\n"
        "sys.meta_path.insert(0, Block())\n"
        "from autograder.datasets import load_breast_cancer, load_digits\n"
        "X, y, names = load_breast_cancer()\n"
        "D, labels = load_digits()\n"
        "print(X.shape, D.shape, 'scipy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["(30,", "569)", "(64,", "1797)", "False"]


def test_is_the_shipped_breast_cancer_data_scikit_learns_copy_exactly(raw_cancer):
    """Are the shipped measurements, labels and names bit-for-bit scikit-learn's (the oracle)?"""
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    data = sklearn_datasets.load_breast_cancer()
    X, y, names = raw_cancer
    np.testing.assert_array_equal(X, data.data.T)
    np.testing.assert_array_equal(y[0], data.target)
    assert names == list(data.feature_names)


def test_are_the_shipped_digits_scikit_learns_copy_exactly():
    """Are the shipped pixels and labels scikit-learn's, in the same order?"""
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    data = sklearn_datasets.load_digits()
    X, labels = load_digits()
    np.testing.assert_array_equal(X * 16.0, data.data.T)
    np.testing.assert_array_equal(labels, data.target)


def test_can_a_caller_not_change_what_the_next_caller_loads():
    """Does changing a returned array leave the next load untouched (the files are cached)?"""
    X, _, _ = load_breast_cancer(standardize=False)
    X[:] = 0.0
    again, _, _ = load_breast_cancer(standardize=False)
    assert again.max() > 0
