"""`antrean notify`: the worker that sends visitors' messages from the outbox (docs/messages.md).

It runs as the database's owner (the only role that may read visitors' addresses), one per
branch, beside the web service; `make demo` and the deployment units start it.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import signal
import threading
from datetime import timedelta
from types import FrameType

from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from shared.changes.watcher import watch_changes
from shared.cli.context import CommandContext, CommandError
from shared.config import BranchConfig
from shared.notifying.channel import Channel
from shared.notifying.factory import CHANNELS, make_channel
from shared.services import outbox
from shared.services.notify_worker import ChannelSource, NotifyWorker
from shared.store.models import NotificationSubscription, OutboxMessage
from shared.store.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

_DAY = timedelta(days=1)


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    notify = commands.add_parser(
        "notify",
        help="send visitors' messages (Web Push, SMS, WhatsApp) from the outbox",
        description="Run the notify worker until stopped: it wakes on every committed change, "
        "sends what is due with retries and per-channel rate limits, and erases addresses "
        "no longer needed.",
    )
    notify.add_argument("action", nargs="?", choices=["keys"],
                        help="keys: make the branch's Web Push (VAPID) key pair and print its "
                        "public key; left out: run the worker")
    notify.add_argument("--key-file", help="keys: where to write the key pair (default: the "
                        "branch's [channels.web_push] private_key_file)")
    notify.add_argument("--replace", action="store_true",
                        help="keys: replace an existing key pair (every Web Push "
                        "subscription made with the old one stops working)")
    notify.add_argument("--once", action="store_true",
                        help="send what is due now, then stop")
    notify.add_argument("--failed", action="store_true",
                        help="list today's messages that could not be sent, and stop")
    notify.add_argument("--via", action="append", default=[], metavar="NAME=MODULE:CALLABLE",
                        help="carry channel NAME with a channel of your own: CALLABLE(name, "
                        "settings) returns it (a test gateway, a provider not built in)")
    notify.set_defaults(run=run_notify)


def channel_source(overrides: list[str]) -> ChannelSource:
    """The branch's configured channels, with --via overrides."""
    own: dict[str, ChannelSource] = {}
    for spec in overrides:
        name, _, target = spec.partition("=")
        module_name, _, attribute = target.partition(":")
        if name not in CHANNELS or not module_name or not attribute:
            raise CommandError(f"--via {spec!r}: use NAME=MODULE:CALLABLE, NAME one of "
                               f"{', '.join(CHANNELS)}")
        try:
            own[name] = getattr(importlib.import_module(module_name), attribute)
        except (ImportError, AttributeError) as error:
            raise CommandError(f"--via {spec!r}: {error}") from error

    def build(name: str, settings: BranchConfig) -> Channel:
        if name in own:
            return own[name](name, settings)
        return make_channel(name, settings.channels)

    return build


def run_notify(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    code = context.branch_code()
    store = context.store
    if args.action == "keys":
        _make_keys(args, store_uow(context, code), console)
        return
    if args.failed:
        _list_failed(store_uow(context, code), console)
        return
    worker = NotifyWorker(store, code, channel_source(args.via))
    if args.once:
        worker.start()
        worker.housekeeping()
        tally = worker.drain()
        console.print(f"sent {tally.sent}, retrying {tally.retried}, failed {tally.failed}")
        return
    stop = threading.Event()

    def stop_on(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, stop_on) for sig in (signal.SIGTERM, signal.SIGINT)}
    watcher = watch_changes(store, code)
    console.print(f"antrean notify: sending branch {code}'s messages; Ctrl+C stops")
    try:
        tally = worker.run(stop, watcher)
    finally:
        watcher.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    console.print(f"stopped: sent {tally.sent}, failed {tally.failed}")


def _make_keys(args: argparse.Namespace, uow: UnitOfWork, console: Console) -> None:
    # Imported here: the cryptography it needs is no business of the running worker.
    from shared.notifying.channels.vapid_keys import VapidKeyProblem, generate_vapid_key_pair

    with uow:
        path = args.key_file or uow.settings.channels.web_push.private_key_file
    if not path:
        raise CommandError("no key file: give --key-file PATH or set [channels.web_push] "
                           "private_key_file in the branch file")
    try:
        public = generate_vapid_key_pair(path, replace=args.replace)
    except VapidKeyProblem as error:
        raise CommandError(str(error)) from error
    console.print(f"wrote {path} (readable by its owner only); the public key, for the "
                  f"visitors' pages (applicationServerKey):")
    console.print(public, markup=False, highlight=False, soft_wrap=True)  # one line to copy


def store_uow(context: CommandContext, code: str) -> UnitOfWork:
    return UnitOfWork(context.store, code, read_only=True)


def _list_failed(uow: UnitOfWork, console: Console) -> None:
    with uow:
        rows = uow.session.execute(
            select(OutboxMessage.id, OutboxMessage.kind, NotificationSubscription.channel,
                   OutboxMessage.attempts, OutboxMessage.created_at, OutboxMessage.last_error)
            .join(NotificationSubscription,
                  NotificationSubscription.id == OutboxMessage.subscription_id)
            .where(OutboxMessage.branch_id == uow.branch_id,
                   OutboxMessage.state == outbox.FAILED,
                   OutboxMessage.created_at >= uow.now() - _DAY)
            .order_by(OutboxMessage.id)
        ).all()
        zone = uow.zone
    table = Table("id", "kind", "channel", "attempts", "queued", "last error")
    for row in rows:
        table.add_row(str(row.id), row.kind, row.channel, str(row.attempts),
                      f"{row.created_at.astimezone(zone):%H:%M}", row.last_error)
    console.print(table if rows else "no message failed in the last 24 hours")

