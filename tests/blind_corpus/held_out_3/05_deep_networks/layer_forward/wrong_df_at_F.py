def layer_forward(W, b, F_prev, activation):
    h = get_activation(activation)
    Z = W @ F_prev + b
    F = h.f(Z)
    return Z, F, h.df(F)
