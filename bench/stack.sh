#!/usr/bin/env bash
# Starts Azurite (in memory), the emulator (LatencyScale=0) and the router (Release, standalone)
# on benchmark ports, for overhead.sh and soak.sh. Source it: it defines stop_stack and the URLs.
#   BENCH_AZURITE_PORT (21002)  BENCH_EMULATOR_PORT (21280)  BENCH_ROUTER_PORT (21071)
#   BENCH_LEDGER_FLUSH (00:00:00.500)  Router:Ledger:FlushInterval for the run
set -euo pipefail
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AZ_PORT="${BENCH_AZURITE_PORT:-21002}"
EM_PORT="${BENCH_EMULATOR_PORT:-21280}"
RT_PORT="${BENCH_ROUTER_PORT:-21071}"
BENCH_KEY="bench-key"
BENCH_LOGS="$BENCH_ROOT/bench/out/logs"
EMULATOR_URL="http://127.0.0.1:$EM_PORT"
ROUTER_URL="http://127.0.0.1:$RT_PORT"
mkdir -p "$BENCH_LOGS"
stack_pids=()

stop_stack() {
  if ((${#stack_pids[@]})); then
    kill "${stack_pids[@]}" 2>/dev/null || true
    wait "${stack_pids[@]}" 2>/dev/null || true
    stack_pids=()
  fi
}

wait_url() { # url pid
  for _ in $(seq 1 120); do
    if curl -s -o /dev/null "$1"; then return 0; fi
    kill -0 "$2" 2>/dev/null || { echo "process for $1 exited; see $BENCH_LOGS" >&2; return 1; }
    sleep 0.5
  done
  echo "$1 did not answer" >&2; return 1
}

if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  dotnet build "$BENCH_ROOT/src/Router.Functions/Router.Functions.csproj" -c Release -nologo -v quiet
  dotnet build "$BENCH_ROOT/src/Router.Emulator/Router.Emulator.csproj" -c Release -nologo -v quiet
fi

"$BENCH_ROOT/node_modules/.bin/azurite-table" --tableHost 127.0.0.1 --tablePort "$AZ_PORT" --inMemoryPersistence \
  --skipApiVersionCheck --disableTelemetry --silent >"$BENCH_LOGS/azurite.log" 2>&1 &
stack_pids+=($!)
wait_url "http://127.0.0.1:$AZ_PORT/devstoreaccount1/Tables" "${stack_pids[-1]}"

Logging__LogLevel__Default=Warning dotnet "$BENCH_ROOT/src/Router.Emulator/bin/Release/net10.0/Router.Emulator.dll" \
  --urls "$EMULATOR_URL" --Emulator:LatencyScale=0 >"$BENCH_LOGS/emulator.log" 2>&1 &
stack_pids+=($!)
EMULATOR_PID=${stack_pids[-1]}
wait_url "$EMULATOR_URL/health" "$EMULATOR_PID"

env \
  Logging__LogLevel__Default=Warning \
  Router__Storage__ConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$AZ_PORT/devstoreaccount1;" \
  Router__Models__large__Endpoint="$EMULATOR_URL/" Router__Models__small__Endpoint="$EMULATOR_URL/" \
  Router__Models__large__ApiKey=emulator-key Router__Models__small__ApiKey=emulator-key \
  Router__Models__mini__Endpoint="$EMULATOR_URL/" Router__Models__mini__ApiKey=emulator-key \
  Router__Tasks__ticket-triage__Route=small Router__Tasks__ticket-triage__CaptureRate=0.1 \
  Router__Shadow__Enabled="${BENCH_SHADOW:-false}" \
  Router__Auth__Clients__0__Name=bench \
  Router__Auth__Clients__0__KeySha256="$(printf '%s' "$BENCH_KEY" | sha256sum | cut -d' ' -f1)" \
  Router__Auth__Clients__0__Roles__0=caller Router__Auth__Clients__0__Roles__1=admin \
  Router__Ledger__FlushInterval="${BENCH_LEDGER_FLUSH:-00:00:00.500}" \
  dotnet "$BENCH_ROOT/src/Router.Functions/bin/Release/net10.0/Router.Functions.dll" --standalone --urls "$ROUTER_URL" \
  >"$BENCH_LOGS/router.log" 2>&1 &
stack_pids+=($!)
ROUTER_PID=${stack_pids[-1]}
wait_url "$ROUTER_URL/api/health" "$ROUTER_PID"
