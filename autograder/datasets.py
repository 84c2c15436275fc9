"""Real data that needs no download: two small UCI data sets shipped inside this package.

The files in ``autograder/data/`` are the copies scikit-learn distributes, saved once with
numpy (``np.savez_compressed``; exact float64 values, pixels as uint8), so the lessons load them
with numpy alone: no scikit-learn (and SciPy) at run time, which cost every kernel seconds of
import and the Binder image a large share of its size. ``tests/unit/test_datasets.py`` proves the
copies equal scikit-learn's where scikit-learn is installed (it is a test oracle only).

Both data sets are CC BY 4.0 (see ``LICENSE-CONTENT.md``). Returned in this package's
convention (:mod:`autograder.conventions`): examples as columns.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

DATA_FOLDER = Path(__file__).with_name("data")


@lru_cache(maxsize=None)
def _arrays(name):
    """The arrays of ``data/<name>.npz`` (read once per process; no pickled objects allowed)."""
    with np.load(DATA_FOLDER / f"{name}.npz", allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    for array in arrays.values():
        array.setflags(write=False)  # cached: a caller must not change what the next one gets
    return arrays


def _standardize(X):
    """Centre and scale each row (feature) of ``X`` (n_features, n_samples) to unit variance."""
    mean = X.mean(axis=1, keepdims=True)
    std = X.std(axis=1, keepdims=True)
    return (X - mean) / np.where(std > 0, std, 1.0)


def load_breast_cancer(features=None, standardize=True):
    """The Wisconsin diagnostic breast-cancer data (569 tumours, 30 measurements).

    Source: W. N. Street, W. H. Wolberg and O. L. Mangasarian (1993), UCI Machine Learning
    Repository (CC BY 4.0), the copy scikit-learn distributes. Label 1 = benign, 0 = malignant.

    Parameters
    ----------
    features : sequence of str or int, optional
        Feature names (e.g. ``"mean radius"``) or column indices; all 30 when omitted.
    standardize : bool
        Scale every feature to mean 0 and standard deviation 1 (gradient descent needs it).

    Returns
    -------
    X : (n_features, 569) ndarray of float64
    y : (1, 569) ndarray of float64 in {0, 1}
    names : list of str, the feature names in the order of the rows of ``X``
    """
    data = _arrays("breast_cancer")
    names = [str(name) for name in data["feature_names"]]
    if isinstance(features, (str, int, np.integer)):  # one feature, not its characters
        features = [features]
    if features is None:
        idx = list(range(len(names)))
    else:
        idx = []
        for f in features:
            if isinstance(f, str):
                if f not in names:
                    raise ValueError(f"Unknown feature {f!r}. Known features: {', '.join(names)}.")
                idx.append(names.index(f))
            else:
                idx.append(int(f))
    X = np.array(data["data"][:, idx], dtype=np.float64).T
    if standardize:
        X = _standardize(X)
    y = np.array(data["target"], dtype=np.float64).reshape(1, -1)
    return X, y, [names[i] for i in idx]


def load_digits(digits=None, standardize=False):
    """Handwritten digits, 8x8 grey-level images (1797 images), the copy scikit-learn distributes.

    Source: E. Alpaydin and C. Kaynak (1998), UCI Machine Learning Repository (CC BY 4.0).

    Parameters
    ----------
    digits : sequence of int, optional
        Keep only these classes (e.g. ``(3, 8)`` for a binary task); all ten when omitted.
    standardize : bool
        Standardise pixels per feature; by default pixels are scaled to [0, 1] instead.

    Returns
    -------
    X : (64, n_samples) ndarray of float64
    labels : (n_samples,) ndarray of int, the digit of each image
    """
    data = _arrays("digits")
    X = np.array(data["data"], dtype=np.float64)
    labels = np.array(data["target"], dtype=np.int64)
    if digits is not None:
        keep = np.isin(labels, list(digits))
        X, labels = X[keep], labels[keep]
    X = X.T
    X = _standardize(X) if standardize else X / 16.0
    return X, labels


def one_hot(labels, n_classes=None):
    """Targets as columns: ``(n_classes, n_samples)`` with a 1 in the row of each label."""
    labels = np.asarray(labels, dtype=np.int64)
    n_classes = int(labels.max()) + 1 if n_classes is None else int(n_classes)
    Y = np.zeros((n_classes, labels.size), dtype=np.float64)
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def train_test_split_columns(X, Y, test_fraction=0.25, seed=0):
    """Split column-wise data into train and test parts with a seeded shuffle.

    Returns
    -------
    X_train, Y_train, X_test, Y_test : ndarrays, columns taken from ``X`` and ``Y``
    """
    n = X.shape[1]
    order = np.random.default_rng(seed).permutation(n)
    n_test = int(round(test_fraction * n))
    test, train = order[:n_test], order[n_test:]
    Y = np.asarray(Y)
    take = (lambda A, i: A[..., i])
    return take(X, train), take(Y, train), take(X, test), take(Y, test)
