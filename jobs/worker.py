"""RQ worker launcher: `python -m jobs.worker QUEUE [QUEUE ...] [--with-scheduler] [--max-jobs N]`.

Builds the app once in the parent; every forked work horse drops inherited connections
(`os.register_at_fork`). A heartbeat thread keeps a short-lived liveness key, so a SIGKILLed worker's
job is found and requeued by the relay within seconds (RQ's own check waits a minute or more).
A work horse dies with its worker (PR_SET_PDEATHSIG), so a killed worker's job never runs twice at once.
The worker exits gracefully after `--max-jobs` jobs or above `--max-rss-mb`; supervisord restarts it.
"""
from __future__ import annotations

import argparse
import ctypes
import logging
import os
import signal
import socket
import threading
import time
import uuid

from app.services.queues import WORKER_MEMORY_KEY

ALIVE_PREFIX = "taxdesk:worker-alive:"
ALIVE_TTL = 10
PR_SET_PDEATHSIG = 1


def rss_bytes(pid: int | None = None) -> int:
    try:
        with open(f"/proc/{pid or os.getpid()}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _beat(client, name: str) -> None:
    pipe = client.pipeline(transaction=False)
    pipe.set(ALIVE_PREFIX + name, os.getpid(), ex=ALIVE_TTL)
    pipe.hset(WORKER_MEMORY_KEY, name, f"{rss_bytes()} {time.time():.0f}")
    pipe.execute()


def _heartbeat(client, name: str, max_rss_mb: float, stop: threading.Event) -> None:
    log = logging.getLogger("jobs.worker")
    while not stop.wait(3):
        try:
            _beat(client, name)
        except Exception as exc:  # Redis down: RQ itself will wait for it; keep beating
            log.warning("heartbeat failed: %s", exc)
        if max_rss_mb and rss_bytes() > max_rss_mb * 2**20:
            log.warning("worker above %.0f MB, asking for a warm shutdown", max_rss_mb)
            os.kill(os.getpid(), signal.SIGTERM)
            return


def _die_with(parent: int) -> None:
    """Make a work horse die with its worker. RQ puts the horse in its own process group, so a
    SIGKILLed worker would otherwise leave it running the job the relay is about to requeue."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # not Linux: the orphaned horse finishes; the runner's row lock keeps one result
    if os.getppid() != parent:
        os._exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description="TaxDesk RQ worker")
    parser.add_argument("queues", nargs="+")
    parser.add_argument("--with-scheduler", action="store_true")
    # A restart costs about a second of CPU building the app; memory is bounded by --max-rss-mb.
    parser.add_argument("--max-jobs", type=int, default=20000)
    parser.add_argument("--max-rss-mb", type=float, default=float(os.environ.get("WORKER_MAX_RSS_MB", "600")))
    parser.add_argument("--name")
    parser.add_argument("--no-fork", action="store_true",
                        help="run jobs in this process (for short jobs: a fork per job costs more than the job)")
    args = parser.parse_args()

    from rq import Queue, SimpleWorker, Worker
    from sqlalchemy.orm import configure_mappers

    from app import create_app
    from app.extensions import after_fork, redis_store
    from app.realtime import emit

    app = create_app()
    app.app_context().push()
    configure_mappers()  # once here, not again in every forked work horse

    parent = os.getpid()

    def in_child() -> None:
        _die_with(parent)
        after_fork()
        emit.reset_after_fork()

    os.register_at_fork(after_in_child=in_child)
    client = redis_store().client
    name = args.name or f"{socket.gethostname()}.{os.getpid()}.{uuid.uuid4().hex[:6]}"
    while True:
        try:
            client.ping()
            break
        except Exception:
            logging.getLogger("jobs.worker").warning("waiting for redis at %s", redis_store().url)
            time.sleep(1)
    stop = threading.Event()
    threading.Thread(target=_heartbeat, args=(client, name, args.max_rss_mb, stop), daemon=True).start()
    _beat(client, name)
    worker_class = SimpleWorker if args.no_fork else Worker
    worker = worker_class([Queue(q, connection=client) for q in args.queues], connection=client, name=name,
                    job_monitoring_interval=5, maintenance_interval=60)
    try:
        worker.work(with_scheduler=args.with_scheduler, max_jobs=args.max_jobs, logging_level="INFO")
    finally:
        stop.set()
        client.delete(ALIVE_PREFIX + name)
        client.hdel(WORKER_MEMORY_KEY, name)


if __name__ == "__main__":
    main()
