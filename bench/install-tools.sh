#!/usr/bin/env bash
# Installs what bench/compare.sh needs, outside the product's dependencies:
#   wrk (apt)                         closed-loop maximum throughput
#   @portkey-ai/gateway 1.15.2 (npm)  the peer gateway, into bench/.tools (not the root package.json)
#   dotnet-counters (dotnet tool)     allocated bytes per call, from .config/dotnet-tools.json
#   bench/LoadGen (dotnet build)      the open-loop load generator and the zero-latency backend
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORTKEY_VERSION="1.15.2"

if ! command -v wrk >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y wrk; fi
fi

tools="$ROOT/bench/.tools"
if [[ ! -x "$tools/node_modules/.bin/portkey" && ! -f "$tools/node_modules/@portkey-ai/gateway/package.json" ]] \
  || ! grep -q "\"version\": \"$PORTKEY_VERSION\"" "$tools/node_modules/@portkey-ai/gateway/package.json"; then
  mkdir -p "$tools"
  [[ -f "$tools/package.json" ]] || echo '{"name":"router-bench-tools","private":true}' >"$tools/package.json"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "@portkey-ai/gateway@$PORTKEY_VERSION"
fi

(cd "$ROOT" && dotnet tool restore >/dev/null)
dotnet build "$ROOT/bench/LoadGen/LoadGen.csproj" -c Release -nologo -v quiet
echo "bench tools: wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}'), portkey gateway $PORTKEY_VERSION, $(cd "$ROOT" && dotnet tool list --local | awk '/dotnet-counters/ {print "dotnet-counters " $2}')"
