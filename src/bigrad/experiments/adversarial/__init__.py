"""Paper Table 2: a CNN with a discrete latent layer under attack (Sec. 5.2, Eq. 13).

Four models share one architecture (``adversarial.model.DiscreteCNN``):

- ``CNN``: vanilla, the classifier reads the features ``z``;
- ``DCNN``: a top-``B`` layer (``bigrad.torch.TopK``, no attacker) turns ``z`` into ``y in {0, 1}^m``;
- ``Bi-DCNN``: the min-max layer of Eq. 13, an attacker obscures the ``Q`` best of the ``B`` selected
  features, trained through it with BiGrad's gradient estimator (``method``, BB by default);
- ``CNN*``: the trained vanilla CNN with the min-max layer inserted afterwards (nothing retrained).

Each is trained on clean images, then evaluated under PGD L-inf attacks of
radius ``alpha / 255`` (``torchattacks.PGD``; the attacker's gradient through
the discrete layer is the layer's own estimator). ``run_table`` averages
accuracies over seeds and writes the table, the JSON and a plot.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import torch
from torch import nn

from bigrad.experiments import report
from bigrad.experiments.adversarial.data import ImageData, load_cifar10, load_digits
from bigrad.experiments.adversarial.model import DiscreteCNN, with_discrete_layer
from bigrad.experiments.table import TableResult

__all__ = ["MODELS", "PAPER", "AdversarialConfig", "attacked_accuracy", "run_table", "train_models"]

MODELS = ("DCNN", "Bi-DCNN", "CNN", "CNN*")  # the paper's column order
ALPHAS = (0, 5, 10, 15, 20, 25, 30)  # L-inf radius in 1/255

#: the paper's Table 2 (CIFAR-10, Q = 10): model -> [(mean, std)] per alpha in ALPHAS
PAPER = {
    "DCNN": [(62.9, 0.3), (42.6, 1.0), (23.5, 1.5), (14.4, 1.4), (9.1, 1.2), (6.1, 1.0), (3.9, 0.7)],
    "Bi-DCNN": [(64.0, 0.4), (44.5, 0.2), (25.3, 0.8), (15.6, 0.7), (10.0, 0.6), (6.8, 0.5), (4.4, 0.5)],
    "CNN": [(63.4, 0.7), (43.8, 1.2), (24.3, 1.0), (14.6, 0.7), (9.2, 0.4), (6.0, 0.2), (3.9, 0.2)],
    "CNN*": [(63.6, 0.5), (44.3, 1.0), (24.2, 1.0), (14.3, 0.4), (8.9, 0.2), (5.9, 0.2), (3.9, 0.1)],
}

TITLE = "Table 2: adversarial attack with discrete features"


@dataclass
class AdversarialConfig:
    """Configuration of one Table 2 run (defaults: the full run on the bundled digits).

    Attributes:
        m: feature size (the discrete layer's dimension); paper: 2024.
        budget: ``B``, features selected by the discrete layer; paper: 100.
        attack: ``Q``, features the attacker obscures; paper: 10.
        method: gradient estimator of the discrete layer (``"bb"`` = BiGrad (BB), ``"pt"`` = BiGrad (PT)).
        lam: BB interpolation step.
        channels, hidden: convolution channels and first linear width.
        epochs, batch_size, lr: Adam training (paper: 50 epochs, lr 3e-4).
        alphas: PGD L-inf radii in 1/255.
        pgd_steps: PGD iterations; the step size is ``2.5 * alpha / pgd_steps`` (Madry et al.).
        bpda: also attack the discrete models through a straight-through gradient (a second table).
        n_train, n_test: subset sizes (``None`` = all).
    """

    m: int = 512
    budget: int = 100
    attack: int = 10
    method: str = "bb"
    lam: float = 10.0
    channels: tuple[int, int] = (16, 32)
    hidden: int = 256
    epochs: int = 20
    batch_size: int = 64
    lr: float = 1e-3
    alphas: tuple[int, ...] = ALPHAS
    pgd_steps: int = 10
    bpda: bool = True
    n_train: int | None = None
    n_test: int | None = None


#: quick run (CI): 4 epochs on 500 images, 3-step PGD on 150 test images, no BPDA table
QUICK = AdversarialConfig(epochs=4, pgd_steps=3, bpda=False, n_train=500, n_test=150)
#: CIFAR-10 (``data=DIR``): the paper's feature size, optimiser and epochs
CIFAR = AdversarialConfig(m=2048, channels=(32, 64), epochs=50, lr=3e-4)
CIFAR_QUICK = replace(CIFAR, epochs=1, pgd_steps=3, n_train=2000, n_test=200)


def _torchattacks():
    try:
        import torchattacks
    except ImportError as exc:
        raise ImportError(
            "the adversarial experiment (paper Table 2) needs torchattacks: pip install 'bigrad[experiments]' "
            "(or `pip install --no-deps torchattacks` to keep your torch)"
        ) from exc
    return torchattacks


def _build(data: ImageData, cfg: AdversarialConfig, budget: int = 0, attack: int = 0) -> DiscreteCNN:
    return DiscreteCNN(data.shape, len(data.classes), channels=cfg.channels, hidden=cfg.hidden, m=cfg.m,
                       budget=budget, attack=attack, method=cfg.method, lam=cfg.lam)


def _train(model: DiscreteCNN, data: ImageData, cfg: AdversarialConfig, seed: int, tick: Callable[[], None]):
    """Adam on the cross-entropy, ``cfg.epochs`` shuffled epochs; returns the per-epoch mean loss."""
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    g = torch.Generator().manual_seed(seed)
    losses = []
    model.train()
    for _ in range(cfg.epochs):
        perm = torch.randperm(len(data.train_y), generator=g)
        total = 0.0
        for i in range(0, len(perm), cfg.batch_size):
            idx = perm[i:i + cfg.batch_size]
            loss = nn.functional.cross_entropy(model(data.train_x[idx]), data.train_y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        losses.append(total / len(perm))
        tick()
    model.eval()
    return losses


def train_models(data: ImageData, cfg: AdversarialConfig, seed: int,
                 tick: Callable[[], None] = lambda: None) -> tuple[dict[str, DiscreteCNN], dict[str, list[float]]]:
    """Train CNN, DCNN and Bi-DCNN from seed ``seed`` and derive CNN*; returns ``(models, loss curves)``."""
    specs = {"CNN": (0, 0), "DCNN": (cfg.budget, 0), "Bi-DCNN": (cfg.budget, cfg.attack)}
    models, curves = {}, {}
    for name, (budget, attack) in specs.items():
        torch.manual_seed(seed)
        models[name] = _build(data, cfg, budget, attack)
        curves[name] = _train(models[name], data, cfg, seed, tick)
    models["CNN*"] = with_discrete_layer(models["CNN"], cfg.budget, cfg.attack, cfg.method, cfg.lam)
    return models, curves


def attacked_accuracy(model: DiscreteCNN, images: torch.Tensor, labels: torch.Tensor, alpha: float,
                      steps: int, batch_size: int = 256, attack_gradient: str | None = None) -> float:
    """Accuracy in percent of ``model`` on PGD L-inf adversarial ``images`` of radius ``alpha`` (in [0, 1] units).

    ``alpha == 0`` is the clean accuracy. PGD (``torchattacks.PGD``) takes
    ``steps`` steps of ``2.5 * alpha / steps`` from a random start. The
    attacker differentiates the discrete layer with the layer's own estimator,
    or with ``attack_gradient`` (e.g. ``"pt"``: straight-through, the BPDA
    attack of Athalye et al. 2018) when given; the forward pass is unchanged.
    """
    model.eval()
    attack = None
    if alpha > 0:
        attack = _torchattacks().PGD(model, eps=alpha, alpha=2.5 * alpha / steps, steps=steps, random_start=True)
    layer = getattr(model, "discrete", None)
    own = layer.method if layer is not None else None
    correct = 0
    try:
        if layer is not None and attack_gradient is not None:
            layer.method = attack_gradient
        for i in range(0, len(labels), batch_size):
            x, y = images[i:i + batch_size], labels[i:i + batch_size]
            if attack is not None:
                x = attack(x, y)
            with torch.no_grad():
                correct += int((model(x).argmax(1) == y).sum())
    finally:
        if layer is not None:
            layer.method = own
    return 100.0 * correct / len(labels)


def _evaluate(models, data: ImageData, cfg: AdversarialConfig, seed: int, tick) -> list[dict]:
    """Accuracy per model and radius; with ``cfg.bpda`` also under straight-through attacks (``attack="pt"``)."""
    rows = []
    for name in MODELS:
        grads = ["layer"] + (["pt"] if cfg.bpda and models[name].discrete is not None else [])
        for grad in grads:
            for alpha in cfg.alphas:
                torch.manual_seed(seed)  # PGD's random start
                acc = attacked_accuracy(models[name], data.test_x, data.test_y, alpha / 255, cfg.pgd_steps,
                                        attack_gradient=None if grad == "layer" else grad)
                rows.append({"seed": seed, "model": name, "alpha": alpha, "attack_gradient": grad,
                             "accuracy": acc})
                tick()
    return rows


def _stats(rows: list[dict], model: str, alpha: int, grad: str = "layer") -> tuple[float, float]:
    """Mean and std over seeds of ``model``'s accuracy at ``alpha`` attacked through ``grad``."""
    acc = [r["accuracy"] for r in rows
           if r["model"] == model and r["alpha"] == alpha and r["attack_gradient"] == grad]
    return float(np.mean(acc)), float(np.std(acc))


def _grad_of(rows: list[dict], model: str, grad: str) -> str:
    """``grad``, or ``"layer"`` for a model that was not attacked through ``grad`` (the vanilla CNN)."""
    return grad if any(r["model"] == model and r["attack_gradient"] == grad for r in rows) else "layer"


def markdown(rows: list[dict], alphas: Sequence[int], data_name: str, n_seeds: int) -> str:
    """Table 2 as in the paper (rows: attack radius, columns: models), the paper's figures beside ours.

    When ``rows`` hold straight-through (``"pt"``) attacks, a second table follows with those.
    """
    def table(grad: str, with_paper: bool) -> list[str]:
        head = ["L∞ ≤ α (/255)"]
        for name in MODELS:
            head += [f"{name} (ours)", f"{name} (paper)"] if with_paper else [name]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for alpha in alphas:
            cells = [str(alpha)]
            for name in MODELS:
                mean, std = _stats(rows, name, alpha, _grad_of(rows, name, grad))
                cells.append(f"{mean:.1f} ± {std:.1f}")
                if with_paper:
                    paper = PAPER[name][ALPHAS.index(alpha)] if alpha in ALPHAS else None
                    cells.append(f"{paper[0]:.1f} ± {paper[1]:.1f}" if paper else "–")
            lines.append("| " + " | ".join(cells) + " |")
        return lines

    out = table("layer", True)
    out.append(f"\nAccuracy (%) under PGD L∞ attacks, mean ± std over {n_seeds} seed(s); ours on {data_name}, "
               "the paper's on CIFAR-10. Q = 10 features obscured by the discrete layer's attacker; PGD "
               "differentiates the discrete layer with the layer's own gradient estimator (as in the paper).")
    if any(r["attack_gradient"] == "pt" for r in rows):
        out += ["", ("Same models, PGD differentiating the discrete layer straight-through (BPDA, Athalye et al. "
                "2018; the vanilla CNN has no discrete layer and is repeated):"), ""]
        out += table("pt", False)
    return "\n".join(out) + "\n"


def plot(rows: list[dict], alphas: Sequence[int], path: Path, data_name: str) -> Path | None:
    """Accuracy vs attack radius per model (error bars: std over seeds), the paper's curves dashed.

    A second panel shows the straight-through (BPDA) attacks when ``rows`` hold them.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    grads = ["layer"] + (["pt"] if any(r["attack_gradient"] == "pt" for r in rows) else [])
    fig, axes = plt.subplots(1, len(grads), figsize=(6 * len(grads), 5.2), squeeze=False)
    for ax, grad in zip(axes[0], grads):
        for i, name in enumerate(MODELS):
            stats = [_stats(rows, name, a, _grad_of(rows, name, grad)) for a in alphas]
            ax.errorbar(alphas, [s[0] for s in stats], yerr=[s[1] for s in stats], color=f"C{i}", marker="o",
                        capsize=3, label=f"{name} ({data_name})")
            if grad == "layer":
                ax.plot(ALPHAS, [m for m, _ in PAPER[name]], color=f"C{i}", linestyle="--", alpha=0.6,
                        label=f"{name} (paper, CIFAR-10)")
        ax.set_xlabel("PGD L∞ radius α (×1/255)")
        ax.set_ylabel("test accuracy (%)")
        ax.set_ylim(0, 100)
        ax.set_title("Table 2: PGD through the layer's estimator" if grad == "layer"
                     else "PGD straight-through the discrete layer (BPDA)")
        ax.legend(fontsize=7, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.15))
    fig.suptitle(f"Accuracy under PGD attack, discrete layer with Q = 10 ({data_name})", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _config(quick: bool, data: Path | None, config: AdversarialConfig | None) -> AdversarialConfig:
    if config is not None:
        return config
    if data is not None:
        return CIFAR_QUICK if quick else CIFAR
    return QUICK if quick else AdversarialConfig()


def run_table(*, quick: bool, seeds: Sequence[int], out_dir: Path, log: Callable[[str], None] = print,
              data: Path | None = None, config: AdversarialConfig | None = None) -> TableResult:
    """Reproduce the paper's Table 2 (see the module docstring) and write it under ``out_dir``.

    Args:
        quick: the CI configuration (``QUICK``: 4 epochs on 500 images, 3-step PGD on 150 test images).
        seeds: seeds to average over (model initialisation, batch order, PGD start).
        out_dir: folder for ``adversarial.json``, ``adversarial.md`` and ``adversarial.png``.
        log: progress lines.
        data: folder with CIFAR-10's python batches (``load_cifar10``); ``None``: scikit-learn's digits.
        config: overrides the configuration chosen from ``quick`` and ``data``.

    Returns:
        The table; ``metric`` holds each model's clean test accuracy (mean over seeds), ``untrained``
        the clean accuracy of the untrained vanilla CNN.
    """
    from tqdm.auto import tqdm

    _torchattacks()  # fail before training when it is missing
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must name at least one seed")
    start = time.perf_counter()
    out_dir = Path(out_dir)
    cfg = _config(quick, data, config)
    if 0 not in cfg.alphas:
        raise ValueError(f"config.alphas must include 0 (the clean accuracy), got {cfg.alphas}")
    images = load_cifar10(data) if data is not None else load_digits()
    images = images.subset(cfg.n_train, cfg.n_test)
    log(f"{TITLE}: {images.name}, {len(images.train_y)} train / {len(images.test_y)} test images, "
        f"m = {cfg.m}, B = {cfg.budget}, Q = {cfg.attack}, method {cfg.method}, {cfg.epochs} epochs, "
        f"PGD {cfg.pgd_steps} steps, seeds {seeds}")
    rows, curves, untrained = [], {}, []
    total = len(seeds) * (3 * cfg.epochs + (len(MODELS) + 3 * cfg.bpda) * len(cfg.alphas))
    with tqdm(total=total, desc="Table 2 (adversarial)", unit="step", disable=None) as bar:
        for seed in seeds:
            torch.manual_seed(seed)
            untrained.append(attacked_accuracy(_build(images, cfg).eval(), images.test_x, images.test_y, 0, 1))
            models, curves[seed] = train_models(images, cfg, seed, tick=lambda: bar.update(1))
            seed_rows = _evaluate(models, images, cfg, seed, tick=lambda: bar.update(1))
            rows += seed_rows
            clean = {r["model"]: r["accuracy"] for r in seed_rows
                     if r["alpha"] == 0 and r["attack_gradient"] == "layer"}
            log(f"  seed {seed}: clean accuracy " + ", ".join(f"{k} {v:.1f}%" for k, v in clean.items()))
    table = markdown(rows, cfg.alphas, images.name, len(seeds))
    out_dir.mkdir(parents=True, exist_ok=True)
    report.save(out_dir, "adversarial", rows, f"### {TITLE}\n\n{table}")
    plots = [p.name for p in [plot(rows, cfg.alphas, out_dir / "adversarial.png", images.name)] if p]
    metric = {name: _stats(rows, name, 0)[0] for name in MODELS}
    notes = _notes(cfg, images, seeds, curves)
    return TableResult(name="adversarial", title=TITLE, markdown=table, rows=rows, plots=plots, notes=notes,
                       metric=metric, untrained=float(np.mean(untrained)), higher_is_better=True,
                       seconds=time.perf_counter() - start)


def _notes(cfg: AdversarialConfig, data: ImageData, seeds: Sequence[int], curves: dict) -> str:
    final = {name: np.mean([c[name][-1] for c in curves.values()]) for name in ("CNN", "DCNN", "Bi-DCNN")}
    return (
        f"Data: {data.name}, {len(data.train_y)} train / {len(data.test_y)} test images "
        "(paper: CIFAR-10, which cannot be downloaded here; pass --data DIR with its python batches). "
        f"Model: 2 conv 3x3 (channels {cfg.channels}) + max-pool, linear {cfg.hidden}, linear m = {cfg.m}, ReLU; "
        f"discrete layer B = {cfg.budget}, Q = {cfg.attack} (paper: m = 2024, B = 100, Q = 10), "
        f"gradient {cfg.method!r} (lam = {cfg.lam}); linear classifier on y in {{0, 1}}^m. "
        f"CNN* = the trained CNN with the Q = {cfg.attack} layer inserted, not retrained. "
        f"Training: Adam lr {cfg.lr}, {cfg.epochs} epochs, batch {cfg.batch_size} "
        "(paper: lr 3e-4, 50 epochs: digits converge sooner). "
        "Final training loss " + ", ".join(f"{k} {v:.3f}" for k, v in final.items()) + ". "
        f"Attack: torchattacks PGD L-inf, {cfg.pgd_steps} steps of 2.5 alpha / steps, random start; the first "
        "table differentiates the discrete layer with its own estimator (as the paper), the second "
        "(not in the paper) straight-through (BPDA), an adaptive attack that sees past the masked gradient. "
        f"Seeds {list(seeds)}. Config: {asdict(cfg)}."
    )
