def output_delta(y, t):
    return y - t
