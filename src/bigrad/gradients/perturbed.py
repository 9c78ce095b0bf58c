"""Perturbed optimizers (Berthet et al. 2020) with Gaussian noise, batched.

For a solver ``s`` (any number of inputs and outputs) the smoothed map is

    s_sigma(p) = E_eps[ s(max(p + sigma * eps, lower)) ],   eps ~ N(0, I),

one independent noise tensor per input. The forward pass returns the
Monte-Carlo mean over ``M`` samples; by Stein's lemma
``d/dp E[f(p + sigma eps)] = E[f(p + sigma eps) eps^T] / sigma`` for any
``f`` (the clamp included), so the backward pass is the unbiased estimator

    grad_p = 1/(M sigma) * sum_m ( sum_o <s_o(p + sigma eps_m), g_o> ) eps_{p,m}.

All ``M * B`` perturbed problems go to the solver as one batch.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

__all__ = ["draw_noise", "perturbed_solve", "perturbed_vjp"]


def draw_noise(params: Sequence[torch.Tensor], num_samples: int, generator=None):
    """Standard normal noise ``[M, *p.shape]`` for each input (dtype/device of the input).

    ``generator`` (a ``torch.Generator`` on the inputs' device) makes the draw reproducible.
    """
    return tuple(
        torch.randn((num_samples,) + tuple(p.shape), generator=generator, dtype=p.dtype, device=p.device)
        for p in params
    )


def perturbed_solve(solve: Callable, params, noises, sigma: float, lower: float | None = 0.0):
    """Solve all perturbed problems in one batched call.

    Args:
        solve: ``solve(*inputs) -> tensor or tuple of tensors``, inputs and
            outputs with a leading batch axis.
        params: inputs ``[B, ...]``. noises: from :func:`draw_noise`, ``[M, B, ...]``.
        sigma: noise scale > 0. lower: clamp of the perturbed inputs (None: none).
    Returns:
        Tuple of samples ``[M, B, ...]``, one per output of ``solve``.
    """
    M = noises[0].shape[0]
    inputs = []
    for p, eps in zip(params, noises):
        q = p.unsqueeze(0) + sigma * eps
        if lower is not None:
            q = q.clamp_min(lower)
        inputs.append(q.reshape((-1,) + tuple(p.shape[1:])))
    outs = solve(*inputs)
    outs = outs if isinstance(outs, tuple) else (outs,)
    return tuple(o.reshape((M, -1) + tuple(o.shape[1:])) for o in outs)


def perturbed_vjp(samples, grads, noises, sigma: float):
    """Stein estimator of the vector-Jacobian product of the smoothed solver.

    Args:
        samples: per output ``[M, B, ...]`` (from :func:`perturbed_solve`).
        grads: per output ``[B, ...]`` upstream gradients.
        noises: per input ``[M, B, ...]``.
    Returns:
        Tuple of gradients ``[B, ...]``, one per input.
    """
    M, B = noises[0].shape[:2]
    score = sum((s * g.unsqueeze(0)).reshape(M, B, -1).sum(-1) for s, g in zip(samples, grads))  # [M, B]
    out = []
    for eps in noises:
        weight = score.reshape((M, B) + (1,) * (eps.dim() - 2))
        out.append((weight * eps).mean(0) / sigma)
    return tuple(out)
