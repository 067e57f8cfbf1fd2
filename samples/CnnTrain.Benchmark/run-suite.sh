#!/usr/bin/env bash
# The whole benchmark suite on one machine, CnnTrain and its peers in one session, joined into a report:
#
#   samples/CnnTrain.Benchmark/run-suite.sh [--parts LIST] [--quick] RESULTS_DIR REPORT_DIR
#
# RESULTS_DIR receives one JSON-lines file per part (files kept there from an earlier call are joined too, so
# the parts can be spread over several calls); REPORT_DIR receives results.csv, README.md, profiles.md and the
# charts (join.py). Parts, in order (default all): machine, cnntrain-gpu, profiles, pytorch-gpu, jax,
# cnntrain-cpu, pytorch-cpu, compile. CnnTrain runs as $CNNTRAIN (default: dotnet run of this project); on a
# machine with only the .NET runtime, stage the build and set CNNTRAIN="dotnet path/CnnTrain.Benchmark.dll".
# --quick runs every part on 2,000-image epochs, to check the pipeline end to end.
# Settings (environment): CPU_THREADS (default: every core), GPU_BUDGET and CPU_BUDGET (seconds a timed epoch may
# take before it is sliced; 2 and 0.5), NETWORKS (default "named,study": the named networks first), PROFILE_NETWORKS,
# COMPILE_NETWORKS and COMPILE_BATCHES (the torch.compile subset), and BOX_<part> (seconds a part may run; what it
# measured before it was stopped is kept, e.g. BOX_jax=150).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
parts="machine,cnntrain-gpu,profiles,pytorch-gpu,jax,cnntrain-cpu,pytorch-cpu,compile"
quick=()
while [ $# -gt 2 ]; do
  case "$1" in
    --parts) parts=$2; shift 2 ;;
    --quick) quick=(--images 2000 --epochs 2); shift ;;
    *) echo "run-suite: unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -eq 2 ] || { sed -n '2,16p' "$0" >&2; exit 2; }
results=$1 report=$2
mkdir -p "$results" "$report"
cnntrain=${CNNTRAIN:-dotnet run --project "$here" -c Release --}
python=${PYTHON:-python3}
cpu_threads=${CPU_THREADS:-$(nproc)}
gpu_budget=${GPU_BUDGET:-2} cpu_budget=${CPU_BUDGET:-0.5}
networks=${NETWORKS:-named,study}
status=0
has() { [[ ",$parts," == *",$1,"* ]]; }
part() {  # part NAME COMMAND...: runs it in its time box, if any, and goes on whatever happens
  local name=$1 box_var="BOX_${1//-/_}"; shift
  echo; echo "=== run-suite: $name ($(date -u +%H:%M:%S))"
  local box=${!box_var:-0}
  if [ "$box" != 0 ]; then timeout -k 10 "$box" "$@"; else "$@"; fi
  local code=$?
  [ $code -eq 124 ] && echo "run-suite: $name stopped after its $box s; what it measured is kept" >&2
  [ $code -ne 0 ] && { echo "run-suite: $name exited $code" >&2; status=1; }
  return 0
}

has machine && part machine "$python" "$here/machine_info.py" "$results/machine.json" "$cnntrain"
has cnntrain-gpu && part cnntrain-gpu $cnntrain --devices cuda --networks "$networks" --budget "$gpu_budget" --output "$results" "${quick[@]}"
has profiles && part profiles $cnntrain --profile-ops --devices cuda,multicore --threads "$cpu_threads" \
  --networks "${PROFILE_NETWORKS:-named,study-f32}" --batches 100 --output "$results"
has pytorch-gpu && part pytorch-gpu "$python" "$here/peers/pytorch_peer.py" --device cuda --modes eager,cuda-graph,cuda-graph:tf32 \
  --networks "$networks" --budget "$gpu_budget" --output "$results/pytorch-gpu.jsonl" "${quick[@]}"
has jax && part jax "$python" "$here/peers/jax_peer.py" --networks "$networks" --output "$results/jax.jsonl" "${quick[@]}"
has cnntrain-cpu && part cnntrain-cpu $cnntrain --devices multicore --threads "$cpu_threads" --networks "$networks" \
  --budget "$cpu_budget" --output "$results" "${quick[@]}"
has pytorch-cpu && part pytorch-cpu "$python" "$here/peers/pytorch_peer.py" --device cpu --threads "$cpu_threads" \
  --networks "$networks" --budget "$cpu_budget" --output "$results/pytorch-cpu.jsonl" "${quick[@]}"
has compile && part compile "$python" "$here/peers/pytorch_peer.py" --device cuda --modes compile-max-autotune-no-cudagraphs,compile-reduce-overhead \
  --networks "${COMPILE_NETWORKS:-named,study-f32}" --batches "${COMPILE_BATCHES:-100}" --budget "$gpu_budget" \
  --output "$results/pytorch-compile.jsonl" "${quick[@]}"
part join "$python" "$here/join.py" "$results" "$report"
exit $status
