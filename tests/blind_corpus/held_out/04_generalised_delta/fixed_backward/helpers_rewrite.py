import numpy as np


def fixed_backward(x, t, w, b1, u, b2):
    fw = delta_forward(x, w, b1, u, b2)
    delta_out = output_delta(fw["y"], t)
    delta_hid = hidden_delta(delta_out, u, fw["h"])
    return {"dw": output_weight_gradient(x, delta_hid),
            "db1": np.mean(delta_hid, axis=0),
            "du": output_weight_gradient(fw["h"], delta_out),
            "db2": np.mean(delta_out, axis=0)}
