"""PostgreSQL clusters of the tests' own (initdb, pg_ctl) on free ports in a temporary folder:
a branch's server and the central one, each stopped and started as a test needs.

The binaries are found without relying on PATH: ANTREAN_PG_BINDIR, else the newest
/usr/lib/postgresql/<version>/bin (Debian's layout), else `initdb` on PATH. PostgreSQL refuses
to run as root, so when the tests run as root (CI) the clusters run as the `postgres` user.
Without the binaries the tests skip, unless ANTREAN_REQUIRE_POSTGRES=1 (CI).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.databases import postgres_required

BINDIR_ENV = "ANTREAN_PG_BINDIR"
DEBIAN_VERSIONS = Path("/usr/lib/postgresql")
START_SECONDS = 60
# Fast and small: these clusters hold a few test databases and are thrown away. `logical` lets
# a branch publish; the central one retries a lost link every second instead of every five.
# Commits keep synchronous_commit = on, as in production: were the branch to wait for the
# region (synchronous replication), the tests' branch calls would hang while it is down.
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "wal_level": "logical",
    "fsync": "off",
    "full_page_writes": "off",
    "shared_buffers": "'16MB'",
    "max_connections": "60",
    "max_wal_senders": "20",
    "max_replication_slots": "20",
    "max_worker_processes": "16",
    "max_logical_replication_workers": "12",
    "wal_retrieve_retry_interval": "'1s'",
    "wal_receiver_status_interval": "'1s'",
}


def postgres_bindir() -> Path | None:
    chosen = os.environ.get(BINDIR_ENV, "").strip()
    if chosen:
        return Path(chosen)
    if DEBIAN_VERSIONS.is_dir():
        versions = sorted(
            (p for p in DEBIAN_VERSIONS.iterdir() if (p / "bin" / "initdb").is_file()),
            key=lambda p: [int(part) for part in p.name.split(".") if part.isdigit()],
        )
        if versions:
            return versions[-1] / "bin"
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def bindir_or_skip() -> Path:
    bindir = postgres_bindir()
    if bindir is None or not (bindir / "pg_ctl").is_file():
        message = (f"no PostgreSQL server binaries (initdb, pg_ctl) in {BINDIR_ENV}, "
                   f"{DEBIAN_VERSIONS}/*/bin or on PATH")
        if postgres_required():
            pytest.fail(message + " (ANTREAN_REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(message)
    return bindir


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_environment() -> dict[str, str]:
    """This process's environment without libfaketime (CI's runs at other hours move the wall
    clock): a server keeps its own clock, as a real one would, and replication's timers
    (keepalives, status reports) stand still on a frozen one."""
    environment = {
        key: value for key, value in os.environ.items()
        if not key.startswith("FAKETIME") and key != "DONT_FAKE_MONOTONIC"
    }
    preload = [
        entry for entry in environment.pop("LD_PRELOAD", "").split(":")
        if entry and "faketime" not in entry
    ]
    if preload:
        environment["LD_PRELOAD"] = ":".join(preload)
    return environment


def _server_user() -> str | None:
    """Whom the server runs as: the `postgres` user when we are root, else ourselves."""
    return "postgres" if os.geteuid() == 0 else None


@dataclass
class Cluster:
    name: str
    directory: Path
    port: int
    bindir: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def log(self) -> Path:
        return self.directory.parent / f"{self.name}.log"

    def _run(self, *command: str) -> None:
        user = _server_user()
        result = subprocess.run(
            command, user=user, capture_output=True, text=True, timeout=START_SECONDS + 30,
            cwd=self.directory.parent, env=_server_environment(), check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}"
            )

    def create(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.directory), "-U", "postgres",
                  "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C")
        lines = [f"port = {self.port}", f"unix_socket_directories = '{self.directory}'"]
        lines += [f"{key} = {value}" for key, value in SETTINGS.items()]
        with (self.directory / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n".join(lines) + "\n")

    def start(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "start", "-w", "-t", str(START_SECONDS),
                  "-D", str(self.directory), "-l", str(self.log))

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "stop", "-w", "-m", "fast",
                  "-D", str(self.directory))

    @property
    def running(self) -> bool:
        return (self.directory / "postmaster.pid").exists()


@contextmanager
def running_clusters(*names: str) -> Iterator[dict[str, Cluster]]:
    """Fresh clusters, one per name, started; stopped and removed afterwards."""
    bindir = bindir_or_skip()
    # Not under pytest's tmp folder: as root that is closed to the `postgres` user.
    folder = Path(tempfile.mkdtemp(prefix="antrean-clusters-"))
    user = _server_user()
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    ports: set[int] = set()
    while len(ports) < len(names):  # each port free now, and no two the same
        ports.add(free_port())
    clusters = {
        name: Cluster(name, folder / name, port, bindir)
        for name, port in zip(names, sorted(ports), strict=True)
    }
    try:
        for cluster in clusters.values():
            cluster.create()
            cluster.start()
        yield clusters
    finally:
        for cluster in clusters.values():
            if cluster.running:
                cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
