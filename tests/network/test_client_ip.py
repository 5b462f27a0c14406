"""network.client.client_ip: X-Forwarded-For is believed only from a trusted proxy, read from the right."""

from __future__ import annotations

from django.core.cache import cache
from django.test import RequestFactory

import pytest

from events.registration import ratelimit
from network.client import client_ip, parse_address

PROXY = "10.0.0.5"


def request(remote: str = PROXY, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def proxies(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8:ffff::/48"]


def test_no_trusted_proxy_by_default_ignores_the_header(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request(PROXY, "198.51.100.7")) == PROXY


def test_forged_header_from_an_untrusted_client_is_ignored(proxies):
    assert client_ip(request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


def test_one_hop_from_the_trusted_proxy(proxies):
    assert client_ip(request(PROXY, "198.51.100.7")) == "198.51.100.7"


def test_forged_entries_left_of_the_proxys_own_are_ignored(proxies):
    # The client sent "203.0.113.1"; nginx appended the address it saw.
    assert client_ip(request(PROXY, "203.0.113.1, 198.51.100.7")) == "198.51.100.7"


def test_several_trusted_hops_are_skipped_from_the_right(proxies):
    assert client_ip(request(PROXY, "203.0.113.1, 198.51.100.7, 10.0.0.9, 10.0.0.7")) == "198.51.100.7"


def test_every_hop_trusted_gives_the_furthest(proxies):
    assert client_ip(request(PROXY, "10.0.0.8, 10.0.0.9")) == "10.0.0.8"


def test_trusted_proxy_without_the_header_is_the_client(proxies):
    assert client_ip(request(PROXY)) == PROXY
    assert client_ip(request(PROXY, " , ")) == PROXY


def test_ipv6_hops_and_proxies(proxies):
    assert client_ip(request("2001:db8:ffff::1", "2001:db8:1::7")) == "2001:db8:1::7"
    assert client_ip(request("2001:db8:ffff::1", "[2001:db8:1::7]:4711, 2001:db8:ffff::2")) == "2001:db8:1::7"
    assert client_ip(request(PROXY, "2001:DB8:1:0::7")) == "2001:db8:1::7"


def test_ipv4_mapped_addresses_are_ipv4(proxies):
    assert client_ip(request("::ffff:10.0.0.5", "::ffff:198.51.100.7")) == "198.51.100.7"


def test_port_on_an_ipv4_hop(proxies):
    assert client_ip(request(PROXY, "198.51.100.7:51234")) == "198.51.100.7"


@pytest.mark.parametrize(
    "header",
    ["unknown", "198.51.100.7, not-an-ip", "198.51.100.300", "<script>", "198.51.100.7;203.0.113.1", "::zz", "[::1"],
)
def test_garbage_in_the_header_gives_remote_addr(proxies, header):
    assert client_ip(request(PROXY, header)) == PROXY


def test_garbage_beyond_the_first_untrusted_hop_does_not_matter(proxies):
    assert client_ip(request(PROXY, "garbage, 198.51.100.7")) == "198.51.100.7"


def test_too_many_hops_gives_remote_addr(proxies):
    assert client_ip(request(PROXY, ", ".join(["10.0.0.9"] * 30))) == PROXY


def test_remote_addr_that_is_no_address_is_returned_as_it_is(proxies):
    assert client_ip(request("", "198.51.100.7")) == ""


def test_parse_address():
    assert str(parse_address(" 192.0.2.1 ")) == "192.0.2.1"
    assert parse_address("") is None
    assert parse_address("192.0.2.1:80:80") is None


def test_the_registration_rate_limit_counts_the_client_behind_the_proxy(proxies, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "proxy"}}
    settings.REGISTRATION_RATE_LIMIT_PER_IP = 1
    cache.clear()
    assert not ratelimit.exceeded(request(PROXY, "198.51.100.7"))
    assert ratelimit.exceeded(request(PROXY, "203.0.113.1, 198.51.100.7"))
    assert not ratelimit.exceeded(request(PROXY, "198.51.100.8"))
