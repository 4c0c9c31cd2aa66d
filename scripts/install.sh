#!/usr/bin/env bash
# Installs what Router's scripts and tests need beyond the .NET SDK and node/npm:
# Azurite from the committed package-lock (npm ci), only when missing or out of date.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [[ ! -x node_modules/.bin/azurite-table || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "Installing Azurite (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error
fi
