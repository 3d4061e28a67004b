"""config/routers.py: heavy report reads on the replica when DATABASE_REPLICA_URL is set, writes on the primary."""

import json
import os
import subprocess
import sys
from pathlib import Path

from config.routers import ReplicaRouter, using_replica
from tremplin.territory.models import RomeCode

ROOT = Path(__file__).resolve().parents[2]

# Two SQLite files play the primary and its replica; the replica lags behind (it misses the last row).
TWO_DATABASES = """
import json
import django
django.setup()
from django.db import connections
from config.routers import using_replica
from tremplin.territory.models import RomeCode

for alias in ("default", "replica"):
    with connections[alias].schema_editor() as editor:
        editor.create_model(RomeCode)
RomeCode.objects.using("replica").create(code="A1101", label="Conduite d'engins agricoles")
RomeCode.objects.create(code="A1101", label="Conduite d'engins agricoles")
with using_replica():
    RomeCode.objects.create(code="F1703", label="Maçonnerie")  # a write inside the block: the primary
    on_replica = list(RomeCode.objects.values_list("code", flat=True))
    read_then_saved = RomeCode.objects.get(code="A1101")
    read_then_saved.label = "Conduite d'engins"
    read_then_saved.save()
outside = list(RomeCode.objects.values_list("code", flat=True))
print(json.dumps({
    "on_replica": on_replica,
    "outside": outside,
    "primary_label": RomeCode.objects.get(code="A1101").label,
    "replica_label": RomeCode.objects.using("replica").get(code="A1101").label,
}))
"""


def test_reads_go_to_the_replica_inside_the_block_and_writes_always_to_the_primary(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "router-test-" + "p4Z_" * 16,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'primary.sqlite3'}",
        "DATABASE_REPLICA_URL": f"sqlite:///{tmp_path / 'replica.sqlite3'}",
    }
    completed = subprocess.run(
        [sys.executable, "-c", TWO_DATABASES], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert result["on_replica"] == ["A1101"]
    assert result["outside"] == ["A1101", "F1703"]
    # An object read from the replica is saved on the primary.
    assert result["primary_label"] == "Conduite d'engins"
    assert result["replica_label"] == "Conduite d'engins agricoles"


def test_without_a_replica_everything_stays_on_the_default_database():
    router = ReplicaRouter()
    with using_replica():
        assert router.db_for_read(RomeCode) is None
        assert router.db_for_write(RomeCode) == "default"
    assert router.allow_migrate("replica", "territory") is False
    assert router.allow_migrate("default", "territory") is True
