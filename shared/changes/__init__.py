"""Change events across processes: PostgreSQL LISTEN/NOTIFY, or SQLite's data_version."""

from shared.changes.watcher import ChangeFeed, ChangeWatcher, iter_changes, watch_changes

__all__ = ["ChangeFeed", "ChangeWatcher", "iter_changes", "watch_changes"]
