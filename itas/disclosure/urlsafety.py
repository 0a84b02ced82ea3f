"""Which URLs an agency may give and the link checker may fetch (no SSRF).

Only http and https; no user:password@; no private, loopback, link-local, multicast, reserved
or unspecified addresses — for literal IPs at input time, and for every address a host name
resolves to at fetch time (checked again after each redirect). The setting
ITAS_LINKCHECK_ALLOW_PRIVATE lifts the address rule (tests with a local server only): True for
every address, or a list of "host:port" origins allowed although private.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

MAX_URL_LENGTH = 2000
LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}

# IPv6 ranges that carry or reach an IPv4 address (a private one included) through a relay or a
# translator, and old local ranges that Python's is_global does not refuse: never fetched.
BLOCKED_IPV6 = [
    ipaddress.ip_network(n)
    for n in (
        "2002::/16",  # 6to4: 2002:AABB:CCDD::/48 is the IPv4 address AA.BB.CC.DD
        "2001::/32",  # Teredo: the client's IPv4 address, obfuscated, in the last 32 bits
        "64:ff9b::/96",  # NAT64 well-known prefix: the last 32 bits are the IPv4 address
        "64:ff9b:1::/48",  # NAT64 local-use prefix
        "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
        "::/96",  # IPv4-compatible (deprecated), :: and ::1 included
        "fec0::/10",  # site-local (deprecated, still routed inside some networks)
        "100::/64",  # discard-only
    )
]


class UnsafeURL(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SiteUnreachable(UnsafeURL):
    """The name does not resolve: the site could not be reached, which says nothing about
    it being unsafe (a subclass, so code that refuses what it cannot fetch still does)."""


def is_public_address(ip: str) -> bool:
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped:
            addr = addr.ipv4_mapped
        elif any(addr in net for net in BLOCKED_IPV6):
            return False
    return addr.is_global and not (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_multicast
        or addr.is_reserved
        or addr.is_unspecified
    )


def _literal_ip(host: str):
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    # Shorthand forms browsers accept (http://2130706433/, http://0x7f.1/) resolve via inet_aton.
    try:
        if host and all(part for part in host.split(".")):
            return ipaddress.ip_address(socket.inet_aton(host))
    except OSError:
        pass
    return None


def _allowed(allow_private, host: str, port: int) -> bool:
    if allow_private is True:
        return True
    if not allow_private:
        return False
    return f"{host}:{port}" in {str(o).lower() for o in allow_private}


def validate_url(url: str, *, allow_private=False) -> tuple[str, str, int]:
    """(scheme, host, port) of an acceptable URL, or UnsafeURL with a Thai message."""
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeURL(_("The URL is too long."))
    if any(c.isspace() for c in url):
        raise UnsafeURL(_("A URL cannot contain spaces."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(_("This is not a valid URL.")) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeURL(_("Only web addresses starting with http:// or https:// are accepted."))
    host = (parts.hostname or "").lower()
    if not host or "." not in host and ":" not in host and host not in LOCAL_NAMES:
        raise UnsafeURL(_("This is not a valid URL: the web site's name is missing."))
    if parts.username or parts.password:
        raise UnsafeURL(_("A URL with a user name or password is not accepted."))
    port = port or (443 if scheme == "https" else 80)
    if not _allowed(allow_private, host, port):
        if host in LOCAL_NAMES or host.endswith(".localhost"):
            raise UnsafeURL(_("This URL points to a private or local address."))
        ip = _literal_ip(host)
        if ip is not None and not is_public_address(str(ip)):
            raise UnsafeURL(_("This URL points to a private or local address."))
    return scheme, host, port


def resolve_public(host: str, port: int, *, allow_private=False) -> list[str]:
    """Every address of the host; UnsafeURL if it does not resolve or any is not public."""
    ip = _literal_ip(host)
    if ip is not None:
        addresses = [str(ip)]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise SiteUnreachable(
                _("Could not reach the site: its name does not resolve (DNS).")
            ) from exc
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise SiteUnreachable(_("Could not reach the site: its name does not resolve (DNS)."))
    if not _allowed(allow_private, host, port):
        for a in addresses:
            if not is_public_address(a):
                raise UnsafeURL(_("This URL points to a private or local address."))
    return addresses
