"""Every range the guard refuses, IPv4 and IPv6, and the public addresses it allows."""

from __future__ import annotations

import pytest

from bot.ingest import _addresses as a
from bot.ingest._addresses import refusal_reason

REFUSED = [
    # IPv4
    ("127.0.0.1", a.LOOPBACK),
    ("127.255.255.254", a.LOOPBACK),
    ("10.0.0.5", a.PRIVATE),
    ("172.16.0.1", a.PRIVATE),
    ("172.31.255.255", a.PRIVATE),
    ("192.168.1.1", a.PRIVATE),
    ("169.254.1.1", a.LINK_LOCAL),
    ("169.254.169.254", a.METADATA),
    ("100.64.0.1", a.SHARED),
    ("100.127.255.254", a.SHARED),
    ("224.0.0.1", a.MULTICAST),
    ("239.255.255.250", a.MULTICAST),
    ("240.0.0.1", a.RESERVED),
    ("255.255.255.255", a.BROADCAST),
    ("0.0.0.0", a.UNSPECIFIED),
    ("0.1.2.3", a.UNSPECIFIED),
    ("192.0.0.8", a.RESERVED),
    ("192.0.2.10", a.RESERVED),
    ("198.18.0.1", a.RESERVED),
    ("198.51.100.7", a.RESERVED),
    ("203.0.113.9", a.RESERVED),
    ("192.88.99.1", a.RESERVED),
    # IPv6
    ("::1", a.LOOPBACK),
    ("::", a.UNSPECIFIED),
    ("fc00::1", a.PRIVATE),
    ("fd12:3456:789a::1", a.PRIVATE),
    ("fe80::1", a.LINK_LOCAL),
    ("fe80::1%eth0", a.LINK_LOCAL),
    ("febf:ffff::1", a.LINK_LOCAL),
    ("fec0::1", a.PRIVATE),
    ("ff02::1", a.MULTICAST),
    ("ff0e::1", a.MULTICAST),
    ("2001:db8::1", a.RESERVED),
    ("2001::1", a.RESERVED),  # Teredo
    ("100::1", a.RESERVED),
    ("::2", a.RESERVED),
    ("4000::1", a.RESERVED),  # outside 2000::/3, unassigned
    ("64:ff9b:1::1", a.PRIVATE),  # local-use NAT64
    ("fd00:ec2::254", a.METADATA),  # AWS metadata over IPv6
    # IPv6 addresses that reach an IPv4 one are judged by it
    ("::ffff:127.0.0.1", a.LOOPBACK),
    ("::ffff:10.0.0.1", a.PRIVATE),
    ("::ffff:169.254.169.254", a.METADATA),
    ("::ffff:100.64.0.1", a.SHARED),
    ("::ffff:0.0.0.0", a.UNSPECIFIED),
    ("64:ff9b::7f00:1", a.LOOPBACK),  # NAT64 of 127.0.0.1
    ("64:ff9b::a00:5", a.PRIVATE),  # NAT64 of 10.0.0.5
    ("2002:7f00:1::1", a.LOOPBACK),  # 6to4 of 127.0.0.1
    ("2002:c0a8:101::1", a.PRIVATE),  # 6to4 of 192.168.1.1
]

ALLOWED = [
    "8.8.8.8",
    "93.184.215.14",
    "1.1.1.1",
    "100.63.255.255",  # just below the shared range
    "100.128.0.0",  # just above it
    "172.15.255.255",
    "172.32.0.0",
    "2606:4700:4700::1111",
    "2001:4860:4860::8888",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",  # NAT64 of 8.8.8.8
    "2002:808:808::1",  # 6to4 of 8.8.8.8
]


@pytest.mark.parametrize(("address", "kind"), REFUSED)
def test_refused_address_is_named_by_its_range(address: str, kind: str) -> None:
    assert refusal_reason(address) == kind


@pytest.mark.parametrize("address", ALLOWED)
def test_public_address_is_allowed(address: str) -> None:
    assert refusal_reason(address) is None


def test_every_refusal_kind_is_covered() -> None:
    kinds = {
        a.LOOPBACK,
        a.PRIVATE,
        a.LINK_LOCAL,
        a.METADATA,
        a.SHARED,
        a.MULTICAST,
        a.RESERVED,
        a.UNSPECIFIED,
        a.BROADCAST,
    }
    assert {kind for _, kind in REFUSED} == kinds
