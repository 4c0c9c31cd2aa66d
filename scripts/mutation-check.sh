#!/usr/bin/env bash
# Plants each bug listed in scripts/mutants.txt, one at a time, in a scratch copy of the working
# tree, runs the tests that should catch it and reports caught / NOT CAUGHT / stale (the text to
# replace is no longer in the file) / does-not-build. Exit 0 only when every mutant is caught.
# Not part of scripts/test.sh: it builds once per mutant (minutes). See docs/testing.md.
#   scripts/mutation-check.sh                 # every mutant
#   scripts/mutation-check.sh timer-runs-twice # only the named ones
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/router-mutants.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT
echo "== scratch copy in $SCRATCH"
tar -C "$ROOT" --exclude=./node_modules --exclude='*/bin' --exclude='*/obj' --exclude=./.git --exclude=./.azurite -cf - . | tar -C "$SCRATCH" -xf -
ln -s "$ROOT/node_modules" "$SCRATCH/node_modules"
cd "$SCRATCH"
dotnet build Router.sln -c Release --nologo -v quiet >"$SCRATCH/baseline-build.log" 2>&1 \
  || { echo "the unmutated tree does not build; see $SCRATCH/baseline-build.log"; cat "$SCRATCH/baseline-build.log" | tail -20; exit 2; }
python3 - "$SCRATCH" "$ROOT/scripts/mutants.txt" "$@" <<'PY'
import pathlib, subprocess, sys

scratch, listing, only = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), set(sys.argv[3:])

def parse(text):
    mutants, current, section = [], None, None
    for line in text.splitlines():
        if section in ("find", "replace") and not line.startswith("--- "):
            current[section].append(line)
            continue
        if line.startswith("## "):
            current = {"name": line[3:].strip(), "find": [], "replace": []}
            mutants.append(current)
        elif line.startswith("--- "):
            section = line[4:].strip()
            section = None if section == "end" else section
        elif current is not None and ":" in line and not line.startswith("#"):
            key, value = line.split(":", 1)
            current[key.strip()] = value.strip()
    return mutants

results = []
for m in parse(listing.read_text()):
    if only and m["name"] not in only:
        continue
    path = scratch / m["file"]
    original = path.read_text()
    find, replace = "\n".join(m["find"]) + "\n", "\n".join(m["replace"]) + "\n"
    if original.count(find) != 1:
        results.append((m["name"], "stale", f"the text to replace occurs {original.count(find)} times in {m['file']}"))
        continue
    path.write_text(original.replace(find, replace))
    try:
        build = subprocess.run(["dotnet", "build", m["project"], "-c", "Release", "--nologo", "-v", "quiet"], cwd=scratch, capture_output=True, text=True)
        if build.returncode != 0:
            results.append((m["name"], "does-not-build", build.stdout[-600:]))
            continue
        test = subprocess.run(["dotnet", "test", m["project"], "-c", "Release", "--no-build", "--nologo", "--filter", m["tests"]], cwd=scratch, capture_output=True, text=True)
        out = test.stdout + test.stderr
        if "No test matches the given testcase filter" in out or "Total tests: 0" in out:
            results.append((m["name"], "no-tests", f"filter {m['tests']} selects no test"))
        elif test.returncode != 0:
            failed = [l.strip() for l in out.splitlines() if l.strip().startswith("Failed ")][:3]
            results.append((m["name"], "caught", "; ".join(failed) or "tests failed"))
        else:
            results.append((m["name"], "NOT CAUGHT", f"{m['tests']} passed with the bug planted ({m.get('why', '')})"))
    finally:
        path.write_text(original)
        print(f"  {results[-1][0]}: {results[-1][1]}", flush=True)

print()
print(f"{'mutant':32} {'result':15} detail")
for name, result, detail in results:
    print(f"{name:32} {result:15} {detail.splitlines()[0] if detail else ''}")
caught = sum(1 for r in results if r[1] == "caught")
print(f"\n{caught} of {len(results)} caught")
sys.exit(0 if caught == len(results) else 1)
PY
