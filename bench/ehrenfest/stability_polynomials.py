"""Runge-Kutta methods for the driven Liouville-von Neumann step whose stability reaches far
along the imaginary axis (bench/ehrenfest/README.md, "Time to solution").

The Liouville operator rho -> -i[H, rho]/hbar has imaginary eigenvalues up to the band width
over hbar, and the step is limited by where the method's stability polynomial P(z) leaves the
unit disc on the imaginary axis. For s stages and order 4 (P(z) = 1 + z + ... + z^4/24 + ...),
this script

1. finds the largest interval [0, beta] with |P(iy)| <= 1 (a bisection on beta over a minimax
   fit of the free coefficients), and prints the coefficients it found next to the closed forms
   used in src/transport/ehrenfest/runge_kutta.rs;
2. solves for a tableau of the form the propagator's wavefront needs (stage s takes
   y + h a_s k_{s-1} at time c_s = a_s, new state y + h sum b_s k_s) that has order four for any
   problem (the eight conditions: H changes along the step, so the autonomous-linear order is
   not enough) and this stability polynomial, the one free parameter spent on the smallest
   residuals of the nine order-five conditions.

    python3 bench/ehrenfest/stability_polynomials.py 8 [--search]   # needs numpy and scipy

(--search repeats step 1, about 20 minutes for 8 stages; without it the closed form is checked.)
"""
import math
import sys

import numpy as np
from scipy.optimize import minimize, least_squares


def widest_interval(s, p=4, trials=12, seed=1):
    fixed = [1 / math.factorial(m) for m in range(p + 1)]
    rng = np.random.default_rng(seed)

    def fit(beta):
        z = 1j * np.linspace(0, beta, 1500)

        def worst(g):
            c = np.concatenate([fixed, g])
            return np.max(np.abs(np.polyval(c[::-1], z)) ** 2)

        best = (np.inf, None)
        for _ in range(trials):
            g = np.array([1 / math.factorial(m) for m in range(p + 1, s + 1)])
            g = g * rng.uniform(0.3, 3, s - p)
            for _ in range(3):
                g = minimize(worst, g, method="Nelder-Mead",
                             options={"xatol": 1e-13, "fatol": 1e-15,
                                      "maxiter": 40000, "maxfev": 80000}).x
            v = worst(g)
            if v < best[0]:
                best = (v, g)
        return best

    lo, hi, g_ok = s - 2.0, s - 0.5, None
    for _ in range(16):
        mid = (lo + hi) / 2
        v, g = fit(mid)
        if v <= 1 + 1e-10:
            lo, g_ok = mid, g
        else:
            hi = mid
    return lo, g_ok


def conditions(s, gamma):
    def unpack(x):
        a = np.concatenate([[0.0], x[: s - 1]])
        A = np.diag(a[1:], -1)
        return A, x[s - 1:]

    def order4(x):
        A, b = unpack(x)
        c = A @ np.ones(s)
        r = [b.sum() - 1, b @ c - 1 / 2, b @ c**2 - 1 / 3, b @ (A @ c) - 1 / 6,
             b @ c**3 - 1 / 4, b @ (c * (A @ c)) - 1 / 8, b @ (A @ c**2) - 1 / 12,
             b @ (A @ (A @ c)) - 1 / 24]
        t = A @ (A @ c)
        for g in gamma:
            t = A @ t
            r.append((b @ t - g) / g)
        return np.array(r)

    def order5(x):
        A, b = unpack(x)
        c = A @ np.ones(s)
        ac, ac2 = A @ c, A @ c**2
        return np.array([b @ c**4 - 1 / 5, b @ (c**2 * ac) - 1 / 10, b @ (c * ac2) - 1 / 15,
                         b @ (c * (A @ ac)) - 1 / 30, b @ (ac * ac) - 1 / 20,
                         b @ (A @ c**3) - 1 / 20, b @ (A @ (c * ac)) - 1 / 40,
                         b @ (A @ ac2) - 1 / 60, b @ (A @ (A @ ac)) - 1 / 120])

    return unpack, order4, order5


def tableau(s, gamma, starts=200, seed=0):
    unpack, order4, order5 = conditions(s, gamma)
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(starts):
        x0 = np.concatenate([rng.uniform(0, 1, s - 1), rng.uniform(-0.2, 0.6, s)])
        r = least_squares(order4, x0, xtol=1e-15, ftol=1e-15, gtol=1e-15)
        if np.max(np.abs(r.fun)) > 1e-12:
            continue
        c = np.concatenate([[0.0], r.x[: s - 1]])
        if c.min() < 0 or c.max() > 1:
            continue
        e = np.sum(order5(r.x) ** 2)
        if best is None or e < best[0]:
            best = (e, r.x)
    # Polish: the smallest order-five residuals on the order-four manifold.
    r = minimize(lambda x: np.sum(order5(x) ** 2), best[1], method="SLSQP",
                 constraints=[{"type": "eq", "fun": order4}],
                 options={"ftol": 1e-16, "maxiter": 2000})
    x = r.x
    assert np.max(np.abs(order4(x))) < 1e-13, order4(x)
    return unpack(x), np.sqrt(np.sum(order5(x) ** 2))


CLOSED = {6: (2 * math.sqrt(6), [1 / 180, 1 / 1080]),
          8: (4 * math.sqrt(3), [1 / 144, 1 / 864, 1 / 12096, 1 / 96768])}

if __name__ == "__main__":
    s = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    if "--search" in sys.argv:
        beta, g = widest_interval(s)
        print(f"s = {s}: widest interval found {beta:.6f}, gamma_5.. = {list(g)}")
    beta_c, gamma = CLOSED[s]
    coef = [1 / math.factorial(m) for m in range(5)] + gamma
    y = np.linspace(0, beta_c, 200001)
    worst = np.max(np.abs(np.polyval(coef[::-1], 1j * y)))
    print(f"closed form: beta = {beta_c:.15f}, max |P(iy)| on [0, beta] = {worst:.15f}")
    (A, b), e5 = tableau(s, gamma)
    a = np.concatenate([[0.0], np.diag(A, -1)])
    print("a =", ", ".join(f"{v:.17e}" for v in a))
    print("b =", ", ".join(f"{v:.17e}" for v in b))
    print(f"order-five residual (2-norm) {e5:.3e}")
