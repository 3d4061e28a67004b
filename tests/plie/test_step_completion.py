import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import FollowUpFactory, user_with_role
from tests.plie.factories import PathwayFactory, StepFactory
from tremplin.accounts.enums import Role
from tremplin.plie.enums import StepKind
from tremplin.plie.exits import assess_exit
from tremplin.plie.services import complete_step


@pytest.fixture
def referent_and_training():
    pathway = PathwayFactory()
    FollowUpFactory(person=pathway.person, organization=pathway.proposed_organization)
    referent = user_with_role(Role.REFERENT, organization=pathway.proposed_organization)
    training = StepFactory(
        pathway=pathway,
        kind=StepKind.TRAINING_QUALIFYING,
        title="Titre professionnel agent de propreté",
        certification="TP APH",
        started_on=datetime.date(2024, 1, 8),
    )
    return referent, training


def test_a_training_validated_later_becomes_a_positive_exit(client, referent_and_training):
    referent, training = referent_and_training
    client.force_login(referent)
    response = client.post(
        reverse("plie:step_end", kwargs={"pathway_id": training.pathway_id, "step_id": training.pk}),
        {f"step-{training.pk}-ended_on": "2024-06-28", f"step-{training.pk}-certification_obtained": "yes"},
    )
    assert response.status_code == 302
    training.refresh_from_db()
    assert (training.ended_on, training.certification_obtained) == (datetime.date(2024, 6, 28), True)
    assessment = assess_exit(training.pathway, datetime.date(2024, 7, 1))
    assert assessment.outcome.rule == "training" and assessment.outcome.met_on == datetime.date(2024, 6, 28)
    assert training.history.first().history_user == referent


def test_an_end_before_the_start_is_refused_in_french_and_nothing_changes(client, referent_and_training):
    referent, training = referent_and_training
    client.force_login(referent)
    response = client.post(
        reverse("plie:step_end", kwargs={"pathway_id": training.pathway_id, "step_id": training.pk}),
        {f"step-{training.pk}-ended_on": "2023-12-31"},
    )
    assert response.status_code == 422
    assert "La fin de l&#x27;étape ne peut pas précéder son début." in response.content.decode()
    training.refresh_from_db()
    assert training.ended_on is None


def test_a_finished_step_cannot_be_closed_twice(referent_and_training):
    referent, training = referent_and_training
    complete_step(step=training, ended_on=datetime.date(2024, 3, 1), by=referent)
    with pytest.raises(ValidationError, match="déjà terminée"):
        complete_step(step=training, ended_on=datetime.date(2024, 4, 1), by=referent)
