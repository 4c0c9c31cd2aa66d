#!/usr/bin/env bash
# Router side by side with a direct call and a peer gateway, in one run, on one machine:
#   direct   the zero-latency backend (bench/LoadGen serve: one fixed chat.completion per POST)
#   router   Router standalone (ledger on, into Azurite in memory) -> the same backend
#   portkey  the open-source Portkey gateway (@portkey-ai/gateway) -> the same backend as a custom OpenAI host
# Each rate (RATES, req/s) is an open-loop run (bench/LoadGen run: evenly spaced sends, latency
# from the scheduled send time) of DURATION s per target, interleaved A/B/C/A/B/C for ROUNDS
# rounds; then a closed-loop maximum per target with wrk (WRK_CONNECTIONS, WRK_SECONDS).
# Router CPU per call = its process CPU seconds (/proc/<pid>/stat utime+stime) / calls served in
# the measured window; allocated bytes per call = dotnet-counters' GC allocation over that window / calls.
#
#   bench/install-tools.sh   # once: wrk, the Portkey gateway into bench/.tools, dotnet-counters, LoadGen
#   bench/compare.sh         # RATES ("300 1000") DURATION (15) ROUNDS (2) WRK_SECONDS (10) WRK_CONNECTIONS (32)
#   PROFILE_SECONDS=20 [PROFILE_KIND=alloc] bench/compare.sh   # instead: a CPU (or allocation) profile of Router at PROFILE_RATE (1000) req/s
#
# Readiness waits scale with the load average (BENCH_READY_SECONDS x load/cores, at least x1) and
# the whole run has a deadline (BENCH_TOTAL_SECONDS, 1800); everything started is killed on exit.
# Output: bench/out/compare.tsv (one line per run) and bench/out/compare.md (the table).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out"
LOGS="$OUT/logs"
mkdir -p "$LOGS"
RATES="${RATES:-300 1000}"
DURATION="${DURATION:-15}"
ROUNDS="${ROUNDS:-2}"
WRK_SECONDS="${WRK_SECONDS:-10}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-32}"
AZ_PORT="${BENCH_AZURITE_PORT:-21002}"
BACKEND_PORT="${BENCH_BACKEND_PORT:-21290}"
RT_PORT="${BENCH_ROUTER_PORT:-21071}"
PK_PORT="${BENCH_PORTKEY_PORT:-21787}"
BACKEND="http://127.0.0.1:$BACKEND_PORT"
ROUTER="http://127.0.0.1:$RT_PORT"
PORTKEY="http://127.0.0.1:$PK_PORT"
KEY="bench-key"
LOADGEN="$ROOT/bench/LoadGen/bin/Release/net10.0/LoadGen.dll"
PORTKEY_JS="$ROOT/bench/.tools/node_modules/@portkey-ai/gateway/build/start-server.js"

for need in wrk curl python3 node; do
  command -v "$need" >/dev/null || { echo "compare: $need is missing; run bench/install-tools.sh" >&2; exit 1; }
done
[[ -f "$LOADGEN" && -f "$PORTKEY_JS" ]] || { echo "compare: run bench/install-tools.sh first" >&2; exit 1; }

# --- everything started here is killed on exit, whatever the exit -------------------------
pids=()
cleanup() {
  local code=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  exit "$code"
}
trap cleanup EXIT
trap 'echo "compare: interrupted" >&2; exit 130' INT TERM
# The whole run's deadline: a watchdog that stops this script (and so, via the trap, the stack).
( sleep "${BENCH_TOTAL_SECONDS:-1800}"; echo "compare: over BENCH_TOTAL_SECONDS; stopping" >&2; kill -TERM $$ 2>/dev/null ) &
pids+=($!)

# Readiness: a base wait scaled by how loaded the machine is (2 cores shared with builds and tests).
cores=$(nproc)
scale=$(awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v c="$cores" 'BEGIN { s = l / c; print (s < 1 ? 1 : s) }')
READY=$(awk -v b="${BENCH_READY_SECONDS:-60}" -v s="$scale" 'BEGIN { printf "%d", b * s }')
wait_ready() { # name url pid
  local name="$1" url="$2" pid="$3" start=$SECONDS
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" || true)" =~ ^[1-4][0-9][0-9]$ ]]; do
    kill -0 "$pid" 2>/dev/null || { echo "compare: $name exited during start; see $LOGS/$name.log" >&2; tail -20 "$LOGS/$name.log" >&2; exit 1; }
    if (( SECONDS - start > READY )); then
      echo "compare: $name not ready at $url within ${READY} s (load scale x$scale; BENCH_READY_SECONDS to wait longer)" >&2; exit 1
    fi
    sleep 0.5
  done
  echo "ready: $name in $((SECONDS - start)) s"
}

# --- the stack -------------------------------------------------------------------------------
if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  dotnet build "$ROOT/src/Router.Functions/Router.Functions.csproj" -c Release -nologo -v quiet
fi

"$ROOT/node_modules/.bin/azurite-table" --tableHost 127.0.0.1 --tablePort "$AZ_PORT" --inMemoryPersistence \
  --skipApiVersionCheck --disableTelemetry --silent >"$LOGS/azurite.log" 2>&1 &
pids+=($!)
wait_ready azurite "http://127.0.0.1:$AZ_PORT/devstoreaccount1/Tables" "${pids[-1]}"

DOTNET_gcServer=0 dotnet "$LOADGEN" serve --port "$BACKEND_PORT" >"$LOGS/backend.log" 2>&1 &
pids+=($!)
wait_ready backend "$BACKEND/" "${pids[-1]}"

env \
  Logging__LogLevel__Default=Warning \
  Router__Storage__ConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$AZ_PORT/devstoreaccount1;" \
  Router__Models__large__Endpoint="$BACKEND/" Router__Models__small__Endpoint="$BACKEND/" Router__Models__mini__Endpoint="$BACKEND/" \
  Router__Models__large__ApiKey=bench Router__Models__small__ApiKey=bench Router__Models__mini__ApiKey=bench \
  Router__Tasks__ticket-triage__Route=small Router__Tasks__ticket-triage__CaptureRate=0.1 \
  Router__Shadow__Enabled=false \
  Router__Auth__Clients__0__Name=bench \
  Router__Auth__Clients__0__KeySha256="$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)" \
  Router__Auth__Clients__0__Roles__0=caller Router__Auth__Clients__0__Roles__1=admin \
  dotnet "$ROOT/src/Router.Functions/bin/Release/net10.0/Router.Functions.dll" --standalone --urls "$ROUTER" \
  >"$LOGS/router.log" 2>&1 &
pids+=($!)
ROUTER_PID=${pids[-1]}
wait_ready router "$ROUTER/api/health" "$ROUTER_PID"

PORT="$PK_PORT" node "$PORTKEY_JS" --port="$PK_PORT" --headless >"$LOGS/portkey.log" 2>&1 &
pids+=($!)
wait_ready portkey "$PORTKEY/" "${pids[-1]}"

# --- one request, three ways ------------------------------------------------------------------
BODY="$OUT/compare-body.json"
printf '%s' '{"model":"ticket-triage","messages":[{"role":"user","content":"I was charged twice for my plan this month, please refund one of the payments."}],"max_tokens":8}' >"$BODY"
target_url() { case "$1" in direct) echo "$BACKEND/v1/chat/completions" ;; router) echo "$ROUTER/api/v1/chat/completions" ;; portkey) echo "$PORTKEY/v1/chat/completions" ;; esac; }
target_headers() { # one "Name: value" per line
  case "$1" in
    direct) echo "Authorization: Bearer bench" ;;
    router) echo "Authorization: Bearer $KEY" ;;
    portkey) printf '%s\n' "Authorization: Bearer bench" "x-portkey-provider: openai" "x-portkey-custom-host: $BACKEND/v1" ;;
  esac
}
loadgen() { # target rate seconds label
  local args=() line
  while IFS= read -r line; do args+=(--header "$line"); done < <(target_headers "$1")
  DOTNET_gcServer=0 dotnet "$LOADGEN" run --url "$(target_url "$1")" --rate "$2" --seconds "$3" --body "$BODY" --label "$4" "${args[@]}"
}
for t in direct router portkey; do # each answers 200 with a completion before anything is measured
  args=(); while IFS= read -r line; do args+=(-H "$line"); done < <(target_headers "$t")
  code=$(curl -s -o "$OUT/compare-$t.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' "${args[@]}" --data-binary @"$BODY" "$(target_url "$t")")
  [[ "$code" == 200 ]] || { echo "compare: $t answered $code: $(head -c 400 "$OUT/compare-$t.json")" >&2; exit 1; }
done
echo "warm-up: 10 s per target at 300/s"
for t in direct router portkey; do loadgen "$t" 300 10 "warmup-$t" >/dev/null; done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$ROUTER_PID/stat"; }
CLK_TCK=$(getconf CLK_TCK)
COUNTERS=(dotnet tool run dotnet-counters --)
(cd "$ROOT" && "${COUNTERS[@]}" --version >/dev/null) || { echo "compare: dotnet-counters missing; run bench/install-tools.sh" >&2; exit 1; }

TSV="$OUT/compare.tsv"
printf 'kind\ttarget\trate\tround\trps\tp50\tp90\tp99\tmax\terrors\tcalls\trouter_cpu_us_per_call\trouter_alloc_bytes_per_call\tload\n' >"$TSV"
load() { cut -d' ' -f1 /proc/loadavg; }

measure_open() { # target rate round
  local t="$1" rate="$2" round="$3" c0 c1 line counters_pid="" alloc="" cpu=""
  if [[ "$t" == router ]]; then
    c0=$(cpu_ticks)
    # A fixed session length (a background job ignores SIGINT, so it could not be stopped early):
    # 2 s to attach, the window, 1 s to spare.
    local span; span=$(printf '00:00:%02d:%02d' $(( (DURATION + 3) / 60 )) $(( (DURATION + 3) % 60 )))
    (cd "$ROOT" && exec "${COUNTERS[@]}" collect -p "$ROUTER_PID" --counters System.Runtime --format csv \
      -o "$OUT/counters-$rate-$round.csv" --refresh-interval 1 --duration "$span" >/dev/null 2>&1) &
    counters_pid=$!
    pids+=("$counters_pid")
    sleep 2 # let the session attach before the window opens
  fi
  line=$(loadgen "$t" "$rate" "$DURATION" "$t@$rate")
  echo "$line"
  if [[ -n "$counters_pid" ]]; then
    c1=$(cpu_ticks)
    wait "$counters_pid" 2>/dev/null || true
    cpu=$(python3 -c "print(round(($c1-$c0)/$CLK_TCK/max(1,$(sed -E 's/.*sent=([0-9]+).*/\1/' <<<"$line"))*1e6,1))")
    alloc=$(python3 "$ROOT/bench/counters-alloc.py" "$OUT/counters-$rate-$round.csv" "$(sed -E 's/.*sent=([0-9]+).*/\1/' <<<"$line")" "$rate" || echo "")
    echo "  router: ${cpu} us CPU/call, ${alloc:-?} bytes allocated/call (GC allocation over the counters session / calls)"
  fi
  python3 - "$line" "$t" "$rate" "$round" "$cpu" "$alloc" "$(load)" >>"$TSV" <<'EOF'
import re, sys
line, target, rate, rnd, cpu, alloc, load = sys.argv[1:]
f = dict(re.findall(r'(\w+)=([\d.]+)', line))
print('\t'.join(['open', target, rate, rnd, f['rps'], f['p50'], f['p90'], f['p99'], f['max'], f['errors'], f['sent'], cpu, alloc, load]))
EOF
}

measure_wrk() { # target round
  local t="$1" round="$2" lua="$OUT/wrk-$1.lua" c0 c1 out
  { echo 'wrk.method = "POST"'
    printf 'wrk.body = [[%s]]\n' "$(cat "$BODY")"
    echo 'wrk.headers["Content-Type"] = "application/json"'
    while IFS= read -r line; do printf 'wrk.headers["%s"] = "%s"\n' "${line%%:*}" "${line#*: }"; done < <(target_headers "$t")
  } >"$lua"
  [[ "$t" == router ]] && c0=$(cpu_ticks)
  out=$(wrk -t2 -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" --latency -s "$lua" "$(target_url "$t")")
  local cpu=""
  local calls; calls=$(awk '/requests in/ {print $1}' <<<"$out")
  if [[ "$t" == router ]]; then c1=$(cpu_ticks); cpu=$(python3 -c "print(round(($c1-$c0)/$CLK_TCK/max(1,$calls)*1e6,1))"); fi
  local non2xx; non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  local errs; errs=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' <<<"$out"); errs=$((non2xx + ${errs:-0}))
  python3 - "$out" "$t" "$round" "$cpu" "$errs" "$calls" "$(load)" >>"$TSV" <<'EOF'
import re, sys
out, target, rnd, cpu, errs, calls, load = sys.argv[1:]
def ms(v):
    m = re.match(r'([\d.]+)(us|ms|s)', v); x = float(m.group(1)); return {'us': x / 1000, 'ms': x, 's': x * 1000}[m.group(2)]
rps = re.search(r'Requests/sec:\s+([\d.]+)', out).group(1)
lat = dict(re.findall(r'^\s+(50|90|99)%\s+(\S+)', out, re.M))
mx = re.search(r'Latency\s+\S+\s+\S+\s+(\S+)', out).group(1)
print('\t'.join(['wrk', target, 'max', rnd, rps, f"{ms(lat['50']):.3f}", f"{ms(lat['90']):.3f}", f"{ms(lat['99']):.3f}", f"{ms(mx):.3f}", errs, calls, cpu, '', load]))
EOF
  echo "wrk $t: $(grep -oP 'Requests/sec:\s+\K[\d.]+' <<<"$out") req/s, errors $errs${cpu:+, router $cpu us CPU/call}"
}

# --- profile mode: a profile of Router under the open-loop load, then stop ------------------
# PROFILE_SECONDS=20 bench/compare.sh: dotnet-trace on the router during an open-loop run at
# PROFILE_RATE (1000) req/s. PROFILE_KIND=cpu (default): sampled thread time, converted to
# speedscope (bench/out/router.speedscope.json, open it at speedscope.app) and summarised by
# bench/profile-top.py; PROFILE_KIND=alloc: the runtime's allocation ticks (gc-verbose), summarised
# by type and per call by bench/AllocProfile. The summary is bench/out/profile.txt.
if [[ -n "${PROFILE_SECONDS:-}" ]]; then
  TRACE="$OUT/router.nettrace"
  kind="${PROFILE_KIND:-cpu}"
  rm -f "$TRACE" "$OUT"/router.speedscope.json
  case "$kind" in cpu) profile=dotnet-sampled-thread-time ;; alloc) profile=gc-verbose ;; *) echo "compare: PROFILE_KIND is cpu or alloc" >&2; exit 2 ;; esac
  span=$(printf '00:00:%02d:%02d' $(( (PROFILE_SECONDS + 2) / 60 )) $(( (PROFILE_SECONDS + 2) % 60 )))
  (cd "$ROOT" && exec dotnet tool run dotnet-trace -- collect -p "$ROUTER_PID" --profile "$profile" \
    --duration "$span" -o "$TRACE" >"$LOGS/trace.log" 2>&1) &
  trace_pid=$!
  pids+=("$trace_pid")
  sleep 2
  line=$(loadgen router "${PROFILE_RATE:-1000}" "$PROFILE_SECONDS" "profile@${PROFILE_RATE:-1000}")
  echo "$line"
  wait "$trace_pid" 2>/dev/null || true
  if [[ "$kind" == cpu ]]; then
    # dotnet-trace names the output <base>.speedscope.json
    (cd "$ROOT" && dotnet tool run dotnet-trace -- convert "$TRACE" --format Speedscope -o "$OUT/router.json" >>"$LOGS/trace.log" 2>&1)
    python3 "$ROOT/bench/profile-top.py" "$OUT/router.speedscope.json" | tee "$OUT/profile.txt"
  else
    dotnet build "$ROOT/bench/AllocProfile/AllocProfile.csproj" -c Release -nologo -v quiet >/dev/null
    # the trace spans the window plus ~2 s of the rate before and after it: count those calls too
    calls=$(( ${PROFILE_RATE:-1000} * (PROFILE_SECONDS + 2) ))
    dotnet "$ROOT/bench/AllocProfile/bin/Release/net10.0/AllocProfile.dll" "$TRACE" "$calls" 40 | tee "$OUT/profile.txt"
  fi
  exit 0
fi

echo "machine: $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/ {print $2}') GiB; $(date -u '+%Y-%m-%d %H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/compare-machine.txt"
for round in $(seq 1 "$ROUNDS"); do
  for rate in $RATES; do
    for t in direct router portkey; do measure_open "$t" "$rate" "$round"; done
  done
  for t in direct router portkey; do measure_wrk "$t" "$round"; done
done
ledger=$(curl -s -H "Authorization: Bearer $KEY" "$ROUTER/api/health" | python3 -c 'import json,sys; l=json.load(sys.stdin).get("ledger",{}); print("ledger: written={} dropped={} queue={}".format(l.get("written"), l.get("dropped"), l.get("queueDepth")))' || echo "ledger: ?")
echo "$ledger" | tee -a "$OUT/compare-machine.txt"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/compare-machine.txt"
python3 "$ROOT/bench/compare-table.py" "$TSV" "$OUT/compare-machine.txt" | tee "$OUT/compare.md"
