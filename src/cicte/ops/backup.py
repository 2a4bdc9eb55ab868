"""Backups you can trust: one ``.tar.gz`` holding the database (SQLite online backup API, or
``pg_dump`` for PostgreSQL), every media file, and a manifest with their SHA-256 checksums
and the row count of every table. A restore verifies everything *before* it touches the
database, refuses a truncated or tampered archive naming the checksum that failed, and
checks the row counts afterwards."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.pgdump"


class BackupError(Exception):
    """One line for the operator: what is wrong with the backup, and that nothing changed."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(engine)s.") % {"engine": vendor}
        )
    return vendor


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table_counts(conn: Any = None) -> dict[str, int]:
    """Row count of every table of the database (Django's connection, or an sqlite3 one)."""
    if isinstance(conn, sqlite3.Connection):
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608
    counts = {}
    with connection.cursor() as cursor:
        for name in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")  # noqa: S608 - names from the catalog
            counts[name] = cursor.fetchone()[0]
    return counts


def media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path


def _pg_args() -> tuple[list[str], dict[str, str]]:
    params = connection.settings_dict
    args = ["--dbname", params["NAME"]]
    if params.get("HOST"):
        args += ["--host", params["HOST"]]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", params["USER"]]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            _("%(program)s is not installed (Debian: apt-get install postgresql-client).")
            % {"program": command[0]}
        )
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [_("no message")])[-1]
        raise BackupError(
            _("%(program)s failed: %(error)s") % {"program": command[0], "error": last}
        )


def _dump_database(engine: str, work: Path) -> tuple[str, dict[str, int]]:
    if engine == "sqlite":
        target = work / SQLITE_NAME
        connection.ensure_connection()
        source = connection.connection
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # consistent online copy, writers keep working
            counts = table_counts(copy)
        finally:
            copy.close()
        return SQLITE_NAME, counts
    target = work / PG_NAME
    args, env = _pg_args()
    with transaction.atomic(), connection.cursor() as cursor:
        # One snapshot for the counts and for pg_dump, so the manifest matches the dump.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_counts()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                *args,
            ],
            env,
        )
    return PG_NAME, counts


def backup_create(*, output_dir: Path | None = None, keep: int | None = None) -> BackupResult:
    """Write ``cicte-backup-<UTC time>.tar.gz`` into ``output_dir`` (CICTE_BACKUP_DIR)."""
    engine = _engine()
    output_dir = Path(output_dir or settings.CICTE_BACKUP_DIR)
    output_dir.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(tz=dt.UTC)
    name = f"cicte-backup-{now:%Y%m%dT%H%M%S}Z-{get_random_string(4).lower()}.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="cicte-backup-") as tmp:
        work = Path(tmp)
        db_name, counts = _dump_database(engine, work)
        db_path = work / db_name
        media: list[dict[str, Any]] = [
            {
                "path": path.relative_to(media_root).as_posix(),
                "sha256": sha256_file(path),
                "size": path.stat().st_size,
            }
            for path in media_files(media_root)
        ]
        manifest = {
            "format": FORMAT,
            "created": now.isoformat(timespec="seconds"),
            "engine": engine,
            "database": {
                "path": db_name,
                "sha256": sha256_file(db_path),
                "size": db_path.stat().st_size,
            },
            "tables": counts,
            "media": media,
        }
        manifest_bytes = json.dumps(manifest, indent=2, sort_keys=True).encode()
        (work / MANIFEST).write_bytes(manifest_bytes)
        (work / MANIFEST_SUM).write_text(hashlib.sha256(manifest_bytes).hexdigest() + "\n")
        partial = output_dir / (name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            archive.add(work / MANIFEST_SUM, arcname=MANIFEST_SUM)
            archive.add(db_path, arcname=db_name)
            for item in media:
                archive.add(media_root / item["path"], arcname=f"media/{item['path']}")
        final = output_dir / name
        partial.rename(final)  # a half-written archive never has the final name
    if keep:
        for old in sorted(output_dir.glob("cicte-backup-*.tar.gz"))[:-keep]:
            old.unlink()
    return BackupResult(final, manifest)


def _mismatch(label: str, found: str, expected: str) -> BackupError:
    return BackupError(
        _(
            "Backup refused: %(file)s has SHA-256 %(found)s, the manifest says %(expected)s; "
            "nothing was restored."
        )
        % {"file": label, "found": found, "expected": expected}
    )


@contextmanager
def backup_open(path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Extract and verify a backup into a temporary directory; yields (dir, manifest)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("Backup refused: %(path)s does not exist.") % {"path": path})
    with tempfile.TemporaryDirectory(prefix="cicte-restore-") as tmp:
        work = Path(tmp)
        try:
            with tarfile.open(path, "r:gz") as archive:
                members = archive.getmembers()
                for member in members:
                    if (
                        not (member.isfile() or member.isdir())
                        or member.name.startswith(("/", ".."))
                        or ".." in Path(member.name).parts
                    ):
                        raise BackupError(
                            _("Backup refused: unexpected entry '%(entry)s'.")
                            % {"entry": member.name}
                        )
                if hasattr(tarfile, "data_filter"):
                    archive.extractall(work, filter="data")
                else:  # pragma: no cover - Python < 3.11.4; members were checked above
                    archive.extractall(work)  # noqa: S202
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
            raise BackupError(
                _(
                    "Backup refused: %(file)s is truncated or not a backup archive "
                    "(%(error)s); nothing was restored."
                )
                % {"file": path.name, "error": f"{type(exc).__name__}: {exc}"}
            ) from None
        manifest_path, sum_path = work / MANIFEST, work / MANIFEST_SUM
        if not manifest_path.is_file() or not sum_path.is_file():
            raise BackupError(_("Backup refused: the manifest is missing; nothing was restored."))
        expected = sum_path.read_text().strip()
        found = sha256_file(manifest_path)
        if found != expected:
            raise _mismatch(MANIFEST, found, expected)
        manifest = json.loads(manifest_path.read_bytes())
        if manifest.get("format") != FORMAT:
            raise BackupError(
                _("Backup refused: unknown format '%(format)s'.")
                % {"format": manifest.get("format")}
            )
        listed = {manifest["database"]["path"]: manifest["database"]["sha256"]}
        listed |= {f"media/{item['path']}": item["sha256"] for item in manifest["media"]}
        for rel, checksum in listed.items():
            file = work / rel
            if not file.is_file():
                raise BackupError(
                    _("Backup refused: %(file)s is missing; nothing was restored.") % {"file": rel}
                )
            actual = sha256_file(file)
            if actual != checksum:
                raise _mismatch(rel, actual, checksum)
        extra = (
            {p.relative_to(work).as_posix() for p in work.rglob("*") if p.is_file()}
            - set(listed)
            - {MANIFEST, MANIFEST_SUM}
        )
        if extra:
            raise BackupError(
                _("Backup refused: %(file)s is not in the manifest; nothing was restored.")
                % {"file": sorted(extra)[0]}
            )
        yield work, manifest


def _restore_sqlite(dump: Path) -> None:
    live = Path(connection.settings_dict["NAME"])
    connections.close_all()
    if not live.exists():
        for suffix in ("-wal", "-shm"):
            Path(f"{live}{suffix}").unlink(missing_ok=True)
        live.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    target = sqlite3.connect(live, timeout=60)
    try:
        source.backup(target)  # page by page under one lock: all or nothing for readers
    finally:
        target.close()
        source.close()


def _restore_postgres(dump: Path) -> None:
    args, env = _pg_args()
    connections.close_all()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(dump),
        ],
        env,
    )


def _restore_media(source: Path) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    fresh = media_root.with_name(media_root.name + ".restoring-" + get_random_string(6))
    if source.is_dir():
        shutil.copytree(source, fresh)
    else:
        fresh.mkdir()
    old = media_root.with_name(media_root.name + ".before-restore-" + get_random_string(6))
    if media_root.exists():
        media_root.rename(old)
    fresh.rename(media_root)
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(path: Path) -> dict[str, Any]:
    """Verify, then replace the database and the media files with the backup's."""
    engine = _engine()
    with backup_open(path) as (work, manifest):
        if manifest["engine"] != engine:
            raise BackupError(
                _(
                    "Backup refused: it holds a %(found)s database and this site uses "
                    "%(engine)s; nothing was restored."
                )
                % {"found": manifest["engine"], "engine": engine}
            )
        dump = work / manifest["database"]["path"]
        if engine == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgres(dump)
        _restore_media(work / "media")
    counts = table_counts()
    wrong = {
        name: (counts.get(name), expected)
        for name, expected in manifest["tables"].items()
        if counts.get(name) != expected
    }
    if wrong:
        name, (found, expected) = next(iter(wrong.items()))
        raise BackupError(
            _(
                "Restore finished but table %(table)s has %(found)s rows, the manifest says "
                "%(expected)s."
            )
            % {"table": name, "found": found, "expected": expected}
        )
    return manifest
