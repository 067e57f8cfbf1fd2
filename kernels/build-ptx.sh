#!/usr/bin/env bash
# Compiles every kernels/*.cu to kernels/ptx/<name>.ptx with the pinned toolkit: CUDA 11.8 (Debian's
# nvidia-cuda-toolkit), compute_60, -fmad=false. PTX ISA 7.8 loads on every driver since CUDA 11.8.
# The PTX is committed and embedded in CnnTrain.dll; CI rebuilds it and fails if it differs.
#   kernels/build-ptx.sh            rebuild in place
#   kernels/build-ptx.sh --check    rebuild into a temporary folder and compare with the committed PTX
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
nvcc=${NVCC:-nvcc}
if ! "$nvcc" --version 2>/dev/null | grep -q "release 11.8,"; then
  echo "build-ptx: the pinned toolkit is CUDA 11.8; '$nvcc' is $("$nvcc" --version 2>/dev/null | tail -n 1 || echo missing)" >&2
  exit 2
fi
ccbin=${CCBIN:-clang-14}
out="$here/ptx"
if [ "${1:-}" = "--check" ]; then out=$(mktemp -d); trap 'rm -rf "$out"' EXIT; fi
mkdir -p "$out"
for source in "$here"/*.cu; do
  name=$(basename "$source" .cu)
  # Run from the kernels folder with a relative path, so no absolute path can reach the PTX.
  (cd "$here" && "$nvcc" -ccbin "$ccbin" -ptx -arch=compute_60 -fmad=false -O3 -o "$out/$name.ptx" "$name.cu")
done
if [ "${1:-}" = "--check" ]; then
  if diff -r "$here/ptx" "$out" > /dev/null; then
    echo "build-ptx: committed PTX matches kernels/*.cu"
  else
    diff -r "$here/ptx" "$out" | head -n 20 >&2
    echo "build-ptx: committed PTX differs from what kernels/*.cu compile to; run kernels/build-ptx.sh and commit" >&2
    exit 1
  fi
else
  echo "build-ptx: wrote $(ls "$out"/*.ptx | wc -l) PTX files to kernels/ptx"
fi
