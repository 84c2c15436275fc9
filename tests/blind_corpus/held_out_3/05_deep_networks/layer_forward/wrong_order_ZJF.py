def layer_forward(W, b, F_prev, activation):
    h = get_activation(activation)
    Z = W @ F_prev + b
    return Z, h.df(Z), h.f(Z)
