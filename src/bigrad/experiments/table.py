"""The contract between each paper experiment and the one-command runner.

Every experiment module (``control``, ``adversarial``, ``warcraft``, ``tsp``)
exposes::

    def run_table(*, quick: bool, seeds: Sequence[int], out_dir: Path,
                  log: Callable[[str], None] = print) -> TableResult

``quick`` runs the smallest configuration (the whole of ``bigrad experiments
--quick`` stays under 2 minutes on 2 cores); ``seeds`` are the seeds to
average over (mean and std in the table); plots are written under ``out_dir``.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TableResult:
    """One paper table reproduced.

    Attributes:
        name: short key, e.g. ``"control"``; also the ``bigrad experiments NAME``.
        title: e.g. ``"Table 1: optimal control with an adversarial disturbance"``.
        markdown: the table laid out like the paper's, the paper's figures in a column beside ours.
        rows: raw JSON-serialisable records (one per seed, method and setting).
        plots: paths of the PNG files written (relative to ``out_dir``), each with title, axes and legend.
        notes: the configuration that produced the table and what differs from the paper, and why.
        metric: the task metric the tests compare against an untrained model, per method (higher or
            lower is better as ``higher_is_better`` says); ``untrained`` holds the untrained model's value.
        seconds: wall time of the run.
        timing: where the time went (:func:`~bigrad.experiments.workers.split_time`: ``network``,
            ``solver``, ``data`` and their sum ``runs``, in seconds summed over the runs; with worker
            processes ``runs`` exceeds the wall time); empty for tables that do not measure it.
    """

    name: str
    title: str
    markdown: str
    rows: list[dict] = field(default_factory=list)
    plots: list[str] = field(default_factory=list)
    notes: str = ""
    metric: dict[str, float] = field(default_factory=dict)
    untrained: float = float("nan")
    higher_is_better: bool = True
    seconds: float = 0.0
    timing: dict[str, float] = field(default_factory=dict)
