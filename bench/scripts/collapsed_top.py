#!/usr/bin/env python3
"""Summarises async-profiler's collapsed stacks (one "frame;frame;... count" line per stack) as markdown:
CPU samples by what the thread was doing (the collector, the compiler, parking or waking a thread, socket
calls, else the package of the deepest non-JDK frame), the deepest relay frames, and allocation by class and by
the first non-JDK frame. Usage: collapsed_top.py CPU_COLLAPSED ALLOC_COLLAPSED [MEASUREMENTS_JSONL]"""
import collections
import json
import sys

JDK = ('java/', 'jdk/', 'sun/', 'scala/')


def stacks(path):
    with open(path) as f:
        for line in f:
            stack, _, n = line.rstrip().rpartition(' ')
            if stack:
                yield stack.split(';'), int(n)


def package(frame):
    parts = frame.split('/')
    return '/'.join(parts[:4] if parts[:2] == ['org', 'apache'] else parts[:3])


def activity(frames):
    joined = ';'.join(frames)
    if any(s in joined for s in ('PSPromotion', 'PSScavenge', 'PSParallelCompact', 'GCTask', 'ParallelGC')):
        return 'garbage collector'
    if any(s in joined for s in ('C2Compiler', 'C1Compiler', 'CompileBroker')):
        return 'JIT compiler'
    if 'LockSupport.unpark' in joined:
        return 'waking a thread (LockSupport.unpark)'
    if 'LockSupport.park' in joined:
        return 'parking (LockSupport.park*)'
    if 'EPoll.wait' in joined:
        return 'waiting for sockets (epoll_wait)'
    if any(f.startswith('sun/nio/ch/') and ('read' in f or 'write' in f) for f in frames):
        return 'socket reads and writes'
    for f in reversed(frames):
        if '/' in f and not f.startswith(JDK):
            return package(f)
    return 'other (no Java frame: ' + frames[0][:40] + ')'


def table(title, counter, total, rows):
    print(f'**{title}**\n\n| | share |\n|---|---:|')
    for key, n in counter.most_common(rows):
        print(f'| `{key[:150]}` | {100 * n / total:.1f}% |')
    print()


def main():
    cpu_path, alloc_path = sys.argv[1], sys.argv[2]
    runs = []
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            runs = [json.loads(l) for l in f if l.strip()]
    for r in runs:
        if r.get('phase', '').startswith('async-'):
            w = r['wrk']
            secs = max(w.get('duration_us', 1), 1) / 1e6
            print(f"- {r['phase']}: {w['requests'] / secs:,.0f} req/s at {r['connections']} connections, relay CPU "
                  f"{1000 * r['relay_cpu_s'] / max(w['requests'], 1):.3f} ms a request")
    print()
    by_activity, relay, total = collections.Counter(), collections.Counter(), 0
    for frames, n in stacks(cpu_path):
        total += n
        by_activity[activity(frames)] += n
        for f in set(frames):
            if f.startswith('dev/relaycluster/') and '$$Lambda' not in f:
                relay[f] += n
    print(f'{total} CPU samples.\n')
    table('CPU samples by activity', by_activity, total, 30)
    table('Relay methods by inclusive CPU samples', relay, total, 25)
    by_class, by_site, total = collections.Counter(), collections.Counter(), 0
    for frames, n in stacks(alloc_path):
        total += n
        by_class[frames[-1]] += n
        site = next((f for f in reversed(frames[:-1]) if '/' in f and not f.startswith(JDK)), '?')
        by_site[site] += n
    print(f'{total} allocation samples (one per 512 KiB allocated in a thread).\n')
    table('Allocation by class', by_class, total, 15)
    table('Allocation by first non-JDK frame', by_site, total, 30)


if __name__ == '__main__':
    main()
