#!/usr/bin/env bash
# Runs Router locally: Azurite (Table and Blob Storage), the model emulator and the router in
# standalone mode. Installs what it needs on a fresh machine. Ctrl-C or SIGTERM stops all.
#
# Flags:
#   --dashboard          also start the .NET Aspire dashboard (eng/tools PackageDownload) and
#                        send the router's traces, metrics and logs to it over OTLP
#
# Environment (all optional):
#   ROUTER_PORT          router port                 (default 7071)
#   AZURITE_TABLE_PORT   Azurite's table port        (default 10002)
#   AZURITE_BLOB_PORT    Azurite's blob port         (default 10000; trained local classifiers)
#   EMULATOR_PORT        model emulator port         (default 5280)
#   ROUTER_DEV_KEY       development client key      (default router-dev-key)
#   ROUTER_DATA_DIR      Azurite's data folder       (default .azurite/<AZURITE_TABLE_PORT>)
#   ROUTER_CONFIGURATION Release or Debug            (default Release)
#   ROUTER_NO_BUILD      true: skip install and build (already built; the stop test uses it)
#   DASHBOARD_PORT       Aspire dashboard UI port    (default 18888; OTLP gRPC 4317, HTTP 4318:
#   DASHBOARD_OTLP_PORT, DASHBOARD_OTLP_HTTP_PORT)
set -euo pipefail

WITH_DASHBOARD=false
for arg in "$@"; do
  case "$arg" in
    --dashboard) WITH_DASHBOARD=true ;;
    *) echo "Unknown argument: $arg (known: --dashboard)" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUTER_PORT="${ROUTER_PORT:-7071}"
AZURITE_TABLE_PORT="${AZURITE_TABLE_PORT:-10002}"
AZURITE_BLOB_PORT="${AZURITE_BLOB_PORT:-10000}"
EMULATOR_PORT="${EMULATOR_PORT:-5280}"
ROUTER_DEV_KEY="${ROUTER_DEV_KEY:-router-dev-key}"
ROUTER_DATA_DIR="${ROUTER_DATA_DIR:-$ROOT/.azurite/$AZURITE_TABLE_PORT}"
CONFIGURATION="${ROUTER_CONFIGURATION:-Release}"
LOG_DIR="$ROOT/.azurite/logs-$ROUTER_PORT"
DASHBOARD_PORT="${DASHBOARD_PORT:-18888}"
DASHBOARD_OTLP_PORT="${DASHBOARD_OTLP_PORT:-4317}"
DASHBOARD_OTLP_HTTP_PORT="${DASHBOARD_OTLP_HTTP_PORT:-4318}"

pids=()
ROUTER_PID=""
AZURITE_PIDS=()
# A child that exited is a zombie until waited for: kill -0 would still find it.
alive() { local st; st="$(ps -o stat= -p "$1" 2>/dev/null)" && [[ "$st" != Z* ]]; }
# stop_and_wait signal seconds pid...: signal the processes, wait up to the deadline, then SIGKILL what is left.
stop_and_wait() {
  local signal="$1" seconds="$2"; shift 2
  local live=()
  for pid in "$@"; do if alive "$pid"; then live+=("$pid"); fi; done
  ((${#live[@]})) || return 0
  kill "-$signal" "${live[@]}" 2>/dev/null || true
  for _ in $(seq 1 $((seconds * 10))); do
    local any=false
    for pid in "${live[@]}"; do if alive "$pid"; then any=true; fi; done
    if [[ "$any" == false ]]; then break; fi
    sleep 0.1
  done
  kill -KILL "${live[@]}" 2>/dev/null || true
  wait "${live[@]}" 2>/dev/null || true
}
# In order, so nothing acknowledged is lost: the router first (SIGTERM: the host stops serving, then
# the ledger writes its queue and rollups, within Router:Ledger:ShutdownFlushTimeout, 20 s), then the
# emulator and dashboard, and Azurite last with SIGINT, on which it saves its database to disk
# (Azurite's table service does not handle SIGTERM: it would exit without saving its last ~5 s).
cleanup() {
  trap - INT TERM EXIT
  if ((${#pids[@]})); then
    echo "Stopping the router (final ledger flush), then the emulator, then Azurite..."
    if [[ -n "$ROUTER_PID" ]]; then stop_and_wait TERM 30 "$ROUTER_PID"; fi
    local others=()
    for pid in "${pids[@]}"; do
      [[ "$pid" == "$ROUTER_PID" || " ${AZURITE_PIDS[*]} " == *" $pid "* ]] || others+=("$pid")
    done
    if ((${#others[@]})); then stop_and_wait TERM 10 "${others[@]}"; fi
    if ((${#AZURITE_PIDS[@]})); then stop_and_wait INT 20 "${AZURITE_PIDS[@]}"; fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_for() { # url name pid
  for _ in $(seq 1 120); do
    if curl -s -o /dev/null "$1"; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then echo "$2 exited; see $LOG_DIR" >&2; return 1; fi
    sleep 0.5
  done
  echo "$2 did not start at $1; see $LOG_DIR" >&2
  return 1
}

cd "$ROOT"
if [[ "${ROUTER_NO_BUILD:-false}" != true ]]; then
  "$ROOT/scripts/install.sh"
  echo "Building ($CONFIGURATION)..."
  dotnet build "$ROOT/src/Router.Functions/Router.Functions.csproj" -c "$CONFIGURATION" -nologo -v quiet
  dotnet build "$ROOT/src/Router.Emulator/Router.Emulator.csproj" -c "$CONFIGURATION" -nologo -v quiet
fi

mkdir -p "$ROUTER_DATA_DIR" "$LOG_DIR"
"$ROOT/node_modules/.bin/azurite-table" --tableHost 127.0.0.1 --tablePort "$AZURITE_TABLE_PORT" \
  --location "$ROUTER_DATA_DIR" --skipApiVersionCheck --disableTelemetry >"$LOG_DIR/azurite.log" 2>&1 &
pids+=($!)
AZURITE_PIDS+=($!)
wait_for "http://127.0.0.1:$AZURITE_TABLE_PORT/devstoreaccount1/Tables" Azurite "${pids[-1]}"
# Blob Storage holds the trained local classifiers (container router-models, docs/local-classifier.md).
"$ROOT/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$AZURITE_BLOB_PORT" \
  --location "$ROUTER_DATA_DIR" --skipApiVersionCheck --disableTelemetry >"$LOG_DIR/azurite-blob.log" 2>&1 &
pids+=($!)
AZURITE_PIDS+=($!)
wait_for "http://127.0.0.1:$AZURITE_BLOB_PORT/devstoreaccount1?comp=list" "Azurite blob" "${pids[-1]}"

# The "large model" labels tickets by keyword lists (docs/emulator.md), a rule the local classifier can learn.
env \
  Emulator__Labelling__Fallback=other \
  Emulator__Labelling__Keywords__billing__0=charged Emulator__Labelling__Keywords__billing__1=invoice \
  Emulator__Labelling__Keywords__billing__2=refund Emulator__Labelling__Keywords__billing__3=payment \
  Emulator__Labelling__Keywords__billing__4=VAT \
  Emulator__Labelling__Keywords__bug__0=crash Emulator__Labelling__Keywords__bug__1=crashes \
  Emulator__Labelling__Keywords__bug__2=error Emulator__Labelling__Keywords__bug__3=broken \
  Emulator__Labelling__Keywords__bug__4=fails \
  Emulator__Labelling__Keywords__feature-request__0=add Emulator__Labelling__Keywords__feature-request__1=wish \
  Emulator__Labelling__Keywords__feature-request__2=suggest \
  Emulator__Labelling__Keywords__account__0=login Emulator__Labelling__Keywords__account__1=password \
  Emulator__Labelling__Keywords__account__2=email Emulator__Labelling__Keywords__account__3=profile \
  dotnet "$ROOT/src/Router.Emulator/bin/$CONFIGURATION/net10.0/Router.Emulator.dll" \
  --urls "http://127.0.0.1:$EMULATOR_PORT" >"$LOG_DIR/emulator.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$EMULATOR_PORT/health" Emulator "${pids[-1]}"

OTEL_SETTINGS=()
if [[ "$WITH_DASHBOARD" == true ]]; then
  ASPIRE_DASHBOARD="${NUGET_PACKAGES:-$HOME/.nuget/packages}/aspire.dashboard.sdk.linux-x64/13.6.5/tools/Aspire.Dashboard"
  # Local only: the dashboard listens on loopback with no login; never expose these ports.
  env \
    ASPNETCORE_URLS="http://127.0.0.1:$DASHBOARD_PORT" \
    DOTNET_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$DASHBOARD_OTLP_PORT" \
    DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://127.0.0.1:$DASHBOARD_OTLP_HTTP_PORT" \
    DASHBOARD__FRONTEND__AUTHMODE=Unsecured \
    DASHBOARD__OTLP__AUTHMODE=Unsecured \
    DASHBOARD__API__AUTHMODE=Unsecured \
    "$ASPIRE_DASHBOARD" >"$LOG_DIR/aspire-dashboard.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$DASHBOARD_PORT/api/telemetry/resources" "Aspire dashboard" "${pids[-1]}"
  OTEL_SETTINGS=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$DASHBOARD_OTLP_PORT" OTEL_SERVICE_NAME=router OTEL_METRIC_EXPORT_INTERVAL=5000)
fi

DEV_KEY_HASH="$(printf '%s' "$ROUTER_DEV_KEY" | sha256sum | cut -d' ' -f1)"
AZURITE_CONNECTION="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$AZURITE_TABLE_PORT/devstoreaccount1;BlobEndpoint=http://127.0.0.1:$AZURITE_BLOB_PORT/devstoreaccount1;"
env \
  ASPNETCORE_ENVIRONMENT=Development \
  Router__Storage__ConnectionString="$AZURITE_CONNECTION" \
  Router__Models__large__Endpoint="http://127.0.0.1:$EMULATOR_PORT/" \
  Router__Models__small__Endpoint="http://127.0.0.1:$EMULATOR_PORT/" \
  Router__Models__large__ApiKey=emulator-key \
  Router__Models__small__ApiKey=emulator-key \
  Router__Models__mini__Endpoint="http://127.0.0.1:$EMULATOR_PORT/" \
  Router__Models__mini__ApiKey=emulator-key \
  Router__Auth__Clients__0__Name=local-dev \
  Router__Auth__Clients__0__KeySha256="$DEV_KEY_HASH" \
  Router__Auth__Clients__0__Roles__0=caller \
  Router__Auth__Clients__0__Roles__1=admin \
  Router__Ledger__Journal__Folder="$ROUTER_DATA_DIR/journal" \
  "${OTEL_SETTINGS[@]}" \
  dotnet "$ROOT/src/Router.Functions/bin/$CONFIGURATION/net10.0/Router.Functions.dll" --standalone \
  --urls "http://127.0.0.1:$ROUTER_PORT" >"$LOG_DIR/router.log" 2>&1 &
pids+=($!)
ROUTER_PID=$!
wait_for "http://127.0.0.1:$ROUTER_PORT/api/health" Router "${pids[-1]}"

cat <<INFO

Router is running (standalone mode).
  Router:    http://127.0.0.1:$ROUTER_PORT/api
  Dev key:   $ROUTER_DEV_KEY   (roles caller + admin)
  Emulator:  http://127.0.0.1:$EMULATOR_PORT   Azurite tables: http://127.0.0.1:$AZURITE_TABLE_PORT   blobs: http://127.0.0.1:$AZURITE_BLOB_PORT
  Logs:      $LOG_DIR
  Dashboard: http://127.0.0.1:$ROUTER_PORT/api/dashboard#key=$ROUTER_DEV_KEY   (built-in: cost, volume, latency, break-even)
$(if [[ "$WITH_DASHBOARD" == true ]]; then echo "  Aspire:    http://127.0.0.1:$DASHBOARD_PORT   (traces, metrics, logs over OTLP)"; fi)

Try:
  curl -s http://127.0.0.1:$ROUTER_PORT/api/route -H 'Authorization: Bearer $ROUTER_DEV_KEY' \\
    -H 'Content-Type: application/json' -d '{"task":"ticket-triage","input":"I was charged twice this month"}'

Ctrl-C stops everything.
INFO

# Wait until any child stops (or a signal arrives), then clean up the rest.
wait -n "${pids[@]}" || true
