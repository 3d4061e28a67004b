"""Login and session protections: lockout per account and per address, a TOTP second factor for the roles
that see every record, expiry after a working day without activity, no-store pages, passwords without the
user's own names. The test settings turn lockout and the second factor off; these tests turn them on."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory, user_with_role
from tremplin.accounts.enums import Role

PASSWORD = "mot-de-passe-de-test"
LOGIN = reverse("accounts:login")
HOME = reverse("home")
START = datetime.datetime(2025, 3, 10, 9, 0, tzinfo=datetime.UTC)


def login(client, email, password=PASSWORD, url=LOGIN, **extra):
    return client.post(url, {"username": email, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Lockout (django-axes) -----------------------------------------------------------------------------

locking = override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=10)


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@locking
def test_sixty_wrong_passwords_lock_the_account_even_for_the_right_one(client, traveller):
    user = UserFactory(email="camille@example.org")
    for attempt in range(60):
        response = login(client, user.email, f"mauvais-{attempt}")
        assert response.status_code in (200, 429)
    response = login(client, user.email)
    assert response.status_code == 429
    assert "Connexion bloquée" in response.text and "15 minutes" in response.text
    assert not logged_in(client)
    # Another case of the same address is the same account.
    assert login(client, "Camille@Example.org").status_code == 429

    traveller.shift(datetime.timedelta(minutes=16))  # the cool-off has passed
    response = login(client, user.email)
    assert response.status_code == 302 and logged_in(client)


@locking
def test_the_account_is_locked_from_any_address(client, traveller):
    user = UserFactory()
    for attempt in range(10):
        login(client, user.email, f"mauvais-{attempt}", REMOTE_ADDR="10.0.0.1")
    assert login(client, user.email, REMOTE_ADDR="10.0.0.2").status_code == 429


@locking
def test_an_address_trying_many_accounts_is_locked(client, traveller):
    users = [UserFactory() for _ in range(10)]
    for user in users:
        login(client, user.email, "mauvais", REMOTE_ADDR="10.0.0.9")
    fresh = UserFactory()
    assert login(client, fresh.email, REMOTE_ADDR="10.0.0.9").status_code == 429
    assert login(client, fresh.email, REMOTE_ADDR="10.0.0.10").status_code == 302


@locking
def test_the_admin_login_is_locked_too(client, traveller):
    admin = UserFactory(is_staff=True, is_superuser=True)
    admin_login = reverse("admin:login")
    for attempt in range(10):
        login(client, admin.email, f"mauvais-{attempt}", url=admin_login)
    assert login(client, admin.email, url=admin_login).status_code == 429
    assert login(client, admin.email).status_code == 429  # and the app's login


@locking
@override_settings(TREMPLIN_PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_address_is_counted(client, traveller):
    for attempt in range(10):
        login(client, UserFactory().email, "mauvais", HTTP_X_FORWARDED_FOR=f"1.2.3.4, 10.9.9.{attempt}")
    # Not the proxy's address (REMOTE_ADDR, the same for everyone), not the forgeable left part.
    assert login(client, UserFactory().email, HTTP_X_FORWARDED_FOR="1.2.3.4, 10.9.9.99").status_code == 302


# --- Second factor (django-otp, TOTP) ------------------------------------------------------------------

two_factor = override_settings(TREMPLIN_REQUIRE_2FA=True)


def code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@two_factor
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ASSISTANT, Role.MANAGER])
def test_a_coordination_account_sets_up_a_device_then_gives_a_code_at_each_login(client, traveller, role):
    user = user_with_role(role)
    response = login(client, user.email)
    assert response.status_code == 302
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_setup"))
    # Every page, the figures and the admin included, waits for the second factor.
    for url in (reverse("reports:figures"), reverse("people:list"), reverse("admin:index")):
        assert client.get(url).url.startswith(reverse("accounts:two_factor_setup")), url

    page = client.get(reverse("accounts:two_factor_setup") + "?next=/personnes/")
    assert "otpauth://totp/Tremplin" in page.text and "<svg" in page.text
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:two_factor_setup"), {"code": "000000", "next": "/personnes/"})
    assert "Ce code ne correspond pas" in response.text
    traveller.shift(datetime.timedelta(seconds=10))  # the device throttles after a failure
    device.refresh_from_db()
    response = client.post(reverse("accounts:two_factor_setup"), {"code": code(device), "next": "/personnes/"})
    assert response.status_code == 302 and response.url == "/personnes/"
    assert client.get(HOME).status_code == 200

    client.post(reverse("accounts:logout"))
    traveller.shift(datetime.timedelta(minutes=2))
    login(client, user.email)
    response = client.get(HOME)
    assert response.url.startswith(reverse("accounts:two_factor_verify"))
    response = client.post(reverse("accounts:two_factor_verify"), {"code": "123456"})
    assert "Code incorrect ou expiré" in response.text
    assert client.get(HOME).status_code == 302
    traveller.shift(datetime.timedelta(seconds=10))  # the device throttles after a failure
    device.refresh_from_db()
    response = client.post(reverse("accounts:two_factor_verify"), {"code": code(device), "next": HOME})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200


@two_factor
def test_a_superuser_gives_a_code_before_the_admin(client, traveller):
    admin = UserFactory(is_staff=True, is_superuser=True)
    login(client, admin.email, url=reverse("admin:login"))
    assert client.get(reverse("admin:index")).url.startswith(reverse("accounts:two_factor_setup"))


@two_factor
@pytest.mark.parametrize("role", [Role.REFERENT, Role.FACILITATOR, Role.PRESCRIBER, Role.FUNDER])
def test_other_roles_are_not_asked_for_a_code(client, role):
    user = user_with_role(role)
    login(client, user.email)
    assert client.get(HOME).status_code == 200


@two_factor
def test_a_referent_may_opt_in_and_is_then_asked(client, traveller):
    user = user_with_role(Role.REFERENT)
    login(client, user.email)
    page = client.get(reverse("accounts:two_factor_setup"))
    assert "Facultatif pour votre rôle" in page.text
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("accounts:two_factor_setup"), {"code": code(device)})
    client.post(reverse("accounts:logout"))
    traveller.shift(datetime.timedelta(minutes=2))
    login(client, user.email)
    assert client.get(HOME).url.startswith(reverse("accounts:two_factor_verify"))


@two_factor
def test_a_code_page_never_redirects_elsewhere(client, traveller):
    user = user_with_role(Role.COORDINATOR)
    login(client, user.email)
    device = TOTPDevice.objects.create(user=user, name="x", confirmed=True)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": code(device), "next": "https://x.example/"})
    assert response.url == "/"


# --- Sessions and caches -------------------------------------------------------------------------------


def test_a_session_ends_after_a_working_day_without_activity(client, traveller):
    user = user_with_role(Role.REFERENT)
    client.force_login(user)
    traveller.shift(datetime.timedelta(hours=5))
    assert client.get(HOME).status_code == 200  # activity renews the session
    traveller.shift(datetime.timedelta(hours=8, minutes=50))
    assert client.get(HOME).status_code == 200  # 13 h 50 after the login, 8 h 50 after the last page
    traveller.shift(datetime.timedelta(hours=9, minutes=10))
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_pages_for_a_logged_in_user_are_not_stored(client, alice, person):
    client.force_login(alice)
    for url in (HOME, reverse("people:detail", args=[person.public_id])):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


# --- Passwords -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["Camille2024!!", "martin-dijon-21", "xx-MARTIN-xx-99", "cam.martin.secret", "ÉléonoreZ1234"]
)
def test_a_password_with_the_users_own_names_is_refused(password):
    user = UserFactory.build(first_name="Camille", last_name="Martin", email="cam.martin@example.org")
    if "Éléonore" in password:
        user.first_name = "Eléonore"
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password, user)
    assert "ni votre prénom, ni votre nom, ni votre adresse e-mail" in str(excinfo.value)


def test_a_password_without_them_is_accepted():
    user = UserFactory.build(first_name="Camille", last_name="Martin", email="cam.martin@example.org")
    validate_password("violette-horizon-42", user)


def test_the_password_change_page_refuses_the_users_name(client):
    user = UserFactory(first_name="Camille", last_name="Martin")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Martin-2025-xyz", "new_password2": "Martin-2025-xyz"},
    )
    assert response.status_code == 200
    assert "ni votre prénom, ni votre nom" in response.text
    assert timezone.now()  # the page answered; the password is unchanged:
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@two_factor
def test_demo_staff_accounts_log_in_with_the_demo_code(client, traveller):
    from io import StringIO

    from django.core.management import call_command

    from tremplin.accounts.two_factor import give_demo_devices

    coordinator = user_with_role(Role.COORDINATOR, email="coordination@demo.tremplin.fr")
    referent = user_with_role(Role.REFERENT, email="referente@demo.tremplin.fr")
    assert give_demo_devices([coordinator, referent]) == 1
    assert give_demo_devices([coordinator, referent]) == 0  # once
    out = StringIO()
    call_command("demo_code", stdout=out)
    shown = out.getvalue().split(":")[1].split()[0]
    login(client, coordinator.email)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": shown, "next": HOME})
    assert response.status_code == 302 and client.get(HOME).status_code == 200
