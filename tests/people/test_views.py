import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import FollowUpFactory, PersonFactory, commune, user_with_role
from tremplin.accounts.enums import Role
from tremplin.people.enums import FactKind
from tremplin.people.models import FollowUp, Person, PersonAccess, SituationFact


def text(response) -> str:
    return html.unescape(response.content.decode())


def results(response) -> list:
    return list(response.context["page"].object_list)


def form_data(**overrides) -> dict:
    values = {
        "last_name": "Martin",
        "birth_name": "",
        "first_name": "Camille",
        "sex": "F",
        "birth_date": "1990-05-17",
        "email": "camille.martin@example.org",
        "phone": "06 12 34 56 78",
        "address": "1 rue de la Liberté",
        "postcode": "21000",
        "commune": "Dijon (21231)",
    }
    values.update(overrides)
    return values


def person_form_data(person, **overrides) -> dict:
    values = {
        "last_name": person.last_name,
        "birth_name": person.birth_name,
        "first_name": person.first_name,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "email": person.email,
        "phone": person.phone,
        "address": person.address,
        "postcode": person.postcode,
        "commune": f"{person.commune.name} ({person.commune.insee_code})",
    }
    values.update(overrides)
    return values


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


class TestSearch:
    @pytest.fixture
    def people(self, operator, person):
        """Alice's structure follows four people: `person` (Zoé Lefèvre, Dijon) and these three."""
        others = {
            "chenove": PersonFactory(
                first_name="Karim",
                last_name="Benali",
                birth_date=datetime.date(1990, 5, 17),
                commune=commune("21166"),
                phone="0612345678",
                email="karim.benali@example.org",
            ),
            "talant": PersonFactory(
                first_name="Zoéline",
                last_name="Moreau",
                birth_date=datetime.date(1985, 1, 2),
                commune=commune("21617"),
                phone="0678563412",
                email="z.moreau@example.org",
            ),
            "dijon": PersonFactory(
                first_name="Jean",
                last_name="Lefebvre",
                birth_date=datetime.date(1972, 11, 30),
                commune=commune("21231"),
            ),
        }
        for other in others.values():
            FollowUpFactory(person=other, organization=operator)
        return others

    def search(self, client, query, **headers):
        response = client.get(reverse("people:list"), {"q": query}, headers=headers)
        assert response.status_code == 200
        return response

    @pytest.mark.parametrize("query", ["lefevre", "LEFEVRE", "Lefèvre", "lefèvre", "LeFeVrE"])
    def test_name_is_accent_and_case_insensitive(self, alice_client, people, person, query):
        assert results(self.search(alice_client, query)) == [person]

    @pytest.mark.parametrize("query", ["ZOE", "zoé", "Zoe"])
    def test_first_name(self, alice_client, people, person, query):
        # "zoe" is also the start of "Zoéline".
        assert set(results(self.search(alice_client, query))) == {person, people["talant"]}

    def test_first_and_last_name_together(self, alice_client, people, person):
        assert results(self.search(alice_client, "zoe lefevre")) == [person]
        assert results(self.search(alice_client, "LEFEVRE Zoé")) == [person]

    @pytest.mark.parametrize("query", ["17/05/1990", "1990-05-17", "17.05.1990"])
    def test_birth_date(self, alice_client, people, query):
        assert results(self.search(alice_client, query)) == [people["chenove"]]

    def test_birth_date_and_name(self, alice_client, people):
        assert results(self.search(alice_client, "benali 17/05/1990")) == [people["chenove"]]
        assert results(self.search(alice_client, "moreau 17/05/1990")) == []

    def test_impossible_date_finds_nothing_rather_than_failing(self, alice_client, people):
        assert results(self.search(alice_client, "31/02/1990")) == []

    @pytest.mark.parametrize("query", ["Chenôve", "chenove", "CHENOVE"])
    def test_commune_name(self, alice_client, people, query):
        assert results(self.search(alice_client, query)) == [people["chenove"]]

    @pytest.mark.parametrize("query", ["06 12 34 56 78", "0612345678", "06.12.34.56.78", "+33 6 12 34 56 78"])
    def test_phone(self, alice_client, people, query):
        # Talant's number has the same pairs of digits, in another order: it is another number.
        assert results(self.search(alice_client, query)) == [people["chenove"]]

    def test_phone_end(self, alice_client, people):
        assert results(self.search(alice_client, "12345678")) == [people["chenove"]]

    @pytest.mark.parametrize("query", ["karim.benali@example.org", "KARIM.BENALI@EXAMPLE.ORG"])
    def test_email(self, alice_client, people, query):
        assert results(self.search(alice_client, query)) == [people["chenove"]]

    def test_no_result(self, alice_client, people):
        response = self.search(alice_client, "inconnu")
        assert results(response) == []
        assert "pour « inconnu »" in text(response)
        assert "Résultats de la recherche" not in text(response)

    def test_only_people_in_scope_are_found(self, client, people, person):
        client.force_login(user_with_role(Role.REFERENT))
        assert results(self.search(client, "lefevre")) == []
        assert results(self.search(client, "")) == []

    def test_empty_query_lists_everyone_in_scope(self, alice_client, people, person):
        assert len(results(self.search(alice_client, ""))) == 4

    def test_full_page(self, alice_client, people, person):
        response = self.search(alice_client, "lefevre")
        assert [t.name for t in response.templates][0] == "people/list.html"
        assert "<html" in response.content.decode()
        assert "LEFÈVRE Zoé" in text(response)

    def test_htmx_request_returns_only_the_results_fragment(self, alice_client, people, person):
        response = self.search(alice_client, "lefevre", HX_Request="true")
        assert [t.name for t in response.templates] == ["people/_results.html"]
        content = text(response)
        assert "<html" not in content
        assert "<form" not in content
        assert "LEFÈVRE Zoé" in content
        assert "1 personne pour « lefevre »" in content
        assert "BENALI" not in content

    def test_external_users_get_404(self, client, funder, buyer):
        for user in (funder, buyer):
            client.force_login(user)
            assert client.get(reverse("people:list")).status_code == 404

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(reverse("people:list"))
        assert response.status_code == 302
        assert "next=" in response["Location"]


class TestAccess:
    @pytest.mark.parametrize("name", ["people:detail", "people:edit", "people:history"])
    def test_referent_elsewhere_gets_404(self, client, charlie, person, name):
        client.force_login(charlie)
        assert client.get(reverse(name, args=[person.public_id])).status_code == 404

    def test_referent_elsewhere_cannot_post_either(self, client, charlie, person):
        client.force_login(charlie)
        response = client.post(reverse("people:edit", args=[person.public_id]), person_form_data(person, phone=""))
        assert response.status_code == 404
        response = client.post(
            reverse("people:fact_add", args=[person.public_id]), {"kind": "rsa", "started_on": "2024-01-01"}
        )
        assert response.status_code == 404
        assert not SituationFact.objects.exists()
        assert not PersonAccess.objects.exists()

    def test_manager_reads_but_gets_403_on_edit(self, client, manager, person):
        client.force_login(manager)
        assert client.get(reverse("people:detail", args=[person.public_id])).status_code == 200
        assert client.get(reverse("people:edit", args=[person.public_id])).status_code == 403
        response = client.post(
            reverse("people:edit", args=[person.public_id]), person_form_data(person, first_name="Autre")
        )
        assert response.status_code == 403
        person.refresh_from_db()
        assert person.first_name == "Zoé"

    def test_manager_cannot_create(self, client, manager):
        client.force_login(manager)
        assert client.get(reverse("people:create")).status_code == 403
        assert client.post(reverse("people:create"), form_data()).status_code == 403
        assert not Person.objects.exists()

    def test_referent_opens_her_person(self, alice_client, person):
        for name in ("people:detail", "people:edit", "people:history"):
            assert alice_client.get(reverse(name, args=[person.public_id])).status_code == 200

    def test_viewing_a_record_is_logged(self, client, alice, manager, person):
        for user in (alice, manager):
            client.force_login(user)
            response = client.get(reverse("people:detail", args=[person.public_id]))
            assert response.status_code == 200
            assert "LEFÈVRE" in text(response)
        accesses = PersonAccess.objects.filter(person=person, action=PersonAccess.Action.VIEW)
        assert sorted(a.user.email for a in accesses) == ["alice@example.org", "direction@example.org"]

    def test_refused_access_is_not_logged(self, client, charlie, person):
        client.force_login(charlie)
        client.get(reverse("people:detail", args=[person.public_id]))
        assert not PersonAccess.objects.exists()


class TestCreate:
    def post(self, client, **overrides):
        return client.post(reverse("people:create"), form_data(**overrides))

    def assert_field_error(self, response, field, label, message_part):
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert field in errors, errors
        assert any(message_part in e for e in errors[field]), errors[field]
        content = text(response)
        assert "Le formulaire contient des erreurs, rien n'a été enregistré" in content
        assert f"{label}</a> : " in content

    def test_creates_and_redirects_to_the_record(self, alice_client, alice, operator):
        response = self.post(alice_client)
        person = Person.objects.get()
        assert response.status_code == 302
        assert response["Location"] == person.get_absolute_url()
        assert person.phone == "0612345678"
        assert person.commune.insee_code == "21231"
        assert person.created_by == alice
        assert person.follow_ups.get().organization == operator
        follow = alice_client.get(response["Location"])
        assert "Camille MARTIN est inscrit·e au registre." in text(follow)

    @pytest.mark.parametrize("commune_value", ["Dijon", "dijon", "21231"])
    def test_commune_by_name_or_code(self, alice_client, commune_value):
        assert self.post(alice_client, commune=commune_value).status_code == 302
        assert Person.objects.get().commune.name == "Dijon"

    def test_unknown_commune(self, alice_client):
        response = self.post(alice_client, commune="Atlantis")
        self.assert_field_error(response, "commune", "Commune de résidence", "Commune inconnue : « Atlantis »")
        assert not Person.objects.exists()

    @pytest.mark.parametrize("birth_date", ["2031-02-30", "30/02/1990", "hier"])
    def test_impossible_birth_date(self, alice_client, birth_date):
        response = self.post(alice_client, birth_date=birth_date)
        self.assert_field_error(response, "birth_date", "Date de naissance", "date valide")
        assert not Person.objects.exists()

    def test_future_birth_date(self, alice_client):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = self.post(alice_client, birth_date=tomorrow.isoformat())
        self.assert_field_error(response, "birth_date", "Date de naissance", "ne peut pas être dans le futur")
        assert not Person.objects.exists()

    def test_too_young(self, alice_client):
        response = self.post(
            alice_client, birth_date=(timezone.localdate() - datetime.timedelta(days=365)).isoformat()
        )
        self.assert_field_error(response, "birth_date", "Date de naissance", "moins de 14 ans")
        assert not Person.objects.exists()

    def test_duplicate_email(self, alice_client, operator):
        other = PersonFactory(first_name="Autre", last_name="Personne", email="camille.martin@example.org")
        FollowUpFactory(person=other, organization=operator)
        response = self.post(alice_client, confirm_not_duplicate="on")
        self.assert_field_error(
            response,
            "email",
            "Adresse e-mail",
            "Cette adresse e-mail est déjà celle d'une autre personne du registre.",
        )
        assert Person.objects.count() == 1

    def test_duplicate_email_in_other_case_even_when_confirmed(self, alice_client, operator):
        other = PersonFactory(first_name="Autre", last_name="Personne", email="camille.martin@example.org")
        FollowUpFactory(person=other, organization=operator)
        response = self.post(alice_client, email="Camille.Martin@Example.org", confirm_not_duplicate="on")
        self.assert_field_error(
            response,
            "email",
            "Adresse e-mail",
            "Cette adresse e-mail est déjà celle d'une autre personne du registre.",
        )
        assert Person.objects.count() == 1

    @pytest.mark.parametrize("phone", ["06 12 34 56", "+44 20 7946 0958", "06 12 AB 56 78"])
    def test_invalid_phone(self, alice_client, phone):
        response = self.post(alice_client, phone=phone)
        self.assert_field_error(response, "phone", "Téléphone", "")
        assert not Person.objects.exists()

    def test_postcode_of_another_commune(self, alice_client):
        response = self.post(alice_client, postcode="21300")
        self.assert_field_error(response, "postcode", "Code postal", "ne correspond pas à la commune Dijon")
        assert not Person.objects.exists()

    def test_missing_required_fields(self, alice_client):
        response = self.post(alice_client, last_name="", first_name=" ", commune="")
        assert response.status_code == 200
        assert {"last_name", "first_name", "commune"} <= set(response.context["form"].errors)
        assert not Person.objects.exists()

    def test_probable_duplicate_is_shown_first(self, alice_client, person):
        count = Person.objects.count()
        response = self.post(
            alice_client, first_name="zoe", last_name="LEFEVRE", birth_date=person.birth_date.isoformat()
        )
        assert response.status_code == 200
        assert Person.objects.count() == count
        content = text(response)
        assert "Cette personne est peut-être déjà inscrite" in content
        assert person.get_absolute_url() in content
        assert "même nom, même prénom et même date de naissance" in content
        assert [d.person for d in response.context["visible_duplicates"]] == [person]
        assert 'name="confirm_not_duplicate"' in content

    def test_confirmed_not_duplicate_is_created(self, alice_client, person):
        count = Person.objects.count()
        response = self.post(
            alice_client,
            first_name="zoe",
            last_name="LEFEVRE",
            birth_date=person.birth_date.isoformat(),
            confirm_not_duplicate="on",
        )
        assert response.status_code == 302
        assert Person.objects.count() == count + 1
        assert Person.objects.filter(name_key="lefevre|zoe").count() == 2

    def test_duplicate_outside_scope_is_never_shown(self, client, charlie, person):
        # Not even counted: the person is registered as new, a rattachement request goes to the coordination
        # (tests/people/test_attachments.py).
        client.force_login(charlie)
        count = Person.objects.count()
        response = client.post(
            reverse("people:create"),
            form_data(first_name="zoe", last_name="LEFEVRE", birth_date=person.birth_date.isoformat()),
        )
        assert response.status_code == 302
        assert Person.objects.count() == count + 1
        content = text(client.get(response["Location"]))
        assert str(person.public_id) not in content and "hors de votre périmètre" not in content

    def test_form_page(self, alice_client):
        response = alice_client.get(reverse("people:create"))
        assert response.status_code == 200
        content = text(response)
        assert "Inscrire une personne au registre" in content
        assert "Cette personne est peut-être déjà inscrite" not in content


class TestEdit:
    def test_edits_and_redirects(self, alice_client, person):
        response = alice_client.post(
            reverse("people:edit", args=[person.public_id]), person_form_data(person, phone="03.80.12.34.56")
        )
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.phone == "0380123456"

    def test_invalid_edit_is_not_saved(self, alice_client, person):
        response = alice_client.post(
            reverse("people:edit", args=[person.public_id]), person_form_data(person, commune="Atlantis")
        )
        assert response.status_code == 200
        assert "commune" in response.context["form"].errors
        person.refresh_from_db()
        assert person.commune.name == "Dijon"

    def test_email_of_another_person_is_refused(self, alice_client, person, operator):
        FollowUpFactory(person=PersonFactory(email="pris@example.org"), organization=operator)
        response = alice_client.post(
            reverse("people:edit", args=[person.public_id]), person_form_data(person, email="pris@example.org")
        )
        assert response.status_code == 200
        assert "email" in response.context["form"].errors
        person.refresh_from_db()
        assert person.email == ""

    def test_closed_follow_up_is_read_only(self, alice_client, person):
        FollowUp.objects.filter(person=person).update(ended_on=datetime.date(2024, 1, 31))
        assert alice_client.get(reverse("people:detail", args=[person.public_id])).status_code == 200
        assert alice_client.get(reverse("people:edit", args=[person.public_id])).status_code == 403


class TestFactAdd:
    def url(self, person):
        return reverse("people:fact_add", args=[person.public_id])

    def test_records_a_fact(self, alice_client, person):
        response = alice_client.post(self.url(person), {"kind": FactKind.RSA, "started_on": "2024-01-01"})
        assert response.status_code == 302
        fact = person.facts.get()
        assert (fact.kind, fact.value, fact.started_on) == (FactKind.RSA, "yes", datetime.date(2024, 1, 1))

    @pytest.mark.parametrize(
        ("post", "field", "message"),
        [
            (
                {"kind": FactKind.RSA, "value": "refused", "started_on": "2024-01-01"},
                "value",
                "« Ne souhaite pas répondre » n'est pas possible pour cette situation.",
            ),
            (
                {"kind": FactKind.RSA, "started_on": "2024-05-01", "ended_on": "2024-04-30"},
                "ended_on",
                "La date de fin ne peut pas précéder la date de début.",
            ),
            (
                {"kind": FactKind.QPV_RESIDENCE, "started_on": "2024-01-01"},
                "qpv",
                "Indiquez le quartier prioritaire de résidence.",
            ),
            ({"kind": FactKind.RSA, "started_on": "2024-02-30"}, "started_on", "Saisissez une date valide."),
            ({"kind": FactKind.RSA}, "started_on", "Ce champ est obligatoire."),
            ({"kind": "pas-une-situation", "started_on": "2024-01-01"}, "kind", "Sélectionnez un choix valide."),
        ],
    )
    def test_bad_data_is_422_with_a_french_error(self, alice_client, person, post, field, message):
        response = alice_client.post(self.url(person), post)
        assert response.status_code == 422
        errors = response.context["form"].errors
        assert any(message in e for e in errors[field]), errors
        assert message in text(response)
        assert not SituationFact.objects.exists()

    def test_qpv_of_another_commune(self, alice_client, person):
        from tremplin.territory.models import Qpv

        qpv = Qpv.objects.get(commune__insee_code="21166", name="Le Mail")
        response = alice_client.post(
            self.url(person), {"kind": FactKind.QPV_RESIDENCE, "qpv": qpv.pk, "started_on": "2024-01-01"}
        )
        assert response.status_code == 422
        assert "Ce quartier n'est pas à Dijon" in text(response)
        assert not SituationFact.objects.exists()

    def test_sensitive_kind_is_refused_to_a_facilitator(self, client, person):
        facilitator = user_with_role(Role.FACILITATOR)
        FollowUpFactory(person=person, organization=facilitator.memberships.get().organization, programme="clauses")
        client.force_login(facilitator)
        response = client.post(self.url(person), {"kind": FactKind.RQTH, "started_on": "2024-01-01"})
        assert response.status_code == 422
        assert "kind" in response.context["form"].errors
        assert not SituationFact.objects.exists()

    def test_manager_cannot_add_facts(self, client, manager, person):
        client.force_login(manager)
        response = client.post(self.url(person), {"kind": FactKind.RSA, "started_on": "2024-01-01"})
        assert response.status_code == 403
        assert not SituationFact.objects.exists()

    def test_get_is_not_allowed(self, alice_client, person):
        assert alice_client.get(self.url(person)).status_code == 405
