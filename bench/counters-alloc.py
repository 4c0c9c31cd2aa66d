#!/usr/bin/env python3
"""Bytes allocated per call from a dotnet-counters CSV (System.Runtime, 1 s refresh).

usage: counters-alloc.py COUNTERS.csv CALLS [RATE]
Sums the GC allocation counter's per-interval increments over the session (the 2 s before the
load window included) and divides by CALLS. Prints an integer, or nothing if the counter is absent.
"""
import csv
import sys

path, calls = sys.argv[1], int(sys.argv[2])
total = 0.0
seen = False
with open(path, newline="") as f:
    for row in csv.reader(f):
        if len(row) < 5:
            continue
        name = row[2].lower()
        # .NET 9+: dotnet.gc.heap.total_allocated (By / 1 sec); older runtimes: Allocation Rate (B / 1 sec)
        if "total_allocated" in name or "allocation rate" in name or name.startswith("alloc-rate"):
            try:
                total += float(row[4])
                seen = True
            except ValueError:
                pass
if seen and calls > 0:
    print(round(total / calls))
