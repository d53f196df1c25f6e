"""Taobao / Tmall open platform (TOP)."""

from shop_connectors.taobao.client import TaobaoClient
from shop_connectors.taobao.requestor import TaobaoEndpoints, TaobaoRequestor
from shop_connectors.taobao.signing import sign_top

__all__ = ["TaobaoClient", "TaobaoEndpoints", "TaobaoRequestor", "sign_top"]
