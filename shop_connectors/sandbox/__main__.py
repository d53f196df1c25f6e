"""`python -m shop_connectors.sandbox {taobao,pinduoduo,jd} --port N` (0 picks a free port)."""

from __future__ import annotations

import argparse

from shop_connectors.sandbox.server import Gateway, serve
from shop_connectors.sandbox.store import Store


def build(platform: str) -> Gateway:
    store = Store(platform)
    if platform == "taobao":
        from shop_connectors.sandbox.taobao import TaobaoGateway

        return TaobaoGateway(store)
    if platform == "pinduoduo":
        from shop_connectors.sandbox.pinduoduo import PddGateway

        return PddGateway(store)
    from shop_connectors.sandbox.jd import JdGateway

    return JdGateway(store)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m shop_connectors.sandbox")
    parser.add_argument("platform", choices=["taobao", "pinduoduo", "jd"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    serve(build(args.platform), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
