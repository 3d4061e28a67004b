"""What each page of the load scenario costs on its own, in process: time, SQL queries and SQL time.

Run against the database the load test used (the demo loaded), one request at a time, N times: the first
request (figure cache cold) and the median (warm) are printed, with the median processor time of this Python
process (the page's own work, hardly changed by other processes' load; the database's work is in the SQL
time). The accounts with a second factor get it as after the code page (their TOTP device in the session).

    DATABASE_URL=postgres://postgres@127.0.0.1:54330/tremplin_load .venv/bin/python benchmarks/load/page_costs.py

It explains the load test's figures: a page's time alone is the floor under load (benchmarks/README.md).
"""

import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user  # noqa: E402

from tremplin.accounts.models import User  # noqa: E402

DOMAIN = "demo.tremplin.fr"
SCENARIO = [
    ("referente.irfa", "référent : accueil", "/"),
    ("referente.irfa", "référent : liste des personnes", "/personnes/"),
    ("referente.irfa", "référent : espace PLIE", "/plie/"),
    ("referente.irfa", "référent : parcours", r"/plie/parcours/\d+/"),
    ("coordination", "coordination : accueil", "/"),
    ("coordination", "coordination : cellule", "/plie/cellule/"),
    ("coordination", "indicateurs", "/indicateurs/"),
    ("facilitatrice", "clauses : opérations", "/clauses/operations/"),
    ("facilitatrice", "clauses : opération", r"/clauses/operations/\d+/"),
    ("facilitatrice", "clauses : heures", "/clauses/heures/"),
    ("direction", "direction : accueil", "/"),
]
REPEAT = int(os.environ.get("REPEAT", "5"))


def logged_in(login: str) -> Client:
    """A client logged in as this demo user, second factor given (as after the code page) when the account has
    a device: coordination, assistance, direction."""
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    user = User.objects.get(email=f"{login}@{DOMAIN}")
    client.force_login(user)
    device = next(iter(devices_for_user(user, confirmed=True)), None)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def main():
    pages_seen = {}
    print(f"{'page':34} {'1re ms':>7} {'médiane ms':>10} {'CPU Python':>11} {'requêtes SQL':>13} {'temps SQL ms':>13}")
    for login, name, path in SCENARIO:
        client = logged_in(login)
        if "\\d" in path:
            links = re.findall(f'href="({path})"', pages_seen[login])
            path = links[0]
        timings, cpu = [], []
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as queries:
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(path, secure=True)
                timings.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        pages_seen[login] = pages_seen.get(login, "") + response.content.decode()
        sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(
            f"{name:34} {timings[0]:>7.0f} {statistics.median(timings):>10.0f} {statistics.median(cpu):>11.0f} "
            f"{len(queries):>13} {sql_ms:>13.0f}"
        )


if __name__ == "__main__":
    main()
