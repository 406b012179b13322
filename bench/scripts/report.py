#!/usr/bin/env python3
"""Writes bench/RESULTS.md from the measurements of one run of bench/run.sh.

usage: report.py RESULTS_DIR OUT.md [WHAT_BOUNDS_IT.md]
RESULTS_DIR holds measurements.jsonl (one JSON object per line), profile-early.md and profile-late.md
if profiled, diagnose.md if bench/diagnose.sh ran, and ab.md if bench/scripts/ab.sh ran (added at the end, with ab-postgres.md and idle-ab.md when present).
"""
import json
import os
import statistics
import sys

TARGET_RPS = 5000
TARGET_ADDED_P50_MS = 1.0
TARGET_ADDED_P99_MS = 5.0
TARGET_IDLE_STREAMS = 10000
TARGET_HEAP_MIB = 1024
TARGET_STARTUP_MS = 5000
BUSY_LOAD_PER_CORE = 3.5  # a 1-minute load above this many per core before a run means other work was running

HEAD = ("| connections | direct req/s | relay req/s | relay / direct | relay req/s, each run | direct p50 / p90 / p99 ms"
        " | relay p50 / p90 / p99 ms | added p50 / p90 / p99 ms | relay CPU ms per request | non-2xx |")
RULE = "|---:|---:|---:|---:|---|---|---|---|---:|---:|"


def load(results_dir):
    rows = []
    with open(os.path.join(results_dir, "measurements.jsonl")) as f:
        for line in f:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return rows


def rps(run):
    w = run["wrk"]
    return w["requests"] / max(w.get("duration_us", 1), 1) * 1e6


def errors(run):
    w = run["wrk"]
    return sum(w.get(k, 0) for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ms(us):
    return None if us is None else us / 1000.0


def fmt(v, digits=1, unit=""):
    if v is None:
        return "–"
    return f"{v:,.{digits}f}{unit}"


def met(ok):
    return "**met**" if ok else "**not met**"


class Report:
    def __init__(self, rows, profiles, bounds_md, diagnose_md="", ab_md="", summary_md=""):
        self.summary_md = summary_md
        self.profiles = profiles
        self.diagnose_md = diagnose_md
        self.ab_md = ab_md
        self.rows = rows
        self.meta = next((r for r in rows if r["kind"] == "meta"), {})
        self.runs = [r for r in rows if r["kind"] == "wrk"]
        self.bounds_md = bounds_md
        self.out = []

    def w(self, line=""):
        self.out.append(line)

    def matrix(self, target, conns, stream, phase="matrix"):
        return [r for r in self.runs if r["phase"] == phase and r["target"] == target
                and r["connections"] == conns and r["stream"] == stream]

    def summary(self, target, conns, stream, phase="matrix"):
        runs = self.matrix(target, conns, stream, phase)
        if not runs:
            return None
        return {
            "rps": med([rps(r) for r in runs]),
            "p50": med([ms(r["wrk"].get("p50_us")) for r in runs]),
            "p90": med([ms(r["wrk"].get("p90_us")) for r in runs]),
            "p99": med([ms(r["wrk"].get("p99_us")) for r in runs]),
            "n": len(runs),
            "rps_all": [rps(r) for r in runs],
            "non2xx": sum(r["wrk"].get("non2xx", 0) for r in runs),
            "errors": sum(errors(r) for r in runs),
            "load": [r["loadavg"].split()[0] for r in runs],
            "cpu_ms_per_req": med([1000 * r["relay_cpu_s"] / max(r["wrk"]["requests"], 1) for r in runs])
            if target.startswith("relay") else None,
            "mock_cpu_ms_per_req": med([1000 * r["mock_cpu_s"] / max(r["wrk"]["requests"], 1) for r in runs]),
            "busy": med([r.get("machine_busy_pct") for r in runs]),
        }

    def render(self):
        m = self.meta
        flagged = [r for r in self.runs if r["wrk"].get("non2xx", 0) > 0 or errors(r) > 0 or r["wrk"]["requests"] == 0]
        self.w("# Relay Cluster benchmark results")
        self.w()
        if self.summary_md:
            self.w(self.summary_md.strip())
            self.w()
        self.w("Written by `bench/run.sh` (see `bench/README.md`); every number below comes from the run described here."
               " Direct = wrk straight to the mock upstream; relay = the same requests through one relay node"
               " with key auth, admission (key concurrency lease), sticky sessions, the account lease and usage"
               " persistence all on. Each figure is the median of the repetitions; runs were interleaved"
               " (direct, relay, direct, relay, …).")
        self.w()
        if m.get("quick"):
            self.w("> **Quick run (`--quick`)**: one short repetition per figure; a smoke check, not a measurement.")
            self.w()
        if flagged:
            self.w(f"> **FLAGGED**: {len(flagged)} wrk run(s) had non-2xx answers or socket errors; see the run log below.")
            self.w()
        cores = m.get("nproc") or 2
        busy = [r for r in self.runs if r["phase"] == "matrix" and float(r["loadavg"].split()[0]) > BUSY_LOAD_PER_CORE * cores]
        if busy:
            self.w(f"> **Busy machine**: before {len(busy)} of {len([r for r in self.runs if r['phase'] == 'matrix'])} measured runs the"
                   f" 1-minute load average was above {BUSY_LOAD_PER_CORE * cores:g} ({BUSY_LOAD_PER_CORE:g} per core; this harness alone"
                   " keeps it near 4), so other work shared the cores; compare those runs with care.")
            self.w()
        self.w("| | |")
        self.w("|---|---|")
        self.w(f"| date | {m.get('started', '?')} |")
        self.w(f"| command | `{m.get('command', 'bash bench/run.sh')}` |")
        self.w(f"| machine | {m.get('nproc', '?')} cores ({m.get('cpu', '?')}), {m.get('mem_gib', '?')} GiB, Linux {m.get('kernel', '?')} |")
        self.w(f"| load average at start | {' '.join(m.get('loadavg_start', []))} (per run below) |")
        if m.get("damon"):
            self.w(f"| the kernel's DAMON | {m['damon']} |")
        if m.get("key_limits"):
            self.w(f"| the key's limits besides concurrency | `{m['key_limits']}` |")
        self.w(f"| software | {m.get('java', '?')}; {m.get('wrk', '?')} |")
        self.w(f"| relay | `relay-node.jar` built {m.get('jar_built', '?')} (source tree when the run started: {m.get('git', '?')}); one node, embedded H2, started by `deploy/run-node.sh` (parallel collector, class-data archive) with `-Xmx{m.get('relay_heap', '?')}` |")
        self.w(f"| method | {m.get('reps', '?')} repetitions × {m.get('run_seconds', '?')} s per figure; wrk with 1 thread at 1 connection, else 2; one sticky session per connection; mock, relay and wrk share the same {m.get('nproc', '?')} cores |")
        self.w()
        self.targets()
        self.streaming()
        self.nonstreaming()
        self.paced()
        self.clients()
        self.ttfb()
        self.startup()
        self.idle()
        self.cluster()
        self.usage()
        self.mock_alone()
        self.run_log()
        titles = {"early": "right after the warm-up, journal still small",
                  "late": "after the measured runs, the journal holding all of them"}
        for name, md in self.profiles:
            prof = [r for r in self.runs if r["phase"] == "profile-" + name]
            self.w(f"## Profile of the relay under load, {titles.get(name, name)} (JFR)")
            self.w()
            if prof:
                p = prof[0]
                self.w(f"Recorded with `jcmd <pid> JFR.start settings=profile` during {p['seconds']} s of streaming at "
                       f"{p['connections']} connections through the relay ({rps(p):,.0f} req/s during the recording, "
                       f"{1000 * p['relay_cpu_s'] / max(p['wrk']['requests'], 1):.2f} ms relay CPU per request). "
                       f"Summarised by `dev.relaycluster.bench.JfrTop`; the recording is `bench/results/relay-{name}.jfr`.")
                self.w()
            self.w(md.strip().replace("\n**", "\n#### ").replace("**\n", "\n"))
            self.w()
        if self.bounds_md:
            self.w(self.bounds_md.strip())
            self.w()
        if self.diagnose_md:
            text = self.diagnose_md.strip().replace("\n## ", "\n### ")
            self.w("## Appendix: " + text[2:] if text.startswith("# ") else text)
            self.w()
        if self.ab_md:
            self.w(self.ab_md.strip())
            self.w()
        return "\n".join(self.out) + "\n"

    def targets(self):
        self.w("## Targets (issue 4)")
        self.w()
        self.w("| target | measured | |")
        self.w("|---|---|---|")
        best = None
        for c in sorted({r["connections"] for r in self.runs if r["phase"] == "matrix" and r["stream"]}):
            s = self.summary("relay", c, True)
            if s and (best is None or s["rps"] > best[1]):
                best = (c, s["rps"])
        if best:
            self.w(f"| ≥ {TARGET_RPS:,} streaming req/s through one node | {best[1]:,.0f} req/s (best, at {best[0]} connections) | {met(best[1] >= TARGET_RPS)} |")
        d, r = self.summary("direct", 64, True), self.summary("relay", 64, True)
        if d and r:
            a50, a99 = r["p50"] - d["p50"], r["p99"] - d["p99"]
            self.w(f"| added latency at 64 connections: p50 ≤ {TARGET_ADDED_P50_MS:g} ms | {a50:+,.2f} ms (relay {r['p50']:,.2f} − direct {d['p50']:,.2f}) | {met(a50 <= TARGET_ADDED_P50_MS)} |")
            self.w(f"| added latency at 64 connections: p99 ≤ {TARGET_ADDED_P99_MS:g} ms | {a99:+,.2f} ms (relay {r['p99']:,.2f} − direct {d['p99']:,.2f}) | {met(a99 <= TARGET_ADDED_P99_MS)} |")
        d, r = self.summary("direct", 64, True, "paced"), self.summary("relay", 64, True, "paced")
        if d and r:
            a50, a99 = r["p50"] - d["p50"], r["p99"] - d["p99"]
            load = f"paced, about {r['rps']:,.0f} req/s"
            self.w(f"| the same, {load}: p50 ≤ {TARGET_ADDED_P50_MS:g} ms | {a50:+,.2f} ms (relay {r['p50']:,.2f} − direct {d['p50']:,.2f}) | {met(a50 <= TARGET_ADDED_P50_MS)} |")
            self.w(f"| the same, {load}: p99 ≤ {TARGET_ADDED_P99_MS:g} ms | {a99:+,.2f} ms (relay {r['p99']:,.2f} − direct {d['p99']:,.2f}) | {met(a99 <= TARGET_ADDED_P99_MS)} |")
        idle = next((x for x in self.rows if x["kind"] == "idle"), None)
        if idle:
            opened = idle.get("client", {}).get("open", 0)
            heap = (idle.get("heap_used_kib") or 0) / 1024
            requested = idle.get("requested", idle["count"])
            if opened >= TARGET_IDLE_STREAMS:
                live = (idle.get("heap_live_kib") or 0) / 1024
                self.w(f"| {TARGET_IDLE_STREAMS:,} open streams on one node, heap < 1 GiB | {opened:,} open; live heap after GC {live:,.0f} MiB (used before it {heap:,.0f} MiB) | {met(live < TARGET_HEAP_MIB)} |")
            elif requested < TARGET_IDLE_STREAMS:
                self.w(f"| {TARGET_IDLE_STREAMS:,} open streams on one node, heap < 1 GiB | only {requested:,} asked for in this run: {opened:,} open, live heap {(idle.get('heap_live_kib') or 0) / 1024:,.0f} MiB | **not measured** |")
            else:
                per = self.per_stream_kib(idle)
                live = (idle.get("heap_live_kib") or 0) / 1024
                est = None
                extra = ""
                if per is not None:
                    est = live + per * (TARGET_IDLE_STREAMS - opened) / 1024
                    extra = f"; at the measured {per:,.1f} KiB per stream, {TARGET_IDLE_STREAMS:,} would need about {est:,.0f} MiB live"
                capped = idle["count"] < requested
                why = (f" (the most this sandbox allows: open-files limit {idle.get('nofile')}, two sockets per relayed stream)"
                       if capped else "")
                if capped and opened == idle["count"] and est is not None:
                    verdict = "**not measurable here**; extrapolated " + ("met" if est < TARGET_HEAP_MIB else "not met")
                else:
                    verdict = met(False)
                self.w(f"| {TARGET_IDLE_STREAMS:,} open streams on one node, heap < 1 GiB | {opened:,} open{why}; live heap after GC {live:,.0f} MiB, used {heap:,.0f} MiB{extra} | {verdict} |")
        st = self.startup_ms("small-journal")
        plain = self.startup_ms("small-journal-no-archive")
        if st:
            v = med(st)
            without = (f"; {fmt(med(plain), 0, ' ms')} without the archive (median of {len(plain)})" if plain else "")
            self.w(f"| start-up to first served request < 5 s | {fmt(v, 0, ' ms')} (median of {len(st)}: restarts of a node with a small journal, started with the class-data archive as the README and the image start it{without}) | {met(v < TARGET_STARTUP_MS)} |")
        elif plain:
            v = med(plain)
            self.w(f"| start-up to first served request < 5 s | {fmt(v, 0, ' ms')} (median of {len(plain)}, without the class-data archive: its training failed in this run) | {met(v < TARGET_STARTUP_MS)} |")
        full = next((x for x in self.rows if x["kind"] == "startup" and x["label"] == "full-journal"), None)
        if full:
            v = full.get("ms")
            self.w(f"| the same, restarting on the journal this run wrote | {fmt(v, 0, ' ms') if v is not None else 'never'} ({full.get('journal', '?')}) | {met(v is not None and v < TARGET_STARTUP_MS)} |")
        self.w()

    def streaming(self):
        self.w("## Streaming requests (about 3.5 KB SSE answer, no delay)")
        self.w()
        self.w(HEAD)
        self.w(RULE)
        for c in sorted({r["connections"] for r in self.runs if r["phase"] == "matrix" and r["stream"]}):
            self.pair_row(c, True)
        self.w()
        self.w("Added latency = relay − direct for the same percentile. With a fixed number of connections each"
               " waiting for its answer (closed loop), latency is roughly connections ÷ throughput, so a relay that"
               " saturates the cores shows its missing throughput as added latency.")
        self.w()

    def paced(self):
        if not self.matrix("relay", 64, True, "paced"):
            return
        think = self.meta.get("paced_think_ms", "?")
        self.w("## Paced streaming at 64 connections (the relay's own latency, not a queue)")
        self.w()
        self.w(f"Each connection waits a random 0.5–1.5 × {think} ms before each request (wrk's `delay()`; the"
               " wait is not in the latencies), so the offered load stays below what the relay can serve and the"
               " added latency is the work of the relay path itself. The closed-loop rows above measure the"
               " same connections with no wait, where a saturated machine queues.")
        self.w()
        self.w(HEAD)
        self.w(RULE)
        self.pair_row(64, True, "paced")
        self.w()

    def pair_row(self, c, stream, phase="matrix"):
        d, r = self.summary("direct", c, stream, phase), self.summary("relay", c, stream, phase)
        if not d or not r:
            return
        ratio = r["rps"] / d["rps"] if d["rps"] else None
        added = f"{r['p50'] - d['p50']:+,.2f} / {r['p90'] - d['p90']:+,.2f} / {r['p99'] - d['p99']:+,.2f}"
        each = " / ".join(f"{x:,.0f}" for x in r["rps_all"])
        self.w(f"| {c} | {d['rps']:,.0f} | {r['rps']:,.0f} | {fmt(ratio, 3)} | {each} | {d['p50']:,.2f} / {d['p90']:,.2f} / {d['p99']:,.2f}"
               f" | {r['p50']:,.2f} / {r['p90']:,.2f} / {r['p99']:,.2f} | {added} | {fmt(r['cpu_ms_per_req'], 2)} | {d['non2xx'] + r['non2xx']} |")

    def nonstreaming(self):
        if not self.matrix("relay", 64, False):
            return
        self.w("## Non-streaming requests (JSON answer) at 64 connections")
        self.w()
        self.w(HEAD)
        self.w(RULE)
        self.pair_row(64, False)
        self.w()

    def clients(self):
        pairs = [("direct client (the default)", self.summary("relay-direct", 64, True, "client-compare")),
                 ("pekko-http pooled client", self.summary("relay-pekko", 64, True, "client-compare"))]
        if not all(p for _, p in pairs):
            return
        self.w("## The two upstream clients, streaming at 64 connections")
        self.w()
        self.w("The same node and journal started alternately with `relay.upstream.client = direct` and"
               " `= pekko-http`, each time warmed up for the same time and then measured, repeated; everything else"
               " as in the matrix. Proxied accounts always use pekko-http's client.")
        self.w()
        self.w("| upstream client | req/s (median) | each run | p50 / p90 / p99 ms | relay CPU ms per request | non-2xx |")
        self.w("|---|---|---|---|---|---|")
        for name, s in pairs:
            self.w(f"| {name} | {s['rps']:,.0f} | {' / '.join(f'{x:,.0f}' for x in s['rps_all'])} |"
                   f" {s['p50']:,.2f} / {s['p90']:,.2f} / {s['p99']:,.2f} | {fmt(s['cpu_ms_per_req'], 2)} | {s['non2xx']} |")
        self.w()

    def cluster(self):
        skipped = next((x for x in self.rows if x["kind"] == "cluster-skipped"), None)
        d, c = self.summary("direct-c", 64, True), self.summary("cluster", 64, True)
        if not skipped and not (d and c):
            return
        self.w("## Three nodes behind nginx (PostgreSQL + Redis), streaming at 64 connections")
        self.w()
        if skipped:
            self.w(f"Not measured in this run: {skipped['reason']}.")
            self.w()
            return
        self.w("`deploy/local/start-cluster.sh`: three nodes joined by seed list, journal on PostgreSQL, sessions in"
               " Redis, nginx round-robin in front; one key and one account, so every request's admission and lease"
               " cross the cluster to the node that hosts that entity. All of it, plus the mock and wrk, on the same"
               f" {self.meta.get('nproc', '?')} cores, so this shows what the cluster costs, not what three machines give.")
        self.w()
        self.w("| | req/s (median) | each run | p50 / p90 / p99 ms | non-2xx | load before each run |")
        self.w("|---|---|---|---|---|---|")
        for name, s in (("direct to the mock", d), ("through the cluster", c)):
            self.w(f"| {name} | {s['rps']:,.0f} | {' / '.join(f'{x:,.0f}' for x in s['rps_all'])} |"
                   f" {s['p50']:,.2f} / {s['p90']:,.2f} / {s['p99']:,.2f} | {s['non2xx']} | {', '.join(s['load'])} |")
        self.w()

    def ttfb(self):
        t = [x for x in self.rows if x["kind"] == "ttfb"]
        if not t:
            return
        delay = t[0]["delay_ms"]
        self.w(f"## Time to first byte, delayed stream (20 deltas, one every {delay} ms)")
        self.w()
        self.w("One new connection per request (curl `time_starttransfer`), direct and relay interleaved.")
        self.w()
        self.w("| | samples | first byte median ms | first byte p90 ms | whole answer median ms | non-200 |")
        self.w("|---|---:|---:|---:|---:|---:|")
        vals = {}
        for target in ("direct", "relay"):
            xs = [x for x in t if x["target"] == target]
            fb = sorted(1000 * x["first_byte_s"] for x in xs if x["status"] == 200)
            tot = [1000 * x["total_s"] for x in xs if x["status"] == 200]
            bad = sum(1 for x in xs if x["status"] != 200)
            p90 = fb[min(len(fb) - 1, int(round(0.9 * (len(fb) - 1))))] if fb else None
            vals[target] = (med(fb), p90, med(tot))
            self.w(f"| {target} | {len(xs)} | {fmt(med(fb), 2)} | {fmt(p90, 2)} | {fmt(med(tot), 1)} | {bad} |")
        if all(vals[k][0] is not None for k in vals):
            self.w(f"| **added by the relay** | | {vals['relay'][0] - vals['direct'][0]:+,.2f} | {vals['relay'][1] - vals['direct'][1]:+,.2f} | {vals['relay'][2] - vals['direct'][2]:+,.1f} | |")
        self.w()

    def startup_ms(self, label):
        return [x["ms"] for x in self.rows if x["kind"] == "startup" and x["label"] == label and x.get("ms") is not None]

    def startup(self):
        s = [x for x in self.rows if x["kind"] == "startup"]
        if not s:
            return
        self.w("## Start-up to first served request")
        self.w()
        self.w("From launching the node to the first `POST /v1/messages` answered 200 (polled every 20 ms); each row is one start, in the order they ran.")
        self.w("Every start goes through `deploy/run-node.sh`, as the README's does. With the archive: the class-data archive trained for that jar by `ClassArchiveTraining`, as `mvn package` does, passed as `-XX:SharedArchiveFile`. Without: `RELAY_CLASS_ARCHIVE=off`, the same as `java -XX:+UseParallelGC -jar relay-node.jar`.")
        self.w()
        self.w("| node | journal at start | ms |")
        self.w("|---|---|---:|")
        names = {"small-journal": "restart after setup (one account, one key, one request), with the archive",
                 "small-journal-no-archive": "restart after setup (one account, one key, one request), without the archive",
                 "full-journal": "restart after the load runs (every request of the run is in the journal), with the archive"}
        for x in s:
            self.w(f"| {names.get(x['label'], x['label'])} | {x.get('journal', '?')} | {fmt(x.get('ms'), 0)} |")
        self.w()

    def idle(self):
        i = next((x for x in self.rows if x["kind"] == "idle"), None)
        if not i:
            return
        c = i.get("client", {})
        kib = lambda v: fmt((v or 0) / 1024, 0, " MiB") if v is not None else "–"
        self.w(f"## {i['count']:,} open idle streams on one node")
        self.w()
        if i["count"] < i.get("requested", i["count"]):
            self.w(f"{i.get('requested'):,} were asked for; this sandbox's hard open-files limit is {i.get('nofile')} and cannot be"
                   " raised (no CAP_SYS_RESOURCE), and each relayed stream holds two sockets in the node (client and"
                   f" upstream), so {i['count']:,} is the most one node can hold here.")
            self.w()
        self.w("The mock answers each stream's first events (message_start, content_block_start, ping) and then holds it;"
               " `dev.relaycluster.bench.IdleStreams` opens them through the relay over one NIO selector (500 at a time)"
               " and keeps them open, reading slowly. The node ran with pekko-http's connection limits raised (see"
               " `IDLE_NODE_OPTS` in `bench/run.sh`): with the defaults a node takes at most 1,024 client connections"
               " and 256 pooled connections per upstream host.")
        self.w()
        self.w(f"The node ran with `-Xmx{self.meta.get('idle_relay_heap', '?')}` so that it shows what it needs; the target is"
               " judged on the live heap after a full GC (`jcmd GC.run`), since the heap in use before it also holds garbage"
               " that a smaller heap would have collected.")
        self.w()
        self.w("| | |")
        self.w("|---|---|")
        self.w(f"| streams open (status 200 and message_start received) | {c.get('open', 0):,} of {i['count']:,}; failed {c.get('failed', 0):,}{(' ' + json.dumps(c['failures'])) if c.get('failures') else ''}; opened in {c.get('rampSeconds', '?')} s |")
        self.w(f"| streams the mock held open at the same time | {i.get('mock_open')} |")
        self.w(f"| heap used (jcmd GC.heap_info) | {kib(i.get('heap_used_kib'))} (committed {kib(i.get('heap_committed_kib'))}) |")
        self.w(f"| live heap after a full GC | {kib(i.get('heap_live_kib'))} (before the streams: {kib(i.get('base_live_kib'))}) |")
        self.w(f"| RSS (VmRSS) | {kib(i.get('rss_kib'))} (before the streams: {kib(i.get('base_rss_kib'))}) |")
        per = self.per_stream_kib(i)
        self.w(f"| live heap per open stream | {fmt(per, 1, ' KiB')} |")
        self.w(f"| relay threads / file descriptors | {i.get('threads')} / {i.get('fds')} |")
        self.w(f"| relay CPU while the streams idle | {i.get('idle_cpu_pct')} % of one core |")
        rel = i.get("release_ms")
        self.w(f"| upstream streams released after the client closed all of them | "
               + (f"all within {rel:,} ms (the node notices a gone client at its next write: the mock pings every {i.get('ping_ms', '?')} ms)"
                  if rel is not None else f"**{i.get('mock_open_after_close')} still open** at the mock {((i.get('ping_ms') or 0) + 20000) // 1000} s later") + " |")
        self.w()

    @staticmethod
    def per_stream_kib(i):
        opened = i.get("client", {}).get("open")
        if i.get("heap_live_kib") and i.get("base_live_kib") and opened:
            return (i["heap_live_kib"] - i["base_live_kib"]) / opened
        return None

    def usage(self):
        latest = next((x for x in self.rows if x["kind"] == "usage_latest"), None)
        count = next((x for x in self.rows if x["kind"] == "usage_count"), None)
        if not latest and not count:
            return
        self.w("## Did the relay really do the work? (usage recorded)")
        self.w()
        served = sum(r["wrk"]["requests"] for r in self.runs if r["target"] == "relay")
        self.w(f"wrk received {served:,} complete answers through the relay over all relay runs (warm-up, matrix, profile)."
               " The node has no request counter in `/health`, so the proof is what it persisted:")
        self.w()
        if latest:
            resp = latest.get("response") or {}
            data = resp.get("data") if isinstance(resp, dict) else None
            if data:
                d = data[0]
                self.w(f"- newest row of `GET /admin/api/usage/requests?keyId=…&limit=1` during the run: model `{d.get('model')}`,"
                       f" stream {d.get('stream')}, input {d.get('inputTokens')} / output {d.get('outputTokens')} /"
                       f" cache read {d.get('cacheReadTokens')} / cache write 5m {d.get('cacheWrite5mTokens')} tokens,"
                       f" cost {d.get('costUsd')} USD, status {d.get('status')}, outcome {d.get('outcome')},"
                       f" {d.get('durationMs')} ms (first byte {d.get('firstByteMs')} ms).")
            else:
                self.w(f"- `GET /admin/api/usage/requests?keyId=…&limit=1` answered: `{json.dumps(resp)[:300]}`")
        if count and count.get("counts"):
            k = count["counts"]
            carried = k.get('usageRecords', k.get('usageEvents', 0))
            self.w(f"- in the node's H2 file after it stopped: {k.get('usageEvents', 0):,} usage events in the journal"
                   f" carrying {carried:,} requests' usage (one event per batch write of the key),"
                   f" {k.get('requestLogRows', 0):,} rows in the projected request log ({k.get('streamRows', 0):,} streamed),"
                   f" {k.get('outputTokens', 0):,} output tokens, {k.get('costMicros', 0) / 1e6:,.2f} USD in all.")
            self.w(f"- request-log rows by outcome and status: `{json.dumps(k.get('byOutcome', {}))}`")
        rl = next((x for x in self.rows if x["kind"] == "relay_log"), None)
        if rl:
            self.w(f"- the node's logs: {rl['stash_full']:,} × \"Stash buffer is full, dropping message … Settle\" (the key entity"
                   f" overflowing when thousands of streams end together), {rl['usage_not_recorded']:,} usage records given up,"
                   f" {rl['errors']:,} ERROR lines.")
        if count and count.get("counts"):
            self.w("- Events exceed wrk's count by the requests in flight when each wrk run stopped (recorded as"
                   " CLIENT_DISCONNECTED), the probes, the start-up polls and the idle streams. Request-log rows lag the"
                   " events when the projection had not caught up before the node stopped.")
        self.w()

    def mock_alone(self):
        a = [r for r in self.runs if r["phase"] == "mock-alone"]
        if not a:
            return
        self.w("## The mock alone (before any relay process started)")
        self.w()
        self.w("| connections | req/s | p50 / p90 / p99 ms | mock CPU ms per request | machine busy |")
        self.w("|---:|---:|---|---:|---:|")
        for r in a:
            x = r["wrk"]
            self.w(f"| {r['connections']} | {rps(r):,.0f} | {ms(x['p50_us']):,.2f} / {ms(x['p90_us']):,.2f} / {ms(x['p99_us']):,.2f}"
                   f" | {1000 * r['mock_cpu_s'] / max(x['requests'], 1):.3f} | {r.get('machine_busy_pct', 0):.0f} % |")
        self.w()
        self.w("The mock needs a small fraction of a core per thousand requests, so it is not what limits the relay runs.")
        self.w()

    def run_log(self):
        self.w("## Every run")
        self.w()
        self.w("| phase | target | conns | stream | rep | load avg (1/5/15 min) before | machine busy | relay CPU s | mock CPU s | req/s | p50 / p90 / p99 ms | non-2xx | socket errors |")
        self.w("|---|---|---:|---|---:|---|---:|---:|---:|---:|---|---:|---:|")
        for r in self.runs:
            x = r["wrk"]
            if x.get("requests", 0) == 0:
                self.w(f"| {r['phase']} | {r['target']} | {r['connections']} | {r['stream']} | {r['rep']} | {r['loadavg']} | | | | 0 | no result | | |")
                continue
            self.w(f"| {r['phase']} | {r['target']} | {r['connections']} | {r['stream']} | {r['rep']} | {r['loadavg']} | {r.get('machine_busy_pct', 0):.0f} % |"
                   f" {r['relay_cpu_s']:.1f} | {r['mock_cpu_s']:.1f} | {rps(r):,.0f} | {ms(x['p50_us']):,.2f} / {ms(x['p90_us']):,.2f} / {ms(x['p99_us']):,.2f} |"
                   f" {x.get('non2xx', 0)} | {errors(r)} |")
        self.w()


def main():
    results_dir, out = sys.argv[1], sys.argv[2]
    bounds = sys.argv[3] if len(sys.argv) > 3 else None
    rows = load(results_dir)
    profiles = []
    for name in ("early", "late"):
        path = os.path.join(results_dir, f"profile-{name}.md")
        if os.path.exists(path):
            profiles.append((name, open(path).read()))
    bounds_md = open(bounds).read() if bounds and os.path.exists(bounds) else ""
    diag_path = os.path.join(results_dir, "diagnose.md")
    diagnose_md = open(diag_path).read() if os.path.exists(diag_path) else ""
    # A hand-written summary of the latest targets, put first when present.
    summary_path = os.path.join(results_dir, "summary.md")
    summary_md = open(summary_path).read() if os.path.exists(summary_path) else ""
    # The old-against-new runs (ab.sh on H2, and with --postgres), and the idle-streams pair (idle-ab.sh).
    ab_md = "\n\n".join(open(os.path.join(results_dir, name)).read().strip()
                         for name in ("ab.md", "ab-postgres.md", "idle-ab.md")
                         if os.path.exists(os.path.join(results_dir, name)))
    with open(out, "w") as f:
        f.write(Report(rows, profiles, bounds_md, diagnose_md, ab_md, summary_md).render())


if __name__ == "__main__":
    main()
