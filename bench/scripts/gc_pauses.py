"""The collector's pauses in a node's GC log (-Xlog:gc:file=LOG:time) between two moments, as one JSON object.

    python3 gc_pauses.py LOG FROM_MS TO_MS

FROM_MS and TO_MS are epoch milliseconds. Prints the young and full pauses in that window: their count, mean,
median and longest, the full pauses' total, and how much the old generation kept per young pause on average
(heap after a young pause minus heap after the one before: what was promoted and not collected since), the
fuel of the full pauses.
"""
import datetime
import json
import re
import statistics
import sys

LINE = re.compile(r"\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})[^\]]*\].*? GC\(\d+\) Pause (Young|Full) \([^)]*\) "
                  r"(\d+)M->(\d+)M\(\d+M\) (\d+\.\d+)ms")


def epoch_ms(stamp):
    return datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc).timestamp() * 1000


def summary(path, start, end):
    young, full, kept = [], [], []
    after_previous = None
    with open(path, errors="replace") as f:
        for line in f:
            m = LINE.search(line)
            if not m:
                continue
            at, kind, after, ms = epoch_ms(m.group(1)), m.group(2), int(m.group(4)), float(m.group(5))
            inside = start <= at <= end
            if inside and kind == "Young":
                young.append(ms)
                if after_previous is not None and after >= after_previous:
                    kept.append(after - after_previous)
            elif inside:
                full.append(ms)
            after_previous = after

    def stats(xs):
        return {"n": len(xs), "mean_ms": round(statistics.mean(xs), 2) if xs else None,
                "p50_ms": round(statistics.median(xs), 2) if xs else None, "max_ms": max(xs) if xs else None,
                "total_ms": round(sum(xs), 1)}

    return {"seconds": round((end - start) / 1000, 1), "young": stats(young), "full": stats(full),
            "old_kept_per_young_mb": round(statistics.mean(kept), 2) if kept else None}


if __name__ == "__main__":
    print(json.dumps(summary(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]))))
