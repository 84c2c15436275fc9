def hidden_delta(delta_out, u, h):
    return (u @ delta_out.T) * h.T * (1 - h.T)
