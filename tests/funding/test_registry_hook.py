"""The reports registry evaluates a figure for one structure (Registry.evaluate_for_organization)."""

import datetime

import pytest

from tests.factories import FollowUpFactory, OrganizationFactory
from tests.plie.factories import PathwayFactory
from tremplin.people.enums import Programme
from tremplin.reports.registry import Period, registry, shared_computations

PERIOD = Period.year(2023)


def pathway_followed_by(structure, programme=Programme.PLIE):
    pathway = PathwayFactory(proposed_organization=structure, entry_date=datetime.date(2023, 2, 1))
    FollowUpFactory(person=pathway.person, organization=structure, programme=programme)
    return pathway


def test_a_plie_figure_counts_only_the_people_the_structure_follows_in_the_plie():
    irfa, cesam = OrganizationFactory(), OrganizationFactory()
    pathway_followed_by(irfa)
    pathway_followed_by(irfa)
    pathway_followed_by(cesam)
    pathway_followed_by(cesam, programme=Programme.CLAUSES)  # a PLIE pathway, but followed by cesam for clauses
    assert (
        registry.evaluate_for_organization("plie.people_accompanied", period=PERIOD, organization=irfa).figure.value
        == 2
    )
    assert (
        registry.evaluate_for_organization("plie.people_accompanied", period=PERIOD, organization=cesam).figure.value
        == 1
    )
    # Unscoped, as before.
    assert registry.get("plie.people_accompanied").evaluate(period=PERIOD).figure.value == 4


def test_scoped_figures_do_not_share_computations_with_the_page():
    irfa = OrganizationFactory()
    pathway_followed_by(irfa)
    pathway_followed_by(OrganizationFactory())
    with shared_computations():
        whole = registry.get("plie.people_accompanied").evaluate(period=PERIOD).figure.value
        scoped = registry.evaluate_for_organization("plie.people_accompanied", period=PERIOD, organization=irfa)
        again = registry.get("plie.people_accompanied").evaluate(period=PERIOD).figure.value
    assert (whole, scoped.figure.value, again) == (2, 1, 2)


def test_an_indicator_that_cannot_be_scoped_refuses():
    with pytest.raises(ValueError, match="structure"):
        registry.evaluate_for_organization("people.count", period=PERIOD, organization=OrganizationFactory())
