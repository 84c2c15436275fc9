def output_delta(y, t):
    return (t - y) * y * (1 - y)
