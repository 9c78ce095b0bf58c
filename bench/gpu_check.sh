#!/usr/bin/env bash
# One-shot GPU check: build bigrad with its CUDA module, run the CUDA tests (GPU results bit-identical
# to the CPU's) and the GPU benchmarks, and write every figure to $OUT (the device tool's output
# folder) or to bench/results/gpu/.
#
# Made for the lent GPU machine, whose python3 already holds torch, pybind11, scikit-build-core,
# cmake, ninja, pytest, pytest-benchmark, hypothesis, networkx and cupy (nothing can be installed
# there). Each step has its own time limit; the whole script stays well under 8 minutes. A failing
# step is recorded in $OUT/summary.txt and the next step still runs.
#   device run:  bash bench/gpu_check.sh        (then read $OUT/summary.txt)
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-bench/results/gpu}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
PY=${PYTHON:-python3}
summary="$OUT/summary.txt"
: > "$summary"

step() {  # step NAME SECONDS COMMAND...: run with a limit, log to $OUT/NAME.log, record the exit code
  local name=$1 limit=$2
  shift 2
  local start=$SECONDS
  timeout "$limit" "$@" > "$OUT/$name.log" 2>&1
  local rc=$?
  echo "$name: exit $rc, $((SECONDS - start)) s" | tee -a "$summary"
  tail -n 3 "$OUT/$name.log" | sed 's/^/    /' | tee -a "$summary"
}

{ nvidia-smi || true; nvcc --version || true; uptime; nproc; } > "$OUT/machine.txt" 2>&1
step build 300 env BIGRAD_CUDA=ON BIGRAD_NATIVE=OFF "$PY" -m pip install --no-build-isolation --no-deps -e .
step build_info 60 "$PY" -c "import bigrad, torch; print(bigrad.build_info()); print(torch.__version__, torch.cuda.get_device_name())"
step tests 240 "$PY" -m pytest -q -p no:cacheprovider tests/test_cuda.py tests/test_shortest_path.py \
    tests/test_torch_combinatorial.py tests/test_interop.py -k "cuda or gpu or cupy or device"
step bench 240 "$PY" -m pytest -q -p no:cacheprovider bench/bench_shortest_path_cuda.py --benchmark-enable -s \
    --benchmark-json "$OUT/bench_shortest_path_cuda.json"
grep -h "^|" "$OUT/bench.log" > "$OUT/bench_rows.md" || true
echo "figures: $OUT/bench_rows.md, $OUT/bench_shortest_path_cuda.json" | tee -a "$summary"
