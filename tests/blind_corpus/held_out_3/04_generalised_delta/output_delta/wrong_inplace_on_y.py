def output_delta(y, t):
    d = y
    d -= t
    d *= y * (1 - y)
    return d
