"""Reference implementations of every formula in the course, float64, numpy only.

One module per lesson's mathematics; :mod:`autograder.conventions` states the shapes and that
batch costs are means. Every gradient here is tested against finite differences and against
the independent automatic-differentiation library ``autograd`` (``tests/unit/test_reference_*``).
"""
