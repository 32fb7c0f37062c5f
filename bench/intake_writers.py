"""The intake write path in SQLite alone, without the server (a what-if for
bench/response.sh's findings).

    python3 bench/intake_writers.py MODE THREADS SECONDS [DB]
    python3 bench/intake_writers.py pool 4 10     # e.g.

A fresh database gets the schema of crates/qorgau-store/migrations/*.sql
and the connection settings the server uses (WAL, synchronous = FULL,
busy_timeout 60 s). Each report is what Store::take_signal does: an upsert
of the signal (RETURNING), its two keys, the report row, one transaction.
THREADS clients submit reports as fast as they can for SECONDS:

  pool   every client has its own connection and commits its own report
         (as the server's four pooled connections do): writers meet
         SQLite's write lock and sleep in its busy handler;
  lock   the same, with an in-process lock around each transaction (one
         writer at a time, waiting in a queue instead of sleeping);
  batch  clients hand reports to one writer thread, which commits up to
         256 queued reports per transaction and then answers them all
         (group commit: one fsync for many reports, still durable before
         the answer).

Prints reports/s, p50/p99/max latency and whether every answered report is
stored. Python's GIL and its sqlite3 module add their own overhead, so read
the modes against each other, not against the server's figures.
"""
import glob
import json
import os
import queue
import sqlite3
import sys
import threading
import time
import uuid

mode, n_threads, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
db = sys.argv[4] if len(sys.argv) > 4 else f"/tmp/qorgau-intake-{mode}.db"
for ext in ("", "-wal", "-shm"):
    if os.path.exists(db + ext):
        os.unlink(db + ext)
setup = sqlite3.connect(db)
for path in sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "crates", "qorgau-store", "migrations", "*.sql"))):
    setup.executescript(open(path, encoding="utf-8").read())
setup.close()


def connect():
    c = sqlite3.connect(db, isolation_level=None, check_same_thread=False, timeout=60)
    c.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=60000;")
    return c


def report(c, tag):
    sid = str(uuid.uuid4())
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
    resource = "https://bench.example.kz/ad/" + tag
    c.execute(
        "INSERT INTO signals (id, dedup_key, source, resource, summary, scenario, risk, status, case_id, "
        "first_reported_at, last_reported_at, reports, created_by, agency_id) "
        "VALUES (?, ?, 'partner', ?, ?, 'labour', 0.5, 'new', NULL, ?, ?, 1, 'bench', NULL) "
        "ON CONFLICT (dedup_key) DO UPDATE SET reports = signals.reports + 1, "
        "last_reported_at = excluded.last_reported_at RETURNING id, reports",
        (sid, uuid.uuid5(uuid.NAMESPACE_URL, resource).hex * 2, resource, "Synthetic signal " + tag, now, now),
    ).fetchall()
    c.execute("INSERT INTO signal_keys VALUES (?, 'resource', ?)", (sid, resource))
    c.execute("INSERT INTO signal_keys VALUES (?, 'handle', ?)", (sid, "telegram:bench_" + tag))
    c.execute(
        "INSERT INTO signal_reports VALUES (?, ?, 'partner', ?, 'bench', ?)",
        (str(uuid.uuid4()), sid, now, json.dumps({"resource": resource, "summary": "x" * 120})),
    )
    return sid


latencies, answered_ids = [], []
lock = threading.Lock()
stop = time.time() + seconds
inbox = queue.Queue()


def client(i):
    c = connect() if mode != "batch" else None
    k = 0
    while time.time() < stop:
        k += 1
        tag = f"{i}-{k}"
        t = time.perf_counter()
        if mode == "batch":
            slot = [threading.Event(), None]
            inbox.put((tag, slot))
            slot[0].wait()
            sid = slot[1]
        else:
            if mode == "lock":
                lock.acquire()
            c.execute("BEGIN")
            sid = report(c, tag)
            c.execute("COMMIT")
            if mode == "lock":
                lock.release()
        latencies.append(time.perf_counter() - t)
        answered_ids.append(sid)


def writer():
    c = connect()
    while True:
        batch = [inbox.get()]
        while len(batch) < 256:
            try:
                batch.append(inbox.get_nowait())
            except queue.Empty:
                break
        c.execute("BEGIN IMMEDIATE")
        sids = [report(c, tag) for tag, _ in batch]
        c.execute("COMMIT")
        for (_, slot), sid in zip(batch, sids):
            slot[1] = sid
            slot[0].set()


if mode not in ("pool", "lock", "batch"):
    sys.exit("MODE is pool, lock or batch")
if mode == "batch":
    threading.Thread(target=writer, daemon=True).start()
threads = [threading.Thread(target=client, args=(i,)) for i in range(n_threads)]
t0 = time.time()
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.time() - t0
latencies.sort()
n = len(latencies)
check = sqlite3.connect(db)
check.execute("CREATE TEMP TABLE answered (id TEXT)")
check.executemany("INSERT INTO answered VALUES (?)", [(s,) for s in answered_ids])
missing = check.execute("SELECT COUNT(*) FROM answered WHERE id NOT IN (SELECT signal_id FROM signal_reports)").fetchone()[0]
print(
    f"{mode:5} clients={n_threads:2} reports/s={n / elapsed:6.0f} p50={latencies[n // 2] * 1e3:6.2f} ms "
    f"p99={latencies[int(n * 0.99)] * 1e3:7.2f} ms max={latencies[-1] * 1e3:7.1f} ms answered={n} missing={missing}"
)
