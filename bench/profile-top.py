#!/usr/bin/env python3
"""Summarises a speedscope profile (dotnet-trace convert --format Speedscope) of the router:
the share of CPU samples per frame, self (the frame itself) and inclusive (the frame or anything
it called), over the threads that were running (idle waits are dropped: frames such as
WaitHandle / Monitor / epoll waits / UNMANAGED_CODE_TIME at the top of a stack).

    bench/profile-top.py bench/out/router.speedscope.json [--top 40] [--match Router.]
"""
import argparse
import json
import collections

IDLE = ("UNMANAGED_CODE_TIME", "WaitHandle.Wait", "Monitor.Wait", "LowLevelLifoSemaphore", "Thread.Sleep",
        "SocketAsyncEngine.EventLoop", "WaitOne", "WaitSubsystem", "LowLevelMonitor", "Interop+Sys.WaitForSocketEvents",
        "PortableThreadPool+GateThread", "System.Threading.TimerQueue", "SemaphoreSlim.Wait", "?!?")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--match", default=None, help="show inclusive shares only for frames containing this text")
    args = ap.parse_args()
    doc = json.load(open(args.file))
    frames = [f["name"] for f in doc["shared"]["frames"]]
    self_w = collections.Counter()
    incl_w = collections.Counter()
    total = 0.0
    for prof in doc["profiles"]:
        if prof.get("type") != "evented":
            continue
        # stack of [frame, opened at, children's time]; a frame's own time is its span minus its children's,
        # and it counts inclusively for every distinct frame on the stack when it closes.
        stack = []
        for ev in prof["events"]:
            if ev["type"] == "O":
                stack.append([ev["frame"], ev["at"], 0.0])
                continue
            frame, at, children = stack.pop()
            span = ev["at"] - at
            if stack:
                stack[-1][2] += span
            own = span - children
            name = frames[frame]
            if name == "CPU_TIME" and stack:
                # dotnet-trace marks on-CPU samples with a CPU_TIME leaf: the time is its caller's own
                name = frames[stack[-1][0]]
                stack = stack[:-1] + [stack[-1]]
            if own <= 0 or any(k in name for k in IDLE) or any(any(k in frames[f[0]] for k in IDLE) for f in stack[-3:]):
                continue
            self_w[name] += own
            total += own
            for distinct in ({frames[f[0]] for f in stack} | {name}) - {"CPU_TIME"}:
                incl_w[distinct] += own
    if total == 0:
        print("no samples")
        return
    print(f"CPU samples: {total:,.0f} ms (non-idle)")
    print("\nSelf time (top):")
    for name, w in self_w.most_common(args.top):
        print(f"  {100 * w / total:5.1f}%  {name[:150]}")
    print("\nInclusive time (top):")
    shown = 0
    for name, w in incl_w.most_common():
        if args.match and args.match not in name:
            continue
        print(f"  {100 * min(w, total) / total:5.1f}%  {name[:150]}")
        shown += 1
        if shown >= args.top:
            break

if __name__ == "__main__":
    main()
