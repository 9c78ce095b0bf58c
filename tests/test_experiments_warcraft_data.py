"""The real Warcraft dataset's layout (tiny files written here) and the CombResNet model."""
import numpy as np
import pytest
import torch

from bigrad.experiments.combresnet import CombResNet
from bigrad.experiments.warcraft_data import load_warcraft, size_dir
from bigrad.solvers import shortest_path


def write_layout(root, size=12, counts=(6, 3, 3), patch=8, seed=0):
    """``root/{size}x{size}/{split}_{maps,shortest_paths,vertex_weights}.npy`` as the published dataset."""
    rng = np.random.default_rng(seed)
    folder = root / f"{size}x{size}"
    folder.mkdir(parents=True)
    for split, n in zip(("train", "val", "test"), counts):
        costs = rng.choice([0.8, 1.2, 5.3, 7.7, 9.2], size=(n, size, size)).astype(np.float32)
        maps = rng.integers(0, 256, size=(n, size * patch, size * patch, 3), dtype=np.uint8)
        np.save(folder / f"{split}_maps.npy", maps)
        np.save(folder / f"{split}_vertex_weights.npy", costs)
        np.save(folder / f"{split}_shortest_paths.npy", shortest_path(costs.astype(np.float64)).astype(np.uint8))
    return folder


def test_load_warcraft_layout(tmp_path):
    folder = write_layout(tmp_path)
    train, val = load_warcraft(tmp_path, 12, n_train=5)
    assert train.images.shape == (5, 3, 96, 96) and train.images.dtype == np.float32
    assert val.images.shape == (3, 3, 96, 96) and val.costs.shape == (3, 12, 12)
    flat = train.images.transpose(1, 0, 2, 3).reshape(3, -1)
    np.testing.assert_allclose(flat.mean(1), 0, atol=1e-4)  # standardised with the training maps' statistics
    np.testing.assert_allclose(flat.std(1), 1, atol=1e-3)
    raw = np.load(folder / "val_vertex_weights.npy")
    np.testing.assert_array_equal(val.costs, raw.astype(np.float64))
    np.testing.assert_array_equal(val.paths, shortest_path(val.costs))  # the published paths are optimal
    _, test = load_warcraft(folder, 12, val_split="test")  # the size folder itself also works
    assert test.images.shape[0] == 3


def test_load_warcraft_errors(tmp_path):
    with pytest.raises(ValueError, match="is not a directory"):
        load_warcraft(tmp_path / "missing", 12)
    with pytest.raises(ValueError, match="no 12x12/train_maps.npy"):
        size_dir(tmp_path, 12)
    folder = write_layout(tmp_path)
    with pytest.raises(ValueError, match="no 18x18"):
        load_warcraft(tmp_path, 18)
    (folder / "val_shortest_paths.npy").unlink()
    with pytest.raises(ValueError, match="val_shortest_paths.npy: missing"):
        load_warcraft(tmp_path, 12)
    np.save(folder / "val_shortest_paths.npy", np.zeros((3, 11, 12)))
    with pytest.raises(ValueError, match="shapes disagree"):
        load_warcraft(tmp_path, 12)
    np.save(folder / "val_shortest_paths.npy", np.zeros((3, 12, 12)))
    np.save(folder / "val_vertex_weights.npy", -np.ones((3, 12, 12)))
    with pytest.raises(ValueError, match="finite and non-negative"):
        load_warcraft(tmp_path, 12)
    with pytest.raises(ValueError, match="val_split"):
        load_warcraft(tmp_path, 12, val_split="train")


def test_combresnet_shapes_and_gradients():
    torch.manual_seed(0)
    net = CombResNet((12, 12), outputs=2)
    out = net(torch.randn(2, 3, 96, 96))
    assert out.shape == (2, 2, 12, 12)
    out.sum().backward()
    assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in net.parameters())
    # torchvision's truncated resnet18 (conv1 .. layer1): 9408 + 4 * 36864 conv weights, 5 batch norms
    convs = sum(m.weight.numel() for m in net.modules() if isinstance(m, torch.nn.Conv2d) and m is not net.head)
    assert convs == 9408 + 4 * 36864


def test_table_on_real_layout(tmp_path, one_torch_thread):
    """``bigrad experiments warcraft --quick --data DIR``: the table trains the CombResNet on the files."""
    from bigrad.experiments import run

    write_layout(tmp_path / "data", counts=(6, 4, 2), patch=3)
    results, skipped = run.experiments("warcraft", quick=True, seeds=[0], out_dir=tmp_path / "out",
                                       data=tmp_path / "data", log=lambda *a: None)
    assert not skipped and len(results) == 1
    rows = results[0].rows
    assert {r["size"] for r in rows} == {12} and all(r["n_train"] == 6 for r in rows)  # all 6 (REAL_QUICK: <= 200)
    assert "real Warcraft maps" in results[0].notes
    assert all(0 <= r["val_accuracy"] <= 100 for r in rows)
    # the synthetic table ignores a folder without the layout when every table runs; asked alone, it refuses
    assert run.table_data("warcraft", tmp_path / "out", explicit=False) == {}
    with pytest.raises(ValueError, match="no 12x12/train_maps.npy"):
        run.check_data("warcraft", tmp_path / "out")


def test_sl_baseline_memorises_its_training_maps(one_torch_thread):
    """The SL network (MaskMemoriser) fits its training set (the paper's SL: 91-100 % train), however it
    generalises."""
    from bigrad.experiments.warcraft import Dataset, WarcraftConfig, train_method

    cfg = WarcraftConfig(size=8, n_train=60, n_val=20, seed=0, batch_size=10)
    train, val = Dataset(cfg.n_train, cfg, seed=0), Dataset(cfg.n_val, cfg, seed=1)
    res = train_method("sl", train, val, cfg, log=lambda *a: None)
    assert res["train_accuracy"] >= 90


def test_mask_memoriser_interpolates_its_training_masks():
    """Random images and masks (no structure to learn): the fit recovers every training mask exactly."""
    import torch

    from bigrad.experiments.supervised import MaskMemoriser

    gen = torch.Generator().manual_seed(0)
    images = torch.rand(300, 3, 24, 24, generator=gen)
    masks = (torch.rand(300, 2, 6, 6, generator=gen) > 0.7).double()
    net = MaskMemoriser((6, 6), width=512, seed=0)
    mse = net.fit(images, masks)
    assert mse < 1e-6
    assert torch.equal((net(images) > 0).double(), masks)
    other = net(torch.rand(50, 3, 24, 24, generator=gen))
    assert other.shape == (50, 2, 6, 6) and torch.isfinite(other).all()
