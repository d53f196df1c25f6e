"""Marketplace connectors for Taobao (TOP), Pinduoduo and JD.

Pure Python, no Django. Each platform is layered client -> requestor -> transport; the
shared dataclasses live in `shop_connectors.models` and the typed errors in
`shop_connectors.errors`. `shop_connectors.sandbox` is an independent stand-in for the three
gateways and shares no code with the clients.

Import from the modules themselves (`shop_connectors.errors`, `...taobao.client`): this
package file imports nothing, so the sandbox can run without loading any client code.
"""
