"""manage.py backup and restore: every row, the same figures and the uploaded files come back; a damaged
archive is refused before anything is touched."""

import datetime
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from tests.clauses.factories import HoursRecordFactory
from tests.factories import FollowUpFactory, PersonFactory, SituationFactFactory
from tests.plie.factories import PathwayFactory
from tremplin.core import backup
from tremplin.people.models import Person
from tremplin.territory.reference import load_all

CV = b"%PDF-1.4 curriculum vitae de test\n"


def row_counts() -> dict:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def activity_report() -> dict:
    out = io.StringIO()
    call_command("activity_report", "--year", "2024", "--format", "json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(media):
    load_all()  # transactional tests may start from an emptied database
    person = PersonFactory(first_name="Zoé", last_name="Lefèvre", registered_on=datetime.date(2024, 2, 1))
    FollowUpFactory(person=person)
    SituationFactFactory(person=person, in_qpv=True, started_on=datetime.date(2023, 1, 1))
    PathwayFactory(person=person, entry_date=datetime.date(2024, 3, 1))
    record = HoursRecordFactory(month=datetime.date(2024, 3, 1), hours="151.67")
    record.evidence.save("bulletin-mars.pdf", ContentFile(CV))
    default_storage.save("clauses/cv/2024/cv-zoe.pdf", ContentFile(CV))
    return person


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_gives_back_every_row_the_figures_and_the_files(world, media, tmp_path):
    counts, figures = row_counts(), activity_report()
    files = sorted(p.relative_to(media).as_posix() for p in Path(media).rglob("*") if p.is_file())
    assert len(files) == 2 and counts["people.Person"] == 2 and counts["clauses.HoursRecord"] == 1

    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "sauvegardes"), stdout=out)
    archive = next((tmp_path / "sauvegardes").glob("tremplin-*.tar.gz"))
    assert f"SHA-256 : {backup.sha256_of(archive)}" in out.getvalue()
    assert (archive.parent / (archive.name + ".sha256")).read_text().startswith(backup.sha256_of(archive))

    call_command("flush", "--no-input")
    shutil.rmtree(media)
    assert not Person.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)  # the drill: verifies, changes nothing
    assert "Archive vérifiée, intacte" in out.getvalue() and not Person.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), "--wet-run", stdout=out)
    assert "Restauration terminée" in out.getvalue()
    assert row_counts() == counts
    assert activity_report() == figures
    assert sorted(p.relative_to(media).as_posix() for p in Path(media).rglob("*") if p.is_file()) == files
    assert (Path(media) / "clauses/cv/2024/cv-zoe.pdf").read_bytes() == CV
    assert Person.objects.filter(last_name="Lefèvre", first_name="Zoé").exists()
    call_command("clauses_recount", "--check", stdout=io.StringIO())


# --- Damaged archives --------------------------------------------------------------------------------


@pytest.fixture
def archive(media, tmp_path):
    default_storage.save("clauses/cv/2024/cv.pdf", ContentFile(CV))
    return backup.backup(output=tmp_path / "sauvegarde.tar.gz").path


def rewrite(archive: Path, change) -> Path:
    """A copy of the archive whose members went through change(name, data) -> (name, data) or None."""
    damaged = archive.with_name("abimee.tar.gz")
    with tarfile.open(archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            changed = change(member.name, source.extractfile(member).read())
            if changed is None:
                continue
            name, data = changed
            info = tarfile.TarInfo(name)
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    return damaged


def refused(path) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("restore", str(path), "--wet-run", stdout=io.StringIO())
    return str(excinfo.value)


def test_an_intact_archive_passes_the_drill(archive):
    report = backup.restore(archive)
    assert (report.restored, report.files) == (False, 1)


def test_a_truncated_archive_is_refused(archive):
    content = archive.read_bytes()
    archive.write_bytes(content[: len(content) // 2])
    assert refused(archive).startswith("Archive corrompue ou incomplète, rien n'a été restauré")


def test_a_changed_file_is_refused(archive, media):
    def change(name, data):
        return (name, data.replace(b"curriculum", b"CURRICULUM")) if name.startswith("media/") else (name, data)

    message = refused(rewrite(archive, change))
    assert "« media/clauses/cv/2024/cv.pdf » ne correspond pas à sa somme de contrôle SHA-256" in message
    assert (Path(media) / "clauses/cv/2024/cv.pdf").read_bytes() == CV  # untouched


def test_a_missing_or_added_file_is_refused(archive):
    assert "fichiers manquants" in refused(rewrite(archive, lambda n, d: None if n.startswith("media/") else (n, d)))
    extra = rewrite(archive, lambda n, d: (n, d) if n != backup.MANIFEST else None)
    assert "fichiers manquants" in refused(extra)


def test_a_path_outside_the_archive_is_refused(archive):
    message = refused(rewrite(archive, lambda n, d: ("../../evil.txt", d) if n.startswith("media/") else (n, d)))
    assert message.startswith("Archive corrompue ou incomplète")
    assert not (archive.parent.parent / "evil.txt").exists()


def test_keep_prunes_old_archives(media, tmp_path):
    directory = tmp_path / "sauvegardes"
    for day in (1, 2, 3):
        backup.backup(output=directory, now=datetime.datetime(2024, 5, day, 2, 0, tzinfo=datetime.UTC))
    removed = backup.prune(directory, keep=2)
    assert [p.name for p in removed] == ["tremplin-20240501-040000.tar.gz"]
    assert len(list(directory.glob("*.tar.gz"))) == 2 and len(list(directory.glob("*.sha256"))) == 2
