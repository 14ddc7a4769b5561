#!/usr/bin/env python3
"""Golden values for TestSecondOrderMatchesPyTorch (core/search/darts), from
PyTorch 1.13 (Debian python3-torch 1.13.1).

Regenerate from the repository root with:

    /usr/bin/python3 core/search/darts/testdata/gen_secondorder.py > core/search/darts/testdata/secondorder.json

The toy supernet of secondorder_test.go (conv stem, three DARTS mixed ops on
two α leaves, affine batch norm in training mode, global average pool,
linear, cross-entropy) with fixed float32 weights, momentum buffers and
batches, and the α gradient of quark0/darts cnn/architect.py
_backward_step_unrolled: the momentum-aware unrolled step
w' = w - eta*(mu*m + grad + wd*w), dalpha = grad_alpha L_val(w', alpha) -
eta * (finite-difference Hessian-vector product, R = 0.01/||v||). "exact"
is the same with the Hessian-vector product by double backward.
"""
import json
import math

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float32)

ETA, MU, WD = 0.2, 0.9, 0.05
SHAPES = [("w0", (4, 3, 3, 3), 0.3)]
for e in range(3):
    SHAPES += [("conv3", (4, 4, 3, 3), 0.2), ("conv1", (4, 4, 1, 1), 0.5)]
SHAPES += [("gamma", (4,), 0.1), ("beta", (4,), 0.1), ("W", (4, 4), 0.5), ("b", (4,), 0.1)]


def values(n, seed, scale, offset=0.0):
    return [round(offset + scale * math.sin(0.37 * i + 1.3 * seed + 0.1 * i * i % 7), 4) for i in range(n)]


def tensor(vals, shape):
    return torch.tensor(vals, dtype=torch.float32).reshape(shape)


weights, momentum = [], []
for k, (name, shape, sd) in enumerate(SHAPES):
    n = math.prod(shape)
    weights.append((name, shape, values(n, k, sd, 1.0 if name == "gamma" else 0.0)))
    momentum.append(values(n, 100 + k, 0.5))
alpha_a, alpha_b = values(10, 200, 0.5), values(5, 201, 0.5)
xt, xv = values(4 * 192, 300, 0.5, 0.5), values(4 * 192, 301, 0.5, 0.5)
yt, yv = [0, 1, 2, 3], [3, 1, 0, 2]


def loss(ws, A, B, x, y):
    w0, convs, (gamma, beta, W, b) = ws[0], ws[1:7], ws[7:11]
    pa, pb = F.softmax(A, -1), F.softmax(B, -1)
    s = F.conv2d(x, w0, padding=1)

    def mixed(p, row, e, h):
        ops = [h, F.avg_pool2d(h, 3, 1, 1, count_include_pad=False),
               F.conv2d(h, convs[2 * e], padding=1), F.conv2d(h, convs[2 * e + 1])]
        return sum(p[row, k + 1] * op for k, op in enumerate(ops))  # k = 0 is none

    h1 = mixed(pa, 0, 0, s)
    h2 = mixed(pa, 1, 1, h1) + mixed(pb, 0, 2, s)
    h = F.batch_norm(h2, None, None, gamma, beta, training=True, eps=1e-5)
    return F.cross_entropy(h.mean((2, 3)) @ W.t() + b, torch.tensor(y))


ws = [tensor(v, s).requires_grad_() for _, s, v in weights]
A = tensor(alpha_a, (2, 5)).requires_grad_()
B = tensor(alpha_b, (1, 5)).requires_grad_()
Xt, Xv = tensor(xt, (4, 3, 8, 8)), tensor(xv, (4, 3, 8, 8))
ms = [tensor(m, s) for m, (_, s, _) in zip(momentum, weights)]

# architect.py _compute_unrolled_model
g = torch.autograd.grad(loss(ws, A, B, Xt, yt), ws)
unrolled = [(w - ETA * (MU * m + gw + WD * w)).detach().requires_grad_() for w, m, gw in zip(ws, ms, g)]
lval = loss(unrolled, A, B, Xv, yv)
grads = torch.autograd.grad(lval, [A, B] + unrolled)
dalpha, vector = grads[:2], grads[2:]

# architect.py _hessian_vector_product
R = 0.01 / torch.cat([v.reshape(-1) for v in vector]).norm()
with torch.no_grad():
    for w, v in zip(ws, vector):
        w.add_(v, alpha=R.item())
gp = torch.autograd.grad(loss(ws, A, B, Xt, yt), [A, B])
with torch.no_grad():
    for w, v in zip(ws, vector):
        w.sub_(v, alpha=2 * R.item())
gn = torch.autograd.grad(loss(ws, A, B, Xt, yt), [A, B])
with torch.no_grad():
    for w, v in zip(ws, vector):
        w.add_(v, alpha=R.item())
reference = [d - ETA * (p - n) / (2 * R) for d, p, n in zip(dalpha, gp, gn)]

# the same with the exact mixed second derivative (double backward)
gw = torch.autograd.grad(loss(ws, A, B, Xt, yt), ws, create_graph=True)
hv = torch.autograd.grad(sum((a * v).sum() for a, v in zip(gw, vector)), [A, B])
exact = [d - ETA * h for d, h in zip(dalpha, hv)]


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


json.dump({
    "torch": torch.__version__, "eta": ETA, "mu": MU, "wd": WD,
    "weights": [{"name": n, "shape": list(s), "data": v} for n, s, v in weights],
    "momentum": momentum, "alpha_a": alpha_a, "alpha_b": alpha_b,
    "xt": xt, "yt": yt, "xv": xv, "yv": yv,
    "lval": lval.item(),
    "dalpha_a": flat(reference[0]), "dalpha_b": flat(reference[1]),
    "exact_a": flat(exact[0]), "exact_b": flat(exact[1]),
}, __import__("sys").stdout)
print()
