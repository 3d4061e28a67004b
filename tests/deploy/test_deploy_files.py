"""deploy/: every scheduled command exists, every timer has its service, the units run the production settings."""

import re
from pathlib import Path

from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
# Commands written in parallel by other changes (issue 7: backups); they must exist once those land.
PENDING = {"backup"}


def scheduled_commands():
    for path in [*DEPLOY.glob("systemd/*.service"), DEPLOY / "crontab"]:
        for line in path.read_text().splitlines():
            if line.lstrip().startswith("#"):
                continue
            for command in re.findall(r"manage\.py\"? (?:\$TREMPLIN )?([a-z_]+)|\$TREMPLIN ([a-z_]+)", line):
                yield path.name, next(c for c in command if c)


def test_every_scheduled_command_exists():
    commands = set(get_commands())
    found = list(scheduled_commands())
    names = {name for _, name in found}
    assert {"clauses_recount", "anonymize_inactive_people", "db_worker", "migrate", "backup"} <= names
    assert {"createcachetable", "warm_report_cache"} <= names
    for where, name in found:
        assert name in commands or name in PENDING, f"{where}: manage.py {name} does not exist"


def test_each_timer_starts_its_service_and_each_unit_reads_the_environment():
    for timer in DEPLOY.glob("systemd/*.timer"):
        assert timer.with_suffix(".service").exists(), timer.name
    for service in DEPLOY.glob("systemd/*.service"):
        assert "EnvironmentFile=/etc/tremplin/tremplin.env" in service.read_text(), service.name
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in (DEPLOY / "tremplin.env.example").read_text()
