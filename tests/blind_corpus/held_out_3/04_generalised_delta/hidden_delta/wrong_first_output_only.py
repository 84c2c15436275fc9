def hidden_delta(delta_out, u, h):
    return delta_out[:, :1] * u[:, 0] * h * (1 - h)
