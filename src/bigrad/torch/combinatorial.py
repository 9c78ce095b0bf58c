"""Differentiable combinatorial layers: shortest path, interdiction games, top-k.

Every layer solves its problem exactly in the forward pass (batched native or
torch solvers, one call per batch) and estimates gradients in the backward pass
with the estimator named by ``method`` (docs/gradients.md gives the formulas):

- ``"bb"``: blackbox backprop; for the bilevel layers the full re-solve of Eq. 8
  (the paper's "BIGRAD (BB)");
- ``"bb_sep"``: Eq. 7, blackbox backprop through the two separate problems;
- ``"pt"``: straight-through, Eq. 9;
- ``"bb1"``, ``"pt1"``: single-level baselines that ignore the other player;
- ``"perturbed"``: Berthet et al., Monte-Carlo over Gaussian noise; the forward
  pass then returns the *mean* perturbed solution (fractional values).

``ShortestPath`` and ``ShortestPathInterdiction`` take ``graph=`` (a
:class:`bigrad.graphs.Graph`) in place of the grid: the inputs are then edge
weights ``[B, E]`` (or node weights ``[B, N]``, ``weights_on="nodes"``), and
the same estimators apply, with the graph solvers as oracles.

For single-level layers (``ShortestPath``, ``TopK`` with ``q = 0``) the BB names
coincide, as do ``"pt"`` and ``"pt1"``.

Outputs keep the device and dtype of the inputs. Shortest paths run on the GPU
when ``bigrad._cuda`` is built; top-k, the attacker's response and all
estimator arithmetic are torch operations on the inputs' device, and so is
the interdiction game of ``ShortestPathInterdiction`` (torch operations around
the CUDA shortest-path oracle). ``TSPInterdiction`` solves on the host (the
Held-Karp kernel has no CUDA driver yet).
"""
from __future__ import annotations

import weakref
from functools import partial

import torch
from torch import nn

from bigrad._arrays import check_int
from bigrad.gradients import AttackedTopK, InterdictionGame, MinProblem
from bigrad.gradients._checks import METHODS, check_method, check_positive, check_same
from bigrad.gradients.perturbed import draw_noise, perturbed_solve, perturbed_vjp
from bigrad.implicit.custom_root import fast_apply

__all__ = ["ShortestPath", "ShortestPathInterdiction", "TSPInterdiction", "TopK"]


def _flatten_vmap(info, in_dims, inputs, core_ndims):
    """Fold a vmapped axis into the leading batch axis: ``[V, B, *core] -> [V * B, *core]``.

    Inputs without the vmapped axis are expanded; returns the flat inputs and the
    function that splits an output back into ``[V, B, ...]`` (or ``[V, ...]``).
    """
    V = info.batch_size
    flat, batched = [], None
    for x, d, core in zip(inputs, in_dims, core_ndims):
        x = x.movedim(d, 0) if d is not None else x.expand(V, *x.shape)
        batched = x.dim() == core + 2 if batched is None else batched
        flat.append(x.reshape(-1, *x.shape[2:]) if batched else x)
    if batched:
        return flat, lambda o: o.reshape(V, -1, *o.shape[1:])
    return flat, lambda o: o


def _graph(key: int):
    """The :class:`~bigrad.graphs.Graph` registered under ``key`` by :func:`_graph_key`."""
    graph = _GRAPHS.get(key)
    if graph is None:
        raise RuntimeError(f"graph {key} is not registered (build the layer with graph=...)")
    return graph


def _register_solver_ops():
    """The native solvers as ``torch.library`` custom ops: one graph node under ``torch.compile``
    (with a fake implementation for tracing) and a vmap rule that folds the vmapped axis into the batch.

    Grid ops take ``[B, H, W]`` tensors, graph ops ``[B, E]`` (or ``[B, N]``) tensors and the
    graph as its registry key (an int: custom ops take no Python objects)."""

    @torch.library.custom_op("bigrad::shortest_path", mutates_args=())
    def shortest_path_op(weights: torch.Tensor, neighbourhood: int) -> torch.Tensor:
        from bigrad.solvers import shortest_path

        return shortest_path(weights.contiguous(), neighbourhood)

    @torch.library.custom_op("bigrad::shortest_path_interdiction", mutates_args=())
    def shortest_path_game_op(
        z: torch.Tensor, w: torch.Tensor, budget: int, neighbourhood: int
    ) -> tuple[torch.Tensor, torch.Tensor]:
        from bigrad.solvers import shortest_path_interdiction

        return tuple(shortest_path_interdiction(z.contiguous(), w.contiguous(), budget, neighbourhood))

    @torch.library.custom_op("bigrad::graph_shortest_path", mutates_args=())
    def graph_path_op(weights: torch.Tensor, graph: int, source: int, target: int, weights_on: str) -> torch.Tensor:
        from bigrad.solvers import shortest_path

        return shortest_path(_graph(graph), weights.contiguous(), source=source, target=target,
                             weights_on=weights_on)

    @torch.library.custom_op("bigrad::graph_shortest_path_interdiction", mutates_args=())
    def graph_game_op(
        z: torch.Tensor, w: torch.Tensor, graph: int, budget: int, source: int, target: int
    ) -> tuple[torch.Tensor, torch.Tensor]:
        from bigrad.solvers import shortest_path_interdiction

        return tuple(shortest_path_interdiction(_graph(graph), z.contiguous(), w.contiguous(), budget,
                                                source=source, target=target))

    @torch.library.custom_op("bigrad::tsp", mutates_args=())
    def tsp_op(dist: torch.Tensor) -> torch.Tensor:
        from bigrad.solvers import tsp

        return tsp(dist.contiguous())

    @torch.library.custom_op("bigrad::tsp_interdiction", mutates_args=())
    def tsp_game_op(z: torch.Tensor, w: torch.Tensor, budget: int) -> tuple[torch.Tensor, torch.Tensor]:
        from bigrad.solvers import tsp_interdiction

        return tuple(tsp_interdiction(z.contiguous(), w.contiguous(), budget))

    def single_fake(x, *options):
        return torch.empty_like(x)

    def pair_fake(z, w, *options):
        return torch.empty_like(z), torch.empty_like(z)

    def vmap_rule(op, n_tensors, core_ndim):
        def rule(info, in_dims, *args):
            flat, split = _flatten_vmap(info, in_dims[:n_tensors], args[:n_tensors], [core_ndim] * n_tensors)
            out = op(*flat, *args[n_tensors:])
            if isinstance(out, tuple):
                return tuple(split(o) for o in out), (0,) * len(out)
            return split(out), 0

        return rule

    ops = ((shortest_path_op, single_fake, 1, 2), (shortest_path_game_op, pair_fake, 2, 2),
           (graph_path_op, single_fake, 1, 1), (graph_game_op, pair_fake, 2, 1),
           (tsp_op, single_fake, 1, 2), (tsp_game_op, pair_fake, 2, 2))
    for op, fake, n, core_ndim in ops:
        op.register_fake(fake)
        op.register_vmap(vmap_rule(op, n, core_ndim))
    return tuple(op for op, *_ in ops)


#: The graphs of the graph layers, by key; a layer holds its graph, so its entry lives as long as the layer.
_GRAPHS: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def _graph_key(graph) -> int:
    """Register ``graph`` for the graph custom ops and return its key."""
    key = id(graph)
    _GRAPHS[key] = graph
    return key


_SHORTEST_PATH, _SHORTEST_PATH_GAME, _GRAPH_PATH, _GRAPH_GAME, _TSP, _TSP_GAME = _register_solver_ops()


class _VJP(torch.autograd.Function):
    """The estimator ``problem.vjp`` as one op, so that a vmapped cotangent (``jacrev``,
    ``vmap(grad)``) is folded into the batch axis instead of reaching the solvers."""

    @staticmethod
    def forward(layer, n_in, *tensors):
        n_out = (len(tensors) - n_in) // 2
        first, second, grads = tensors[:n_in], tensors[n_in : n_in + n_out], tensors[n_in + n_out :]
        with torch.no_grad():
            return tuple(layer._problem.vjp(layer.method, first, second, grads, layer.lam))

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.method = inputs[0].method

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError(f"the {ctx.method!r} gradient estimator is not differentiable (no double backward)")

    @staticmethod
    def vmap(info, in_dims, layer, n_in, *tensors):
        cores = [x.dim() - (d is not None) - 1 for x, d in zip(tensors, in_dims[2:])]
        flat, split = _flatten_vmap(info, in_dims[2:], tensors, cores)
        outputs = _VJP.apply(layer, n_in, *flat)
        return tuple(split(o) for o in outputs), (0,) * len(outputs)


class _Solve(torch.autograd.Function):
    """``layer._problem.solve`` forward, the estimator of ``layer.method`` backward (``[B, ...]`` inputs).

    The layer (a module) carries every option; tensors are the remaining arguments.
    torch.func: forward has no ctx (``setup_context``), the vmap rule folds the
    vmapped axis into the batch axis, and the native solvers called by the
    estimators are custom ops with vmap rules, so ``vmap``, ``grad``, ``jacrev``
    and ``torch.compile`` see through the layer.
    """

    @staticmethod
    def forward(layer, *inputs):
        problem = layer._problem
        if layer.method == "perturbed":
            noises = draw_noise(inputs, layer.num_samples, layer.generator)
            samples = perturbed_solve(problem.solve, inputs, noises, layer.sigma, problem.lower)
            return (*(s.mean(0) for s in samples), *noises, *samples)
        return tuple(problem.solve(*inputs))

    @staticmethod
    def setup_context(ctx, inputs, output):
        layer, *tensors = inputs
        n = len(tensors)
        if layer.method == "perturbed":
            n_out = (len(output) - n) // 2
            ctx.mark_non_differentiable(*output[n_out:])
            ctx.save_for_backward(*output[n_out:])  # noises, samples
        else:
            n_out = len(output)
            ctx.save_for_backward(*tensors, *output)
        ctx.layer, ctx.n_inputs, ctx.n_out = layer, n, n_out

    @staticmethod
    def backward(ctx, *grads):
        layer = ctx.layer
        saved = ctx.saved_tensors
        first, second = saved[: ctx.n_inputs], saved[ctx.n_inputs:]
        like = [o[0] for o in second] if layer.method == "perturbed" else second  # samples are [M, B, ...]
        grads = tuple(torch.zeros_like(o) if g is None else g for g, o in zip(grads[: ctx.n_out], like))
        if layer.method == "perturbed":  # torch arithmetic only: vmaps as it is
            with torch.no_grad():
                return (None, *perturbed_vjp(second, grads, first, layer.sigma))
        if torch.compiler.is_compiling():  # traced once as a graph: no vmapped cotangents to fold
            return (None, *layer._problem.vjp(layer.method, first, second, grads, layer.lam))
        return (None, *fast_apply(_VJP, layer, ctx.n_inputs, *first, *second, *grads))

    @staticmethod
    def vmap(info, in_dims, layer, *inputs):
        cores = [x.dim() - (d is not None) - 1 for x, d in zip(inputs, in_dims[1:])]
        flat, split = _flatten_vmap(info, in_dims[1:], inputs, cores)
        outputs = _Solve.apply(layer, *flat)
        n_out = (len(outputs) - len(inputs)) // 2 if layer.method == "perturbed" else len(outputs)
        # perturbed extras (noises, samples) are [M, V * B, ...]: split their second axis
        extras = tuple(o.reshape(o.shape[0], info.batch_size, -1, *o.shape[2:]) for o in outputs[n_out:])
        return (*(split(o) for o in outputs[:n_out]), *extras), (0,) * n_out + (1,) * len(extras)


class _CombinatorialLayer(nn.Module):
    """Common options of the combinatorial layers (see the module docstring).

    Args:
        method: one of ``"bb"``, ``"bb_sep"``, ``"bb1"``, ``"pt"``, ``"pt1"``, ``"perturbed"``.
        lam: interpolation step of the BB methods (> 0; unused by the others).
        sigma: noise scale of ``"perturbed"`` (> 0).
        num_samples: Monte-Carlo samples of ``"perturbed"`` (int >= 1).
        generator: optional ``torch.Generator`` (on the inputs' device) for ``"perturbed"``.
    """

    def __init__(self, method="bb", lam=10.0, sigma=1.0, num_samples=10, generator=None):
        super().__init__()
        self.method = check_method(method, METHODS)
        self.lam = check_positive(lam, "lam")
        self.sigma = check_positive(sigma, "sigma")
        self.num_samples = check_int(num_samples, "num_samples", minimum=1)
        if generator is not None and not isinstance(generator, torch.Generator):
            raise TypeError(f"generator must be a torch.Generator or None, got {type(generator).__name__}")
        self.generator = generator

    _on_graph = None  # the graph options (_OnGraph) of a layer built with graph=...

    @property
    def graph(self):
        """The :class:`~bigrad.graphs.Graph` of a graph layer, None on a grid."""
        return None if self._on_graph is None else self._on_graph.graph

    def extra_repr(self) -> str:
        extra = f", sigma={self.sigma}, num_samples={self.num_samples}" if self.method == "perturbed" else ""
        graph = "" if self._on_graph is None else self._on_graph.extra_repr()
        return f"method={self.method!r}, lam={self.lam}{extra}{graph}"

    def __setstate__(self, state):
        super().__setstate__(state)
        if self._on_graph is not None:  # a copied or unpickled graph registers anew
            self._problem = self._make_problem()

    def _run(self, problem, core_ndim: int, *inputs):
        """Batch the inputs (``core_ndim`` or ``core_ndim + 1`` dims), apply, unbatch."""
        batched = inputs[0].dim() == core_ndim + 1
        if not batched:
            inputs = tuple(t.unsqueeze(0) for t in inputs)
        outputs = fast_apply(_Solve, self, *inputs)
        if self.method == "perturbed":
            outputs = outputs[: (len(outputs) - len(inputs)) // 2]
        return tuple(o if batched else o.squeeze(0) for o in outputs)


def _check_tensor(t, name: str):
    """A float32/float64 torch tensor."""
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(t).__name__}")
    if t.dtype not in (torch.float32, torch.float64):
        raise TypeError(f"{name} must have dtype float32 or float64, got {t.dtype}")


def _check_input(t, name: str, core_ndim: int, desc: str):
    """A float32/float64 tensor with ``core_ndim`` or ``core_ndim + 1`` dims."""
    _check_tensor(t, name)
    if t.dim() not in (core_ndim, core_ndim + 1) or t.numel() == 0:
        raise ValueError(f"{name} must be a non-empty {desc} or [B, {desc[1:-1]}] tensor, got shape {tuple(t.shape)}")
    return t


def _game_inputs(z, w, check):
    """Check ``z`` and ``w`` with ``check(t, name)`` (``w=None``: ones, the paper's unit interdiction cost)."""
    check(z, "z")
    w = torch.ones_like(z) if w is None else check(w, "w")
    check_same(z, w, "z", "w")
    return z, w


def _shortest_path(c, neighbourhood):
    return _SHORTEST_PATH(c, neighbourhood)


def _shortest_path_game(z, w, budget, neighbourhood):
    return _SHORTEST_PATH_GAME(z, w, budget, neighbourhood)


def _graph_path(c, graph, source, target, weights_on):
    return _GRAPH_PATH(c, graph, source, target, weights_on)


def _graph_game(z, w, graph, budget, source, target):
    return _GRAPH_GAME(z, w, graph, budget, source, target)


def _tsp(c):
    return _TSP(c)


def _tsp_game(z, w, budget):
    return _TSP_GAME(z, w, budget)


class _OnGraph:
    """The graph options of a layer: structure, endpoints, where the weights sit, and the input checks.

    Args:
        graph: a :class:`bigrad.graphs.Graph` (N nodes, E edges).
        source, target: ints in ``[0, N)``; default 0 and N - 1.
        weights_on: ``"edges"`` (inputs ``[E]`` / ``[B, E]``) or ``"nodes"`` (``[N]`` / ``[B, N]``).
    """

    def __init__(self, graph, source, target, weights_on="edges"):
        from bigrad.graphs import Graph

        if not isinstance(graph, Graph):
            raise TypeError(f"graph must be a bigrad.graphs.Graph or None, got {type(graph).__name__}")
        if weights_on not in ("edges", "nodes"):
            raise ValueError(f"weights_on must be 'edges' or 'nodes', got {weights_on!r}")
        n = graph.num_nodes
        self.graph, self.weights_on = graph, weights_on
        self.source = check_int(source, "source", minimum=0)
        self.target = check_int(n - 1 if target is None else target, "target", minimum=0)
        for name, v in (("source", self.source), ("target", self.target)):
            if v >= n:
                raise ValueError(f"{name} must lie in [0, num_nodes = {n}), got {v}")
        self.size = graph.num_edges if weights_on == "edges" else n
        self.desc = "[E]" if weights_on == "edges" else "[N]"
        # on a DAG the solver takes any sign: perturbed costs are not clamped
        self.lower = None if graph.is_dag else 0.0

    def key(self) -> int:
        return _graph_key(self.graph)

    def check(self, t, name: str):
        """A ``[size]`` or ``[B, size]`` float tensor."""
        _check_input(t, name, 1, self.desc)
        if t.shape[-1] != self.size:
            what = "num_edges" if self.weights_on == "edges" else "num_nodes"
            raise ValueError(f"{name} must have {what} = {self.size} values per instance "
                             f"(weights_on={self.weights_on!r}), got shape {tuple(t.shape)}")
        return t

    def extra_repr(self) -> str:
        return f", graph={self.graph!r}, source={self.source}, target={self.target}, weights_on={self.weights_on!r}"


class ShortestPath(_CombinatorialLayer):
    """Shortest path on a vertex-weighted grid (Pogančić et al.) or on a :class:`~bigrad.graphs.Graph`.

    Grid (``graph=None``): ``forward(weights)``, ``[H, W]`` or ``[B, H, W]``
    non-negative costs -> path mask of the same shape, top-left to bottom-right.
    Graph: ``forward(weights)``, edge weights ``[E]`` or ``[B, E]`` (or node
    weights ``[N]`` / ``[B, N]`` with ``weights_on="nodes"``) -> the mask of
    the path's edges (nodes) from ``source`` to ``target``, same shape;
    non-negative unless the graph is a DAG (then any sign, and the perturbed
    methods do not clamp at 0). For ``"perturbed"``: the mean perturbed path.
    Methods: ``"bb"`` (= ``"bb_sep"`` = ``"bb1"``): ``(y(c + lam g) - y(c)) / lam``;
    ``"pt"`` (= ``"pt1"``): ``-g``; ``"perturbed"``.

    Args:
        neighbourhood: 8 or 4 (grid only).
        graph: None (grid) or a :class:`bigrad.graphs.Graph`.
        source, target: graph only, ints; default 0 and ``num_nodes - 1``.
        weights_on: graph only, ``"edges"`` or ``"nodes"``.
        Others: see :class:`_CombinatorialLayer`.
    """

    def __init__(self, neighbourhood=8, method="bb", lam=10.0, sigma=1.0, num_samples=10, generator=None, *,
                 graph=None, source=0, target=None, weights_on="edges"):
        super().__init__(method, lam, sigma, num_samples, generator)
        self.neighbourhood = check_int(neighbourhood, "neighbourhood", choices=(4, 8))
        self._on_graph = None if graph is None else _OnGraph(graph, source, target, weights_on)
        self._problem = self._make_problem()

    def _make_problem(self):
        g = self._on_graph
        if g is None:
            return MinProblem(partial(_shortest_path, neighbourhood=self.neighbourhood), lower=0.0)
        oracle = partial(_graph_path, graph=g.key(), source=g.source, target=g.target, weights_on=g.weights_on)
        return MinProblem(oracle, lower=g.lower)

    def forward(self, weights):
        if self._on_graph is None:
            _check_input(weights, "weights", 2, "[H, W]")
            return self._run(self._problem, 2, weights)[0]
        return self._run(self._problem, 1, self._on_graph.check(weights, "weights"))[0]


class ShortestPathInterdiction(_CombinatorialLayer):
    """``min_y max_x <z + x * w, y>`` over paths ``y`` and ``budget`` interdictions ``x`` (Sec. 5.3).

    Grid (``graph=None``): ``forward(z, w=None)``, ``[H, W]`` or ``[B, H, W]``
    non-negative vertex costs ``z`` and ``w`` -> ``(path_mask, interdiction_mask)``
    shaped like ``z``. Graph: ``z`` and ``w`` are edge weights ``[E]`` or
    ``[B, E]``, the masks mark edges, the paths run from ``source`` to
    ``target``. ``w`` defaults to ones (then not differentiated). Gradients
    flow to ``z`` and ``w``.

    Args:
        budget: int >= 0. neighbourhood: 8 or 4 (grid only).
        graph, source, target: as in :class:`ShortestPath` (edge weights only).
        Others: see :class:`_CombinatorialLayer`.
    """

    def __init__(self, budget, neighbourhood=8, method="bb", lam=10.0, sigma=1.0, num_samples=10, generator=None,
                 *, graph=None, source=0, target=None):
        super().__init__(method, lam, sigma, num_samples, generator)
        self.budget = check_int(budget, "budget", minimum=0)
        self.neighbourhood = check_int(neighbourhood, "neighbourhood", choices=(4, 8))
        self._on_graph = None if graph is None else _OnGraph(graph, source, target)
        self._problem = self._make_problem()

    def _make_problem(self):
        g = self._on_graph
        if g is None:
            oracle = partial(_shortest_path, neighbourhood=self.neighbourhood)
            game = partial(_shortest_path_game, budget=self.budget, neighbourhood=self.neighbourhood)
            return InterdictionGame(oracle, game, self.budget, lower=0.0)
        ends = dict(graph=g.key(), source=g.source, target=g.target)
        oracle = partial(_graph_path, weights_on="edges", **ends)
        return InterdictionGame(oracle, partial(_graph_game, budget=self.budget, **ends), self.budget, lower=0.0)

    def forward(self, z, w=None):
        if self._on_graph is None:
            z, w = _game_inputs(z, w, partial(_check_input, core_ndim=2, desc="[H, W]"))
            return self._run(self._problem, 2, z, w)
        return self._run(self._problem, 1, *_game_inputs(z, w, self._on_graph.check))


class TSPInterdiction(_CombinatorialLayer):
    """``min_y max_x <z + x * w, y>`` over directed tours ``y`` and ``budget`` removed edges ``x`` (Sec. 5.4).

    ``forward(z, w=None)``: ``[n, n]`` or ``[B, n, n]`` non-negative costs ->
    ``(tour_mask, interdiction_mask)``, both shaped like ``z`` (``mask[i, j] = 1``
    iff the tour goes ``i -> j``). Needs ``bigrad.solvers.tsp`` and ``tsp_interdiction``.

    Args:
        budget: int >= 0. Others: see :class:`_CombinatorialLayer`.
    """

    def __init__(self, budget, method="bb", lam=10.0, sigma=1.0, num_samples=10, generator=None):
        super().__init__(method, lam, sigma, num_samples, generator)
        self.budget = check_int(budget, "budget", minimum=0)
        self._problem = InterdictionGame(_tsp, partial(_tsp_game, budget=self.budget), self.budget, lower=0.0)

    def forward(self, z, w=None):
        z, w = _game_inputs(z, w, partial(_check_input, core_ndim=2, desc="[n, n]"))
        return self._run(self._problem, 2, z, w)


class TopK(_CombinatorialLayer):
    """Top-``k`` selection, optionally attacked: the ``q`` largest scores are removed (paper Eq. 13).

    ``forward(scores)``: ``[..., n]`` -> ``y`` (``q == 0``) or ``(y, x)``, each
    ``[..., n]``: ``x`` marks the top ``q`` scores, ``y`` the ranks ``q .. k-1``.
    Ties go to the lower index.

    Args:
        k: int, 1 <= k <= n. q: int, 0 <= q < k. Others: see :class:`_CombinatorialLayer`.
    """

    def __init__(self, k, q=0, method="bb", lam=10.0, sigma=1.0, num_samples=10, generator=None):
        super().__init__(method, lam, sigma, num_samples, generator)
        self.k = check_int(k, "k", minimum=1)
        self.q = check_int(q, "q", minimum=0)
        if self.q >= self.k:
            raise ValueError(f"q must be < k, got q={self.q}, k={self.k}")
        self._problem = AttackedTopK(self.k, self.q)

    def forward(self, scores):
        _check_tensor(scores, "scores")
        if scores.dim() == 0 or scores.numel() == 0:
            raise ValueError(f"scores must be a non-empty [..., n] tensor, got shape {tuple(scores.shape)}")
        lead, n = scores.shape[:-1], scores.shape[-1]
        if self.k > n:
            raise ValueError(f"k must be <= n = scores.shape[-1], got k={self.k}, n={n}")
        outputs = self._run(self._problem, 1, scores.reshape(-1, n))
        outputs = tuple(o.reshape(lead + (n,)) for o in outputs)
        return outputs if self.q else outputs[0]
