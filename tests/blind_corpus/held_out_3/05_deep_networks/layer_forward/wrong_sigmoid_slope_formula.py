def layer_forward(W, b, F_prev, activation):
    Z = W @ F_prev + b
    F = get_activation(activation).f(Z)
    J = F * (1.0 - F)
    return Z, F, J
