"""Backup and restore of the whole instance: the database and the uploaded files, in one archive.

The archive (tar.gz) holds:
- `database.sqlite3` (SQLite, copied through its online backup API: consistent while the app runs) or
  `database.dump` (PostgreSQL, `pg_dump --format=custom`);
- `media/…`, every file under MEDIA_ROOT (CVs, payslips and statements);
- `MANIFEST.json`: format, date, database engine, Django migrations applied;
- `SHA256SUMS`: the SHA-256 of every other member, in `sha256sum` format.

A restore verifies the whole archive first (every member listed and matching its checksum, nothing else,
no path outside the archive), then replaces the database and the uploaded files; without `wet_run` it
only verifies (the restore drill). The archive's own SHA-256 is written beside it (`.sha256`), to check
an off-site copy. See docs/sauvegarde.md.

Core imports no domain app: everything here goes through Django's connection and settings.
"""

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "tremplin-backup/1"
MANIFEST = "MANIFEST.json"
CHECKSUMS = "SHA256SUMS"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
MEDIA_DIR = "media"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore refused, with a French message for the operator."""


@dataclass
class BackupReport:
    path: Path
    sha256: str
    vendor: str
    files: int
    size: int


@dataclass
class RestoreReport:
    path: Path
    created_at: str
    vendor: str
    files: int
    restored: bool
    pending_migrations: list[str] = field(default_factory=list)
    previous_media: Path | None = None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- The database ------------------------------------------------------------------------------------


def _vendor() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Base de données « {connection.vendor} » non prise en charge (SQLite ou PostgreSQL).")
    return connection.vendor


def postgres_binary(name: str) -> str:
    """pg_dump or pg_restore: from PATH, else the newest Debian install (/usr/lib/postgresql/<n>/bin)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3]), reverse=True
    )
    if not candidates:
        raise BackupError(f"Programme « {name} » introuvable : installez le paquet postgresql-client.")
    return candidates[0]


def _postgres_env_and_args() -> tuple[dict, list[str]]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return env, args


def _run(command: list[str], env: dict, what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{what} a échoué (code {result.returncode}) : {result.stderr.strip()[-2000:]}")


def _dump_database(target_dir: Path) -> str:
    vendor = _vendor()
    if vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(target_dir / SQLITE_FILE)
        try:
            # The online backup API: a consistent copy even while the app writes.
            connection.connection.backup(target)
        finally:
            target.close()
        return SQLITE_FILE
    env, args = _postgres_env_and_args()
    command = [postgres_binary("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
    _run([*command, "--file", str(target_dir / POSTGRES_FILE), *args], env, "pg_dump")
    return POSTGRES_FILE


def _load_database(source: Path, vendor: str) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("La restauration ne peut pas se faire dans une transaction.")
        backup = sqlite3.connect(source)
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
        return
    env, args = _postgres_env_and_args()
    connection.close()  # no session of ours holds a lock on the tables being replaced
    command = [
        postgres_binary("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
    ]
    _run([*command, *args, str(source)], env, "pg_restore")


def _migrations() -> dict[str, list[str]]:
    applied = {}
    for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name").order_by("app", "name"):
        applied.setdefault(app, []).append(name)
    return applied


def _pending_migrations() -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


# --- Backup ------------------------------------------------------------------------------------------


def default_directory() -> Path:
    return Path(settings.TREMPLIN_BACKUP_DIR)


def backup(*, output: Path | None = None, now=None) -> BackupReport:
    """Write the archive (in `output`, a directory or a file name; by default TREMPLIN_BACKUP_DIR)."""
    now = now or timezone.now()
    output = Path(output) if output else default_directory()
    if output.suffixes[-2:] == [".tar", ".gz"]:
        path = output
    else:
        path = output / f"tremplin-{timezone.localtime(now):%Y%m%d-%H%M%S}.tar.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    vendor = _vendor()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="tremplin-sauvegarde-") as tmp:
        staging = Path(tmp)
        database_file = _dump_database(staging)
        members = [(staging / database_file, database_file)]
        if media_root.is_dir():
            for file in sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink()):
                members.append((file, f"{MEDIA_DIR}/{file.relative_to(media_root).as_posix()}"))
        manifest = {
            "format": FORMAT,
            "created_at": timezone.localtime(now).isoformat(),
            "database": {"vendor": vendor, "file": database_file},
            "media_files": len(members) - 1,
            "migrations": _migrations(),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        members.append((staging / MANIFEST, MANIFEST))
        sums = "".join(f"{sha256_of(source)}  {name}\n" for source, name in members)
        (staging / CHECKSUMS).write_text(sums, encoding="utf-8")
        partial = path.with_name(path.name + ".partiel")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(staging / CHECKSUMS, arcname=CHECKSUMS)
            for source, name in members:
                archive.add(source, arcname=name, recursive=False)
        partial.replace(path)  # never a half-written archive under the final name
    digest = sha256_of(path)
    path.with_name(path.name + ".sha256").write_text(f"{digest}  {path.name}\n", encoding="utf-8")
    return BackupReport(path=path, sha256=digest, vendor=vendor, files=len(members) - 2, size=path.stat().st_size)


def prune(directory: Path, *, keep: int) -> list[Path]:
    """Delete all but the `keep` most recent archives of the directory (and their .sha256)."""
    archives = sorted(Path(directory).glob("tremplin-*.tar.gz"), key=lambda p: p.name, reverse=True)
    removed = []
    for old in archives[keep:]:
        old.unlink()
        old.with_name(old.name + ".sha256").unlink(missing_ok=True)
        removed.append(old)
    return removed


# --- Restore -----------------------------------------------------------------------------------------


def _corrupted(detail: str) -> BackupError:
    return BackupError(f"Archive corrompue ou incomplète, rien n'a été restauré : {detail}.")


def _extract_verified(path: Path, target: Path) -> dict:
    """Extract the archive into `target` and check it against its checksums; returns the manifest."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            members = archive.getmembers()
            for member in members:
                if not member.isfile():
                    raise _corrupted(f"« {member.name} » n'est pas un fichier ordinaire")
            names = [m.name for m in members]
            if len(set(names)) != len(names):
                raise _corrupted("un fichier y figure deux fois")
            # filter="data": no absolute path, no "..", no link, no device (CVE-2007-4559).
            archive.extractall(target, filter="data")
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, OSError, ValueError) as e:
        raise _corrupted(f"lecture impossible ({e})") from e
    sums_path = target / CHECKSUMS
    if not sums_path.is_file():
        raise _corrupted(f"le fichier {CHECKSUMS} manque")
    expected = {}
    for line in sums_path.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            raise _corrupted(f"ligne illisible dans {CHECKSUMS}")
        expected[name] = digest
    present = set(names) - {CHECKSUMS}
    if present != set(expected):
        missing, extra = sorted(set(expected) - present), sorted(present - set(expected))
        raise _corrupted(f"fichiers manquants {missing or '—'}, fichiers en trop {extra or '—'}")
    for name, digest in expected.items():
        if sha256_of(target / name) != digest:
            raise _corrupted(f"« {name} » ne correspond pas à sa somme de contrôle SHA-256")
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise _corrupted(f"{MANIFEST} illisible") from e
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Format d'archive inconnu : {manifest.get('format')!r} (attendu : {FORMAT}).")
    return manifest


def restore(path: Path, *, wet_run: bool = False) -> RestoreReport:
    """Verify the archive; with wet_run, replace the database and the uploaded files by its contents."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Archive introuvable : {path}")
    with tempfile.TemporaryDirectory(prefix="tremplin-restauration-") as tmp:
        staging = Path(tmp)
        manifest = _extract_verified(path, staging)
        vendor = manifest["database"]["vendor"]
        media_files = sorted(p for p in (staging / MEDIA_DIR).rglob("*") if p.is_file())
        report = RestoreReport(
            path=path, created_at=manifest["created_at"], vendor=vendor, files=len(media_files), restored=False
        )
        if vendor != _vendor():
            raise BackupError(
                f"Cette archive vient d'une base {vendor} et la base configurée est {connection.vendor} : "
                "restaurez-la sur le même moteur (passer de l'un à l'autre : dumpdata puis loaddata)."
            )
        if not wet_run:
            return report
        _load_database(staging / manifest["database"]["file"], vendor)
        report.previous_media = _replace_media(staging / MEDIA_DIR)
        report.restored = True
        report.pending_migrations = _pending_migrations()
        return report


def _replace_media(source: Path) -> Path | None:
    """Put the archive's files in MEDIA_ROOT; the files there before are kept aside, never deleted."""
    media_root = Path(settings.MEDIA_ROOT)
    previous = None
    if media_root.exists() and any(media_root.iterdir()):
        previous = media_root.with_name(f"{media_root.name}.avant-restauration-{timezone.now():%Y%m%d-%H%M%S}")
        media_root.rename(previous)
    media_root.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, media_root, dirs_exist_ok=True)
    return previous
