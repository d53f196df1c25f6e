"""Pinduoduo open platform (POP)."""

from shop_connectors.pinduoduo.client import PddClient
from shop_connectors.pinduoduo.requestor import PddEndpoints, PddRequestor
from shop_connectors.pinduoduo.signing import sign_pdd

__all__ = ["PddClient", "PddEndpoints", "PddRequestor", "sign_pdd"]
