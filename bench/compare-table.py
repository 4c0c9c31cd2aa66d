#!/usr/bin/env python3
"""Markdown table from bench/compare.sh's compare.tsv: medians over rounds per target and rate,
router-added latency against direct, throughput ratios, router CPU and allocation per call."""
import csv
import statistics
import sys

tsv, machine = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(tsv), delimiter="\t"))
groups = {}
for r in rows:
    groups.setdefault((r["kind"], r["target"], r["rate"]), []).append(r)


def med(key, rs):
    vals = [float(r[key]) for r in rs if r.get(key) not in (None, "")]
    return statistics.median(vals) if vals else None


def fmt(v, digits=2):
    return "-" if v is None else f"{v:,.{digits}f}"


print(open(machine).read().strip().replace("\n", "  \n"))
print()
print("| run | target | achieved req/s | p50 ms | p90 ms | p99 ms | max ms | errors | router CPU µs/call | router alloc B/call | load (1 min) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
rates = sorted({r["rate"] for r in rows if r["kind"] == "open"}, key=float)
order = [("open", t, rate) for rate in rates for t in ("direct", "router", "portkey")] + [("wrk", t, "max") for t in ("direct", "router", "portkey")]
for key in order:
    rs = groups.get(key)
    if not rs:
        continue
    kind, t, rate = key
    name = f"open loop {int(float(rate)):,}/s" if kind == "open" else f"wrk max ({len(rs)} run{'s' if len(rs) > 1 else ''})"
    print(f"| {name} | {t} | {fmt(med('rps', rs), 0)} | {fmt(med('p50', rs), 3)} | {fmt(med('p90', rs), 3)} | {fmt(med('p99', rs), 3)} | {fmt(med('max', rs), 1)} | "
          f"{int(sum(float(r['errors']) for r in rs))} | {fmt(med('router_cpu_us_per_call', rs), 0) if t == 'router' else ''} | "
          f"{fmt(med('router_alloc_bytes_per_call', rs), 0) if t == 'router' else ''} | {fmt(med('load', rs), 1)} |")
print()
print("Medians over rounds. Added by the gateway (its median minus direct's, same rate):")
print()
print("| rate | router added p50 | router added p99 | portkey added p50 | portkey added p99 |")
print("|---|---|---|---|---|")
for rate in rates:
    d, r, p = (groups.get(("open", t, rate)) for t in ("direct", "router", "portkey"))
    if not (d and r and p):
        continue
    def add(g, k):
        return med(k, g) - med(k, d)
    print(f"| {int(float(rate)):,}/s | {fmt(add(r, 'p50'), 3)} ms | {fmt(add(r, 'p99'), 3)} ms | {fmt(add(p, 'p50'), 3)} ms | {fmt(add(p, 'p99'), 3)} ms |")
d, r, p = (groups.get(("wrk", t, "max")) for t in ("direct", "router", "portkey"))
if d and r and p:
    print()
    print(f"Maximum throughput (wrk): router / direct = **{100 * med('rps', r) / med('rps', d):.1f} %**, router / portkey = **{med('rps', r) / med('rps', p):.2f}x**.")
