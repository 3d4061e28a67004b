"""Load held: the demo's staff over their main pages, against `make serve` (benchmarks/README.md).

Headless, bounded in time and users, loopback only:

    locust -f benchmarks/load/locustfile.py --headless --users 50 --spawn-rate 5 --run-time 150s \
        --host http://127.0.0.1:8001 --only-summary

Each virtual user logs in as one of the demo users (password demo-tremplin) and browses as staff do, with a
think time of 4 to 12 seconds between pages: référent·es (their home, their participants, the PLIE workspace,
a pathway), the coordination (cellule, indicators), the facilitator (operations, an operation, hours), the
direction (indicators). Requests go through the loopback as if through the HTTPS reverse proxy
(X-Forwarded-Proto: https), so the production settings (secure cookies, SSL redirect) stay on. At the end it
prints p50/p95/p99 per page and exits non-zero on any error.
"""

import random
import re
import sys
from urllib.parse import urlsplit

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
# Logins (deliberately slow password hashing) all happen while users spawn: the measure starts once every
# virtual user is logged in, so that the login wave does not count against the pages.
_logged_in = {"count": 0, "measuring": False}


@events.init_command_line_parser.add_listener
def _options(parser):
    parser.add_argument("--think-min", type=float, default=4.0, help="Shortest think time (s).")
    parser.add_argument("--think-max", type=float, default=12.0, help="Longest think time (s).")


@events.test_start.add_listener
def _loopback_only(environment, **kwargs):
    host = urlsplit(environment.host or "").hostname
    if host not in LOOPBACK:
        sys.exit(f"Refus : ce banc ne vise que la boucle locale (127.0.0.1), pas {environment.host!r}.")


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
        page = self.client.get("/comptes/connexion/", name="connexion (page)").text
        self.behind_the_proxy()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        with self.client.post(
            "/comptes/connexion/",
            data={"csrfmiddlewaretoken": token, "username": self.email, "password": PASSWORD},
            headers={"Referer": f"https://{urlsplit(self.host).netloc}/comptes/connexion/"},
            name="connexion (envoi du mot de passe)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused for {self.email}: {response.status_code}")
        self.behind_the_proxy()
        _logged_in["count"] += 1
        runner = self.environment.runner
        if not _logged_in["measuring"] and _logged_in["count"] >= (runner.target_user_count or 0):
            _logged_in["measuring"] = True
            runner.stats.reset_all()
            print(f"Tous les utilisateurs sont connectés ({_logged_in['count']}) : la mesure commence.", flush=True)

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


@events.quitting.add_listener
def _summary(environment, **kwargs):
    stats = environment.stats
    rows = sorted(stats.entries.values(), key=lambda s: s.name)
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
