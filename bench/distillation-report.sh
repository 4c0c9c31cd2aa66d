#!/usr/bin/env bash
# Times the distillation report over 30 days x 10 tasks x 3 instances of hourly rollups (21,600 rows)
# against Azurite (in memory) on BENCH_DISTILL_AZURITE_PORT (21012). DAYS, TASKS, INSTANCES, RUNS override.
# Output also goes to bench/out/distillation-report.txt. Results: docs/benchmarks.md, "Distillation report".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${BENCH_DISTILL_AZURITE_PORT:-21012}"
mkdir -p "$ROOT/bench/out"
"$ROOT/node_modules/.bin/azurite-table" --tableHost 127.0.0.1 --tablePort "$PORT" --inMemoryPersistence \
  --skipApiVersionCheck --disableTelemetry --silent > "$ROOT/bench/out/azurite-distill.log" 2>&1 &
AZ_PID=$!
trap 'kill $AZ_PID 2>/dev/null || true' EXIT
KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
CONN="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$KEY;TableEndpoint=http://127.0.0.1:$PORT/devstoreaccount1;"
dotnet run -c Release --project "$ROOT/bench/DistillationReportBench" -- "$CONN" | tee "$ROOT/bench/out/distillation-report.txt"
