#!/usr/bin/env python3
"""The report of scripts/paced-sched.sh: a paced run's requests on the wire beside the kernel's scheduler trace.

Usage: sched_report.py WORK NAME JAR JVM_OPTIONS RELAY_PORT MOCK_PORT RELAY_PID MOCK_PID DAMON > sched-NAME.md
WORK holds packets.txt (tcpdump -tt -q on lo), sched.txt (ftrace sched_switch / sched_wakeup, a SYNC marker
with the wall clock) and gc.log (the node's collector, -Xlog:gc:time). Both processes must still run: their
threads are told apart by /proc/PID/task.
"""
import collections
import datetime
import os
import re
import sys

PACKET = re.compile(r'^(\d+\.\d+) IP 127\.0\.0\.1\.(\d+) > 127\.0\.0\.1\.(\d+): tcp (\d+)')
SWITCH = re.compile(r'\[(\d+)\] \S+\s+(\d+\.\d+): sched_switch: prev_comm=(.*?) prev_pid=(\d+) prev_prio=\d+ '
                    r'prev_state=(\S+) ==> next_comm=(.*?) next_pid=(\d+)')
WAKEUP = re.compile(r'\] \S+\s+(\d+\.\d+): sched_wakeup: comm=(.*?) pid=(\d+) ')
SYNC = re.compile(r'(\d+\.\d+): tracing_mark_write: SYNC (\d+\.\d+)')
SLOW_MS = 5.0


def exchanges(work, port):
    """Per client connection of PORT: (request's first byte, answer's last byte) in wall-clock seconds."""
    packets = collections.defaultdict(list)
    for line in open(os.path.join(work, "packets.txt")):
        m = PACKET.match(line)
        if not m or m.group(4) == "0":
            continue
        t, src, dst = float(m.group(1)), int(m.group(2)), int(m.group(3))
        if dst == port:
            packets[src].append((t, True))
        elif src == port:
            packets[dst].append((t, False))
    out = []
    for flow in packets.values():
        start = end = None
        for t, inbound in flow:
            if inbound and end is not None:
                out.append((start, end))
                start = end = None
            if inbound and start is None:
                start = t
            elif not inbound and start is not None:
                end = t
        if start is not None and end is not None:
            out.append((start, end))
    return sorted(out)


def owners(pids):
    """Thread id -> process label, for the processes still running."""
    out = {}
    for label, pid in pids:
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                out[int(tid)] = label
        except OSError:
            pass
    return out


def group(comm, tid, owner):
    """A thread's process and name, digits folded (GC Thread#0 and #1 are one group). A thread gone before the
    report (a pool's, or wrk's) has no process: wrk by its name, the others as "gone"."""
    name = re.sub(r'[#\d]+$', '#', comm.strip())
    if tid in owner:
        return f"{owner[tid]}: {name}"
    return "wrk" if name == "wrk" else f"gone or other: {name}"


def trace(work, owner):
    """Runs (cpu, start, end, group) and waits for a core (woken or preempted -> running), wall clock."""
    offset, running, ready, runs, waits = None, {}, {}, [], []
    for line in open(os.path.join(work, "sched.txt")):
        m = SWITCH.search(line)
        if m:
            cpu, t = int(m.group(1)), float(m.group(2))
            prev, nxt = int(m.group(4)), int(m.group(7))
            if cpu in running:
                start, label = running[cpu]
                runs.append((cpu, start, t, label))
            label = group(m.group(6), nxt, owner)
            running[cpu] = (t, label)
            if nxt in ready:
                waits.append((ready.pop(nxt), t, label))
            if m.group(5).startswith("R") and prev != 0:
                ready[prev] = t
            continue
        m = WAKEUP.search(line)
        if m:
            ready.setdefault(int(m.group(3)), float(m.group(1)))
            continue
        m = SYNC.search(line)
        if m and offset is None:
            offset = float(m.group(2)) - float(m.group(1))
    if offset is None:
        sys.exit("the scheduler trace has no SYNC marker")
    runs = [(c, s + offset, e + offset, g) for c, s, e, g in runs if not g.endswith("swapper/#")]
    waits = [(a + offset, b + offset, g) for a, b, g in waits if not g.endswith("swapper/#")]
    return runs, waits


def gc_pauses(work):
    out = []
    for line in open(os.path.join(work, "gc.log")):
        m = re.match(r'\[(\S+)\] GC\(\d+\) Pause (\w+).*?(\d+\.\d+)ms', line)
        if m:
            end = datetime.datetime.strptime(m.group(1)[:23], "%Y-%m-%dT%H:%M:%S.%f")
            end = end.replace(tzinfo=datetime.timezone.utc).timestamp()
            out.append((end - float(m.group(3)) / 1000, end, m.group(2)))
    return out


def main():
    work, name, jar, options, relay_port, mock_port, relay_pid, mock_pid, damon = sys.argv[1:10]
    owner = owners([("node", relay_pid), ("mock", mock_pid)])
    requests = exchanges(work, int(relay_port))
    upstream = exchanges(work, int(mock_port))
    runs, waits = trace(work, owner)
    t0, t1 = min(r[1] for r in runs), max(r[2] for r in runs)
    seconds = t1 - t0
    inside = [(s, e) for s, e in requests if t0 <= s and e <= t1]
    pauses = [p for p in gc_pauses(work) if p[1] >= t0 and p[0] <= t1]

    def pct(values, p):
        values = sorted(values)
        return values[min(len(values) - 1, int(p * len(values)))] if values else 0.0

    def load_words():
        conns, think = os.environ.get("SCHED_CONNECTIONS", "64"), os.environ.get("SCHED_THINK_MS", "100")
        pause = f"0.5-1.5 x {think} ms between requests" if think != "0" else "requests back to back"
        return f"{conns} connection{'s' if conns != '1' else ''}, {pause}"

    lat = [(e - s) * 1000 for s, e in requests]
    mock_lat = [(e - s) * 1000 for s, e in upstream]
    print(f"## Who had the cores when a paced request was slow: `{name}`\n")
    print(f"Written by `sudo bash bench/scripts/paced-sched.sh {name} JAR{(' ' + options) if options else ''}` (jar "
          f"`{jar}`), {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC: one node on embedded H2 (-Xmx512m), 60 s of "
          f"warm-up at 64 streaming connections, one run of 20 s ({load_words()}). Requests are timed on the wire (tcpdump on loopback: the request's first byte in, the "
          f"answer's last byte out); the scheduler trace covers {seconds:.1f} s of the run. DAMON (the kernel's "
          f"memory monitor, which a VM may use to page memory out): {damon}.\n")
    print(f"- Requests through the node: {len(lat):,}; p50 {pct(lat, 0.5):.2f} ms, p99 {pct(lat, 0.99):.2f} ms, "
          f"p99.9 {pct(lat, 0.999):.2f} ms, longest {max(lat, default=0):.1f} ms; over {SLOW_MS:.0f} ms: "
          f"{sum(1 for x in lat if x > SLOW_MS)}.")
    print(f"- The node's calls to the mock: p50 {pct(mock_lat, 0.5):.2f} ms, p99 {pct(mock_lat, 0.99):.2f} ms, "
          f"longest {max(mock_lat, default=0):.1f} ms.")
    print(f"- Collector pauses inside the trace: {len(pauses)} "
          f"({', '.join(f'{k} {(e - s) * 1000:.1f} ms' for s, e, k in pauses) or 'none'}).\n")

    used = collections.Counter()
    for _, s, e, g in runs:
        used[g] += e - s
    longest_run = collections.defaultdict(float)
    for _, s, e, g in runs:
        longest_run[g] = max(longest_run[g], e - s)
    waited = collections.defaultdict(list)
    for a, b, g in waits:
        waited[g].append(b - a)
    print("| threads (process: name) | share of one core | longest run ms | waits for a core over 2 ms | longest wait ms |")
    print("|---|---:|---:|---:|---:|")
    for g, busy in used.most_common(16):
        w = waited.get(g, [])
        print(f"| {g} | {100 * busy / seconds:.1f} % | {1000 * longest_run[g]:.1f} | {sum(1 for x in w if x > 0.002)} "
              f"| {1000 * max(w, default=0):.1f} |")

    slow = sorted(((e - s) * 1000, s) for s, e in inside if (e - s) * 1000 > SLOW_MS)[::-1]
    print(f"\n{len(slow)} of the {len(inside):,} requests inside the trace took over {SLOW_MS:.0f} ms. Around the "
          "slowest (apart by 50 ms or more): every run of a thread over 0.5 ms from 5 ms before the request to its "
          "end, per core, and the waits for a core over 1 ms.\n")
    shown = []
    for ms, start in slow:
        if len(shown) == 3:
            break
        if any(abs(start - s) < 0.05 for s in shown):
            continue
        shown.append(start)
        end = start + ms / 1000
        print(f"**A request at +{start - t0:.3f} s that took {ms:.1f} ms**\n")
        print("```")
        for cpu, s, e, g in sorted(runs, key=lambda r: r[1]):
            if e > start - 0.005 and s < end and e - s > 0.0005:
                print(f"core {cpu}  {1000 * (s - start):+7.2f} .. {1000 * (e - start):+7.2f} ms  ran   {g}")
        for a, b, g in sorted(waits):
            if b > start - 0.005 and a < end and b - a > 0.001:
                print(f"        {1000 * (a - start):+7.2f} .. {1000 * (b - start):+7.2f} ms  waited {g}")
        print("```\n")


if __name__ == "__main__":
    main()
