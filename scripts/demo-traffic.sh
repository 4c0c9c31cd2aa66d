#!/usr/bin/env bash
# Sends a realistic, seeded mix of calls over every sample task through a running router
# (scripts/run-local.sh), then runs the distillation report, so a newcomer sees a populated
# dashboard and a provisional report within a minute.
#
#   scripts/demo-traffic.sh              # 160 calls, seed 42, against http://127.0.0.1:7071
#   DEMO_CALLS=400 DEMO_SEED=7 scripts/demo-traffic.sh
#
# Variables:
#   ROUTER_PORT     router port                          (default 7071)
#   ROUTER_URL      router API base                      (default http://127.0.0.1:$ROUTER_PORT/api)
#   ROUTER_DEV_KEY  key with roles caller + admin        (default router-dev-key)
#   DEMO_CALLS      calls to send                        (default 160)
#   DEMO_SEED       seed of the mix: same seed, same calls (default 42)
#   DEMO_PARALLEL   calls in flight at once              (default 4)
#
# The mix: ticket-triage 45% (native API), summarize 25% (OpenAI-compatible, one in five
# streamed), invoice-extract 20%, contract-qa 10% (with the contract as context). Inputs are
# drawn from the lists below by a seeded generator, so two runs with one seed send the same calls.
set -euo pipefail

ROUTER_PORT="${ROUTER_PORT:-7071}"
ROUTER_URL="${ROUTER_URL:-http://127.0.0.1:$ROUTER_PORT/api}"
KEY="${ROUTER_DEV_KEY:-router-dev-key}"
CALLS="${DEMO_CALLS:-160}"
SEED="${DEMO_SEED:-42}"
PARALLEL="${DEMO_PARALLEL:-4}"

for n in "$CALLS" "$SEED" "$PARALLEL"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "demo-traffic: DEMO_CALLS, DEMO_SEED and DEMO_PARALLEL must be whole numbers (got '$n')" >&2; exit 2; }
done
(( PARALLEL >= 1 )) || PARALLEL=1

if ! curl -sf -o /dev/null "$ROUTER_URL/health"; then
  echo "demo-traffic: no router at $ROUTER_URL (start it with scripts/run-local.sh, or set ROUTER_URL)" >&2
  exit 1
fi

TICKETS=(
  "I was charged twice this month, please fix the billing."
  "The app crashes with a bug every time I open the export page."
  "Please add a feature-request for dark mode on the dashboard."
  "I cannot log in to my account since the password reset."
  "My invoice shows the wrong VAT number; billing please correct it."
  "There is a bug: the search box ignores accented letters."
  "How do I change the email address on my account?"
  "Could you add CSV import? Consider it a feature-request."
  "Something else: where is your office in Lisbon?"
  "Checkout fails with error 500, looks like a bug in payments."
)
DOCUMENTS=(
  "The quarterly review showed revenue of 4.2M EUR, up 12% on last year, driven by the enterprise plan. Churn fell to 2.1%. Hiring is paused until March."
  "The board met on 3 May and approved a budget of 2.1M EUR for the new plant in Lyon. Construction starts in September and ends in 2027."
  "Sales rose 8% in Q2 to 14,300 units. The Berlin store closed on 30 June and its staff moved to Hamburg."
  "The incident on 12 October took the API down for 47 minutes. The cause was an expired certificate; renewal is now automated."
  "Support answered 18,200 tickets in November, 6% more than October, with a median first response of 38 minutes."
)
INVOICES=(
  "Invoice INV-7781 from Acme GmbH, total due 980.50 EUR by 15 July."
  "INVOICE No. 2024-0113. Amount payable: USD 12,400.00. Due on receipt."
  "Rechnung RE-55102, Gesamtbetrag 312,90 EUR, zahlbar bis 1. August."
  "Invoice #A-9 for consulting services, total GBP 4,750.00, net 30."
)
CONTRACT="Clause 4.2: Either party may terminate with 30 days written notice. Clause 7.1: Fees are invoiced monthly in arrears and payable within 30 days. Clause 9.3: Liability is capped at the fees paid in the previous 12 months."
QUESTIONS=(
  "How much notice is needed to terminate?"
  "When are fees payable?"
  "What is the liability cap?"
  "Can the contract be assigned to a third party?"
)

# A seeded generator of its own (RANDOM's sequence differs between bash versions); it sets R
# rather than printing, because $(...) would run it in a subshell and lose its state.
state=$(( SEED % 2147483647 )); (( state > 0 )) || state=1
next() { state=$(( (state * 48271) % 2147483647 )); R=$(( state % $1 )); }

json() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# One line per call: endpoint, stream flag, body. Drawn in order, so the seed fixes the mix.
for (( i = 0; i < CALLS; i++ )); do
  next 100; pick=$R
  if (( pick < 45 )); then
    next ${#TICKETS[@]}; text=${TICKETS[$R]}
    echo "route 0 {\"task\":\"ticket-triage\",\"input\":$(json "$text")}"
  elif (( pick < 70 )); then
    next ${#DOCUMENTS[@]}; text=${DOCUMENTS[$R]}
    next 5; stream=false; (( R == 0 )) && stream=true
    echo "chat $([[ $stream == true ]] && echo 1 || echo 0) {\"model\":\"summarize\",\"stream\":$stream,\"messages\":[{\"role\":\"user\",\"content\":$(json "$text")}]}"
  elif (( pick < 90 )); then
    next ${#INVOICES[@]}; text=${INVOICES[$R]}
    echo "route 0 {\"task\":\"invoice-extract\",\"input\":$(json "$text")}"
  else
    next ${#QUESTIONS[@]}; text=${QUESTIONS[$R]}
    echo "route 0 {\"task\":\"contract-qa\",\"input\":$(json "$text"),\"context\":$(json "$CONTRACT")}"
  fi
done >"$WORK/calls"

send() {
  local endpoint=$1 stream=$2 body=$3 path
  [[ $endpoint == chat ]] && path="v1/chat/completions" || path="route"
  curl -s -o /dev/null -w '%{http_code}\n' $([[ $stream == 1 ]] && echo -N) \
    -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d "$body" "$ROUTER_URL/$path"
}
export -f send
export ROUTER_URL KEY

echo "Sending $CALLS calls (seed $SEED, $PARALLEL at a time) to $ROUTER_URL ..."
started=$SECONDS
tr '\n' '\0' <"$WORK/calls" | xargs -0 -P "$PARALLEL" -I{} bash -c 'set -f; read -r e s b <<<"$1"; send "$e" "$s" "$b"' _ {} >"$WORK/codes"
ok=$(grep -c '^200$' "$WORK/codes" || true)
echo "$ok of $CALLS calls answered 200 in $(( SECONDS - started )) s."
if (( ok < CALLS )); then
  echo "Other answers:"; grep -v '^200$' "$WORK/codes" | sort | uniq -c
fi

# The ledger writes rollups on its own interval (Router:Ledger:RollupFlushInterval): give it a moment.
sleep "${DEMO_SETTLE_SECONDS:-6}"
echo
echo "Running the distillation report..."
curl -sf -X POST -H "Authorization: Bearer $KEY" "$ROUTER_URL/distillation/run?format=md" || {
  echo "demo-traffic: the report run failed" >&2; exit 1; }
echo
echo "Dashboard: ${ROUTER_URL%/api}/api/dashboard#key=$KEY"
