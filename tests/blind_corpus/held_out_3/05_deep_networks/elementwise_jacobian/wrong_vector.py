def elementwise_jacobian(z, activation):
    return get_activation(activation).df(z)
