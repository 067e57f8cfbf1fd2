#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to
# src/CnnTrain/PublicAPI.Unshipped.txt, and drops declared symbols that no longer exist (RS0017).
# Run it after a deliberate change to the public API, then review the diff of the file.
set -euo pipefail
cd "$(dirname "$0")/.."
file=src/CnnTrain/PublicAPI.Unshipped.txt
for round in 1 2 3; do
  log=$(dotnet build src/CnnTrain/CnnTrain.csproj -c Release --no-incremental 2>&1 || true)
  added=$(printf '%s\n' "$log" | grep -o "RS0016: Symbol '[^']*'" | sed "s/^RS0016: Symbol '//; s/'\$//" | sort -u || true)
  removed=$(printf '%s\n' "$log" | grep -o "RS0017: Symbol '[^']*'" | sed "s/^RS0017: Symbol '//; s/'\$//" | sort -u || true)
  [ -z "$added" ] && [ -z "$removed" ] && break
  { grep -v '^#nullable' "$file" || true; printf '%s\n' "$added"; } | grep -v '^$' | grep -vxF -f <(printf '%s\n' "$removed" | grep -v '^$' || echo '\0') | sort -u > "$file.tmp"
  { echo '#nullable enable'; cat "$file.tmp"; } > "$file"
  rm -f "$file.tmp"
done
dotnet build src/CnnTrain/CnnTrain.csproj -c Release 2>&1 | grep -E "RS001[67]" | head -5 || echo "public API baseline is up to date"
