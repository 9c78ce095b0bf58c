"""Paired comparisons over seeds for the paper's claims (BB > BB-1, PT > PT-1, BiGrad > SL on validation).

Each seed trains every variant on the same data from the same initialisation,
so the claims are tested on the per-seed differences ``d_s = acc_A(s) -
acc_B(s)``: their mean with a two-sided 95 % Student-t interval (``n - 1``
degrees of freedom). A claim is *reproduced* in a setting when the interval
lies above 0, *contradicted* when it lies below 0, and *inconclusive*
otherwise (or with fewer than two seeds).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from scipy import stats

__all__ = ["CLAIMS", "paired_difference", "claim_rows", "claims_markdown"]

#: (better, worse) variant labels of each claim, as the tables label their rows
CLAIMS = (("BiGrad (BB)", "BB-1"), ("BiGrad (PT)", "PT-1"), ("BiGrad (BB)", "SL"), ("BiGrad (PT)", "SL"))


def paired_difference(a: Sequence[float], b: Sequence[float], level: float = 0.95) -> dict:
    """Mean of ``a - b`` over paired samples, with its two-sided Student-t interval at ``level``.

    Returns ``{"n", "mean", "low", "high", "verdict"}``; the interval is NaN for
    fewer than two pairs, and zero-width when every difference is the same.
    """
    if len(a) != len(b):
        raise ValueError(f"a and b must pair up, got {len(a)} and {len(b)} values")
    if not 0 < level < 1:
        raise ValueError(f"level must lie in (0, 1), got {level}")
    d = [float(x) - float(y) for x, y in zip(a, b)]
    n = len(d)
    if n == 0:
        return {"n": 0, "mean": math.nan, "low": math.nan, "high": math.nan, "verdict": "inconclusive"}
    mean = sum(d) / n
    if n < 2:
        return {"n": n, "mean": mean, "low": math.nan, "high": math.nan, "verdict": "inconclusive"}
    sd = math.sqrt(sum((x - mean) ** 2 for x in d) / (n - 1))
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
    low, high = mean - half, mean + half
    verdict = "reproduced" if low > 0 else "contradicted" if high < 0 else "inconclusive"
    return {"n": n, "mean": mean, "low": low, "high": high, "verdict": verdict}


def claim_rows(rows: Sequence[dict], setting: str, metric: str = "val_accuracy",
               label: Callable[[dict], str] | None = None) -> list[dict]:
    """One entry per claim and value of ``setting`` (``"size"``, ``"k"``): the paired difference of ``metric``
    over the seeds both variants ran with. ``rows``: a table's result rows (``variant``, ``seed``, ``setting``);
    ``label(row)``: the row's name in :data:`CLAIMS` (default: its ``variant``)."""
    name_of = label or (lambda r: r["variant"])
    out = []
    for value in dict.fromkeys(r[setting] for r in rows):
        here = [r for r in rows if r[setting] == value]
        for better, worse in CLAIMS:
            by_seed = {name: {r["seed"]: r[metric] for r in here if name_of(r) == name} for name in (better, worse)}
            seeds = sorted(set(by_seed[better]) & set(by_seed[worse]))
            if not seeds:
                continue
            diff = paired_difference([by_seed[better][s] for s in seeds], [by_seed[worse][s] for s in seeds])
            out.append({"setting": setting, "value": value, "claim": f"{better} > {worse}", **diff})
    return out


def claims_markdown(entries: Sequence[dict]) -> str:
    """A markdown table of :func:`claim_rows` entries (with a lead-in sentence)."""
    if not entries:
        return ""
    lines = ["Paired differences of validation accuracy over the seeds (each seed trains both variants on the same "
             "data from the same initialisation), mean and two-sided 95 % Student-t interval; a claim is reproduced "
             "when the interval lies above 0.", "",
             "| setting | claim | seeds | mean difference (points) | 95 % interval | verdict |",
             "|---|---|---|---|---|---|"]
    for e in entries:
        interval = "n/a" if math.isnan(e["low"]) else f"[{e['low']:+.1f}, {e['high']:+.1f}]"
        lines.append(f"| {e['setting']} = {e['value']} | {e['claim']} | {e['n']} | {e['mean']:+.1f} | {interval} | "
                     f"{e['verdict']} |")
    return "\n".join(lines) + "\n"
