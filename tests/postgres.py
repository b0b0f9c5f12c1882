"""A throw-away PostgreSQL cluster on 127.0.0.1 (Debian's postgresql binaries), for the store tests,
the two-replica test and the fault benches: initdb in a temporary folder, pg_ctl start on a free
port, a fresh database per test, stopped (or killed, for outages) and deleted afterwards."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Cluster:
    def __init__(self, port: int) -> None:
        bin_dir = binaries()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.bin = bin_dir
        self.port = port
        # initdb refuses root: as root the cluster belongs to the postgres user, in a folder it can reach.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.folder = Path(tempfile.mkdtemp(prefix="rujukan-pg-"))
        (self.folder / "sock").mkdir()
        if self.as_user:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.folder / "sock", "postgres")
        self._run("initdb", "-D", str(self.folder / "data"), "-U", "test", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C.UTF-8")
        self.start()

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run([*self.as_user, str(self.bin / tool), *args], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stdout}\n{done.stderr}")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://test@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-k {self.folder / 'sock'} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-l", str(self.folder / "log"), "-w", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (mode "immediate" is an abrupt stop, as a crash or an outage)."""
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", mode, "-w", "stop")

    def new_database(self) -> str:
        """The URL of a new, empty database."""
        import sqlalchemy as sa

        name = f"t_{uuid.uuid4().hex[:12]}"
        engine = sa.create_engine(self.url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as con:
                con.exec_driver_sql(f"CREATE DATABASE {name}")
        finally:
            engine.dispose()
        return f"postgresql+psycopg://test@127.0.0.1:{self.port}/{name}"

    def close(self) -> None:
        try:
            self.stop("immediate")
        except RuntimeError:
            pass  # already stopped
        shutil.rmtree(self.folder, ignore_errors=True)
