#!/usr/bin/env bash
# Times local-classifier training (ClassifierTrainer, as POST /api/distillation/{task}/train runs it) on the
# seeded keyword corpus for a few sizes, each in a fresh process so its peak working set is the training's.
# SIZES (default "1000 2000 5000 10000") and TRAINERS (default "sdca lbfgs") override.
# Output also goes to bench/out/classifier-training.txt. Results: docs/benchmarks.md, "Local classifier training".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$ROOT/bench/out"
dotnet build -c Release "$ROOT/bench/ClassifierTrainingBench" -nologo -v quiet | grep -E " error " && exit 1 || true
DLL="$ROOT/bench/ClassifierTrainingBench/bin/Release/net10.0/ClassifierTrainingBench.dll"
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  for trainer in ${TRAINERS:-sdca lbfgs}; do
    for n in ${SIZES:-1000 2000 5000 10000}; do
      dotnet "$DLL" "$n" "$trainer"
    done
  done
  echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$ROOT/bench/out/classifier-training.txt"
