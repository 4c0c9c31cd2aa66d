#!/usr/bin/env bash
# Self-test of the banned-API analyzer (BannedSymbols.txt + Directory.Build.props): a scratch
# project that takes the repository's build settings must build cleanly with allowed code, and
# fail with RS0030 naming each banned symbol when a deliberately bad file is added.
#
#   scripts/test-banned-api.sh
#
# Prints one line per case and a closing "N passed, N failed" line; exit 1 on any failure.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0

# The scratch project inherits the repository's Directory.Build.props (analyzer, warnings as
# errors, BannedSymbols.txt) and central package versions, exactly as src/ and tests/ do.
mkdir -p "$work/proj"
cat >"$work/proj/Directory.Build.props" <<EOF
<Project>
  <Import Project="$repo_root/Directory.Build.props" />
</Project>
EOF
cat >"$work/proj/Directory.Packages.props" <<EOF
<Project>
  <Import Project="$repo_root/Directory.Packages.props" />
</Project>
EOF
cat >"$work/proj/Scratch.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Library</OutputType>
    <NoWarn>$(NoWarn);CA1515;CA1822;CA2007;CA1849;CA2234</NoWarn>
  </PropertyGroup>
</Project>
EOF

# The allowed way of doing each thing: must build.
cat >"$work/proj/Allowed.cs" <<'EOF'
namespace Scratch;

public static class Allowed
{
    public static async Task<TimeSpan> RunAsync(TimeProvider time, Task<int> task)
    {
        var start = time.GetTimestamp();
        _ = time.GetUtcNow();
        await Task.Delay(TimeSpan.FromMilliseconds(1), time);
        _ = await task;
        return time.GetElapsedTime(start);
    }
}
EOF

build() {
  dotnet build "$work/proj/Scratch.csproj" -c Release --nologo -v quiet 2>&1
}

# expect_build OUTCOME NAME: OUTCOME is pass|fail; sets $out to the build output.
out=""
expect_build() {
  local outcome="$1" name="$2" rc
  set +e
  out="$(build)"
  rc=$?
  set -e
  if [[ ( "$outcome" == pass && $rc -eq 0 ) || ( "$outcome" == fail && $rc -ne 0 ) ]]; then
    passed=$((passed + 1))
    echo "ok   - $name (exit $rc)"
  else
    failed=$((failed + 1))
    echo "FAIL - $name: expected the build to $outcome, got exit $rc"
    printf '%s\n' "$out" | grep -E 'error|warning' | sort -u | sed 's/^/       /' | head -40
  fi
}

# expect_diagnostic NAME PATTERN: PATTERN must appear on an RS0030 error line of $out.
expect_diagnostic() {
  local name="$1" pattern="$2"
  local errors
  errors="$(grep -E 'error RS0030' <<<"$out" || true)"
  # (No `grep -q` at the end of a pipe: under pipefail its early exit fails the first grep.)
  if grep -F -- "$pattern" <<<"$errors" >/dev/null; then
    passed=$((passed + 1))
    echo "ok   - $name"
  else
    failed=$((failed + 1))
    echo "FAIL - $name: no 'error RS0030' naming $pattern"
  fi
}

# 1. Allowed code builds (the analyzer does not fail everything).
expect_build pass "allowed code (TimeProvider, await, Task.Delay) builds"

# 2. Each banned call fails the build with RS0030 naming the symbol.
cat >"$work/proj/Banned.cs" <<'EOF'
namespace Scratch;

public static class Banned
{
    public static void Run(Task<int> task, Task plain)
    {
        _ = DateTime.Now;
        _ = DateTime.UtcNow;
        _ = DateTimeOffset.Now;
        _ = DateTimeOffset.UtcNow;
        _ = System.Diagnostics.Stopwatch.StartNew();
        _ = System.Diagnostics.Stopwatch.GetTimestamp();
        Thread.Sleep(1);
        Thread.Sleep(TimeSpan.FromMilliseconds(1));
        plain.Wait();
        plain.Wait(TimeSpan.FromSeconds(1));
        _ = task.Result;
        plain.GetAwaiter().GetResult();
        _ = task.GetAwaiter().GetResult();
        using var http = new System.Net.Http.HttpClient();
    }
}
EOF
expect_build fail "a file with banned calls fails the build"
expect_diagnostic "DateTime.Now is banned" "'DateTime.Now'"
expect_diagnostic "DateTime.UtcNow is banned" "'DateTime.UtcNow'"
expect_diagnostic "DateTimeOffset.Now is banned" "'DateTimeOffset.Now'"
expect_diagnostic "DateTimeOffset.UtcNow is banned" "'DateTimeOffset.UtcNow'"
expect_diagnostic "Stopwatch.StartNew is banned" "'Stopwatch.StartNew()'"
expect_diagnostic "Stopwatch.GetTimestamp is banned" "'Stopwatch.GetTimestamp()'"
expect_diagnostic "Thread.Sleep(int) is banned" "'Thread.Sleep(int)'"
expect_diagnostic "Thread.Sleep(TimeSpan) is banned" "'Thread.Sleep(TimeSpan)'"
expect_diagnostic "Task.Wait() is banned" "'Task.Wait()'"
expect_diagnostic "Task.Wait(TimeSpan) is banned" "'Task.Wait(TimeSpan)'"
expect_diagnostic "Task<T>.Result is banned" "'Task<TResult>.Result'"
expect_diagnostic "GetAwaiter().GetResult() is banned" "'TaskAwaiter.GetResult()'"
expect_diagnostic "Task<T> GetAwaiter().GetResult() is banned" "'TaskAwaiter<TResult>.GetResult()'"
expect_diagnostic "new HttpClient() is banned" "'HttpClient.HttpClient()'"

# 3. ML.NET's CreatePredictionEngine is banned (only a pool's factory may create engines).
# Uses the repository's Microsoft.ML version when it has one, else the one this test pins.
rm "$work/proj/Banned.cs"
if grep -q '<PackageVersion Include="Microsoft.ML"' "$repo_root/Directory.Packages.props"; then
  ml_reference='<PackageReference Include="Microsoft.ML" />'
else
  ml_reference='<PackageReference Include="Microsoft.ML" VersionOverride="5.0.1" />'
fi
sed -i "s|</Project>|  <ItemGroup>$ml_reference</ItemGroup>\n</Project>|" "$work/proj/Scratch.csproj"
cat >"$work/proj/BannedMl.cs" <<'EOF'
using Microsoft.ML;

namespace Scratch;

public sealed class In { public float X { get; set; } }
public sealed class Out { public float Score { get; set; } }

public static class BannedMl
{
    public static void Run(MLContext ml, ITransformer model) => _ = ml.Model.CreatePredictionEngine<In, Out>(model);
}
EOF
expect_build fail "a shared PredictionEngine fails the build"
expect_diagnostic "CreatePredictionEngine is banned" "CreatePredictionEngine"

echo "banned-api: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
