#!/usr/bin/env bash
# Self-test of scripts/lint-bicep.sh: the untouched infra/ must pass, and each deliberately
# broken copy of it must fail with the expected diagnostic.
#
#   scripts/test-lint-bicep.sh
#
# Prints one line per case and a closing "N passed, N failed" line; exit 1 on any failure.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lint="$repo_root/scripts/lint-bicep.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0

# fresh_copy NAME -> path of a new copy of infra/
fresh_copy() {
  local dir="$work/$1"
  cp -R "$repo_root/infra" "$dir"
  printf '%s' "$dir"
}

# expect OUTCOME NAME DIR [PATTERN]: OUTCOME is pass|fail; PATTERN must appear in the output.
expect() {
  local outcome="$1" name="$2" dir="$3" pattern="${4:-}" out rc
  set +e
  out="$("$lint" "$dir" 2>&1)"
  rc=$?
  set -e
  local ok=1
  if [[ "$outcome" == pass && $rc -ne 0 ]]; then ok=0; fi
  if [[ "$outcome" == fail && $rc -ne 1 ]]; then ok=0; fi
  if [[ -n "$pattern" ]] && ! grep -qE -- "$pattern" <<<"$out"; then ok=0; fi
  if [[ $ok -eq 1 ]]; then
    passed=$((passed + 1))
    echo "ok   - $name (exit $rc)"
  else
    failed=$((failed + 1))
    echo "FAIL - $name: expected $outcome${pattern:+ with /$pattern/}, got exit $rc"
    printf '%s\n' "$out" | sed 's/^/       /'
  fi
}

# 1. The shipped templates lint cleanly.
expect pass "untouched infra passes" "$(fresh_copy clean)" 'lint-bicep: OK'

# 2. Syntax error in a module.
dir="$(fresh_copy syntax)"
printf '\nresource broken = {\n' >>"$dir/app/router.bicep"
expect fail "syntax error fails" "$dir" 'router\.bicep.* : Error BCP'

# 3. Reference to an undefined symbol.
dir="$(fresh_copy undefined)"
printf "\noutput broken string = notDeclaredAnywhere.name\n" >>"$dir/core/storage/storage-account.bicep"
expect fail "undefined symbol fails" "$dir" 'Error BCP057'

# 4. A linter rule raised to error in bicepconfig.json (proves the config is applied).
dir="$(fresh_copy location)"
sed -i "0,/location: location/s//location: 'westeurope'/" "$dir/core/security/user-assigned-identity.bicep"
expect fail "hard-coded location fails (rule level error)" "$dir" 'Error no-hardcoded-location'

# 5. A warning fails too (zero-warning policy).
dir="$(fresh_copy warning)"
printf "\nparam neverUsed string = ''\n" >>"$dir/core/monitor/monitoring.bicep"
expect fail "unused parameter warning fails" "$dir" 'Warning no-unused-params'

echo "lint-bicep: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
