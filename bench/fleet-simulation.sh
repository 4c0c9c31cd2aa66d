#!/usr/bin/env bash
# A simulated fleet against Azurite (in memory) on BENCH_FLEET_AZURITE_PORT (21013): seeds INSTANCES (100)
# instances x DAYS (30) days x TASKS (10) tasks of hourly rollups, then measures the report, the dashboard
# data call and a budget refresh before and after one compaction run. Results: docs/benchmarks.md, "Fleet".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${BENCH_FLEET_AZURITE_PORT:-21013}"
mkdir -p "$ROOT/bench/out"
"$ROOT/node_modules/.bin/azurite-table" --tableHost 127.0.0.1 --tablePort "$PORT" --inMemoryPersistence \
  --skipApiVersionCheck --disableTelemetry --silent > "$ROOT/bench/out/azurite-fleet.log" 2>&1 &
AZ_PID=$!
trap 'kill $AZ_PID 2>/dev/null || true' EXIT
KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
CONN="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$KEY;TableEndpoint=http://127.0.0.1:$PORT/devstoreaccount1;"
uptime | tee "$ROOT/bench/out/fleet-simulation.txt"
dotnet run -c Release ${BENCH_NO_BUILD:+--no-build} --project "$ROOT/bench/FleetSimulation" -- "$CONN" | tee -a "$ROOT/bench/out/fleet-simulation.txt"
uptime | tee -a "$ROOT/bench/out/fleet-simulation.txt"
