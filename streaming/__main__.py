"""``python -m streaming serve --keys FILE``: the media plane on its own, for trying it by hand.

``python -m streaming conf …`` prints the nginx.conf the same options render, and
``python -m streaming nginx …`` renders it, prepares the folders and replaces itself with
nginx in the foreground (the container's command in docker/compose.yaml; a supervisor's).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from streaming.errors import MediaError
from streaming.nginx_conf import nginx_conf_render
from streaming.nginx_proc import nginx_exec, rtmp_module_path
from streaming.serve import ServeOptions, serve, serve_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m streaming")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("serve", "run nginx and a keys-file callback server"),
                       ("conf", "print the nginx.conf serve would run"),
                       ("nginx", "render the config, exec nginx in the foreground")):  # fmt: skip
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--keys", type=Path, required=name == "serve", default=Path("keys.txt"))
        sub.add_argument("--dir", type=Path, default=Path("var/streaming"))
        sub.add_argument("--host", default="127.0.0.1")
        sub.add_argument("--rtmp-port", type=int, default=1935)
        sub.add_argument("--http-port", type=int, default=8088)
        sub.add_argument("--callback-url", default="http://127.0.0.1:8000/api/v1/live/rtmp")
        sub.add_argument("--secret", default=os.environ.get("STREAMING_CALLBACK_SECRET"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    options = ServeOptions(
        keys_file=args.keys,
        root=args.dir,
        host=args.host,
        rtmp_port=args.rtmp_port,
        http_port=args.http_port,
    )
    try:
        if args.command in ("conf", "nginx"):
            settings = serve_settings(
                options=options, callback_base_url=args.callback_url, secret=args.secret
            )
            if args.command == "nginx":
                nginx_exec(settings=settings)
            sys.stdout.write(nginx_conf_render(settings=settings, module_path=rtmp_module_path()))
            return 0
        return serve(options=options)
    except MediaError as exc:
        logging.getLogger("streaming").error("%s", exc)
        return 2


if __name__ == "__main__":
    sys.exit(main())
