"""Which IP addresses the bot may connect to on a member's behalf: public unicast only.

The tables are explicit rather than `ipaddress.is_global` alone, because what that
property answers has changed between Python patch releases and it says nothing about
addresses that embed an IPv4 one (IPv4-mapped, NAT64, 6to4), which reach the embedded
address. `is_global` is still checked last, as a second opinion.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

IPAddress = IPv4Address | IPv6Address

LOOPBACK = "a loopback address"
PRIVATE = "a private address"
LINK_LOCAL = "a link-local address"
METADATA = "a cloud metadata address"
SHARED = "a shared (carrier-grade NAT) address"
MULTICAST = "a multicast address"
RESERVED = "a reserved address"
UNSPECIFIED = "an unspecified address"
BROADCAST = "a broadcast address"

_CLOUD_METADATA = {IPv4Address("169.254.169.254"), IPv6Address("fd00:ec2::254")}

# Most specific first: the first match names the refusal.
_IPV4_REFUSED: tuple[tuple[IPv4Network, str], ...] = tuple(
    (IPv4Network(network), kind)
    for network, kind in (
        ("255.255.255.255/32", BROADCAST),
        ("0.0.0.0/32", UNSPECIFIED),
        ("0.0.0.0/8", UNSPECIFIED),  # "this network"
        ("10.0.0.0/8", PRIVATE),
        ("100.64.0.0/10", SHARED),
        ("127.0.0.0/8", LOOPBACK),
        ("169.254.0.0/16", LINK_LOCAL),
        ("172.16.0.0/12", PRIVATE),
        ("192.0.0.0/24", RESERVED),  # IETF protocol assignments
        ("192.0.2.0/24", RESERVED),  # documentation
        ("192.88.99.0/24", RESERVED),  # retired 6to4 relay anycast
        ("192.168.0.0/16", PRIVATE),
        ("198.18.0.0/15", RESERVED),  # benchmarking
        ("198.51.100.0/24", RESERVED),  # documentation
        ("203.0.113.0/24", RESERVED),  # documentation
        ("224.0.0.0/4", MULTICAST),
        ("240.0.0.0/4", RESERVED),
    )
)

_IPV6_REFUSED: tuple[tuple[IPv6Network, str], ...] = tuple(
    (IPv6Network(network), kind)
    for network, kind in (
        ("::/128", UNSPECIFIED),
        ("::1/128", LOOPBACK),
        ("64:ff9b:1::/48", PRIVATE),  # local-use NAT64
        ("::/8", RESERVED),  # includes the deprecated IPv4-compatible ::/96
        ("100::/64", RESERVED),  # discard-only
        ("2001::/23", RESERVED),  # IETF protocol assignments, Teredo included
        ("2001:db8::/32", RESERVED),  # documentation
        ("3fff::/20", RESERVED),  # documentation
        ("5f00::/16", RESERVED),  # segment routing
        ("fc00::/7", PRIVATE),  # unique local
        ("fe80::/10", LINK_LOCAL),
        ("fec0::/10", PRIVATE),  # deprecated site-local
        ("ff00::/8", MULTICAST),
    )
)

_NAT64 = IPv6Network("64:ff9b::/96")
_GLOBAL_UNICAST = IPv6Network("2000::/3")


def refusal_reason(address: IPAddress | str) -> str | None:
    """Why the bot must not connect to `address` ("a private address"...), or None if public."""
    ip = ip_address(address) if isinstance(address, str) else address
    if ip in _CLOUD_METADATA:
        return METADATA
    if isinstance(ip, IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return refusal_reason(embedded)
        for network, kind in _IPV6_REFUSED:
            if ip in network:
                return kind
        if ip not in _GLOBAL_UNICAST:  # everything else outside 2000::/3 is unassigned
            return RESERVED
    else:
        for network4, kind in _IPV4_REFUSED:
            if ip in network4:
                return kind
    return None if ip.is_global else RESERVED


def _embedded_ipv4(ip: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 one reaches through (mapped, NAT64, 6to4), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour
