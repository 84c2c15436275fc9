def delta_gradients(x, t, w, b1, u, b2):
    fw = delta_forward(x, w, b1, u, b2)
    d_out = output_delta(fw["y"], t)
    d_hid = hidden_delta(d_out, u, fw["h"])
    return {"dw": output_weight_gradient(x, d_hid), "db1": d_hid.mean(axis=0, keepdims=True),
            "du": output_weight_gradient(fw["h"], d_out), "db2": d_out.mean(axis=0, keepdims=True)}
