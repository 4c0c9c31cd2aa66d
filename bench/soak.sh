#!/usr/bin/env bash
# Soak: a steady rate through the router for SOAK_SECONDS, sampling the router's memory (RSS),
# the ledger queue depth and rows written every SAMPLE_SECONDS. Needs hey.
#   SOAK_RATE (500) req/s   SOAK_SECONDS (600)   SAMPLE_SECONDS (10)
set -euo pipefail
SOAK_RATE="${SOAK_RATE:-500}"
SOAK_SECONDS="${SOAK_SECONDS:-600}"
SAMPLE_SECONDS="${SAMPLE_SECONDS:-10}"
WORKERS=10
source "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
trap stop_stack EXIT
OUT="$BENCH_ROOT/bench/out"
printf '{"task":"ticket-triage","input":"I was charged twice for my plan this month, please refund one of the payments."}' >"$OUT/router-body.json"
hey -z "${SOAK_SECONDS}s" -c $WORKERS -q $((SOAK_RATE / WORKERS)) -m POST -T application/json -H "Authorization: Bearer $BENCH_KEY" \
  -D "$OUT/router-body.json" "$ROUTER_URL/api/route" >"$OUT/soak-hey.txt" &
HEY_PID=$!
echo "seconds,rss_mib,queue_depth,oldest_pending_s,written,storage_requests,load1" | tee "$OUT/soak.csv"
start=$(date +%s)
while kill -0 "$HEY_PID" 2>/dev/null; do
  sleep "$SAMPLE_SECONDS"
  health=$(curl -s "$ROUTER_URL/api/health" || echo '{}')
  printf '%s,%s,%s,%s\n' "$(($(date +%s) - start))" "$(($(ps -o rss= -p "$ROUTER_PID") / 1024))" \
    "$(python3 -c 'import json,sys; l=json.loads(sys.argv[1]).get("ledger",{}); print(l.get("queueDepth"), l.get("oldestPendingSeconds") or 0, l.get("written"), l.get("storageRequests"), sep=",")' "$health")" \
    "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/soak.csv"
done
wait "$HEY_PID" || true
grep -E "Requests/sec|50% in|99% in|Slowest|\[200\]" "$OUT/soak-hey.txt"
