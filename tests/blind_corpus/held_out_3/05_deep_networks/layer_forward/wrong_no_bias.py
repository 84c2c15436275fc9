def layer_forward(W, b, F_prev, activation):
    h = get_activation(activation)
    Z = W @ F_prev
    return Z, h.f(Z), h.df(Z)
