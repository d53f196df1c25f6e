"""Marketplace connectors for Taobao (TOP), Pinduoduo and JD.

Pure Python, no Django. Each platform is layered client -> requestor -> transport; the
shared dataclasses live in `shop_connectors.models` and the typed errors in
`shop_connectors.errors`. `shop_connectors.sandbox` is an independent stand-in for the three
gateways and shares no code with the clients.
"""

from shop_connectors.errors import (
    AuthError,
    ConnectorError,
    InvalidRequest,
    NotFound,
    RateLimited,
    RemoteUnavailable,
)

__all__ = [
    "AuthError",
    "ConnectorError",
    "InvalidRequest",
    "NotFound",
    "RateLimited",
    "RemoteUnavailable",
]
