#!/usr/bin/env bash
# Installs what Router's scripts and tests need beyond the .NET SDK and node/npm:
# Azurite and playwright-core from the committed package-lock (npm ci), only when missing
# or out of date; Chromium (apt); the Aspire dashboard (NuGet, eng/tools).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [[ -L node_modules ]]; then
  # A shared node_modules (a worktree's symlink to another checkout's): npm ci would empty the
  # folder it points to under everyone using it, so leave it to the checkout that owns it.
  [[ -x node_modules/.bin/azurite-table && -d node_modules/playwright-core ]] \
    || echo "node_modules is a symlink to an incomplete install; run npm ci where it points" >&2
elif [[ ! -x node_modules/.bin/azurite-table || ! -d node_modules/playwright-core || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "Installing Azurite and playwright-core (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error
fi
# Chromium (Debian's) renders the built-in dashboard in its test; playwright-core drives it and never downloads browsers.
if ! command -v chromium >/dev/null; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null && SUDO="sudo"
  $SUDO apt-get update -q && $SUDO apt-get install -y -q chromium
fi
# The Aspire dashboard (OTLP receiver + UI) comes from NuGet via eng/tools (PackageDownload).
ASPIRE_DASHBOARD="${NUGET_PACKAGES:-$HOME/.nuget/packages}/aspire.dashboard.sdk.linux-x64/13.6.5/tools/Aspire.Dashboard"
if [[ ! -x "$ASPIRE_DASHBOARD" ]]; then
  echo "Restoring eng/tools (Aspire dashboard)..."
  dotnet restore "$ROOT/eng/tools/tools.csproj" --nologo -v quiet
fi
