#!/usr/bin/env bash
# Runs every check and test: installs Azurite (npm ci), lints the Bicep templates, proves the
# banned-API analyzer fails a bad file (scripts/test-banned-api.sh), then
# runs all test projects. Integration tests start Azurite and the emulator themselves on
# free ports and fail (never skip) when they cannot.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/install.sh"
for check in lint-bicep.sh test-lint-bicep.sh test-banned-api.sh; do
  if [[ -x "$ROOT/scripts/$check" ]]; then
    echo "== scripts/$check"
    "$ROOT/scripts/$check"
  fi
done
echo "== dotnet test"
dotnet test "$ROOT/Router.sln" -c Release --nologo "$@"
