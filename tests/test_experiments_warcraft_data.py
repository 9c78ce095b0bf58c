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
