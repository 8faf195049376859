"""The periodic-job scheduler: `python -m jobs.cron`, RQ's cron on the app's own Redis client.

`rq cron` takes one fixed `--url`; under Sentinel that server may become a read-only replica after
a failover, and the scheduler would crash on every start. The app's client asks the sentinels.
"""
from __future__ import annotations

from pathlib import Path

from rq.cron import CronScheduler

CONFIG = Path(__file__).with_name("cron_config.py")


def main() -> None:
    from app import create_app
    from app.extensions import redis_store

    create_app()
    scheduler = CronScheduler(connection=redis_store().client, logging_level="INFO")
    scheduler.load_config_from_file(str(CONFIG))
    scheduler.start()


if __name__ == "__main__":
    main()
