"""Pictures for the lessons: networks drawn, the backward pass in steps, descent in two dimensions.

Everything here is pure: it computes what to draw and draws it with matplotlib on a bare
:class:`matplotlib.figure.Figure` (no pyplot, no backend chosen, no Graphviz). The ipywidgets
front ends over these functions live in :mod:`autograder.widgets`; grading imports neither.

* :mod:`.network` -- :func:`draw_network` and one preset per lesson's network;
* :mod:`.stepper` -- the forward and backward pass of the single neuron and of the 2-3-2
  network as a list of steps, and where a student's functions first differ from the reference;
* :mod:`.descent2d` -- gradient descent on the logistic cost over ``(w, b)``;
* :mod:`.lessons` -- the static pictures the lessons show where they teach.
"""
from .network import (  # noqa: F401
    Picture,
    deep_network_picture,
    draw_network,
    hidden_layer_picture,
    logistic_picture,
    network_232_picture,
    neuron_picture,
)
