"""Paper Table 2 (adversarial attack on a discrete latent layer): reader, layer and a quick run."""
from __future__ import annotations

import itertools
import pickle
import sys

import numpy as np
import pytest
import torch

from bigrad.experiments import adversarial
from bigrad.experiments.adversarial.data import load_cifar10, read_cifar_batch
from bigrad.experiments.adversarial.model import DiscreteCNN, with_discrete_layer
from bigrad.torch import TopK


# ------------------------------------------------------------------ CIFAR-10 reader
def _write_batch(path, images, labels):
    with open(path, "wb") as f:
        pickle.dump({b"batch_label": b"test", b"data": images, b"labels": list(labels),
                     b"filenames": [b"x.png"] * len(labels)}, f)


def _write_cifar(root, rng, sizes=(3, 2), n_test=4):
    """A tiny CIFAR-10 in its python layout; returns the uint8 rows and labels written."""
    written = {}
    for i, n in enumerate(sizes, start=1):
        rows = rng.integers(0, 256, (n, 3072), dtype=np.uint8)
        labels = rng.integers(0, 10, n)
        _write_batch(root / f"data_batch_{i}", rows, labels)
        written[f"data_batch_{i}"] = (rows, labels)
    rows = rng.integers(0, 256, (n_test, 3072), dtype=np.uint8)
    labels = rng.integers(0, 10, n_test)
    _write_batch(root / "test_batch", rows, labels)
    written["test_batch"] = (rows, labels)
    names = [b"airplane", b"automobile", b"bird", b"cat", b"deer", b"dog", b"frog", b"horse", b"ship", b"truck"]
    with open(root / "batches.meta", "wb") as f:
        pickle.dump({b"label_names": names, b"num_cases_per_batch": 10000, b"num_vis": 3072}, f)
    return written


def test_cifar_reader_matches_the_written_pixels(tmp_path):
    rng = np.random.default_rng(0)
    written = _write_cifar(tmp_path, rng)
    data = load_cifar10(tmp_path)
    assert data.shape == (3, 32, 32)
    assert data.classes[0] == "airplane" and data.classes[9] == "truck"
    train_rows = np.concatenate([written["data_batch_1"][0], written["data_batch_2"][0]])
    train_labels = np.concatenate([written["data_batch_1"][1], written["data_batch_2"][1]])
    # CIFAR rows are channel-major: 1024 red, then green, then blue values, each row-major 32x32
    n, c, h, w = 4, 2, 5, 17
    assert data.train_x[n, c, h, w].item() == pytest.approx(train_rows[n, c * 1024 + h * 32 + w] / 255)
    np.testing.assert_allclose(data.train_x.numpy().reshape(5, -1) * 255, train_rows, atol=1e-4)
    np.testing.assert_array_equal(data.train_y.numpy(), train_labels)
    np.testing.assert_allclose(data.test_x.numpy().reshape(4, -1) * 255, written["test_batch"][0], atol=1e-4)
    np.testing.assert_array_equal(data.test_y.numpy(), written["test_batch"][1])
    assert data.train_x.dtype == torch.float32 and data.train_y.dtype == torch.int64
    # the sub-folder of the official archive is found too
    sub = tmp_path / "outer"
    (sub / "cifar-10-batches-py").mkdir(parents=True)
    _write_cifar(sub / "cifar-10-batches-py", np.random.default_rng(1))
    assert len(load_cifar10(sub).train_y) == 5


def test_cifar_reader_rejects_bad_input(tmp_path):
    with pytest.raises(FileNotFoundError, match="data"):
        load_cifar10(tmp_path / "absent")
    with pytest.raises(FileNotFoundError, match="test_batch"):
        load_cifar10(tmp_path)
    bad = tmp_path / "bad"
    with open(bad, "wb") as f:
        pickle.dump({b"data": np.zeros((2, 100), np.uint8), b"labels": [0, 1]}, f)
    with pytest.raises(ValueError, match="3072"):
        read_cifar_batch(bad)
    with open(bad, "wb") as f:
        pickle.dump([1, 2, 3], f)
    with pytest.raises(ValueError, match="b'data'"):
        read_cifar_batch(bad)
    bad.write_bytes(b"not a pickle")
    with pytest.raises(ValueError, match="not a CIFAR-10"):
        read_cifar_batch(bad)


# ------------------------------------------------------------------ the attacked top-B layer
def _brute_force_game(z: np.ndarray, k: int, q: int):
    """``min_x max_y <z, y>`` over attacks ``x`` (``q`` positions) and selections ``y`` (``k - q`` positions,
    none attacked): every attack and every answer enumerated."""
    n = len(z)
    best = None
    for attack in itertools.combinations(range(n), q):
        free = [i for i in range(n) if i not in attack]
        answer = max(itertools.combinations(free, k - q), key=lambda sel: z[list(sel)].sum())
        value = z[list(answer)].sum()
        if best is None or value < best[0]:
            best = (value, attack, answer)
    _, attack, answer = best
    x, y = np.zeros(n), np.zeros(n)
    x[list(attack)] = 1
    y[list(answer)] = 1
    return y, x


@pytest.mark.parametrize("n,k,q", [(6, 3, 1), (7, 4, 2), (5, 4, 3), (6, 2, 0)])
def test_attacked_topk_layer_matches_brute_force(n, k, q):
    rng = np.random.default_rng(n * 100 + k * 10 + q)
    layer = TopK(k, q, method="bb")
    for _ in range(5):
        z = rng.normal(size=(3, n))  # distinct values: the game has one solution
        out = layer(torch.from_numpy(z))
        y, x = out if q else (out, torch.zeros(3, n, dtype=torch.float64))
        for b in range(3):
            y_ref, x_ref = _brute_force_game(z[b], k, q)
            np.testing.assert_array_equal(y[b].numpy(), y_ref)
            np.testing.assert_array_equal(x[b].numpy(), x_ref)


def test_attacked_topk_bb_gradient_matches_numpy():
    """BB backward of Eq. 8 on the attacked layer: ``(T_k(s) - T_k(s - lam (gy + gx))) / lam``."""
    rng = np.random.default_rng(3)
    n, k, q, lam = 8, 4, 2, 0.7
    s = rng.normal(size=(2, n))
    gy, gx = rng.normal(size=(2, n)), rng.normal(size=(2, n))

    def top(v, m):
        out = np.zeros_like(v)
        np.put_along_axis(out, np.argsort(-v, axis=-1, kind="stable")[:, :m], 1, axis=-1)
        return out

    st = torch.tensor(s, requires_grad=True)
    y, x = TopK(k, q, method="bb", lam=lam)(st)
    torch.autograd.backward((y, x), (torch.from_numpy(gy), torch.from_numpy(gx)))
    expected = (top(s, k) - top(s - lam * (gy + gx), k)) / lam
    np.testing.assert_allclose(st.grad.numpy(), expected, atol=1e-12)


def test_model_latent_is_the_attacked_top_b_of_its_features():
    torch.manual_seed(0)
    model = DiscreteCNN((1, 8, 8), 10, m=32, budget=6, attack=2).eval()
    images = torch.rand(4, 1, 8, 8)
    with torch.no_grad():
        z = model.features(images).numpy().astype(np.float64)
        y = model.latent(images).numpy()
    assert (y.sum(1) == 4).all()
    for b in range(4):
        ranked = np.argsort(-z[b], kind="stable")
        expected = np.zeros(32)
        expected[ranked[2:6]] = 1
        np.testing.assert_array_equal(y[b], expected)
    star = with_discrete_layer(DiscreteCNN((1, 8, 8), 10, m=32), budget=6, attack=2)
    assert star.discrete.k == 6 and star.discrete.q == 2
    with pytest.raises(ValueError, match="divisible by 4"):
        DiscreteCNN((1, 6, 6), 10)


# ------------------------------------------------------------------ torchattacks and the quick run
def test_missing_torchattacks_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "torchattacks", None)
    with pytest.raises(ImportError, match=r"bigrad\[experiments\]"):
        adversarial.run_table(quick=True, seeds=[0], out_dir=tmp_path)


def test_quick_run_beats_an_untrained_model(tmp_path, one_torch_thread):
    pytest.importorskip("torchattacks")
    pytest.importorskip("sklearn")
    result = adversarial.run_table(quick=True, seeds=[0], out_dir=tmp_path, log=lambda s: None)
    assert result.name == "adversarial" and result.higher_is_better
    assert set(result.metric) == set(adversarial.MODELS)
    assert 0 <= result.untrained <= 30  # ten classes: an untrained net is near chance
    for name, clean in result.metric.items():
        assert clean >= result.untrained + 30, (name, clean, result.untrained)
    # the attack hurts the vanilla CNN: PGD at alpha = 30/255 costs accuracy
    cnn = {r["alpha"]: r["accuracy"] for r in result.rows if r["model"] == "CNN"}
    assert cnn[30] < cnn[0]
    assert len(result.markdown.splitlines()) >= 2 + len(adversarial.ALPHAS)
    assert "62.9 ± 0.3" in result.markdown  # the paper's figures sit beside ours
    assert (tmp_path / "adversarial.json").is_file() and (tmp_path / "adversarial.md").is_file()
    if result.plots:
        assert (tmp_path / result.plots[0]).is_file()


def test_cifar_folder_runs_end_to_end(tmp_path, one_torch_thread):
    pytest.importorskip("torchattacks")
    _write_cifar(tmp_path, np.random.default_rng(2), sizes=(8, 8), n_test=6)
    cfg = adversarial.AdversarialConfig(m=64, budget=12, attack=3, channels=(4, 8), hidden=16, epochs=1,
                                        alphas=(0, 10), pgd_steps=1, bpda=True)
    result = adversarial.run_table(quick=True, seeds=[0], out_dir=tmp_path / "out", data=tmp_path, config=cfg,
                                   log=lambda s: None)
    assert "CIFAR-10" in result.notes
    assert {r["attack_gradient"] for r in result.rows} == {"layer", "pt"}
    assert len(result.rows) == 2 * (len(adversarial.MODELS) + 3)
    with pytest.raises(ValueError, match="alphas"):
        adversarial.run_table(quick=True, seeds=[0], out_dir=tmp_path / "out", data=tmp_path,
                              config=adversarial.AdversarialConfig(alphas=(5,)), log=lambda s: None)
