def layer_forward(W, b, F_prev, activation):
    act = get_activation(activation)
    Z = W @ F_prev + b
    F = act.f(Z)
    J = 1.0 - F ** 2
    return Z, F, J
