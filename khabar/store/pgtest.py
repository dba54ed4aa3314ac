"""A throwaway PostgreSQL server for tests and benchmarks (not used by khabar itself).

``throwaway_server()`` finds ``initdb``/``pg_ctl`` (on PATH or in Debian's
``/usr/lib/postgresql/<version>/bin``), creates a cluster in a temporary folder, starts it on a
free port on 127.0.0.1 with durability switched off (fast, and nothing worth keeping), yields a
``postgresql://`` URL of its ``postgres`` database, then stops it and removes the folder. PostgreSQL
refuses to run as root: as root, the cluster belongs to the ``postgres`` system user (Debian's
package creates it) and the commands run through ``runuser``.
"""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

from ..errors import StoreError

USER = "khabar"


def find_bin() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, newest version first; None when absent."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(os.path.realpath(found)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True):
        if (Path(folder) / "pg_ctl").exists() and (Path(folder) / "initdb").exists():
            return Path(folder)
    return None


def _version(folder: str) -> float:
    try:
        return float(Path(folder).parent.name)
    except ValueError:
        return 0.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(cmd: list[str], as_user: str | None) -> None:
    if as_user:
        cmd = ["runuser", "-u", as_user, "--", *cmd]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise StoreError(f"{Path(cmd[-1] if as_user else cmd[0]).name} failed: {' | '.join(tail)}")


@contextlib.contextmanager
def throwaway_server(bin_dir: Path | None = None) -> Iterator[str]:
    """Run a temporary PostgreSQL server; yield its URL; stop and delete it afterwards."""
    bin_dir = bin_dir or find_bin()
    if bin_dir is None:
        raise StoreError("PostgreSQL is not installed (no initdb/pg_ctl; Debian: apt-get install postgresql)")
    as_user = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="khabar-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if as_user:
        shutil.chown(root, as_user)
        shutil.chown(sock, as_user)
    port = _free_port()
    try:
        _run([str(bin_dir / "initdb"), "-D", str(data), "-U", USER, "-A", "trust", "-E", "UTF8",
              "--locale=C", "-N"], as_user)
        opts = (f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off")
        _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(root / "log"), "-w", "start"], as_user)
        try:
            yield f"postgresql://{USER}@127.0.0.1:{port}/postgres"
        finally:
            _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], as_user)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def fresh_database(server_url: str, name: str) -> str:
    """Create (dropping any old one) database ``name`` on the server; return its URL."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(sql.Identifier(name)))
    head, sep, query = server_url.partition("?")
    return f"{head.rpartition('/')[0]}/{name}{sep}{query}"


def drop_database(server_url: str, name: str) -> None:
    """Drop database ``name`` (closing nobody's connections: close the store first)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def fresh_schema(db_url: str, name: str) -> str:
    """Create (dropping any old one) schema ``name`` in the database; return a URL whose
    connections work in it (``search_path`` = the schema, then ``public`` for extensions)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    sep = "&" if "?" in db_url else "?"
    return f"{db_url}{sep}options=-csearch_path%3D{name}%2Cpublic"


def drop_schema(db_url: str, name: str) -> None:
    """Drop schema ``name`` and everything in it."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
