"""JD open platform (JOS)."""

from shop_connectors.jd.client import JdClient
from shop_connectors.jd.requestor import JdEndpoints, JdRequestor
from shop_connectors.jd.signing import sign_jd

__all__ = ["JdClient", "JdEndpoints", "JdRequestor", "sign_jd"]
