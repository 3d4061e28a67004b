"""Lists that grow paginate, 50 a page, and show their total read from the paginated queryset itself
(issue 9: "every list page that can grow paginates and shows its total")."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import reverse

from tests.clauses.factories import CandidateFactory, PlacementFactory
from tests.factories import OrganizationFactory, PersonFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.clauses.views import candidates as candidate_views
from tremplin.structures.enums import OrganizationKind

NNBSP = "\u202f"


def test_a_total_is_written_the_french_way():
    def page(row):
        return Paginator([row] * 1234, 50).get_page(1)

    candidate = CandidateFactory()
    people = render_to_string("people/_results.html", {"page": page(candidate.person)})
    structures = render_to_string("structures/_results.html", {"page": page(candidate.prescriber)})
    candidates = render_to_string("clauses/_candidates.html", {"page": page(candidate)})
    assert f"1{NNBSP}234 personnes" in people and "Page 1 sur 25" in people
    assert f"1{NNBSP}234 structures" in structures
    assert f"1{NNBSP}234 candidatures" in candidates


def test_the_people_list_pages_by_50_and_counts_what_it_lists(client):
    for n in range(51):
        PersonFactory(last_name=f"Martin{n:02d}")
    client.force_login(user_with_role(Role.COORDINATOR))
    first = client.get(reverse("people:list")).content.decode()
    second = client.get(reverse("people:list"), {"page": 2}).content.decode()
    assert "51 personnes" in first and "Page 1 sur 2" in first
    assert first.count("MARTIN") == 50 and second.count("MARTIN") == 1


def test_the_structures_pages_keep_the_filter(client):
    for n in range(51):
        OrganizationFactory(name=f"France Travail {n:02d}", kind=OrganizationKind.PRESCRIBER)
    OrganizationFactory(name="Entreprise hors filtre", company=True)
    client.force_login(user_with_role(Role.COORDINATOR))
    response = client.get(reverse("structures:list"), {"kind": OrganizationKind.PRESCRIBER})
    content = response.content.decode()
    assert "Page 1 sur 2" in content and "Entreprise hors filtre" not in content
    assert f"kind={OrganizationKind.PRESCRIBER}&amp;page=2" in content


def test_the_evaluations_to_do_paginate(client, monkeypatch):
    monkeypatch.setattr(candidate_views, "PAGE_SIZE", 1)
    facilitator = user_with_role(Role.COORDINATOR)
    for name in ("Benali", "Roux"):
        PlacementFactory(person=PersonFactory(last_name=name))
    client.force_login(facilitator)
    first = client.get(reverse("clauses:evaluation_list")).content.decode()
    second = client.get(reverse("clauses:evaluation_list"), {"page": 2}).content.decode()
    assert "Évaluations tripartites à faire (2)" in first and "Page 1 sur 2" in first
    assert ("BENALI" in first) != ("BENALI" in second) and ("ROUX" in first) != ("ROUX" in second)
