"""Backup → destroy → restore on PostgreSQL (pg_dump / pg_restore), through the commands.
Runs in the PostgreSQL pass of the suite; the SQLite round trip is in test_commands.py."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from cicte.ops.backup import table_counts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _sums(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_postgres_backup_destroy_restore(plan_2012, settings, tmp_path, capsys):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL pass of the suite only")
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed (postgresql-client)")
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "reports").mkdir(parents=True)
    (settings.MEDIA_ROOT / "reports" / "report.pdf").write_bytes(b"%PDF-1.7" * 500)
    counts, sums = table_counts(), _sums(settings.MEDIA_ROOT)
    assert counts["plan_target"] > 10

    call_command("backup", "-o", str(tmp_path / "backups"))
    [archive] = (tmp_path / "backups").glob("cicte-backup-*.tar.gz")

    tables = ", ".join(connection.ops.quote_name(name) for name in counts)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} CASCADE")  # destroy every table's rows
    shutil.rmtree(settings.MEDIA_ROOT)
    assert table_counts()["plan_target"] == 0

    call_command("restore", str(archive), "--yes")
    assert "counts checked" in capsys.readouterr().out
    assert table_counts() == counts
    assert _sums(settings.MEDIA_ROOT) == sums
