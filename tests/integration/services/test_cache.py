"""The cache-aside service: hits, invalidation per scope, stampede protection, Redis down."""
from __future__ import annotations

import threading

from app.services import cache


def test_a_second_read_is_served_from_the_cache_until_forgotten(client):
    calls = []

    def load():
        calls.append(1)
        return {"n": len(calls)}

    assert cache.get_or_load("dash", 1, "summary", 60, load) == {"n": 1}
    assert cache.get_or_load("dash", 1, "summary", 60, load) == {"n": 1}
    cache.forget("dash", "summary", 1)
    assert cache.get_or_load("dash", 1, "summary", 60, load) == {"n": 2}


def test_forgetting_one_users_entry_leaves_another_users_entries(client):
    cache.get_or_load("dash", 1, "summary", 60, lambda: "one")
    cache.get_or_load("dash", 2, "summary", 60, lambda: "two")
    cache.forget("dash", "summary", 1)
    assert cache.get_or_load("dash", 1, "summary", 60, lambda: "one again") == "one again"
    assert cache.get_or_load("dash", 2, "summary", 60, lambda: "not called") == "two"


def test_concurrent_misses_load_once(client, app):
    loads = []
    gate = threading.Event()

    def slow_load():
        loads.append(1)
        gate.wait(0.3)
        return "value"

    results = []

    def reader():
        with app.app_context():
            results.append(cache.get_or_load("dash", 9, "summary", 60, slow_load))

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["value"] * 8
    assert len(loads) == 1


def test_reads_fall_back_to_the_loader_while_redis_is_down_and_missed_invalidations_apply_later(client, redis_server):
    from app.extensions import redis_store
    from tests.conftest import wait_for

    cache.get_or_load("dash", 3, "summary", 60, lambda: "before")
    redis_server.stop()
    try:
        assert cache.get_or_load("dash", 3, "summary", 60, lambda: "from db") == "from db"
        cache.forget("dash", "summary", 3)
    finally:
        redis_server.start()
        wait_for(lambda: not redis_store().is_open, 10, message="breaker closed")
    assert cache.get_or_load("dash", 3, "summary", 60, lambda: "after") == "after"


def test_forgetting_one_field_keeps_the_scopes_other_fields(client):
    cache.get_or_load("dash", 4, "a", 60, lambda: "a1")
    cache.get_or_load("dash", 4, "b", 60, lambda: "b1")
    cache.forget("dash", "a", 4)
    assert cache.get_or_load("dash", 4, "a", 60, lambda: "a2") == "a2"
    assert cache.get_or_load("dash", 4, "b", 60, lambda: "not called") == "b1"


def test_forgetting_a_field_everywhere_reaches_every_scope_and_only_that_field(client):
    for scope in (5, 6):
        cache.get_or_load("dash", scope, "a", 60, lambda: "old")
        cache.get_or_load("dash", scope, "b", 60, lambda: "kept")
    cache.forget_everywhere("dash", "a")
    for scope in (5, 6):
        assert cache.get_or_load("dash", scope, "a", 60, lambda: "new") == "new"
        assert cache.get_or_load("dash", scope, "b", 60, lambda: "not called") == "kept"


def test_a_prefetched_scope_answers_reads_in_the_request_and_forgetting_a_field_drops_it_from_the_copy(client, app, redis_url):
    import redis

    cache.get_or_load("dash", 7, "a", 60, lambda: "one")
    with app.test_request_context("/"):
        cache.prefetch("dash", 7)
        redis.Redis.from_url(redis_url).hset("cache:dash:7", "a", '"changed elsewhere"')
        assert cache.get_or_load("dash", 7, "a", 60, lambda: "not called") == "one"  # the request's copy
        cache.forget("dash", "a", 7)
        assert cache.get_or_load("dash", 7, "a", 60, lambda: "two") == "two"
        assert cache.get_or_load("dash", 7, "b", 60, lambda: "three") == "three"
        assert cache.get_or_load("dash", 7, "b", 60, lambda: "not called") == "three"


def test_a_field_is_loaded_again_after_its_ttl_even_while_other_fields_keep_the_hash_alive(client, redis_url):
    import json
    import time

    import redis

    r = redis.Redis.from_url(redis_url)
    cache.get_or_load("dash", 8, "row", 300, lambda: "fresh row")
    r.hset("cache:dash:8", "row", json.dumps({"at": time.time() - 301, "v": "stale row"}))
    cache.get_or_load("dash", 8, "count", 60, lambda: 1)  # a later write renews the hash, not the row
    assert r.ttl("cache:dash:8") > 60
    assert cache.get_or_load("dash", 8, "row", 300, lambda: "reloaded") == "reloaded"
