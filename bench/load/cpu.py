"""Who used the CPU during the load test, for bench/LOAD.md (bench/load/run.sh starts it
in the background before locust and stops it with SIGTERM after).

    .venv/bin/python bench/load/cpu.py OUT.json --gunicorn PID --database NAME

Samples every process twice a second and writes, when stopped, the CPU-seconds used
since it started by gunicorn (master and workers), the PostgreSQL backends serving
--database, locust, and everything else on the machine (the rest of the machine's busy
time: anything else running at the same time shows there). A PostgreSQL backend that
ends between two samples loses at most its last half second.
"""

import argparse
import json
import signal
import time
from pathlib import Path

import psutil  # comes with locust


def busy_seconds() -> float:
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


class Watch:
    def __init__(self, gunicorn: int, database: str):
        self.gunicorn = gunicorn
        self.database = database
        self.first = {}  # (pid, create time) → CPU-seconds when first seen
        self.last = {}
        self.kind = {}
        self.started = time.time()
        self.busy = busy_seconds()
        self.sample(baseline=True)

    def classify(self, process, ancestors) -> str | None:
        cmdline = " ".join(process.info["cmdline"] or [])
        if self.gunicorn in ancestors:
            return "gunicorn"
        if cmdline.startswith("postgres:") and f" {self.database} " in f"{cmdline} ":
            return "postgres"
        if "locust" in cmdline:
            return "locust"
        return None

    def sample(self, baseline=False):
        for process in psutil.process_iter(["pid", "ppid", "cmdline", "create_time", "cpu_times"]):
            info = process.info
            if info["cpu_times"] is None:
                continue
            key = (info["pid"], info["create_time"])
            seconds = info["cpu_times"].user + info["cpu_times"].system
            if key not in self.kind:
                ancestors = {info["pid"], info["ppid"]}
                self.kind[key] = self.classify(process, ancestors)
                self.first[key] = seconds if baseline else 0.0
            self.last[key] = seconds

    def result(self) -> dict:
        used = {"gunicorn": 0.0, "postgres": 0.0, "locust": 0.0}
        for key, kind in self.kind.items():
            if kind:
                used[kind] += self.last[key] - self.first[key]
        busy = busy_seconds() - self.busy
        return {
            "seconds": time.time() - self.started,
            "cpus": psutil.cpu_count(),
            "machine_busy": busy,
            **used,
            "other": busy - sum(used.values()),
        }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--gunicorn", type=int, required=True, help="the master's pid")
    parser.add_argument("--database", required=True)
    args = parser.parse_args(argv)
    watch = Watch(args.gunicorn, args.database)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    while not stopping:
        time.sleep(0.5)
        watch.sample()
    args.out.write_text(json.dumps(watch.result()))


if __name__ == "__main__":
    main()
