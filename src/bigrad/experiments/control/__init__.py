"""Table 1: optimal control with an adversarial disturbance (paper Sec. 5.1, Eqs. 10-12).

System ``x_{t+1} = A xt_t + B u_t + w_t`` where ``xt_t = x_t + eps_t`` is the state
after the attacker's disturbance ``||eps_t|| <= sigma``; the controller sees
``xt_t`` and answers with Eq. 11 (:class:`ADPController`, learned ``P, Q, q``,
started from LQR); cost Eq. 10a ``(1/T) sum_t ||xt_t||^2 + ||u_t||^2``.

Three controllers, one policy class (Eq. 11); they differ only in the attacker
model they were trained against, by backpropagation through ``T`` unrolled steps:

* **LQR**: the untrained controller (``P, Q, q`` from the Riccati solution).
* **two-step** (adversarial OptNet): the attack is the best response to the
  controller's undisturbed output (:func:`two_step_attack`).
* **bilevel** (BiGrad): the attacker leads and anticipates the controller's answer
  (Eq. 12, :class:`BilevelAttacker` = ``BilevelLayer`` min-max with norm balls).

All three are then evaluated on the same held-out trajectories under the same
attackers (bilevel, two-step, none).
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from bigrad.experiments.control.attack import BilevelAttacker, two_step_attack
from bigrad.experiments.control.lqr import adp_init, dare, make_system
from bigrad.experiments.control.policy import ADPController
from bigrad.experiments.table import TableResult

METHODS = ("lqr", "two-step", "bilevel")
ATTACKS = ("true-cost", "bilevel", "two-step", "none")
#: the attacker of the headline rows, the metric and the Fig. 2b curve: a bilevel attacker that maximises the
#: true one-step cost-to-go (the LQR model) of the controller's actual response; no controller trains against it
HEADLINE = "true-cost"
ATTACK_LABELS = {
    "true-cost": "bilevel attacker, true cost",
    "bilevel": "bilevel attacker, controller's own model (Eq. 12)",
    "two-step": "two-step attacker",
    "none": "no attacker (w only)",
}
LABELS = {"lqr": "LQR", "two-step": "two-step (OptNet)", "bilevel": "bilevel (BiGrad)"}
#: the paper's Table 1 (average cost, adversarial disturbance)
PAPER: dict[int, dict[str, float | None]] = {10: {"lqr": 2.736, "two-step": 0.2722, "bilevel": 0.2379},
                                             30: {"lqr": None, "two-step": 0.2511, "bilevel": 0.2181}}


@dataclass
class ControlConfig:
    """Everything that defines a run (see ``docs/experiments_control.md``)."""

    n: int = 2  # state dimension (the paper's N)
    m: int = 3  # control dimension
    sigma: float = 0.2  # attack budget ||eps|| <= sigma
    w_std: float = 0.1  # i.i.d. Gaussian disturbance w_t
    x0_std: float = 0.5  # initial states x_0 ~ N(0, x0_std^2 I)
    horizons: tuple = (10, 30)  # table rows
    curve_horizon: int = 20  # Fig. 2b
    curve_every: int = 5  # evaluate the Fig. 2b curve every this many epochs (and at the first and last)
    epochs: int = 10
    batch: int = 32  # trajectories per epoch (one Adam step each)
    lr: float = 0.05
    n_eval: int = 128  # held-out trajectories
    barrier_t: float = 1e3
    system_seed: int = 0  # the system (A, B) is shared by all seeds

    @classmethod
    def quick(cls) -> ControlConfig:
        return cls(horizons=(10,), curve_horizon=10, curve_every=100, epochs=3, batch=16, n_eval=32)


def rollout(controller: ADPController, attack: str, x0: torch.Tensor, w: torch.Tensor, A: torch.Tensor,
            B: torch.Tensor, sigma: float, attacker: BilevelAttacker | None = None) -> torch.Tensor:
    """Average cost (Eq. 10a) of ``T = len(w)`` steps from ``x0 [b, n]`` with noise ``w [T, b, n]``.

    ``attacker`` is used for ``attack="bilevel"`` and ``"true-cost"`` (with its ``leader``).
    """
    x, cost = x0, x0.new_zeros(())
    for wt in w:
        if attack in ("bilevel", "true-cost"):
            if attacker is None:
                raise ValueError(f"attack={attack!r} needs an attacker")
            eps = attacker(x)[0]
        elif attack == "two-step":
            eps = two_step_attack(controller, x, sigma)
        elif attack == "none":
            eps = torch.zeros_like(x)
        else:
            raise ValueError(f"attack must be one of {ATTACKS}, got {attack!r}")
        xt = x + eps
        u = controller(xt)
        cost = cost + ((xt * xt).sum(1) + (u * u).sum(1)).mean()
        x = xt @ A.T + u @ B.T + wt
    return cost / len(w)


class _Task:
    """The system, its LQR solution and seeded trajectories."""

    def __init__(self, cfg: ControlConfig):
        self.cfg = cfg
        self.sys = make_system(cfg.n, cfg.m, cfg.system_seed)
        self.S = dare(self.sys.A, self.sys.B, self.sys.Qc, self.sys.Rc)
        self.init: dict[str, Any] = adp_init(self.sys, self.S)  # ADPController's P, Q, q, W
        self.A = torch.as_tensor(self.sys.A)
        self.B = torch.as_tensor(self.sys.B)

    def controller(self) -> ADPController:
        return ADPController(**self.init)

    def samples(self, b: int, T: int, seed: int):
        g = torch.Generator().manual_seed(seed)
        x0 = self.cfg.x0_std * torch.randn(b, self.cfg.n, generator=g, dtype=torch.float64)
        w = self.cfg.w_std * torch.randn(T, b, self.cfg.n, generator=g, dtype=torch.float64)
        return x0, w

    def evaluate(self, controller: ADPController, attack: str, T: int, seed: int) -> float:
        """Average cost on ``n_eval`` held-out trajectories (the same for every controller)."""
        x0, w = self.samples(self.cfg.n_eval, T, 10_000 + seed)
        leader = self.controller().requires_grad_(False) if attack == "true-cost" else None
        attacker = BilevelAttacker(controller, self.cfg.sigma, barrier_t=self.cfg.barrier_t, leader=leader)
        with torch.no_grad():
            return float(rollout(controller, attack, x0, w, self.A, self.B, self.cfg.sigma, attacker))

    def train(self, method: str, T: int, seed: int, bar=None, curve: bool = False):
        """Train one controller against ``method``'s attacker -> ``(controller, losses, curve)``.

        ``curve`` maps epoch -> held-out cost under the bilevel attacker, every ``curve_every``
        epochs strictly between the first and the last (those two are the table's evaluations).
        """
        cfg = self.cfg
        controller = self.controller()
        attacker = BilevelAttacker(controller, cfg.sigma, barrier_t=cfg.barrier_t)
        opt = torch.optim.Adam(controller.parameters(), lr=cfg.lr)
        losses, val = [], {}
        for epoch in range(cfg.epochs):
            x0, w = self.samples(cfg.batch, T, 1000 * seed + epoch)
            loss = rollout(controller, method, x0, w, self.A, self.B, cfg.sigma, attacker)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(controller.parameters(), 10.0)
            opt.step()
            losses.append(float(loss.detach()))
            if curve and (epoch + 1) % cfg.curve_every == 0 and epoch + 1 < cfg.epochs:
                val[epoch + 1] = self.evaluate(controller, HEADLINE, T, seed)
            if bar is not None:
                bar.update(1)
                bar.set_postfix_str(f"{method} T={T} seed={seed} loss={losses[-1]:.4f}")
        return controller, losses, val


def _mean_std(values) -> str:
    v = np.asarray(values, dtype=float)
    return f"{v.mean():.4f} ± {v.std():.4f}"


def _table(rows: list[dict], cfg: ControlConfig) -> str:
    head = "| disturbance | steps | " + " | ".join(LABELS[m] for m in METHODS) + " | paper (LQR / OptNet / Bilevel) |"
    lines = [head, "|" + "---|" * (3 + len(METHODS))]
    for attack in ATTACKS:
        for T in cfg.horizons:
            cells = []
            for m in METHODS:
                vals = [r["cost"] for r in rows if r["method"] == m and r["T"] == T and r["attack"] == attack]
                cells.append(_mean_std(vals) if vals else "")
            paper = PAPER.get(T) if attack == HEADLINE else None
            ref = " / ".join("–" if paper[m] is None else f"{paper[m]:.4f}" for m in METHODS) if paper else ""
            lines.append(f"| {ATTACK_LABELS[attack]} | {T} | " + " | ".join(cells) + f" | {ref} |")
    return "\n".join(lines) + "\n"


def _plot(curves: dict, epochs: list, T: int, path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    colors = {"two-step": "tab:orange", "bilevel": "tab:blue"}
    for method, runs in curves.items():
        c = np.asarray(runs)
        mean, std = c.mean(0), c.std(0)
        ep = np.asarray(epochs)
        ax.plot(ep, mean, marker="o", ms=3, color=colors[method], label=LABELS[method])
        ax.fill_between(ep, mean - std, mean + std, color=colors[method], alpha=0.2)
    lqr = np.asarray(next(iter(curves.values())))[:, 0].mean()
    ax.axhline(lqr, color="gray", ls="--", label="LQR (epoch 0)")
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"held-out cost, {ATTACK_LABELS[HEADLINE]}")
    ax.set_title(f"Fig. 2b: training, N = 2, T = {T} (mean ± std over seeds)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def run_table(*, quick: bool, seeds: Sequence[int], out_dir: Path, log: Callable[[str], None] = print,
              config: ControlConfig | None = None) -> TableResult:
    """Reproduce Table 1 and Fig. 2b; see the module docstring."""
    from tqdm.auto import tqdm

    t_start = time.perf_counter()
    cfg = config or (ControlConfig.quick() if quick else ControlConfig())
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must not be empty")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    task = _Task(cfg)
    log(f"control: n={cfg.n}, m={cfg.m}, sigma={cfg.sigma}, horizons {cfg.horizons}, {cfg.epochs} epochs x "
        f"{cfg.batch} trajectories, seeds {seeds}")
    horizons = list(cfg.horizons)
    extra_curve = cfg.curve_horizon not in horizons
    n_runs = len(seeds) * 2 * (len(horizons) + extra_curve)
    rows: list[dict] = []
    curves: dict[str, list[list[float]]] = {"two-step": [], "bilevel": []}
    curve_epochs = [0, *range(cfg.curve_every, cfg.epochs, cfg.curve_every), cfg.epochs]
    with tqdm(total=n_runs * cfg.epochs, desc="control", leave=False) as bar:
        for seed in seeds:
            torch.manual_seed(seed)
            for T in horizons + ([cfg.curve_horizon] if extra_curve else []):
                want_curve = T == cfg.curve_horizon
                trained, vals, loss_curves = {"lqr": task.controller()}, {}, {}
                for method in ("two-step", "bilevel"):
                    trained[method], loss_curves[method], vals[method] = task.train(
                        method, T, seed, bar, curve=want_curve)
                attacks = ATTACKS if T in horizons else (HEADLINE,)
                costs = {(m, a): task.evaluate(c, a, T, seed) for m, c in trained.items() for a in attacks}
                if want_curve:
                    for method in ("two-step", "bilevel"):
                        points = {0: costs["lqr", HEADLINE], **vals[method], cfg.epochs: costs[method, HEADLINE]}
                        curves[method].append([points[k] for k in curve_epochs])
                if T not in horizons:
                    continue
                for (method, attack), cost in costs.items():
                    rows.append({"method": method, "T": T, "attack": attack, "seed": seed, "cost": cost,
                                 "train_loss": loss_curves.get(method, [])})
                log(f"  seed {seed}, T={T}, cost ({ATTACK_LABELS[HEADLINE]}): "
                    + ", ".join(f"{m} {costs[m, HEADLINE]:.4f}" for m in METHODS))
    (out_dir / "control_curves.json").write_text(json.dumps({"epochs": curve_epochs, **curves}))
    plots = []
    if _plot(curves, curve_epochs, cfg.curve_horizon, out_dir / "control_training.png"):
        plots.append("control_training.png")
    T0 = horizons[0]
    metric = {m: float(np.mean([r["cost"] for r in rows if r["method"] == m and r["T"] == T0
                                and r["attack"] == HEADLINE])) for m in METHODS}
    return TableResult(
        name="control",
        title="Table 1: optimal control with an adversarial disturbance",
        markdown=_table(rows, cfg),
        rows=rows,
        plots=plots,
        notes=_notes(rows, cfg, seeds, quick),
        metric={m: metric[m] for m in ("two-step", "bilevel")},
        untrained=metric["lqr"],
        higher_is_better=False,
        seconds=time.perf_counter() - t_start,
    )


def _notes(rows, cfg: ControlConfig, seeds, quick: bool) -> str:
    def mean(m, T, a):
        return float(np.mean([r["cost"] for r in rows if r["method"] == m and r["T"] == T and r["attack"] == a]))

    shown = {**asdict(cfg), "horizons": list(cfg.horizons)}
    lines = [f"Configuration: {shown}; seeds {list(seeds)}"
             + (" (quick run)" if quick else "") + "."]
    for attack in ATTACKS:
        for T in cfg.horizons:
            lq, ts, bl = mean("lqr", T, attack), mean("two-step", T, attack), mean("bilevel", T, attack)
            verdict = "beats" if bl < min(lq, ts) else "does NOT beat"
            lines.append(f"T={T}, {ATTACK_LABELS[attack]}: bilevel {bl:.4f} {verdict} two-step {ts:.4f} and "
                         f"LQR {lq:.4f} (bilevel vs two-step {100 * (bl - ts) / ts:+.1f} %).")
    lines.append(
        "All three controllers are the same policy class (Eq. 11, ||u|| <= 1), differ only in the attacker they "
        "were trained against, and are evaluated on the same held-out trajectories under the same attackers. "
        "The headline attacker maximises the true one-step cost-to-go of the controller's actual response "
        "(no controller was trained against it); 'controller's own model' is Eq. 12, the bilevel model's training "
        "attacker; 'two-step' is the two-step model's. The paper's system, noise scale and evaluation protocol are "
        "not published, so only the ordering of its figures is comparable. With sigma small against ||x||, the "
        "two-step (linearised best response) and the Stackelberg attack nearly coincide, so the two trained models "
        "can only differ through second-order terms. See docs/experiments_control.md."
    )
    return "\n".join(lines)
