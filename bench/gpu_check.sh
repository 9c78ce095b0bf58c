#!/usr/bin/env bash
# One-shot GPU check: build bigrad with its CUDA module, run the CUDA tests (GPU results bit-identical
# to the CPU's) and the GPU benchmarks (GPU against the CPU path on the same machine), and write every
# figure to $OUT (the device tool's output folder) or to bench/results/gpu/.
#
# Made for the lent GPU machine, whose python3 already holds torch, pybind11, scikit-build-core,
# cmake, ninja, pytest, pytest-benchmark, hypothesis, networkx and cupy (nothing can be installed
# there). Each step has its own time limit, cut to what is left of a 7.5-minute budget, so the whole
# script ends in under 8 minutes; a failing or cut step is recorded in $OUT/summary.txt and the next
# step still runs (benchmarks in order of priority).
#   device run:  bash bench/gpu_check.sh        (then read $OUT/summary.txt and $OUT/figures.md)
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-bench/results/gpu}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
PY=${PYTHON:-python3}
BUDGET=${GPU_CHECK_BUDGET:-450}  # seconds for all steps together
summary="$OUT/summary.txt"
figures="$OUT/figures.md"
: > "$summary"

step() {  # step NAME SECONDS COMMAND...: run with a limit (cut to the budget left), log to $OUT/NAME.log
  local name=$1 limit=$2
  shift 2
  local left=$((BUDGET - SECONDS))
  if ((left < 10)); then
    echo "$name: skipped, the time budget is spent" | tee -a "$summary"
    return
  fi
  ((limit > left)) && limit=$left
  local start=$SECONDS
  timeout "$limit" "$@" > "$OUT/$name.log" 2>&1
  local rc=$?
  echo "$name: exit $rc, $((SECONDS - start)) s (limit $limit s)" | tee -a "$summary"
  tail -n 3 "$OUT/$name.log" | sed 's/^/    /' | tee -a "$summary"
}

bench() {  # bench STEM SECONDS: one GPU benchmark, its JSON and table rows under $OUT
  step "$1" "$2" "$PY" -m pytest -q -p no:cacheprovider "bench/$1.py" --benchmark-enable -s \
      --benchmark-json "$OUT/$1.json"
}

{ nvidia-smi -L || true; nvidia-smi || true; nvcc --version || true; uptime; nproc; } > "$OUT/machine.txt" 2>&1
# build for this GPU's architecture only (compute capability 9.0 -> 90), fastest
arch=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -n 1 | tr -d ' .')
export CMAKE_ARGS="${CMAKE_ARGS:-} -DCMAKE_CUDA_ARCHITECTURES=${arch:-90}"
step build 240 env BIGRAD_CUDA=ON BIGRAD_NATIVE=OFF "$PY" -m pip install --no-build-isolation --no-deps -e .
step build_info 30 "$PY" -c "import bigrad, torch; print(bigrad.build_info()); print(torch.__version__, torch.cuda.get_device_name())"
step tests 150 "$PY" -m pytest -q -p no:cacheprovider tests/test_cuda.py
step tests_device 60 "$PY" -m pytest -q -p no:cacheprovider tests/test_shortest_path.py \
    tests/test_torch_combinatorial.py tests/test_interop.py tests/test_graph_shortest_path.py -k "cuda or gpu or cupy or device"
bench bench_shortest_path_cuda 60
bench bench_tsp_cuda 60
bench bench_warcraft_cuda 90
bench bench_shortest_path_interdiction_cuda 60
{
  echo "# GPU check figures ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  grep -h -m 1 "^GPU 0" "$OUT/machine.txt" || echo "no GPU listed by nvidia-smi -L"
  echo
  for log in "$OUT"/bench_*.log; do
    [ -e "$log" ] && grep -h "^|" "$log"
  done
  echo
  cat "$summary"
} > "$figures"
echo "figures: $figures (JSON: $OUT/bench_*_cuda.json), total $SECONDS s" | tee -a "$summary"
