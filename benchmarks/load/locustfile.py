"""Load held: the demo's staff over their main pages, against `make serve` (benchmarks/README.md).

Headless, bounded in time and users, loopback only:

    locust -f benchmarks/load/locustfile.py --headless --users 50 --spawn-rate 5 --run-time 150s \
        --host http://127.0.0.1:8001 --only-summary

Each virtual user logs in as one of the demo users (password demo-tremplin; the coordination's, assistance's and
direction's second factor with --demo-totp, from the demo key read through `manage.py demo_code`; the virtual
users of one account share its session) and browses as staff do, with a
think time of 4 to 12 seconds between pages: référent·es (their home, their participants, the PLIE workspace,
a pathway), the coordination (cellule, indicators, report), the facilitator (operations, an operation, hours), the
direction (indicators, the activity report). Requests go through the loopback as if through the HTTPS reverse proxy
(X-Forwarded-Proto: https), so the production settings (secure cookies, SSL redirect) stay on. At the end it
prints p50/p95/p99 per page and exits non-zero on any error.
"""

import base64
import copy
import hashlib
import hmac
import random
import re
import struct
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from gevent.lock import Semaphore
from locust import HttpUser, between, events, task

PASSWORD = "demo-tremplin"
DOMAIN = "demo.tremplin.fr"
REFERENTS = [
    "referente.irfa",
    "referent.irfa",
    "referente.cesam",
    "referente2.cesam",
    "referente.apsalc",
    "referent.apsalc",
    "referente.chenove",
    "referent.quetigny",
    "referente.mission-locale",
    "referent.mission-locale",
    "referente.cma",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TARGET_P95_MS = 300
CODE_PATH = "/comptes/code/"
FIGURE_READERS = {"coordination", "assistance", "direction"}
ROOT = Path(__file__).resolve().parents[2]
# Logins (deliberately slow password hashing) all happen while users spawn: the measure starts once every
# virtual user is logged in, so that the login wave does not count against the pages.
_logged_in = {"count": 0, "measuring": False}
# One session per demo account, shared by the virtual users who browse as that account (one person with several
# tabs): an account logs in once, and a TOTP code, which a device accepts only once, is never given twice.
_sessions: dict[str, list] = {}
_session_locks: dict[str, Semaphore] = {}
_demo_key: dict[str, bytes] = {}


@events.init_command_line_parser.add_listener
def _options(parser):
    parser.add_argument("--think-min", type=float, default=4.0, help="Shortest think time (s).")
    parser.add_argument("--think-max", type=float, default=12.0, help="Longest think time (s).")
    parser.add_argument(
        "--demo-totp",
        action="store_true",
        default=False,
        help="Give the second factor of the demo's coordination, assistance and direction accounts: the demo key "
        "is read once through `manage.py demo_code` (the demo database only; a real account has no such key).",
    )
    parser.add_argument(
        "--django-python",
        default=str(ROOT / ".venv" / "bin" / "python"),
        help="The Python of the application's virtualenv, to run manage.py demo_code (--demo-totp).",
    )


@events.test_start.add_listener
def _loopback_only(environment, **kwargs):
    host = urlsplit(environment.host or "").hostname
    if host not in LOOPBACK:
        sys.exit(f"Refus : ce banc ne vise que la boucle locale (127.0.0.1), pas {environment.host!r}.")
    options = environment.parsed_options
    if options and options.demo_totp:
        _demo_key["key"] = read_demo_key(options.django_python)


def read_demo_key(python: str) -> bytes:
    """The demo TOTP key, as `manage.py demo_code` prints it (base32, in groups of four)."""
    try:
        output = subprocess.run(
            [python, "manage.py", "demo_code"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        sys.exit(f"--demo-totp : impossible de lancer « {python} manage.py demo_code » ({error}).")
    found = re.search(r"clé ([A-Z2-7 ]+)\)", output)
    if not found:
        sys.exit(f"--demo-totp : « manage.py demo_code » n'a pas donné de clé : {output!r}")
    return base64.b32decode(found.group(1).replace(" ", ""))


def totp(key: bytes, at: float) -> str:
    """RFC 6238 with django-otp's defaults: HMAC-SHA1, 30-second steps from the epoch, 6 digits."""
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


class Staff(HttpUser):
    abstract = True
    emails: list[str] = []

    def wait_time(self):
        options = self.environment.parsed_options
        low, high = (options.think_min, options.think_max) if options else (4.0, 12.0)
        return between(low, high)(self)

    def on_start(self):
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.email = f"{random.choice(self.emails)}@{DOMAIN}"
        with _session_locks.setdefault(self.email, Semaphore()):
            if self.email not in _sessions:
                self.log_in()
                _sessions[self.email] = [copy.copy(cookie) for cookie in self.client.cookies]
        for cookie in _sessions[self.email]:
            self.client.cookies.set_cookie(copy.copy(cookie))
        _logged_in["count"] += 1
        runner = self.environment.runner
        if not _logged_in["measuring"] and _logged_in["count"] >= (runner.target_user_count or 0):
            _logged_in["measuring"] = True
            self.warm_the_figures()
            runner.stats.reset_all()
            print(f"Tous les utilisateurs sont connectés ({_logged_in['count']}) : la mesure commence.", flush=True)

    def warm_the_figures(self):
        """Once the last user is in, the indicators and report pages are read once per account that opens them,
        as the nightly job (warm_report_cache) or the day's first visit would, before the measure."""
        for email, cookies in _sessions.items():
            if email.split("@")[0] in FIGURE_READERS:
                self.client.cookies.clear()
                for cookie in cookies:
                    self.client.cookies.set_cookie(copy.copy(cookie))
                self.client.get("/indicateurs/", name="préchauffage des indicateurs")
                self.client.get("/indicateurs/rapport/", name="préchauffage du rapport")
        self.client.cookies.clear()
        for cookie in _sessions[self.email]:
            self.client.cookies.set_cookie(copy.copy(cookie))

    def log_in(self):
        page = self.client.get("/comptes/connexion/", name="connexion (page)").text
        self.behind_the_proxy()
        with self.client.post(
            "/comptes/connexion/",
            data={"csrfmiddlewaretoken": csrf_token(page), "username": self.email, "password": PASSWORD},
            headers={"Referer": self.url("/comptes/connexion/")},
            name="connexion (envoi du mot de passe)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused for {self.email}: {response.status_code}")
                return
        self.behind_the_proxy()
        # An account with a device is sent to the code page before any other.
        home = self.client.get("/", name="connexion (accueil)", allow_redirects=False)
        self.behind_the_proxy()
        if home.status_code == 302 and urlsplit(home.headers.get("Location", "")).path == CODE_PATH:
            self.give_code()

    def give_code(self):
        if "key" not in _demo_key:
            sys.exit(
                f"{self.email} demande un code à 6 chiffres (double authentification) : relancez avec --demo-totp "
                "(la clé de démonstration est lue par manage.py demo_code)."
            )
        for _ in range(3):
            page = self.client.get(CODE_PATH, name="connexion (page du code)").text
            self.behind_the_proxy()
            with self.client.post(
                CODE_PATH,
                data={
                    "csrfmiddlewaretoken": csrf_token(page),
                    "code": totp(_demo_key["key"], time.time()),
                    "next": "/",
                },
                headers={"Referer": self.url(CODE_PATH)},
                name="connexion (envoi du code)",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                self.behind_the_proxy()
                if response.status_code == 302:
                    return
                if response.status_code != 200:
                    response.failure(f"code page answered {response.status_code} for {self.email}")
                    return
                # The form again: a device accepts a code once, so a code already used (by a run just before)
                # is refused; the next 30-second step brings a new one.
                response.success()
            gevent.sleep(31 - time.time() % 30)
        raise RuntimeError(f"code refused three times for {self.email}")

    def url(self, path: str) -> str:
        return f"https://{urlsplit(self.host).netloc}{path}"

    def behind_the_proxy(self):
        """The server sets Secure cookies (it trusts the proxy's X-Forwarded-Proto): send them back over the
        loopback's plain HTTP, as the proxy would over TLS (requests drops Secure cookies on http://)."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def page(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {path}")
            return response.text or ""


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


class Referent(Staff):
    weight = 6
    emails = REFERENTS
    pathways: list[str] = []

    @task(3)
    def home(self):
        self.page("/", "référent : accueil")

    @task(3)
    def people(self):
        self.page("/personnes/", "référent : liste des personnes")

    @task(3)
    def workspace(self):
        page = self.page("/plie/", "référent : espace PLIE")
        self.pathways = re.findall(r'href="(/plie/parcours/\d+/)"', page) or self.pathways

    @task(4)
    def pathway(self):
        if self.pathways:
            self.page(random.choice(self.pathways), "référent : parcours")


class Coordination(Staff):
    weight = 2
    emails = ["coordination", "assistance"]

    @task(2)
    def home(self):
        self.page("/", "coordination : accueil")

    @task(3)
    def cell(self):
        self.page("/plie/cellule/", "coordination : cellule")

    @task(1)
    def figures(self):
        self.page("/indicateurs/", "indicateurs")

    @task(1)
    def report(self):
        self.page("/indicateurs/rapport/", "rapport d'activité")


class Facilitation(Staff):
    weight = 2
    emails = ["facilitatrice"]
    operations: list[str] = []

    @task(2)
    def operation_list(self):
        page = self.page("/clauses/operations/", "clauses : opérations")
        self.operations = re.findall(r'href="(/clauses/operations/\d+/)"', page) or self.operations

    @task(2)
    def operation(self):
        if self.operations:
            self.page(random.choice(self.operations), "clauses : opération")

    @task(2)
    def hours(self):
        self.page("/clauses/heures/", "clauses : heures")


class Direction(Staff):
    weight = 1
    emails = ["direction"]

    @task(1)
    def home(self):
        self.page("/", "direction : accueil")

    @task(2)
    def figures(self):
        self.page("/indicateurs/", "indicateurs")

    @task(2)
    def report(self):
        self.page("/indicateurs/rapport/", "rapport d'activité")


@events.quitting.add_listener
def _summary(environment, **kwargs):
    stats = environment.stats
    rows = sorted((s for s in stats.entries.values() if s.num_requests), key=lambda s: s.name)
    print()
    print(f"{'page':40} {'requêtes':>9} {'erreurs':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}  cible p95")
    for entry in [*rows, stats.total]:
        p95 = entry.get_response_time_percentile(0.95) or 0
        verdict = "" if entry is stats.total else ("ok" if p95 < TARGET_P95_MS else "DÉPASSÉE")
        print(
            f"{entry.name[:40]:40} {entry.num_requests:>9} {entry.num_failures:>8} "
            f"{entry.get_response_time_percentile(0.5) or 0:>7.0f} {p95:>7.0f} "
            f"{entry.get_response_time_percentile(0.99) or 0:>7.0f}  {verdict}"
        )
    print(f"débit moyen : {stats.total.total_rps:.1f} requêtes/s")
    if stats.total.num_failures:
        environment.process_exit_code = 1
