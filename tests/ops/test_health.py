import json

from django.db import connections
from django.test import override_settings
from django.urls import reverse

from tremplin.ops import health


def test_health_answers_200_without_login_and_without_personal_data(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data == {"status": "ok", "databases": {"default": "ok"}, "tasks": data["tasks"]}
    assert data["tasks"]["state"] == "ok"
    assert "no-cache" in response["Cache-Control"]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_health_reports_the_queue_of_the_database_backend(client):
    from tremplin.ops.tasks import run_job

    run_job.enqueue(123)
    data = json.loads(client.get(reverse("health")).content)
    assert data["tasks"]["backend"] == "DatabaseBackend"
    assert data["tasks"]["waiting"] == 1
    assert data["tasks"]["oldest_waiting_seconds"] >= 0


def test_health_answers_503_when_the_database_does_not_answer(client, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise RuntimeError("connexion refusée")

    class Connections:
        def __iter__(self):
            return iter(connections)

        def __getitem__(self, alias):
            return Unreachable()

    monkeypatch.setattr(health, "connections", Connections())
    monkeypatch.setattr(health.logger, "exception", lambda *a, **k: None)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert json.loads(response.content)["databases"] == {"default": "erreur"}


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_health_answers_503_when_the_task_queue_is_unreachable(client, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    def unreachable(*args, **kwargs):
        raise RuntimeError("relation django_tasks_database_dbtaskresult does not exist")

    monkeypatch.setattr(DBTaskResult.objects, "ready", unreachable)
    monkeypatch.setattr(health.logger, "exception", lambda *a, **k: None)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    data = json.loads(response.content)
    assert data["status"] == "erreur" and data["tasks"]["state"] == "erreur"
