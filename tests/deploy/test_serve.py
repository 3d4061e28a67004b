"""`make serve` for real: production settings, migrations, collected static files and gunicorn, on a database
of its own (the server does not see pytest's transactional test database): a throw-away SQLite file, or a
database created next to the test database when the suite runs on PostgreSQL (DATABASE_URL). Each role logs
in and opens its main pages, as a browser behind the HTTPS reverse proxy would (X-Forwarded-Proto)."""

import base64
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.conf import settings
from django_otp.oath import totp

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.executable).parent.parent
PASSWORD = "mot-de-passe-de-test"

CREATE_USERS = """
from tests.factories import OrganizationFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.structures.enums import OrganizationKind

lead = OrganizationFactory(name="Structure d'animation", kind=OrganizationKind.LEAD)
for role in (Role.COORDINATOR, Role.MANAGER, Role.FACILITATOR):
    user_with_role(role, organization=lead, email=f"{role.value}@serve.example.org")
user_with_role(Role.REFERENT, email="referent@serve.example.org")
user_with_role(Role.FUNDER, email="funder@serve.example.org")
"""

# The main pages of each role.
PAGES = {
    "referent": ["/", "/personnes/", "/plie/"],
    "coordinator": ["/", "/personnes/", "/plie/", "/plie/cellule/", "/clauses/operations/", "/indicateurs/"],
    "facilitator": ["/", "/personnes/", "/clauses/operations/"],
    "manager": ["/", "/personnes/", "/indicateurs/"],
    "funder": ["/", "/indicateurs/"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Just enough of a browser for the test: one cookie jar, requests as if through the HTTPS proxy."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, proxied=True):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if proxied:
            headers["X-Forwarded-Proto"] = "https"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response, content

    def login(self, email):
        response, page = self.request("GET", "/comptes/connexion/")
        assert response.status == 200, page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response, page = self.request(
            "POST", "/comptes/connexion/", {"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD}
        )
        assert response.status == 302 and response.headers["Location"] == "/", (response.status, page[:2000])
        response, page = self.request("GET", "/")
        if response.status == 302 and response.headers["Location"].startswith("/comptes/double-authentification/"):
            self.set_up_second_factor(response.headers["Location"])

    def set_up_second_factor(self, path):
        """Coordination and direction register an authenticator app at their first login (TOTP): read the key
        the page shows, give the current code."""
        response, page = self.request("GET", path)
        assert response.status == 200, page[:2000]
        key = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        code = f"{totp(base64.b32decode(key)):06d}"
        response, page = self.request("POST", path, {"csrfmiddlewaretoken": token, "code": code, "next": "/"})
        assert response.status == 302, (response.status, page[:2000])


@pytest.fixture
def server_database(tmp_path):
    """DATABASE_URL for the server: a database of its own, dropped at the end."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'serve.sqlite3'}"
        return
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    name = f"tremplin_serve_{os.getpid()}"
    params = dj_database_url.parse(os.environ["DATABASE_URL"])
    admin = {"host": params["HOST"], "port": params["PORT"] or 5432, "user": params["USER"]}
    if params["PASSWORD"]:
        admin["password"] = params["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(url._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def server(tmp_path, server_database):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "serve-test-" + "x7Q_" * 16,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": server_database,
        "TREMPLIN_VAR_DIR": str(tmp_path / "var"),
        "WEB_CONCURRENCY": "2",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = open(tmp_path / "serve.log", "w+")  # noqa: SIM115
    # -o: the shared virtualenv is already installed, make must not reinstall it.
    process = subprocess.Popen(
        ["make", "-o", f"{VENV}/.base-installed", "serve", f"VENV={VENV}", f"HOST=127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def output():
        log.seek(0)
        return log.read()[-5000:]

    try:
        # About 20 s of migrations and compressed static files on an idle machine; far more on a busy CI runner.
        deadline = time.monotonic() + 240
        while True:
            assert process.poll() is None, f"make serve stopped:\n{output()}"
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            try:
                probe.request("GET", "/comptes/connexion/")
                probe.getresponse().read()
                break
            except OSError:
                assert time.monotonic() < deadline, f"make serve did not answer in 240 s:\n{output()}"
                time.sleep(0.3)
            finally:
                probe.close()
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", CREATE_USERS],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield port, output
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def test_make_serve_serves_each_role_its_main_pages(server):
    port, output = server
    anonymous = Browser(port)

    # Plain HTTP (no proxy) is sent to HTTPS; behind the proxy the login page answers, with secure cookies.
    response, _ = anonymous.request("GET", "/comptes/connexion/", proxied=False)
    assert response.status == 301 and response.headers["Location"].startswith("https://")
    response, page = anonymous.request("GET", "/comptes/connexion/")
    assert response.status == 200
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    assert all("Secure" in c for c in response.headers.get_all("Set-Cookie")), response.headers
    # Static files: collected, compressed, named after their content and cached for good.
    stylesheet = re.search(r'href="(/static/vendor/bootstrap[^"]+\.css)"', page).group(1)
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), stylesheet
    response, _ = anonymous.request("GET", stylesheet)
    assert response.status == 200 and "immutable" in response.headers["Cache-Control"]
    # The health endpoint answers the local supervisor over plain HTTP, states only.
    response, page = anonymous.request("GET", "/sante/", proxied=False)
    assert response.status == 200 and '"status": "ok"' in page and '"backend": "DatabaseBackend"' in page
    # An unknown page: the French page, no trace.
    response, page = anonymous.request("GET", "/nulle-part/")
    assert response.status == 404 and "Page introuvable" in page and "urlpatterns" not in page

    for role, pages in PAGES.items():
        browser = Browser(port)
        browser.login(f"{role}@serve.example.org")
        for path in pages:
            response, page = browser.request("GET", path)
            assert response.status == 200, f"{role} {path}: {response.status}\n{page[:1500]}\n{output()}"
            assert "Se déconnecter" in page, f"{role} {path}"
