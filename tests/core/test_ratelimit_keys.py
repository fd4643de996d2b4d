"""The rate limit counts per client and cannot be dodged with a forged X-Forwarded-For."""

from django.test import RequestFactory, override_settings

from iop_finder.core.ratelimit import client_address


def request_with(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(RATE_LIMIT_TRUSTED_PROXIES=0)
def test_without_trusted_proxies_the_header_is_ignored():
    assert client_address(request_with("10.0.0.5", "1.2.3.4")) == "10.0.0.5"


@override_settings(RATE_LIMIT_TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_entry_it_appended_is_used_not_a_forged_one():
    # The client sent "6.6.6.6"; the proxy appended the address it saw, 203.0.113.9.
    assert client_address(request_with("10.0.0.2", "6.6.6.6, 203.0.113.9")) == "203.0.113.9"
    assert client_address(request_with("10.0.0.2", "203.0.113.9")) == "203.0.113.9"


@override_settings(RATE_LIMIT_TRUSTED_PROXIES=2)
def test_behind_two_proxies():
    forwarded = "6.6.6.6, 203.0.113.9, 10.0.0.7"
    assert client_address(request_with("10.0.0.2", forwarded)) == "203.0.113.9"


def test_limits_are_counted_in_redis_when_redis_url_is_set(rf):
    """With REDIS_URL every app server and worker shares one count (the machine's Redis)."""
    import uuid

    import pytest
    import redis
    from django.core.cache import caches

    from iop_finder.core.ratelimit import hit

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("no Redis server at 127.0.0.1:6379 (CI machines run one)")
    redis_cache = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    scope = f"test-{uuid.uuid4().hex}"
    with override_settings(CACHES=redis_cache, RATE_LIMITS={scope: 3}):
        request = request_with(f"192.0.2.{uuid.uuid4().int % 250}")
        assert [hit(request, scope) for _ in range(4)] == [True, True, True, False]
        assert any(scope in key.decode() for key in redis.Redis.from_url(url).keys("*ratelimit*"))
        caches["default"].clear()
