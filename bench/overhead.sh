#!/usr/bin/env bash
# Router overhead: the same load straight to the emulator and through the router, in one run,
# at a fixed rate and at max throughput; plus ledger records/s and storage requests per 100 calls
# (from /api/health's ledger counters). Needs hey (apt-get install -y hey).
#   RATE (1000) req/s for the fixed-rate runs   DURATION (30) seconds per run   CONCURRENCY (32) for max runs
set -euo pipefail
RATE="${RATE:-1000}"
DURATION="${DURATION:-30}"
CONCURRENCY="${CONCURRENCY:-32}"
WORKERS=20
source "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
trap stop_stack EXIT
OUT="$BENCH_ROOT/bench/out"
INPUT="I was charged twice for my plan this month, please refund one of the payments."
printf '{"task":"ticket-triage","input":"%s"}' "$INPUT" >"$OUT/router-body.json"
# Exactly what the router sends upstream for this task (seen in the emulator's request log).
printf '{"messages":[{"role":"system","content":"Triage the ticket.\\nAllowed labels: billing, bug, feature-request, account, other"},{"role":"user","content":"%s"}],"max_tokens":8}' "$INPUT" >"$OUT/direct-body.json"
DIRECT=(-m POST -T application/json -H "api-key: emulator-key" -D "$OUT/direct-body.json" "$EMULATOR_URL/openai/deployments/gpt-4o-mini-ft/chat/completions?api-version=2024-10-21")
ROUTED=(-m POST -T application/json -H "Authorization: Bearer $BENCH_KEY" -D "$OUT/router-body.json" "$ROUTER_URL/api/route")

ledger() { curl -s "$ROUTER_URL/api/health" | python3 -c 'import json,sys; l=json.load(sys.stdin)["ledger"]; print(l["written"], l["storageRequests"], l["queueDepth"])'; }
summary() { # name file
  awk -v name="$1" '
    /Requests\/sec/ {rps=$2}
    /Slowest/ {max=$2*1000}
    /50%% in|50% in/ {p50=$3*1000}
    /99%% in|99% in/ {p99=$3*1000}
    /^  \[200\]/ {ok=$2}
    END {printf "%-16s rps=%8.1f p50=%7.2fms p99=%7.2fms max=%8.2fms ok=%s\n", name, rps, p50, p99, max, ok}' "$2"
}
run() { # name hey-args...
  local name="$1"; shift
  echo "load: $(uptime)" >>"$OUT/overhead.log"
  hey "$@" >"$OUT/$name.txt"
  summary "$name" "$OUT/$name.txt" | tee -a "$OUT/overhead.log"
}

: >"$OUT/overhead.log"
echo "machine: $(nproc) cores, $(grep 'model name' /proc/cpuinfo | head -1 | cut -d: -f2 | xargs), $(free -g | awk '/Mem/ {print $2}') GiB" | tee -a "$OUT/overhead.log"
hey -n 3000 -c 16 "${DIRECT[@]}" >/dev/null
hey -n 3000 -c 16 "${ROUTED[@]}" >/dev/null
sleep 2
PER_WORKER=$((RATE / WORKERS))
run direct-fixed -z "${DURATION}s" -c $WORKERS -q $PER_WORKER "${DIRECT[@]}"
read -r w0 s0 _ < <(ledger)
run router-fixed -z "${DURATION}s" -c $WORKERS -q $PER_WORKER "${ROUTED[@]}"
sleep 3
read -r w1 s1 q1 < <(ledger)
echo "ledger at ${RATE}/s: $((w1 - w0)) rows, $((s1 - s0)) storage requests, $(python3 -c "print(round(100*($s1-$s0)/max(1,$w1-$w0),2))") requests/100 calls, queue now $q1" | tee -a "$OUT/overhead.log"
run direct-max -z "${DURATION}s" -c "$CONCURRENCY" "${DIRECT[@]}"
read -r w0 s0 _ < <(ledger)
t0=$(date +%s.%N)
run router-max -z "${DURATION}s" -c "$CONCURRENCY" "${ROUTED[@]}"
while read -r w1 s1 q1 < <(ledger) && [[ "$q1" != 0 ]]; do sleep 0.2; done
t1=$(date +%s.%N)
echo "ledger at max: $((w1 - w0)) rows in $(python3 -c "print(round($t1-$t0,1))") s = $(python3 -c "print(round(($w1-$w0)/($t1-$t0)))") records/s, $(python3 -c "print(round(100*($s1-$s0)/max(1,$w1-$w0),2))") requests/100 calls" | tee -a "$OUT/overhead.log"
echo "router RSS after: $(($(ps -o rss= -p "$ROUTER_PID") / 1024)) MiB" | tee -a "$OUT/overhead.log"
