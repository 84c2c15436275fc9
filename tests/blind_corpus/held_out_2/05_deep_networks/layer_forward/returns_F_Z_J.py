def layer_forward(W, b, F_prev, activation):
    act = get_activation(activation)
    Z = W @ F_prev + b
    F = act.f(Z)
    J = act.df(Z)
    return F, Z, J
