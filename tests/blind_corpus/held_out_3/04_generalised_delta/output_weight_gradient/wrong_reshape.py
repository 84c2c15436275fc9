def output_weight_gradient(h, delta_out):
    m = h.shape[0]
    return (delta_out.T @ h).reshape(h.shape[1], delta_out.shape[1]) / m
