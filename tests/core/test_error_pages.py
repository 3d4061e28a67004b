"""Error pages answer in French, in the app's layout, with a way back (not Django's bare English pages)."""

import pytest
from django.test import Client

from tests.factories import user_with_role
from tremplin.accounts.enums import Role

pytestmark = pytest.mark.urls("tests.core.error_urls")


def assert_french_error_page(response, status, title):
    body = response.content.decode()
    assert response.status_code == status
    assert title in body
    assert "Retour à l'accueil" in body
    assert '<html lang="fr">' in body
    for english in ("Not Found", "Forbidden", "Server Error", "Bad Request", "CSRF verification failed"):
        assert english not in body


def test_404_in_french_within_the_layout(client):
    client.force_login(user_with_role(Role.REFERENT))
    response = client.get("/cette-page-n-existe-pas/")
    assert_french_error_page(response, 404, "Page introuvable")
    # Within the layout: the user's menu is there.
    assert "Se déconnecter" in response.content.decode()


def test_403_in_french(client):
    client.force_login(user_with_role(Role.REFERENT))
    assert_french_error_page(client.get("/test-interdit/"), 403, "Accès refusé")


def test_500_in_french_without_a_trace():
    client = Client(raise_request_exception=False)
    response = client.get("/test-panne/")
    assert_french_error_page(response, 500, "Erreur du serveur")
    assert "RuntimeError" not in response.content.decode()
    assert "boom" not in response.content.decode()


def test_a_10_mb_form_post_gets_the_french_400_page(client):
    response = client.post("/comptes/connexion/", {"username": "a@example.org", "password": "x" * (10 * 1024 * 1024)})
    assert_french_error_page(response, 400, "Requête incorrecte")


def test_csrf_refusal_in_french():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/comptes/connexion/", {"username": "a@example.org", "password": "x"})
    assert_french_error_page(response, 403, "Formulaire expiré")
    assert "Rien n'a été enregistré" in response.content.decode()
