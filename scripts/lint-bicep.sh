#!/usr/bin/env bash
# Lint every .bicep file under a folder (default: infra/) with the Bicep CLI from NuGet.
#
#   scripts/lint-bicep.sh [dir]
#
# The Bicep CLI comes from the NuGet package Azure.Bicep.CommandLine.linux-x64, pinned in
# eng/tools/tools.csproj (restored once, then taken from the NuGet package folder). Nothing
# else is downloaded: modules are local files and `--no-restore` keeps Bicep off registries.
#
# Fails (exit 1) on any Error *or Warning* diagnostic: rule levels live in
# infra/bicepconfig.json; a rule that should only advise is set to "info" there.
# Exit 2 on usage errors or when the Bicep CLI cannot be found.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-$repo_root/infra}"

if [[ ! -d "$target" ]]; then
  echo "lint-bicep: no such directory: $target" >&2
  exit 2
fi
target="$(cd "$target" && pwd)"

tools_proj="$repo_root/eng/tools/tools.csproj"
bicep_version="$(sed -n 's:.*<BicepVersion>\(.*\)</BicepVersion>.*:\1:p' "$tools_proj")"
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
bicep="$packages/azure.bicep.commandline.linux-x64/$bicep_version/tools/bicep"

if [[ ! -f "$bicep" ]]; then
  echo "lint-bicep: restoring Bicep CLI $bicep_version (eng/tools/tools.csproj)" >&2
  dotnet restore "$tools_proj" --verbosity quiet >&2
fi
if [[ ! -f "$bicep" ]]; then
  echo "lint-bicep: Bicep CLI not found at $bicep after restore" >&2
  exit 2
fi
[[ -x "$bicep" ]] || chmod +x "$bicep"

mapfile -t files < <(find "$target" -name '*.bicep' -type f | sort)
if [[ ${#files[@]} -eq 0 ]]; then
  echo "lint-bicep: no .bicep files under $target" >&2
  exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1
start=$SECONDS
set +e
output="$("$bicep" lint --no-restore --pattern "$target/**/*.bicep" 2>&1)"
rc=$?
set -e

# The same diagnostic can be reported twice (a module linted alone and through its parent).
diagnostics="$(printf '%s\n' "$output" | grep -E ' : (Error|Warning) ' | sort -u || true)"
infos="$(printf '%s\n' "$output" | grep -E ' : Info ' | sort -u || true)"
[[ -n "$infos" ]] && printf '%s\n' "$infos"

errors=$(printf '%s\n' "$diagnostics" | grep -c ' : Error ' || true)
warnings=$(printf '%s\n' "$diagnostics" | grep -c ' : Warning ' || true)

if [[ -n "$diagnostics" ]]; then
  printf '%s\n' "$diagnostics"
fi
if [[ $rc -ne 0 && $errors -eq 0 ]]; then
  # Bicep failed without a diagnostic we recognise (crash, bad config, ...): show everything.
  printf '%s\n' "$output" >&2
  errors=1
fi

elapsed=$((SECONDS - start))
if [[ $errors -gt 0 || $warnings -gt 0 ]]; then
  echo "lint-bicep: FAILED: $errors error(s), $warnings warning(s) in ${#files[@]} file(s) under $target (${elapsed}s)" >&2
  exit 1
fi
echo "lint-bicep: OK: ${#files[@]} file(s) under $target, no errors or warnings (Bicep $bicep_version, ${elapsed}s)"
