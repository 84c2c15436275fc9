def layer_forward(W, b, F_prev, activation):
    act = get_activation(activation)
    Z = W @ F_prev
    return Z, act.f(Z), act.df(Z)
