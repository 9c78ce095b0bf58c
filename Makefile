# bigrad: `make test` and `make demo` create .venv when needed, install, and run.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
BIGRAD_CUDA ?= AUTO
export BIGRAD_CUDA

.PHONY: venv install test test-slow demo bench lint typecheck clean

$(VENV)/.deps: Makefile
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q scikit-build-core pybind11 ninja cmake numpy scipy highspy \
		pytest pytest-xdist hypothesis networkx pytest-benchmark matplotlib pyepo numba tsplib95 tqdm
	$(PIP) install -q scikit-learn tqdm && $(PIP) install -q --no-deps torchattacks  # extra `experiments`
	touch $@

venv: $(VENV)/.deps

# (Re)build the native extension: incremental, so it is quick when nothing changed.
install: venv
	$(PIP) install -q --no-build-isolation -e .

# the suite on the machine's cores (pytest-xdist; at most 4 workers, each imports torch; worksteal: the
# tests last from milliseconds to seconds, and an idle worker takes queued tests from the busy one)
test: install
	$(PY) -m pytest -q -n auto --maxprocesses=4 --dist worksteal -m "not slow"

# the tests marked slow (model training in the experiments and their docs, DDP); .ci/run runs them too
test-slow: install
	$(PY) -m pytest -q -m slow

# solver check against scipy + a small 12x12 learning run of every method (under 2 minutes)
demo: install
	$(PY) -m bigrad.cli demo

bench: install
	$(PIP) install -q ortools elkai
	$(PIP) install -q --no-deps torchopt==0.7.3
	$(PIP) install -q optree graphviz
	$(PIP) install -q pao==1.0.2 pyutilib  # miblp benchmark peer (PAO)
	$(PY) -m pytest bench -q --benchmark-enable -s

lint: venv
	$(PIP) install -q ruff==0.17.6
	$(VENV)/bin/ruff check src tests bench examples reference

# mypy on src/bigrad, configured in pyproject.toml ([tool.mypy])
typecheck: install
	$(PIP) install -q mypy==2.4.1
	$(VENV)/bin/mypy

clean:
	rm -rf build dist *.egg-info .pytest_cache .benchmarks
