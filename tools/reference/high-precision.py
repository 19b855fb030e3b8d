#!/usr/bin/env python3
"""An independent high-precision reference for sdtrack's rounds (issue 14).

Recomputes what `sdtrack run` computes (docs/math.md sections 1-3) with mpmath at 50 digits:
the Gram matrix G[j,k] = g(x_j, x_k) / K from the CSV's doubles with the kernel's exact formula,
its eigendecomposition (mpmath.eigsy), z_0 = V^T y, and round by round c_t (the root of
h_t(c) = (1/K) sum_k (c z_t[k] / (c + d_k))^2 - eps, to 40 digits), r_t, ||y_t||, train MSE,
target MSE, df, GCV, R(f_t), and the MSE on a held-out set and on a truth grid, until the
collapse (r_t <= 1) or the round cap. Nothing is clipped: an eigenvalue counts as zero only
when it is below 1e-40 d_max, which at 50 digits means exactly zero (a rank-deficient G).

The inputs are doubles and nothing else: every CSV cell is read as the nearest double (as
sdtrack reads it), and the kernel's parameters and eps are the doubles sdtrack resolved, read
from its `run --json` output (`config.resolved`) with --run-json, or given as options. So the
reference is the exact answer (to 40 digits) for the very problem sdtrack was given; how close
a double-precision engine can get to it is a question of the problem's conditioning (see
--perturb).

    tools/reference/high-precision.py --train train.csv --run-json run.json [--test held-out.csv]
        [--truth grid.csv] [--perturb entrywise|normwise --seed N]

CSV files: a header row, the features, the target last. Output: one JSON object on standard
output (numbers rounded to doubles): K, kernel, eps or c, eigenvalues (descending), z0, rounds
(t, c, r, target_norm, train_mse, target_mse, test_mse, truth_mse, df, gcv, rkhs_norm),
collapse_round (null when the cap came first or in fixed-c mode), r0, r_final (r after the
last round), zero_count (eigenvalues exactly zero), c_digits (each c_t to 40 digits), seconds.

--perturb models what evaluating G in double precision does to the problem: every entry of G
is multiplied by (1 + u 2^-52), u uniform in [-4, 4] (entrywise: a few ulps of rounding in the
kernel's evaluation), or gets u 2^-52 d_max added (normwise: the backward error of a double
eigensolver), symmetrically, from --seed. The spread of the results over a few seeds is how
many digits of each quantity the double-precision inputs determine at all.
"""

import argparse
import csv
import json
import random
import sys
import time

import mpmath
from mpmath import mp, mpf

DIGITS = 50
ROOT_DIGITS = 40


def read_csv(path):
    """(points, targets) as mpf, each cell the nearest double as sdtrack reads it."""
    with open(path, newline="") as handle:
        rows = [row for row in csv.reader(handle) if row and any(cell.strip() for cell in row)]
    header, body = rows[0], rows[1:]
    if any(len(row) != len(header) for row in body):
        sys.exit(f"{path}: rows differ in length from the header")
    points = [[mpf(float(cell)) for cell in row[:-1]] for row in body]
    targets = [mpf(float(row[-1])) for row in body]
    return points, targets


def kernel_function(spec, dimension):
    """g(x, x') in high precision for sdtrack's resolved kernel (Kernel.swift)."""
    name = spec["name"]
    if name == "rbf":
        gamma = mpf(spec["gamma"])
        return lambda x, y: mpmath.exp(-gamma * sum((a - b) ** 2 for a, b in zip(x, y)))
    if name == "laplacian":
        gamma = mpf(spec["gamma"])
        return lambda x, y: mpmath.exp(-gamma * sum(abs(a - b) for a, b in zip(x, y)))
    if name in ("matern32", "matern52"):
        root = mpmath.sqrt(3 if name == "matern32" else 5)
        scale = mpf(spec["length_scale"])

        def matern(x, y):
            s = mpmath.sqrt(sum((a - b) ** 2 for a, b in zip(x, y))) * root / scale
            polynomial = 1 + s if name == "matern32" else 1 + s + s * s / 3
            return polynomial * mpmath.exp(-s)

        return matern
    if name == "polynomial":
        degree, gamma, coef0 = int(spec["degree"]), mpf(spec["gamma"]), mpf(spec["coef0"])
        return lambda x, y: (gamma * sum(a * b for a, b in zip(x, y)) + coef0) ** degree
    if name == "linear":
        return lambda x, y: sum(a * b for a, b in zip(x, y))
    if name == "ntk":
        depth = int(spec["depth"])
        augmented = mpf(dimension + 1)

        def ntk(x, y):
            # docs/math.md section 6, without the double-precision clamp (exact rho is in [-1, 1]).
            sxy = (sum(a * b for a, b in zip(x, y)) + 1) / augmented
            norm = mpmath.sqrt((sum(a * a for a in x) + 1) * (sum(b * b for b in y) + 1)) / augmented
            value = sxy
            for _ in range(depth):
                theta = mpmath.acos(min(mpf(1), max(mpf(-1), sxy / norm)))
                sxy = norm * (mpmath.sin(theta) + (mp.pi - theta) * mpmath.cos(theta)) / mp.pi
                value = value * (mp.pi - theta) / mp.pi + sxy
            return value

        return ntk
    sys.exit(f"unknown kernel {name}")


def gram(g, points):
    k = len(points)
    matrix = mpmath.matrix(k, k)
    for j in range(k):
        for i in range(j + 1):
            matrix[i, j] = matrix[j, i] = g(points[i], points[j]) / k
    return matrix


def perturb(matrix, how, seed):
    """Symmetric perturbation of G at the size double precision makes (module docstring)."""
    generator = random.Random(seed)
    k = matrix.rows
    ulp = mpf(2) ** -52
    largest = max(abs(matrix[i, j]) for i in range(k) for j in range(k))
    for j in range(k):
        for i in range(j + 1):
            u = mpf(generator.uniform(-4, 4))
            if how == "entrywise":
                value = matrix[i, j] * (1 + u * ulp)
            else:
                value = matrix[i, j] + u * ulp * largest
            matrix[i, j] = matrix[j, i] = value


def root_c(d, z, eps, k):
    """c_t: the root of h(c) = (1/K) sum (c z / (c + d))^2 - eps, to ROOT_DIGITS digits.

    Safeguarded Newton in u = log c inside docs/math.md's bracket (over the positive
    eigenvalues, the zero-eigenvalue mass moved into eps)."""
    zero_mass = sum(zk * zk for dk, zk in zip(d, z) if dk == 0)
    positive = [dk for dk in d if dk > 0]
    reduced = eps - zero_mass / k
    norm_positive = mpmath.sqrt(sum(zk * zk for dk, zk in zip(d, z) if dk > 0))
    r = norm_positive / mpmath.sqrt(k * reduced)
    if reduced <= 0 or r <= 1:
        raise ValueError(f"no root: eps' = {reduced}, r' = {r}")
    low, high = mpmath.log(min(positive) / (r - 1)), mpmath.log(max(positive) / (r - 1))

    def phi(u):
        c = mpmath.exp(u)
        value = slope = mpf(0)
        for dk, zk in zip(d, z):
            q = c / (c + dk)
            w = (q * zk) ** 2
            value += w
            slope += w * (1 - q)
        return value / k - eps, 2 * slope / k

    u = (low + high) / 2
    tolerance = mpf(10) ** -(ROOT_DIGITS + 2)
    for _ in range(2000):
        value, slope = phi(u)
        if value == 0:
            break
        if value < 0:
            low = u
        else:
            high = u
        step = value / slope if slope > 0 else mpf("inf")
        following = u - step
        if not (low < following < high):
            following = (low + high) / 2
        if abs(following - u) <= tolerance or high - low <= tolerance:
            u = following
            break
        u = following
    return mpmath.exp(u)


def predictions_mse(g, points, targets, training, coefficients, k):
    """Mean of (f(x) - y)^2 with f(x) = sum_j g(x, x_j) a_j / K."""
    total = mpf(0)
    for x, y in zip(points, targets):
        f = sum(g(x, xj) * aj for xj, aj in zip(training, coefficients)) / k
        total += (f - y) ** 2
    return total / len(points)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", required=True, help="training CSV (header, features, target last)")
    parser.add_argument("--test", help="held-out CSV: test_mse")
    parser.add_argument("--truth", help="truth grid CSV (points, noiseless function): truth_mse")
    parser.add_argument("--run-json", help="sdtrack run --json output: kernel, eps or c, max_rounds")
    parser.add_argument("--kernel", help="kernel name (overrides --run-json)")
    parser.add_argument("--gamma", type=float)
    parser.add_argument("--length-scale", type=float)
    parser.add_argument("--degree", type=int)
    parser.add_argument("--coef0", type=float)
    parser.add_argument("--depth", type=int)
    parser.add_argument("--eps", type=float, help="the absolute loss eps (resolved)")
    parser.add_argument("--fixed-c", type=float, help="fixed-c mode's c")
    parser.add_argument("--rounds", type=int, help="the round cap (default: --run-json's, else 100)")
    parser.add_argument("--perturb", choices=["entrywise", "normwise"])
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    mp.dps = DIGITS
    started = time.time()

    kernel, eps, fixed_c, cap = {}, None, None, 100
    if arguments.run_json:
        with open(arguments.run_json) as handle:
            config = json.load(handle)["config"]
        kernel = dict(config["resolved"]["kernel"])
        eps, fixed_c, cap = config["resolved"]["eps"], config["c"], config["max_rounds"]
    if arguments.kernel:
        kernel = {"name": arguments.kernel}
    for option in ("gamma", "length_scale", "degree", "coef0", "depth"):
        if getattr(arguments, option) is not None:
            kernel[option] = getattr(arguments, option)
    if arguments.eps is not None or arguments.fixed_c is not None:
        eps, fixed_c = arguments.eps, arguments.fixed_c
    if arguments.rounds is not None:
        cap = arguments.rounds
    if not kernel or (eps is None) == (fixed_c is None):
        sys.exit("give the kernel and one of eps and fixed c (--run-json or options)")

    points, y = read_csv(arguments.train)
    k = len(points)
    g = kernel_function(kernel, len(points[0]))
    if cap == 0 and eps is not None:
        # Only r_0 = ||z_0|| / sqrt(K eps) = ||y|| / sqrt(K eps) (V is orthogonal): no decomposition.
        r0 = mpmath.sqrt(sum(v * v for v in y)) / mpmath.sqrt(k * mpf(eps))
        collapse = 0 if r0 <= 1 else None
        json.dump({"K": k, "eps": eps, "rounds": [], "collapse_round": collapse, "r0": float(r0)}, sys.stdout)
        print()
        return
    matrix = gram(g, points)
    if arguments.perturb:
        perturb(matrix, arguments.perturb, arguments.seed)
    values, vectors = mpmath.eigsy(matrix)
    order = sorted(range(k), key=lambda i: values[i], reverse=True)
    d = [values[i] for i in order]
    # Exactly zero eigenvalues (a rank-deficient G) come out at about 1e-50 d_max of either sign.
    d = [dk if dk > d[0] * mpf(10) ** -40 else mpf(0) for dk in d]
    columns = [[vectors[row, i] for row in range(k)] for i in order]
    z0 = [sum(v * yk for v, yk in zip(column, y)) for column in columns]
    held_out = read_csv(arguments.test) if arguments.test else None
    truth = read_csv(arguments.truth) if arguments.truth else None
    eps_mp = mpf(eps) if eps is not None else None

    def ratio(vector):
        return mpmath.sqrt(sum(v * v for v in vector)) / mpmath.sqrt(k * eps_mp)

    rounds, z, shrinkage, collapse = [], list(z0), [mpf(1)] * k, None
    for t in range(cap + 1):
        if eps_mp is not None and ratio(z) <= 1:
            collapse = t
            break
        if t == cap:
            break
        c = root_c(d, z, eps_mp, k) if eps_mp is not None else mpf(fixed_c)
        target_mse = sum((c * zk / (c + dk)) ** 2 for dk, zk in zip(d, z)) / k
        rkhs = sum(dk * zk * zk / (c + dk) ** 2 for dk, zk in zip(d, z)) / k
        s = [dk / (c + dk) for dk in d]
        shrinkage = [b * sk for b, sk in zip(shrinkage, s)]
        train_mse = sum(((b - 1) * z0k) ** 2 for b, z0k in zip(shrinkage, z0)) / k
        df = sum(shrinkage)
        record = {
            "t": t,
            "c": c,
            "r": ratio(z) if eps_mp is not None else None,
            "target_norm": mpmath.sqrt(sum(zk * zk for zk in z)),
            "train_mse": train_mse,
            "target_mse": target_mse,
            "df": df,
            "gcv": train_mse / (1 - df / k) ** 2,
            "rkhs_norm": rkhs,
            "test_mse": None,
            "truth_mse": None,
        }
        if held_out or truth:
            # a_t = V diag(1 / (c + d)) z_t
            weights = [zk / (c + dk) for dk, zk in zip(d, z)]
            coefficients = [sum(columns[i][row] * weights[i] for i in range(k)) for row in range(k)]
            for name, data in (("test_mse", held_out), ("truth_mse", truth)):
                if data:
                    record[name] = predictions_mse(g, data[0], data[1], points, coefficients, k)
        rounds.append(record)
        z = [sk * zk for sk, zk in zip(s, z)]

    def number(value):
        return None if value is None else float(value)

    output = {
        "K": k,
        "digits": DIGITS,
        "kernel": kernel,
        "eps": eps,
        "c": fixed_c,
        "perturb": arguments.perturb,
        "eigenvalues": [number(dk) for dk in d],
        "z0": [number(zk) for zk in z0],
        "rounds": [{key: number(value) if key != "t" else value for key, value in r.items()} for r in rounds],
        "collapse_round": collapse,
        "r0": number(ratio(z0)) if eps_mp is not None else None,
        "zero_count": sum(1 for dk in d if dk == 0),
        "r_final": number(ratio(z)) if eps_mp is not None else None,
        "c_digits": [mpmath.nstr(r["c"], ROOT_DIGITS) for r in rounds],
        "seconds": round(time.time() - started, 3),
    }
    json.dump(output, sys.stdout)
    print()


if __name__ == "__main__":
    main()
