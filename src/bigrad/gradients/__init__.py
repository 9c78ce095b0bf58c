"""Gradient estimators for combinatorial (bilevel) layers; see docs/gradients.md.

- :mod:`~bigrad.gradients.blackbox`: blackbox backprop for one min/max player (Pogančić et al.).
- :mod:`~bigrad.gradients.straight_through`: straight-through surrogates (paper Eq. 9).
- :mod:`~bigrad.gradients.perturbed`: perturbed optimizers (Berthet et al.), any solver.
- :class:`MinProblem`, :class:`InterdictionGame`, :class:`AttackedTopK`: problems
  with ``solve(*inputs)`` and ``vjp(method, inputs, outputs, grads, lam)``, the
  interface of the torch layers in :mod:`bigrad.torch.combinatorial`.

All functions take batched torch tensors (any device/dtype) and never loop over the
batch; this package needs torch (the optional ``bigrad[torch]`` dependency).
"""
from bigrad._optional import require_torch as _require_torch

_require_torch("bigrad.gradients")
from bigrad.gradients._checks import METHODS
from bigrad.gradients.blackbox import blackbox_max, blackbox_min
from bigrad.gradients.interdiction import InterdictionGame
from bigrad.gradients.perturbed import draw_noise, perturbed_solve, perturbed_vjp
from bigrad.gradients.selection import budget_response, topk_mask
from bigrad.gradients.single_level import MinProblem
from bigrad.gradients.straight_through import straight_through_max, straight_through_min
from bigrad.gradients.topk import AttackedTopK

__all__ = [
    "METHODS",
    "blackbox_min",
    "blackbox_max",
    "straight_through_min",
    "straight_through_max",
    "draw_noise",
    "perturbed_solve",
    "perturbed_vjp",
    "topk_mask",
    "budget_response",
    "MinProblem",
    "InterdictionGame",
    "AttackedTopK",
]
