"""The Redis cache works across processes, and misses instead of failing when Redis is down."""

import os

import pytest
from django.core.cache import caches
from django.test import override_settings

from tests.console import sign_in
from vault.cache.redis import ForgivingRedisCache, cache_answers

DEAD_REDIS = {
    "default": {
        "BACKEND": "vault.cache.redis.ForgivingRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.mark.redis
def test_it_shares_values_between_two_cache_clients_of_one_redis():
    one = ForgivingRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-cache"})
    other = ForgivingRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-cache"})
    one.set("answer", {"n": 42}, 30)
    assert other.get("answer") == {"n": 42}
    assert other.get_many(["answer", "nothing"]) == {"answer": {"n": 42}}
    one.delete("answer")
    assert other.get("answer") is None


@pytest.mark.redis
def test_it_keeps_one_redis_client_per_pool_and_shares_it_between_threads():
    from concurrent.futures import ThreadPoolExecutor

    cache = ForgivingRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-cache-threads"})
    client = cache._cache.get_client()
    assert cache._cache.get_client() is client
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: cache.set(f"k{n}", n, 30), range(200)))
        assert list(pool.map(lambda n: cache.get(f"k{n}"), range(200))) == list(range(200))
    cache.delete_many([f"k{n}" for n in range(200)])


def test_it_misses_instead_of_failing_when_redis_is_down():
    dead = ForgivingRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}}
    )
    assert dead.get("anything", "default") == "default"
    assert dead.get_many(["a", "b"]) == {}
    assert dead.add("a", 1) is False
    dead.set("a", 1)
    dead.set_many({"a": 1})
    assert dead.delete("a") is False


@pytest.mark.django_db
def test_it_keeps_pages_and_sessions_working_when_redis_is_down(client, staff, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    with override_settings(CACHES=DEAD_REDIS):
        sign_in(client, staff)
        assert client.get("/").status_code == 200
        assert client.get("/workers/").status_code == 200
        assert cache_answers() is False
    caches["default"].clear()


@pytest.mark.redis
@pytest.mark.django_db
def test_it_says_the_real_redis_cache_answers():
    with override_settings(CACHES={"default": {**DEAD_REDIS["default"],
                                               "LOCATION": os.environ["REDIS_URL"]}}):  # fmt: skip
        assert cache_answers() is True
