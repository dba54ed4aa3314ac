"""Which URLs khabar agrees to fetch: http(s) only, no credentials, public addresses only.

    check_url(url, allow_private=...)   scheme + credentials + host resolution, raises UnsafeURL
    check_scheme(url)                   the scheme and credentials part alone (no DNS)
    address_problem(ip)                 why an address is refused, or None for a public one

A host is resolved with ``socket.getaddrinfo`` and *every* answer must be public: one private
answer is enough to refuse, since the connection may land on any of them. Addresses embedded in
IPv6 forms (IPv4-mapped, NAT64, 6to4, Teredo) are checked as the IPv4 address they carry. The
fetcher calls this before the first request and again on every redirect hop, and the HTTP API
reuses it for URLs users submit.
"""
from __future__ import annotations

import ipaddress
import socket
from typing import Any, Callable, Sequence
from urllib.parse import SplitResult, urlsplit

from ..errors import FetchError, UnsafeURL

ALLOWED_SCHEMES = ("http", "https")
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# getaddrinfo's signature: (host, port, family, type, ...) -> [(family, type, proto, canon, sockaddr)]
Resolver = Callable[..., Sequence[tuple[Any, ...]]]


def check_scheme(url: str) -> SplitResult:
    """Parse ``url`` and refuse anything but http(s) with a host and without user:password."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # raises ValueError on a bad port
    except ValueError as err:
        raise UnsafeURL(f"not a valid URL ({err})", source=url) from err
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = scheme + ":" if scheme else "no scheme"
        raise UnsafeURL(f"scheme {shown} is not allowed; only http and https are fetched", source=url)
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL("URLs with credentials (user:password@) are refused", source=url)
    if not parts.hostname:
        raise UnsafeURL("the URL has no host", source=url)
    if port == 0:
        raise UnsafeURL("port 0 is not a valid port", source=url)
    return parts


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4, Teredo client), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def address_problem(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be fetched from ("loopback", "private", ...), or None if it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            return address_problem(inner)
    checks = (
        ("loopback", ip.is_loopback),
        ("link-local (cloud metadata lives here)", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("not globally routable", not ip.is_global),
    )
    for name, hit in checks:
        if hit:
            return name
    return None


def resolve(host: str, port: int, resolver: Resolver = socket.getaddrinfo) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal resolves to itself without DNS)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        answers = resolver(host, port, 0, socket.SOCK_STREAM)
    except (OSError, UnicodeError) as err:
        raise FetchError(f"cannot resolve host {host} ({err})") from err
    found: list[IPAddress] = []
    for answer in answers:
        addr = str(answer[4][0]).split("%", 1)[0]  # drop an IPv6 zone id
        ip = ipaddress.ip_address(addr)
        if ip not in found:
            found.append(ip)
    if not found:
        raise FetchError(f"host {host} has no address")
    return found


def check_host(host: str, port: int, resolver: Resolver = socket.getaddrinfo) -> list[IPAddress]:
    """Resolve ``host`` and refuse it if any answer is not a public address."""
    addresses = resolve(host, port, resolver)
    for ip in addresses:
        problem = address_problem(ip)
        if problem is not None:
            literal = host.strip("[]") == str(ip)
            what = f"address {ip} is" if literal else f"host {host} resolves to {ip},"
            raise UnsafeURL(f"{what} a {problem} address; refused "
                            "(allow_private_addresses / --allow-private to fetch from it)")
    return addresses


def check_url(url: str, *, allow_private: bool = False,
              resolver: Resolver = socket.getaddrinfo) -> SplitResult:
    """Refuse ``url`` unless it is http(s), has no credentials and its host is public.

    With ``allow_private`` the address check (and so the DNS look-up) is skipped. Raises
    ``UnsafeURL`` (or ``FetchError`` when the host does not resolve), naming the URL.
    """
    parts = check_scheme(url)
    if allow_private:
        return parts
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        check_host(parts.hostname or "", port, resolver)
    except FetchError as err:
        err.source = url
        raise
    return parts
