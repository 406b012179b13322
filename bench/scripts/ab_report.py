#!/usr/bin/env python3
"""Writes the markdown section for one run of bench/scripts/ab.sh (old relay jar against new, and the nginx floor).

usage: ab_report.py AB.jsonl OUT.md
Figures are medians over the repetitions (one fresh node per jar and repetition). Added latency is the
relay's percentile minus the direct percentile, both medians over the direct runs made in the same jar's
sessions (each direct run right before its relay run).
"""
import json
import statistics
import sys

DISTURBED_S = 2.0


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def rps(r):
    w = r["wrk"]
    return w["requests"] / max(w.get("duration_us", 1), 1) * 1e6


def errors(r):
    w = r["wrk"]
    return sum(w.get(k, 0) for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))


def other_cpu(r, nproc):
    """CPU seconds the machine spent beyond the relay and the mock during a run: wrk, and any other work."""
    return r["machine_busy_pct"] / 100.0 * nproc * r["seconds"] - r["relay_cpu_s"] - r["mock_cpu_s"]


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def p(r, pct):
    return r["wrk"].get(f"p{pct}_us", 0) / 1000.0


def f0(v):
    return "–" if v is None else f"{v:,.0f}"


def f2(v, sign=False):
    if v is None:
        return "–"
    return f"{v:+,.2f}" if sign else f"{v:,.2f}"


class Ab:
    def __init__(self, rows):
        self.meta = next((r for r in rows if r["kind"] == "meta"), {})
        self.runs = [r for r in rows if r["kind"] == "wrk"]
        self.latest = [r for r in rows if r["kind"] == "usage_latest"]
        self.logs = {r.get("jar"): r for r in rows if r["kind"] == "relay_log"}
        self.gc = [r for r in rows if r["kind"] == "gc"]
        self.out = []
        nproc = self.meta.get("nproc") or 2
        for r in self.runs:
            r["other_s"] = other_cpu(r, nproc)
        # A run is flagged when other work took the cores: its CPU beyond relay and mock is more than
        # DISTURBED_S above the lowest of the same measurement in the other repetitions (wrk's own share
        # is about the same in each).
        groups = {}
        for r in self.runs:
            if r["phase"] != "warmup":
                groups.setdefault((r.get("api", "messages"), r["phase"], r["target"], r["connections"]), []).append(r)
        for g in groups.values():
            low = min(x["other_s"] for x in g)
            for x in g:
                x["disturbed"] = len(g) > 1 and x["other_s"] > low + DISTURBED_S

    def w(self, line=""):
        self.out.append(line)

    def sel(self, api, phase, target, conns):
        return [r for r in self.runs if r.get("api", "messages") == api and r["phase"] == phase
                and r["target"] == target and r["connections"] == conns and r["stream"] is True]

    def stats(self, api, phase, target, conns):
        runs = self.sel(api, phase, target, conns)
        if not runs:
            return None
        cpu = [1000 * r["relay_cpu_s"] / max(r["wrk"]["requests"], 1) for r in runs]
        return {"runs": runs, "rps": med([rps(r) for r in runs]), "each": [rps(r) for r in runs],
                "p50": med([p(r, 50) for r in runs]), "p99": med([p(r, 99) for r in runs]),
                "p50s": [p(r, 50) for r in runs], "p99s": [p(r, 99) for r in runs],
                "cpu": med(cpu), "non2xx": sum(r["wrk"].get("non2xx", 0) for r in runs),
                "errors": sum(errors(r) for r in runs)}

    def pair(self, api, jar, conns, paced):
        phase = ("paced-" if paced else "ab-") + jar
        return self.stats(api, phase, jar, conns), self.stats(api, phase, "direct", conns)

    def render(self):
        def damon(meta):
            return f", the kernel's DAMON {meta['damon']}" if meta.get("damon") else ""

        def limits(meta):
            return f" (also `{meta['key_limits']}`)" if meta.get("key_limits") else ""

        def jvm(side):
            return f"; its node also given `{side['jvm']}`" if side.get("jvm") else ""
        m = self.meta
        old, new = m.get("old", {}), m.get("new", {})
        store = ", PostgreSQL" if m.get("store") == "postgres" else ""
        self.w(f"## Old jar against new{store} ({m.get('started', '?')[:16].replace('T', ' ')} UTC)")
        self.w()
        if m.get("quick"):
            self.w("> **Smoke check** (`--quick`): 1 repetition of 3 s runs after 5 s of warm-up; the numbers do not mean anything.")
            self.w()
        self.w(f"Written by `bash bench/run.sh --ab OLD_JAR` (`bench/scripts/ab.sh`). Two relay jars on the same machine in the "
               f"same run: **old** = `{old.get('name')}` (`{old.get('source')}`, sha256 {old.get('sha256')}…{jvm(old)}), **new** = "
               f"`{new.get('name')}` (`{new.get('source')}`, sha256 {new.get('sha256')}…{jvm(new)}). Per repetition each jar gets a fresh "
               f"node (embedded H2 in a new data dir, `deploy/run-node.sh`: parallel collector, the class-data archive trained "
               f"for that jar, `-Xmx{m.get('relay_heap')}`), one `claude-console` account on the mock and one key{limits(m)}, "
               f"{m.get('warmup_seconds')} s of warm-up streaming at 64 connections, then {m.get('run_seconds')} s runs: "
               f"streaming `POST /v1/messages` at 1 and 64 connections and paced at 64 (each connection waits 0.5–1.5 × "
               f"{m.get('paced_think_ms')} ms before each request), every relay run right after a direct run to the mock. "
               f"The jars take turns: old then new, the next repetition new then old, {m.get('reps')} repetitions. "
               f"At 64 connections a bare nginx `proxy_pass` to the mock is measured too (the floor). "
               f"Each node then also gets an `openai-api` and a `gemini-api` account on the same mock and, after {m.get('responses_warmup_seconds')} s "
               f"of warm-up each, streams OpenAI Responses (Codex's headers; the mock's answer is 10,251 bytes of Responses SSE against "
               f"3,569 for Messages) and the Gemini API (7,776 bytes). Store: {'PostgreSQL on 127.0.0.1 (a fresh database per node)' if m.get('store') == 'postgres' else 'embedded H2'}. Medians over the repetitions; "
               f"added = relay − direct of the same jar's sessions. Machine: {m.get('nproc')} cores ({m.get('cpu')}), "
               f"{m.get('java')}, load average at start {' '.join(m.get('loadavg_start', []))}{damon(m)}; mock, relay and wrk share the cores.")
        self.w()
        self.claude()
        self.floor()
        self.pauses()
        self.dialects()
        self.usage()
        self.every_run()
        return "\n".join(self.out) + "\n"

    def claude(self):
        self.w("### Streamed Claude (Anthropic Messages), old jar against new")
        self.w()
        self.w("| load | jar | relay req/s | relay req/s, each run | relay p50 / p99 ms | each run p50 / p99 ms | direct p50 / p99 ms"
               " | added p50 / p99 ms | relay CPU ms per request | non-2xx / errors |")
        self.w("|---|---|---:|---|---|---|---|---|---:|---:|")
        verdict = []
        for conns, paced, label in ((1, False, "1 connection"), (64, False, "64 connections"),
                                    (64, True, "64 connections, paced")):
            got = {}
            for jar in ("old", "new"):
                relay, direct = self.pair("messages", jar, conns, paced)
                if not relay:
                    continue
                got[jar] = (relay, direct)
                a50 = relay["p50"] - direct["p50"] if direct else None
                a99 = relay["p99"] - direct["p99"] if direct else None
                relay["a50"], relay["a99"] = a50, a99
                self.w(f"| {label} | {jar} | {f0(relay['rps'])} | {' / '.join(f0(x) for x in relay['each'])} |"
                       f" {f2(relay['p50'])} / {f2(relay['p99'])} |"
                       f" {' · '.join(f'{f2(a)} / {f2(b)}' for a, b in zip(relay['p50s'], relay['p99s']))} |"
                       f" {f2(direct['p50']) if direct else '–'} / {f2(direct['p99']) if direct else '–'} |"
                       f" {f2(a50, True)} / {f2(a99, True)} | {f2(relay['cpu'])} | {relay['non2xx']} / {relay['errors']} |")
            if "old" in got and "new" in got:
                o, n = got["old"][0], got["new"][0]
                inside = min(o["each"]) <= n["rps"] <= max(o["each"]) or n["rps"] >= o["rps"]
                by_rep_o = {r["rep"]: rps(r) for r in o["runs"]}
                pairs = [f"r{r['rep']} {rps(r) / by_rep_o[r['rep']]:.3f}" + (" (disturbed)" if r.get("disturbed") or any(
                    x.get("disturbed") for x in o["runs"] if x["rep"] == r["rep"]) else "")
                    for r in n["runs"] if r["rep"] in by_rep_o]
                verdict.append(f"{label}: new/old req/s {n['rps'] / max(o['rps'], 1e-9):.3f}, by repetition {', '.join(pairs)} (old runs {f0(min(o['each']))}–"
                               f"{f0(max(o['each']))}, new {f0(min(n['each']))}–{f0(max(n['each']))}); added p50 "
                               f"{f2(o['a50'], True)} old vs {f2(n['a50'], True)} new, p99 {f2(o['a99'], True)} vs "
                               f"{f2(n['a99'], True)} ms; relay CPU {f2(o['cpu'])} vs {f2(n['cpu'])} ms per request"
                               + ("" if inside else " — **new median below every old run**"))
        self.w()
        for v in verdict:
            self.w(f"- {v}")
        flagged = [r for r in self.runs if r.get("disturbed")]
        if flagged:
            self.w(f"- other work took the cores during {len(flagged)} measured run(s) (CPU beyond relay and mock more than "
                   f"{DISTURBED_S:.0f} s above the same measurement's lowest in the other repetitions; they stay in the medians): "
                   + "; ".join(f"{r.get('api', 'messages')} {r['phase']} {r['target']} c{r['connections']} r{r['rep']} "
                               f"(+{r['other_s'] - min(x['other_s'] for x in self.runs if x.get('api') == r.get('api') and x['phase'] == r['phase'] and x['target'] == r['target'] and x['connections'] == r['connections']):.1f} s)"
                               for r in flagged))
        self.w()

    def floor(self):
        """Relay against a bare nginx proxy_pass to the same mock, at 64 streaming connections (issue 23's target)."""
        rows = []
        for jar in ("old", "new"):
            relay = self.stats("messages", "ab-" + jar, jar, 64)
            nginx = self.stats("messages", "ab-" + jar, "nginx", 64)
            direct = self.stats("messages", "ab-" + jar, "direct", 64)
            if relay and nginx:
                rows.append((jar, relay, nginx, direct))
        if not rows:
            return
        self.w("### The floor: a bare nginx `proxy_pass` to the same mock, streamed Claude at 64 connections")
        self.w()
        self.w("nginx runs with two workers, kept-alive upstream connections and `proxy_buffering off` (`scripts/nginx.sh`); "
               "in each session its run comes right after the direct run and right before the relay's. Target: relay ≥ 0.3 × nginx.")
        self.w()
        self.w("| jar | direct req/s | nginx req/s | relay req/s | relay / nginx | relay / nginx, by repetition | nginx p50 / p99 ms | relay p50 / p99 ms | relay CPU ms per request | target ≥ 0.3 |")
        self.w("|---|---:|---:|---:|---:|---|---|---|---:|---|")
        for jar, relay, nginx, direct in rows:
            ratio = relay["rps"] / nginx["rps"] if nginx["rps"] else 0
            by_rep = {r["rep"]: rps(r) for r in nginx["runs"]}
            reps = ", ".join(f"r{r['rep']} {rps(r) / by_rep[r['rep']]:.3f}" for r in relay["runs"] if by_rep.get(r["rep"]))
            self.w(f"| {jar} | {f0(direct['rps']) if direct else '–'} | {f0(nginx['rps'])} | {f0(relay['rps'])} | {ratio:.3f} | {reps} |"
                   f" {f2(nginx['p50'])} / {f2(nginx['p99'])} | {f2(relay['p50'])} / {f2(relay['p99'])} | {f2(relay['cpu'])} |"
                   f" {'met' if ratio >= 0.3 else 'not met'} |")
        self.w()

    def pauses(self):
        """The collector's pauses in each node while its Claude runs were measured (1, 64 and paced connections)."""
        if not self.gc:
            return
        self.w("### The collector's pauses during the measured Claude runs")
        self.w()
        self.w("From each node's GC log (`-Xlog:gc`, `scripts/gc_pauses.py`), from the end of its warm-up to the end of its "
               "paced run. A pause stops every request in the node: the paced run's p99 is bound by them. Old gen kept = "
               "heap after a young pause minus heap after the one before, on average: what each young pause promoted that "
               "is still there, which the full pauses collect.")
        self.w()
        self.w("| jar | rep | seconds | young pauses | young mean / median / longest ms | full pauses | full longest / total ms | old gen kept per young pause MB |")
        self.w("|---|---:|---:|---:|---|---:|---|---:|")
        for g in sorted(self.gc, key=lambda g: (g["jar"] != "old", g["rep"])):
            x = g["pauses"]
            y, f = x["young"], x["full"]
            self.w(f"| {g['jar']} | {g['rep']} | {x['seconds']:.0f} | {y['n']} | {f2(y['mean_ms'])} / {f2(y['p50_ms'])} / {f2(y['max_ms'])} |"
                   f" {f['n']} | {f2(f['max_ms'])} / {f2(f['total_ms'])} | {f2(x['old_kept_per_young_mb'])} |")
        self.w()

    def dialects(self):
        """OpenAI Responses and the Gemini API through each jar: the other client dialects, old against new."""
        names = {"responses": ("OpenAI Responses", "openai-api", "`POST /openai/v1/responses`, Codex's headers, `wrk/responses.lua`"),
                 "gemini": ("Gemini API", "gemini-api", "`POST /gemini/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse`, "
                            "`wrk/gemini.lua`")}
        for api, (title, account, how) in names.items():
            rows = []
            for conns in (1, 64):
                for jar in ("old", "new"):
                    relay = self.stats(api, "ab-" + jar, jar, conns)
                    direct = self.stats(api, "ab-" + jar, "direct", conns)
                    if relay:
                        rows.append((conns, jar, relay, direct))
            if not rows:
                continue
            self.w(f"### Streamed {title} through each jar ({account} account on the mock; {how})")
            self.w()
            self.w("| connections | jar | direct req/s | relay req/s | relay / direct | relay req/s, each run | direct p50 / p99 ms"
                   " | relay p50 / p99 ms | added p50 / p99 ms | relay CPU ms per request | non-2xx / errors |")
            self.w("|---:|---|---:|---:|---:|---|---|---|---|---:|---:|")
            for conns, jar, relay, direct in rows:
                ratio = relay["rps"] / direct["rps"] if direct and direct["rps"] else None
                self.w(f"| {conns} | {jar} | {f0(direct['rps']) if direct else '–'} | {f0(relay['rps'])} | {'–' if ratio is None else f'{ratio:.3f}'} |"
                       f" {' / '.join(f0(x) for x in relay['each'])} |"
                       f" {f2(direct['p50']) if direct else '–'} / {f2(direct['p99']) if direct else '–'} |"
                       f" {f2(relay['p50'])} / {f2(relay['p99'])} |"
                       f" {f2(relay['p50'] - direct['p50'], True) if direct else '–'} / {f2(relay['p99'] - direct['p99'], True) if direct else '–'} |"
                       f" {f2(relay['cpu'])} | {relay['non2xx']} / {relay['errors']} |")
            self.w()

    def usage(self):
        if not self.latest and not self.logs:
            return
        self.w("Did the nodes do the work? The newest request-log row of the key after each session's runs "
               "(`GET /admin/api/usage/requests?keyId=…&limit=1`):")
        self.w()
        for x in self.latest:
            resp = x.get("response") or {}
            data = resp.get("data") if isinstance(resp, dict) else None
            if data:
                d = data[0]
                self.w(f"- {x['jar']} jar, repetition {x['rep']}, after the {x['api']} runs: model `{d.get('model')}`, stream "
                       f"{str(d.get('stream')).lower()}, input {d.get('inputTokens')} / output {d.get('outputTokens')} / cache read "
                       f"{d.get('cacheReadTokens')} tokens, cost {d.get('costUsd')} USD, status {d.get('status')}, outcome {d.get('outcome')}")
            else:
                self.w(f"- {x['jar']} jar, repetition {x['rep']}, after the {x['api']} runs: `{json.dumps(resp)[:200]}`")
        for jar in ("old", "new"):
            rl = self.logs.get(jar)
            if rl:
                self.w(f"- the {jar} nodes' logs: {rl['stash_full']} × \"Stash buffer is full\", {rl['usage_not_recorded']} usage "
                       f"records given up, {rl['errors']} ERROR lines")
        self.w()

    def every_run(self):
        self.w("<details><summary>Every run, in order</summary>")
        self.w()
        self.w("| # | api | phase | target | connections | rep | load before | machine busy % | relay CPU s | mock CPU s | other CPU s (wrk and the rest) | req/s | p50 / p90 / p99 ms | non-2xx | errors |")
        self.w("|---:|---|---|---|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---:|")
        for i, r in enumerate(self.runs, 1):
            x = r["wrk"]
            self.w(f"| {i} | {r.get('api', 'messages')} | {r['phase']} | {r['target']} | {r['connections']} | {r['rep']} | {r['loadavg']} |"
                   f" {r['machine_busy_pct']:.0f} | {r['relay_cpu_s']:.1f} | {r['mock_cpu_s']:.1f} |"
                   f" {r['other_s']:.1f}{' **disturbed**' if r.get('disturbed') else ''} | {rps(r):,.0f} |"
                   f" {p(r, 50):,.2f} / {p(r, 90):,.2f} / {p(r, 99):,.2f} | {x.get('non2xx', 0)} | {errors(r)} |")
        self.w()
        self.w("</details>")
        self.w()


def main():
    rows = load(sys.argv[1])
    with open(sys.argv[2], "w") as f:
        f.write(Ab(rows).render())


if __name__ == "__main__":
    main()
