#!/usr/bin/env bash
# The whole benchmark suite on one machine, CnnTrain and its peers in one session, joined into a report:
#
#   samples/CnnTrain.Benchmark/run-suite.sh [--parts LIST] [--quick] RESULTS_DIR REPORT_DIR
#
# RESULTS_DIR receives one JSON-lines file per part (kept files from an earlier call are joined too, so the
# parts can be spread over several calls); REPORT_DIR receives results.csv, README.md, profiles.md and the
# charts (join.py). Parts, in order (default all): machine, cnntrain, profiles, pytorch-gpu, pytorch-cpu, jax,
# compile. CnnTrain runs as $CNNTRAIN (default: dotnet run of this project); on a machine with only the .NET
# runtime, stage the build and set CNNTRAIN="dotnet path/CnnTrain.Benchmark.dll". --quick runs every part on a
# few thousand images, to check the pipeline end to end. Extra options for the timing parts: $SUITE_OPTIONS
# (e.g. "--networks lenet5 --batches 100"); the profiled networks: $PROFILE_NETWORKS.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
parts="machine,cnntrain,profiles,pytorch-gpu,pytorch-cpu,jax,compile"
quick=()
while [ $# -gt 2 ]; do
  case "$1" in
    --parts) parts=$2; shift 2 ;;
    --quick) quick=(--images 2000 --epochs 2 --budget 0.2); shift ;;
    *) echo "run-suite: unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -eq 2 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
results=$1 report=$2
mkdir -p "$results" "$report"
cnntrain=${CNNTRAIN:-dotnet run --project "$here" -c Release --}
threads=$(nproc)
cpu_threads=${CPU_THREADS:-$threads}
python=${PYTHON:-python3}
extra=(${SUITE_OPTIONS:-})
status=0
has() { [[ ",$parts," == *",$1,"* ]]; }
step() { echo; echo "=== run-suite: $1 ($(date -u +%H:%M:%S))"; }
run() { "$@" || { echo "run-suite: '$*' exited $?" >&2; status=1; }; }

if has machine; then
  step "machine"
  CNNTRAIN_VERSION=$($cnntrain --version 2>/dev/null | tail -n 1) run "$python" - "$results/machine.json" <<'PY'
import json, os, platform, subprocess, sys, datetime
def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception:
        return ""
gpu = sh("nvidia-smi", "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader")
cpu = next((l.split(":", 1)[1].strip() for l in sh("lscpu").splitlines() if l.startswith("Model name")), platform.processor())
versions = {}
for module in ["torch", "jax", "numpy", "matplotlib"]:
    try:
        versions[module] = __import__(module).__version__
    except Exception:
        versions[module] = "not installed"
info = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "gpu": gpu.rsplit(",", 1)[0] if gpu else "none", "driver": gpu.rsplit(",", 1)[1].strip() if gpu else "none",
        "cpu": cpu, "cores": os.cpu_count(), "dotnet": sh("dotnet", "--list-runtimes").splitlines()[-1:] and sh("dotnet", "--list-runtimes").splitlines()[-1],
        "cnntrain": os.environ.get("CNNTRAIN_VERSION", ""), "python": platform.python_version(),
        "torch": versions["torch"], "jax": versions["jax"]}
json.dump(info, open(sys.argv[1], "w"), indent=1)
print(json.dumps(info, indent=1))
PY
fi
if has cnntrain; then
  step "CnnTrain: every network, cuda and multicore ($cpu_threads threads)"
  run $cnntrain --devices cuda,multicore --threads "$cpu_threads" --output "$results" "${quick[@]}" "${extra[@]}"
fi
if has profiles; then
  step "CnnTrain: per-operation profiles of one step, batch 100"
  run $cnntrain --profile-ops --devices cuda,multicore --threads "$cpu_threads" --networks "${PROFILE_NETWORKS:-study-f32,named}" --batches 100 --output "$results"
fi
if has pytorch-gpu; then
  step "PyTorch on the GPU: eager, CUDA graph (FP32 and PyTorch's TF32 default)"
  run "$python" "$here/peers/pytorch_peer.py" --device cuda --modes eager,cuda-graph,cuda-graph:tf32 --output "$results/pytorch-gpu.jsonl" "${quick[@]}" "${extra[@]}"
fi
if has pytorch-cpu; then
  step "PyTorch on the CPU ($cpu_threads threads)"
  run "$python" "$here/peers/pytorch_peer.py" --device cpu --threads "$cpu_threads" --output "$results/pytorch-cpu.jsonl" "${quick[@]}" "${extra[@]}"
fi
if has jax; then
  step "JAX: each epoch one jit-compiled program (lax.scan over the steps)"
  jax_quick=(); [ ${#quick[@]} -gt 0 ] && jax_quick=(--images 2000 --epochs 2)
  run "$python" "$here/peers/jax_peer.py" --output "$results/jax.jsonl" "${jax_quick[@]}" "${extra[@]}"
fi
if has compile; then
  step "torch.compile (max-autotune-no-cudagraphs, reduce-overhead): the named networks and study-f32 at batch 100"
  run "$python" "$here/peers/pytorch_peer.py" --device cuda --modes compile-max-autotune-no-cudagraphs,compile-reduce-overhead \
    --networks ${COMPILE_NETWORKS:-study-f32,named} --batches ${COMPILE_BATCHES:-100} --output "$results/pytorch-compile.jsonl" "${quick[@]}" "${extra[@]}"
fi
step "join"
run "$python" "$here/join.py" "$results" "$report"
exit $status
