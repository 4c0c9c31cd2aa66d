#!/usr/bin/env bash
# The distillation loop on a running local stack (scripts/run-local.sh), with no configuration: the
# shipped catalog serves ticket-triage on the large model and captures every answer, and declares the
# local classifier triage-classifier as its candidate.
#
#   1. sends DEMO_TRAIN_CALLS (600) seeded tickets: the "large model" (emulator) labels them by keyword
#   2. trains the classifier (POST /api/distillation/ticket-triage/train): version + held-out accuracy
#   3. sends DEMO_SHADOW_CALLS (500) more: each is shadowed to the new version (shadow evidence)
#   4. promotes it (POST /api/tasks/ticket-triage/route), refused with the numbers if under the bar
#   5. sends 20 calls: served by the classifier (route small, model triage-classifier, 0 USD)
#   6. prints the report's lifecycle, then restores the catalog route (DELETE), unless DEMO_KEEP=true
#
# Variables: ROUTER_PORT / ROUTER_URL, ROUTER_DEV_KEY, DEMO_SEED (7), DEMO_PARALLEL (8), the two counts above.
set -euo pipefail

ROUTER_PORT="${ROUTER_PORT:-7071}"
ROUTER_URL="${ROUTER_URL:-http://127.0.0.1:$ROUTER_PORT/api}"
KEY="${ROUTER_DEV_KEY:-router-dev-key}"
SEED="${DEMO_SEED:-7}"
PARALLEL="${DEMO_PARALLEL:-8}"
TRAIN_CALLS="${DEMO_TRAIN_CALLS:-600}"
SHADOW_CALLS="${DEMO_SHADOW_CALLS:-500}"
for n in "$SEED" "$PARALLEL" "$TRAIN_CALLS" "$SHADOW_CALLS"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "demo-loop: DEMO_* counts must be whole numbers (got '$n')" >&2; exit 2; }
done
curl -sf -o /dev/null "$ROUTER_URL/health" || { echo "demo-loop: no router at $ROUTER_URL (start scripts/run-local.sh)" >&2; exit 1; }

# The emulator's keyword lists (run-local.sh); a ticket holds one or two keywords of one label, or none ("other").
BILLING=(charged invoice refund payment VAT); BUG=(crash crashes error broken fails)
FEATURE=(add wish suggest); ACCOUNT=(login password email profile)
FILLER=(the app today since yesterday my team page when I open screen please thanks again still order monday phone laptop our company settings report dashboard export shows something strange after update version morning help could you look into this quickly we use it every day for work hello regards customer number twelve week last month new old first time)

state=$(( SEED % 2147483647 )); (( state > 0 )) || state=1
next() { state=$(( (state * 48271) % 2147483647 )); R=$(( state % $1 )); }
ticket() { # sets T: a ticket text, numbered so every one is distinct
  local words=() n k label
  next 9; n=$(( R + 6 ))
  for (( k = 0; k < n; k++ )); do next ${#FILLER[@]}; words+=("${FILLER[$R]}"); done
  next 5; label=$R
  for (( k = 0; k < 1 + (state % 2); k++ )); do
    case $label in
      0) next ${#BILLING[@]}; words+=("${BILLING[$R]}") ;;
      1) next ${#BUG[@]}; words+=("${BUG[$R]}") ;;
      2) next ${#FEATURE[@]}; words+=("${FEATURE[$R]}") ;;
      3) next ${#ACCOUNT[@]}; words+=("${ACCOUNT[$R]}") ;;
      *) ;;
    esac
  done
  T="${words[*]} #$1"
}

export KEY ROUTER_URL
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
send() { # body lines on stdin -> one "route model fallback" line per answer
  # One echo per answer (a single write, under the pipe's atomic size), so parallel answers never interleave.
  xargs -d '\n' -P "$PARALLEL" -I{} bash -c 'b=$(curl -s -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" -d "$1" "$ROUTER_URL/route"); echo "$b"' _ {} \
    | python3 -c 'import json,sys
for line in filter(None, sys.stdin.read().splitlines()):
    b=json.loads(line); print(b.get("route"), b.get("model"), b.get("fallback"))'
}
calls() { # first count
  local i; for (( i = $1; i < $1 + $2; i++ )); do ticket "$i"; printf '{"task":"ticket-triage","input":"%s"}\n' "$T"; done
}
admin() { curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' "$@"; }

echo "1. $TRAIN_CALLS tickets on the large route (every answer captured)..."
calls 0 "$TRAIN_CALLS" | send | sort | uniq -c

echo "2. Training the local classifier..."
for _ in $(seq 1 60); do
  code=$(admin -o "$WORK/trained" -w '%{http_code}' -X POST "$ROUTER_URL/distillation/ticket-triage/train")
  [[ $code == 200 ]] && break
  sleep 1 # the sample writer flushes on its interval; "too few samples" until it has
done
[[ $code == 200 ]] || { echo "demo-loop: training refused: $(cat "$WORK/trained")" >&2; exit 1; }
python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); m=t["metrics"]
print("   version %s: %d samples, held-out accuracy %.3f over %d, %.1f s" % (t["version"], t["samples"], m["accuracy"], m["heldOutCount"], t["trainingSeconds"]))' "$WORK/trained"
version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$WORK/trained")

echo "3. $SHADOW_CALLS more tickets, each shadowed to classifier@$version..."
calls "$TRAIN_CALLS" "$SHADOW_CALLS" | send | sort | uniq -c
sleep "${DEMO_SETTLE_SECONDS:-3}" # shadow calls finish and the rollups flush on their interval
admin -X POST "$ROUTER_URL/distillation/run" >"$WORK/run"
python3 -c 'import json,sys; run=json.load(open(sys.argv[1]))
r=[r for r in run["reports"] if r["task"]=="ticket-triage"][0]
print("   verdict:", r["verdict"])
for c in r["candidates"]:
    if c["candidate"].startswith("classifier@"):
        print("   %s: %d shadow samples, agreement interval %.3f..%.3f" % (c["candidate"], c["samples"], c["agreementLower"], c["agreementUpper"]))' "$WORK/run"

echo "4. Promoting the classifier..."
code=$(admin -o "$WORK/promoted" -w '%{http_code}' -X POST "$ROUTER_URL/tasks/ticket-triage/route" -d '{"candidate":"classifier","reason":"demo-loop: shadow agreement at the bar"}')
[[ $code == 200 ]] || { echo "demo-loop: promotion refused ($code): $(cat "$WORK/promoted")" >&2; exit 1; }
echo "   promoted classifier@$version"

echo "5. 20 tickets on the promoted route (route model fallback):"
calls $(( TRAIN_CALLS + SHADOW_CALLS )) 20 | send | sort | uniq -c
sleep "${DEMO_SETTLE_SECONDS:-3}"
admin -X POST "$ROUTER_URL/distillation/run" >/dev/null
echo
echo "6. The report's lifecycle for ticket-triage:"
admin "$ROUTER_URL/distillation?format=md" | sed -n '/^## ticket-triage/,/^## /p' | sed -n '/^Lifecycle:/,/^## /p' | grep -v '^## '
if [[ "${DEMO_KEEP:-false}" != true ]]; then
  admin -o /dev/null -X DELETE "$ROUTER_URL/tasks/ticket-triage/route?reason=demo-loop+done"
  echo "Restored the catalog route (large); DEMO_KEEP=true leaves the classifier serving."
fi
