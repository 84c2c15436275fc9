import numpy as np
from scipy.special import expit


def neuron_forward(w, b, x):
    z = b + x * w
    return z, expit(z)
