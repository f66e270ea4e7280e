"""Many coders at once: a PostgreSQL server project against a SQLite project file.

    python benchmarks/team_bench.py                      # starts a throwaway server (initdb)
    python benchmarks/team_bench.py --url 'postgresql://host/db?project=bench' --coders 20

Each simulated coder is its own process with its own connection (its own PostgreSQL session,
or its own SQLite connection to the shared file) and codes `--actions` spans of one interview,
one user action each (`core.coding.apply_code`: one transaction, logged, captured for undo).
Prints actions per second over the whole run and the p50/p95 latency of one action. The server
runs 2, 5 and 20 coders; the file 2 and 5 writers (SQLite serialises writers on one file lock). Never
run by the test suite.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

TEXT = "\n\n".join(f"Anna: Dette er setning nummer {i} om relasjoner, tillit og tid i arbeidet." for i in range(400))


def setup(target: str) -> None:
    from themecoder.core import documents
    from themecoder.core.project import Project
    from themecoder.io.readers import read_transcript

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "intervju.txt"
        path.write_text(TEXT, encoding="utf-8")
        with Project.create(target, coder="eier") as p:
            documents.add_transcript(p, read_transcript(path))


def coder(target: str, name: str, actions: int, start_at: float, queue) -> None:
    from themecoder import store
    from themecoder.core import coding
    from themecoder.core.project import Project

    with Project.open(target, coder=name) as p:
        doc = store.documents.documents(p.db)[0]
        text = store.documents.document_text(p.db, doc.id)
        code = coding.create_code(p, f"kode {name}")
        while time.time() < start_at:
            time.sleep(0.001)
        latencies = []
        for i in range(actions):
            start = text.index(f"nummer {i} ")
            t0 = time.perf_counter()
            coding.apply_code(p, doc.id, start, start + 9, code.id)
            latencies.append(time.perf_counter() - t0)
    queue.put(latencies)


def run(target: str, coders: int, actions: int) -> tuple[float, float, float, int]:
    queue: mp.Queue = mp.Queue()
    start_at = time.time() + 1.5 + 0.1 * coders  # everyone connected before the gun
    procs = [mp.Process(target=coder, args=(target, f"c{i}", actions, start_at, queue)) for i in range(coders)]
    for p in procs:
        p.start()
    latencies: list[float] = []
    for _ in procs:
        latencies += queue.get()
    end = time.time()
    for p in procs:
        p.join()
    total = len(latencies)
    q = statistics.quantiles(latencies, n=100)
    return total / (end - start_at), q[49] * 1000, q[94] * 1000, total


def report(label: str, result: tuple[float, float, float, int]) -> None:
    rate, p50, p95, total = result
    print(f"{label:<34} {total:>5} actions  {rate:8.1f} actions/s  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="a server project URL to create (default: a throwaway local server)")
    ap.add_argument("--coders", type=int, default=20)
    ap.add_argument("--actions", type=int, default=25, help="actions per coder")
    args = ap.parse_args()
    server = None
    url = args.url
    if url is None:
        from pg_fixtures import PgServer

        server = PgServer()
        url = server.url("bench")
    try:
        from themecoder.store.pg import with_project

        for n in (2, 5, args.coders):
            target = with_project(url, f"bench{n}")
            setup(target)
            report(f"PostgreSQL, {n} coders", run(target, n, args.actions))
    finally:
        if server is not None:
            server.stop()
    for writers in (2, 5):
        with tempfile.TemporaryDirectory() as tmp:
            path = str(Path(tmp) / "bench.themecoder")
            setup(path)
            report(f"SQLite file, {writers} writers", run(path, writers, args.actions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
