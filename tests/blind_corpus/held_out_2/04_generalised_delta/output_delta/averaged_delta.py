def output_delta(y, t):
    m = y.shape[0]
    return (y - t) * y * (1 - y) / m
