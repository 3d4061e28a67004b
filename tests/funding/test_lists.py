"""The programmation's lists paginate and show their total (issue 9, "every list page that can grow paginates
and shows its total")."""

import pytest
from django.urls import reverse

from tests.factories import user_with_role
from tests.funding.factories import CallFactory, ConventionFactory, FseOperationFactory, ProjectFactory
from tremplin.accounts.enums import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "route,factory,total",
    [
        ("funding:project_list", ProjectFactory, "3 projets"),
        ("funding:call_list", CallFactory, "3 appels à projets"),
        ("funding:convention_list", ConventionFactory, "3 conventions"),
        ("funding:fse_list", FseOperationFactory, "3 opérations"),
    ],
)
def test_each_list_paginates_with_its_total(client, monkeypatch, route, factory, total):
    monkeypatch.setattr("tremplin.core.views.PAGE_SIZE", 2)
    factory.create_batch(3)
    client.force_login(user_with_role(Role.COORDINATOR))
    first = client.get(reverse(route)).content.decode()
    assert total in first and "Page 1 sur 2" in first
    second = client.get(reverse(route), {"page": 2})
    assert second.status_code == 200 and "Page 2 sur 2" in second.content.decode()
