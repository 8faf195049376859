"""Redis through Sentinel (REDIS_SENTINELS): every Redis user follows the master across a failover."""
from __future__ import annotations

import dataclasses

import pytest
import redis

from app.config import ConfigError, load
from app.services.redis_health import RedisBreaker, RedisUnavailable
from tests.conftest import wait_for


def test_sentinel_settings_give_every_redis_user_its_url(monkeypatch, app_env):
    monkeypatch.setenv("REDIS_URL", "redis://:s3cret@10.0.0.5:6379/2")
    monkeypatch.setenv("REDIS_SENTINELS", "198.18.0.10:26379, 198.18.0.20:26379")
    monkeypatch.setenv("REDIS_SENTINEL_MASTER", "taxdesk-main")
    config = load()
    assert config.redis_sentinel_hosts == (("198.18.0.10", 26379), ("198.18.0.20", 26379))
    assert config.limiter_storage_uri == "redis+sentinel://:s3cret@198.18.0.10:26379,198.18.0.20:26379/taxdesk-main"
    assert config.socketio_url == "redis+sentinel://:s3cret@198.18.0.10:26379,198.18.0.20:26379/2/taxdesk-main"
    assert config.rq_dashboard_redis_url == "redis+sentinel://198.18.0.10:26379,198.18.0.20:26379/taxdesk-main/2"


def test_without_sentinels_every_redis_user_keeps_redis_url(monkeypatch, app_env):
    monkeypatch.delenv("REDIS_SENTINELS", raising=False)
    config = load()
    assert config.limiter_storage_uri == config.socketio_url == config.redis_url


@pytest.mark.parametrize("raw", ["198.18.0.10", "198.18.0.10:port", ":26379"])
def test_a_malformed_sentinel_list_is_refused_at_start(monkeypatch, app_env, raw):
    monkeypatch.setenv("REDIS_SENTINELS", raw)
    with pytest.raises(ConfigError, match="REDIS_SENTINELS"):
        load()


def test_a_users_session_data_survives_a_redis_failover(sentinel_set):
    breaker = RedisBreaker(sentinel_set.master.url, 0.3, 0.5, (("127.0.0.1", sentinel_set.port),), "taxdesk")
    breaker.call(lambda r: r.set("session:asha", "signed-in"))
    replica = redis.Redis.from_url(sentinel_set.replica.url)
    wait_for(lambda: replica.get("session:asha"), timeout=10, message="replicated before the master dies")
    sentinel_set.master.kill()

    def write_succeeds() -> bool:
        try:
            breaker.call(lambda r: r.set("after", "1"))
            return True
        except RedisUnavailable:
            return False

    wait_for(write_succeeds, timeout=30, interval=0.2, message="writes reach the promoted replica")
    assert breaker.call(lambda r: r.get("session:asha")) == b"signed-in"
    assert breaker.client.connection_pool.get_master_address()[1] == sentinel_set.replica.port


def test_the_app_limiter_and_socket_queue_follow_sentinel(app, sentinel_set):
    import socketio
    from limits.storage import storage_from_string

    config = dataclasses.replace(app.config["TAXDESK"], redis_url=sentinel_set.master.url,
                                 redis_sentinel_hosts=(("127.0.0.1", sentinel_set.port),))
    storage = storage_from_string(config.limiter_storage_uri, db=0, use_replicas=False)
    assert storage.check()
    manager = socketio.RedisManager(config.socketio_url, channel="taxdesk-test", write_only=True)
    manager._redis_connect()
    assert manager.redis.ping()


def test_the_periodic_job_scheduler_enqueues_on_the_master_the_sentinels_name(sentinel_set, start_process):
    # After a failover REDIS_URL may name the old master, now a read-only replica: the scheduler
    # must still find the master (`rq cron --url` crashed on every start there).
    scheduler = start_process("-m", "jobs.cron", env={
        "REDIS_URL": sentinel_set.replica.url, "REDIS_SENTINELS": f"127.0.0.1:{sentinel_set.port}",
        "REDIS_SENTINEL_MASTER": "taxdesk"})
    master = redis.Redis.from_url(sentinel_set.master.url)
    wait_for(lambda: master.llen("rq:queue:maintenance") >= 2, timeout=30, message="the periodic jobs on the master")
    assert scheduler.alive()
    scheduler.stop()
