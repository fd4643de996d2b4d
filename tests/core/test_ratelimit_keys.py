"""The rate limit counts per client and cannot be dodged with a forged X-Forwarded-For."""

from django.test import RequestFactory, override_settings

from iop_finder.core.ratelimit import client_address
from tests.support.redis_server import throwaway_redis


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


def test_limits_are_counted_in_redis_when_redis_url_is_set():
    """With REDIS_URL every app server and worker shares one count (a throw-away Redis server
    that this test starts on a free port and stops after)."""
    import redis
    from django.core.cache import caches

    from iop_finder.core.ratelimit import hit

    with throwaway_redis() as url:
        redis_cache = {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        }
        with override_settings(CACHES=redis_cache, RATE_LIMITS={"test-scope": 3}):
            request = request_with("192.0.2.7")
            assert [hit(request, "test-scope") for _ in range(4)] == [True, True, True, False]
            keys = [key.decode() for key in redis.Redis.from_url(url).keys("*")]
            assert len(keys) == 1 and "ratelimit" in keys[0] and "test-scope" in keys[0], keys
            caches["default"].close()
