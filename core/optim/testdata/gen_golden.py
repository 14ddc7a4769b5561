#!/usr/bin/env python3
"""Golden values for core/optim from PyTorch 1.13 (Debian python3-torch 1.13.1).

Regenerate from the repository root with:

    /usr/bin/python3 core/optim/testdata/gen_golden.py > core/optim/testdata/golden.json

Every case starts from fixed float32 parameters, feeds fixed gradients for
three steps (null = grad is None for that param at that step, so the optimiser
skips it) and records the parameters after each step.
"""
import json
import math

import torch

torch.set_default_dtype(torch.float32)

# The third param has 40 elements so torch runs its vectorised CPU path
# (blocks of 2 vectors) as well as the scalar tail.
WIDE = 40
INIT = [[0.5, -1.25, 2.0, 0.0], [0.75, -0.3], [round(math.sin(0.7 * i) * 1.5, 4) for i in range(WIDE)]]
GRADS = [
    [[0.1, -0.2, 0.3, -0.4], [1.5, -0.5], [round(math.cos(1.3 * i + s) * 0.8, 4) for i in range(WIDE)]]
    for s in range(3)
]
GRADS[1][0] = [-0.05, 0.25, 0.0, 0.6]
GRADS[1][1] = None
GRADS[2][0] = [0.2, 0.2, -0.7, 0.01]
GRADS[2][1] = [-2.0, 0.125]


def f32(xs):
    return [float(x) for x in torch.tensor(xs, dtype=torch.float32).tolist()]


def run(make_opt):
    params = [torch.nn.Parameter(torch.tensor(p, dtype=torch.float32)) for p in INIT]
    opt = make_opt(params)
    trace = []
    for step in GRADS:
        for p, g in zip(params, step):
            p.grad = None if g is None else torch.tensor(g, dtype=torch.float32)
        opt.step()
        trace.append([p.detach().tolist() for p in params])
    return trace


def optim_cases():
    cases = []
    sgd = [
        ("sgd_plain", dict(lr=0.1)),
        ("sgd_momentum", dict(lr=0.1, momentum=0.9)),
        ("sgd_nesterov", dict(lr=0.1, momentum=0.9, nesterov=True)),
        ("sgd_weight_decay", dict(lr=0.1, weight_decay=0.01)),
        ("sgd_darts", dict(lr=0.025, momentum=0.9, weight_decay=3e-4)),
        ("sgd_nesterov_wd", dict(lr=0.05, momentum=0.5, weight_decay=0.1, nesterov=True)),
    ]
    for name, kw in sgd:
        full = dict(momentum=0.0, weight_decay=0.0, nesterov=False)
        full.update(kw)
        cases.append(dict(name=name, opt="sgd", **full,
                          params=run(lambda ps: torch.optim.SGD(ps, **full))))
    adam = [
        ("adam_default", dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)),
        ("adam_darts_architect", dict(lr=3e-4, betas=(0.5, 0.999), eps=1e-8, weight_decay=1e-3)),
        ("adam_large_lr_wd", dict(lr=0.1, betas=(0.8, 0.99), eps=1e-3, weight_decay=0.05)),
    ]
    for name, kw in adam:
        cases.append(dict(name=name, opt="adam", lr=kw["lr"], betas=list(kw["betas"]), eps=kw["eps"],
                          weight_decay=kw["weight_decay"],
                          params=run(lambda ps: torch.optim.Adam(ps, **kw))))
    return cases


def clip_cases():
    cases = []
    for name, grads, max_norm in [
        ("above", [[3.0, 0.0, -4.0], [12.0]], 5.0),
        ("below", [[0.3, -0.4], [1.2]], 5.0),
        ("darts_max5", [[1.0, -2.0, 3.0, -4.0], [5.0, 6.0]], 5.0),
    ]:
        ps = [torch.nn.Parameter(torch.zeros(len(g))) for g in grads]
        for p, g in zip(ps, grads):
            p.grad = torch.tensor(g, dtype=torch.float32)
        total = torch.nn.utils.clip_grad_norm_(ps, max_norm)
        cases.append(dict(name=name, grads=grads, max_norm=max_norm, total=float(total),
                          clipped=[p.grad.tolist() for p in ps]))
    return cases


def cosine_cases():
    cases = []
    for base, eta_min, t_max in [(0.025, 0.001, 50), (1.0, 0.0, 4)]:
        p = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([p], lr=base)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=t_max, eta_min=eta_min)
        lrs = []
        for _ in range(t_max + 1):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        cases.append(dict(base=base, min=eta_min, t_max=t_max, lrs=lrs))
    return cases


print(json.dumps(dict(torch_version=torch.__version__, init=INIT, grads=GRADS,
                      optim=optim_cases(), clip=clip_cases(), cosine=cosine_cases()), indent=1))
