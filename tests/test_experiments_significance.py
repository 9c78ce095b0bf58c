"""Paired claims over seeds, against scipy's one-sample t interval."""
import math

import numpy as np
import pytest
from scipy import stats

from bigrad.experiments.significance import claim_rows, claims_markdown, paired_difference


def test_paired_difference_matches_scipy():
    rng = np.random.default_rng(0)
    a, b = rng.normal(90, 2, 5), rng.normal(88, 2, 5)
    out = paired_difference(a, b)
    low, high = stats.t.interval(0.95, 4, loc=np.mean(a - b), scale=stats.sem(a - b))
    assert out["mean"] == pytest.approx(np.mean(a - b))
    assert (out["low"], out["high"]) == pytest.approx((low, high))
    assert out["verdict"] == ("reproduced" if low > 0 else "contradicted" if high < 0 else "inconclusive")


def test_verdicts_and_edge_cases():
    assert paired_difference([3, 4, 5], [1, 1, 1])["verdict"] == "reproduced"
    assert paired_difference([1, 1, 1], [3, 4, 5])["verdict"] == "contradicted"
    same = paired_difference([2, 2], [2, 2])
    assert same["low"] == same["high"] == 0 and same["verdict"] == "inconclusive"
    one = paired_difference([2], [1])
    assert math.isnan(one["low"]) and one["verdict"] == "inconclusive"
    with pytest.raises(ValueError, match="pair up"):
        paired_difference([1, 2], [1])
    with pytest.raises(ValueError, match="level"):
        paired_difference([1, 2], [1, 2], level=1.5)


def test_claim_rows_pair_by_seed():
    rows = [{"variant": v, "seed": s, "k": 8, "val_accuracy": acc}
            for s, (bb, bb1, sl) in enumerate([(90, 85, 10), (91, 84, 12), (89, 86, 9)])
            for v, acc in (("BiGrad (BB)", bb), ("BB-1", bb1), ("SL", sl))]
    rows.append({"variant": "BB-1", "seed": 7, "k": 8, "val_accuracy": 99})  # no partner: ignored
    entries = {e["claim"]: e for e in claim_rows(rows, "k")}
    assert set(entries) == {"BiGrad (BB) > BB-1", "BiGrad (BB) > SL"}  # no PT rows: no PT claims
    assert entries["BiGrad (BB) > BB-1"]["n"] == 3
    assert entries["BiGrad (BB) > BB-1"]["mean"] == pytest.approx(5.0)
    text = claims_markdown(list(entries.values()))
    assert "| k = 8 | BiGrad (BB) > BB-1 | 3 | +5.0 |" in text
