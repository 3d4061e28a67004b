"""The module's lists paginate and show their total; a page's links keep the search typed
(issue 9, "every list page that can grow paginates and shows its total")."""

import pytest
from django.urls import reverse

from tests.companies.factories import ImmersionFactory, OfferFactory
from tests.factories import FollowUpFactory, user_with_role
from tremplin.accounts.enums import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("tremplin.core.views.PAGE_SIZE", 2)


def test_the_offers_paginate_with_their_total_and_keep_the_search(client, small_pages):
    for n in range(3):
        OfferFactory(title=f"Maçon·ne {n}")
    OfferFactory(title="Comptable")
    client.force_login(user_with_role(Role.PROJECT_OFFICER))
    url = reverse("companies:offer_list")
    first = client.get(url, {"q": "maçon"}).content.decode()
    assert "3 offres" in first and "Page 1 sur 2" in first and "Comptable" not in first
    assert "?q=ma%C3%A7on&amp;page=2" in first
    second = client.get(url, {"q": "maçon", "page": 2}).content.decode()
    assert "Page 2 sur 2" in second and second.count("Maçon·ne") == 1


def test_the_immersions_of_the_user_s_people_paginate(client, small_pages):
    referent = user_with_role(Role.REFERENT)
    for _ in range(3):
        FollowUpFactory(person=ImmersionFactory().person, organization=referent.primary_membership.organization)
    ImmersionFactory()  # someone else's
    client.force_login(referent)
    page = client.get(reverse("companies:immersion_list"), {"page": 2}).content.decode()
    assert "3 immersions" in page and "Page 2 sur 2" in page
