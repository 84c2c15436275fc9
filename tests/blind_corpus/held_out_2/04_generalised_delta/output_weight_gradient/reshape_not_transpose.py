def output_weight_gradient(h, delta_out):
    m = h.shape[0]
    n_hid, n_out = h.shape[1], delta_out.shape[1]
    return (delta_out.T @ h).reshape(n_hid, n_out) / m
