def output_weight_gradient(h, delta_out):
    return delta_out.T @ h / h.shape[0]
