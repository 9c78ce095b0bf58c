"""Fixtures shared by the test modules."""
import pytest


@pytest.fixture
def one_torch_thread():
    """One torch intra-op thread, as the CLI sets it: the models are tiny, and spinning OpenMP threads
    only slow a shared machine down."""
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
