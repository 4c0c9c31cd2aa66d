#!/usr/bin/env bash
# The journal's request-path cost (µs per TableCallLedger.Enqueue, journal on vs off, 1 and 4 threads).
# Usage: bench/journal.sh [records per run] [folder]. Prints the load average first: on a shared machine, quote it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$ROOT/bench/out"
{ date -u; uptime; nproc; grep -m1 'model name' /proc/cpuinfo || true; } | tee "$ROOT/bench/out/journal.txt"
dotnet run -c Release --project "$ROOT/bench/JournalBench" -- "$@" | tee -a "$ROOT/bench/out/journal.txt"
uptime | tee -a "$ROOT/bench/out/journal.txt"
