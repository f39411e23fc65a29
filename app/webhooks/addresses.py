"""Where a webhook may go: only to public internet addresses, checked after DNS resolution.

A company's admin chooses the URL, so without this check Intyga would POST on their behalf to
anything our servers can reach: the cloud's metadata service (169.254.169.254), the database,
Redis, admin interfaces on private ranges. The name is resolved and every address it resolves to
must be public, at registration and again at every delivery, and the delivery connects to an
address that was checked (a name that resolves differently a moment later changes nothing).
Outside production, internal addresses are allowed for development.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any

from requests import Session
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

Resolver = Callable[[str, int], list[str]]
_LOCAL_SUFFIX = ".localhost"
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class InternalAddressError(Exception):
    """The host is, or resolves to, an address that is not on the public internet."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} resolves to the internal address {address}")
        self.host, self.address = host, address


class UnresolvableError(Exception):
    """The host has no address (now): at registration a refusal, at delivery a retry."""


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public(address: str) -> bool:
    """Global unicast only; IPv6 forms that carry an IPv4 address are judged by that address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public(str(embedded))
    return ip.is_global and not ip.is_multicast


def public_addresses(host: str, port: int, resolve: Resolver = system_resolver) -> list[str]:
    """Every address of `host`, all public; raises InternalAddressError or UnresolvableError."""
    name = host.rstrip(".").lower()
    if name == "localhost" or name.endswith(_LOCAL_SUFFIX):
        raise InternalAddressError(host, name)
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise UnresolvableError(host) from exc
    if not addresses:
        raise UnresolvableError(host)
    for address in addresses:
        if not is_public(address):
            raise InternalAddressError(host, address)
    return addresses


class _PublicOnly:
    """Connects only to checked addresses; TLS still verifies the certificate for the name."""

    resolve: Resolver = staticmethod(system_resolver)
    # Set by urllib3's connections:
    _dns_host: str
    port: int
    timeout: Any
    source_address: Any
    socket_options: Any

    def _new_conn(self) -> socket.socket:
        addresses = public_addresses(self._dns_host, self.port, self.resolve)
        failure: OSError | None = None
        for address in addresses:
            try:
                sock = socket.create_connection(
                    (address, self.port), self.timeout, source_address=self.source_address
                )
            except TimeoutError as exc:
                raise ConnectTimeoutError(
                    self, f"connecting to {self._dns_host} timed out"
                ) from exc
            except OSError as exc:
                failure = exc
                continue
            for option in self.socket_options or ():
                sock.setsockopt(*option)
            return sock
        raise NewConnectionError(self, f"cannot connect to {self._dns_host}: {failure}")  # type: ignore[arg-type]


def public_only_session(resolve: Resolver = system_resolver) -> Session:
    """A requests session that reaches public addresses only, and ignores proxy settings from
    the environment (a proxy would reach the inside for us)."""

    class Http(_PublicOnly, HTTPConnection):
        pass

    class Https(_PublicOnly, HTTPSConnection):
        pass

    Http.resolve = Https.resolve = staticmethod(resolve)

    class HttpPool(HTTPConnectionPool):
        ConnectionCls = Http

    class HttpsPool(HTTPSConnectionPool):
        ConnectionCls = Https

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": HttpPool, "https": HttpsPool}

    session = Session()
    session.trust_env = False
    session.mount("http://", Adapter())
    session.mount("https://", Adapter())
    return session
