"""`antrean-web` (also `antrean web`): the visitors' pages for one branch, served by uvicorn."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from types import FrameType

import uvicorn

from shared.cli.context import CommandContext, CommandError
from web.app import create_app, load_branch, queue_watch
from web.live import QueueWatch


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="antrean-web",
        description="Antrean's pages for visitors' phones: ticket status, survey, booking.",
    )
    parser.add_argument("--database", default=None, help="store URL (default: as `antrean`)")
    parser.add_argument("--branch", default=None, help="branch code (default: the only one)")
    parser.add_argument("--host", default=None, help="address to listen on (default: [web] host)")
    parser.add_argument("--port", type=int, default=None, help="port (default: [web] port)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    context = CommandContext(args.database, args.branch, role="web")
    try:
        config = load_branch(context.store, context.branch_code())
    except (CommandError, LookupError) as error:
        print(f"antrean-web: {error}", file=sys.stderr)
        return 2
    app = create_app(context.store, config)
    # uvicorn's own access log prints paths, which hold ticket tokens and booking codes;
    # the guard logs the route pattern instead.
    server = StreamEndingServer(
        uvicorn.Config(
            app,
            host=args.host or config.web.host,
            port=args.port or config.web.port,
            access_log=False,
            timeout_graceful_shutdown=3,
            log_level="info",
        ),
        queue_watch(app),
    )
    server.run()
    context.close()
    return 0


class StreamEndingServer(uvicorn.Server):
    """Ends the phones' live status streams as soon as shut-down begins: uvicorn waits for
    open connections before the app's own shut-down runs, and a stream never ends by itself."""

    def __init__(self, config: uvicorn.Config, watch: QueueWatch) -> None:
        super().__init__(config)
        self.watch = watch

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.watch.begin_closing()
        super().handle_exit(sig, frame)


if __name__ == "__main__":
    sys.exit(main())
