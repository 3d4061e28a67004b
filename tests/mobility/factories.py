import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from tests.factories import OrganizationFactory, PersonFactory
from tremplin.mobility.enums import VehicleKind
from tremplin.mobility.models import (
    Diagnostic,
    LicenceAid,
    Prescription,
    Registration,
    Rental,
    Tariff,
    Vehicle,
    WorkshopSession,
)
from tremplin.people.enums import Programme
from tremplin.people.models import FollowUp
from tremplin.structures.enums import OrganizationKind


class PrescriptionFactory(DjangoModelFactory):
    class Meta:
        model = Prescription
        skip_postgeneration_save = True

    # An adult on every date of the tests (a minor needs a guardian's consent before renting).
    person = factory.SubFactory(PersonFactory, birth_date=datetime.date(1988, 4, 2))
    platform = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.LEAD, name="Plateforme mobilité")
    prescriber = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.PRESCRIBER)
    prescribed_on = datetime.date(2024, 1, 10)
    reason = "Trouver un moyen d'aller travailler à Quetigny à 6 h."

    @factory.post_generation
    def follow_up(obj, create, extracted, **kwargs):
        """As services.prescribe does: the platform follows the person (skipped with follow_up=False)."""
        if create and extracted is not False:
            FollowUp.objects.get_or_create(
                person=obj.person,
                organization=obj.platform,
                programme=Programme.MOBILITY,
                ended_on=None,
                defaults={"prescriber": obj.prescriber, "started_on": obj.prescribed_on},
            )


class DiagnosticFactory(DjangoModelFactory):
    class Meta:
        model = Diagnostic

    prescription = factory.SubFactory(PrescriptionFactory)
    held_on = datetime.date(2024, 1, 20)


class VehicleFactory(DjangoModelFactory):
    class Meta:
        model = Vehicle

    kind = VehicleKind.SCOOTER
    identifier = factory.Sequence(lambda n: f"GA-{n:03d}-MB")
    model_name = "Peugeot Kisbee 50"
    insurance_expires_on = datetime.date(2030, 12, 31)
    inspection_expires_on = None
    commissioned_on = datetime.date(2020, 1, 1)


class TariffFactory(DjangoModelFactory):
    class Meta:
        model = Tariff
        django_get_or_create = ("vehicle_kind", "name", "valid_from")

    name = "Solidaire"
    vehicle_kind = VehicleKind.SCOOTER
    daily_price = Decimal("2.00")
    deposit = Decimal("150.00")
    valid_from = datetime.date(2020, 1, 1)


class RentalFactory(DjangoModelFactory):
    class Meta:
        model = Rental

    prescription = factory.SubFactory(PrescriptionFactory)
    vehicle = factory.SubFactory(VehicleFactory)
    tariff = factory.SubFactory(TariffFactory, vehicle_kind=factory.SelfAttribute("..vehicle.kind"))
    starts_on = datetime.date(2024, 2, 1)
    ends_on = datetime.date(2024, 2, 29)
    first_ends_on = factory.SelfAttribute("ends_on")
    daily_price = factory.SelfAttribute("tariff.daily_price")


class LicenceAidFactory(DjangoModelFactory):
    class Meta:
        model = LicenceAid

    prescription = factory.SubFactory(PrescriptionFactory)
    licence = "b"
    started_on = datetime.date(2024, 1, 15)
    driving_school = "Auto-école du Drapeau"


class WorkshopSessionFactory(DjangoModelFactory):
    class Meta:
        model = WorkshopSession

    kind = "bou_jeu"
    held_on = datetime.date(2024, 3, 12)
    place = "Fontaine d'Ouche, Dijon"
    partner = "Centre social"
    capacity = 12


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(WorkshopSessionFactory)
    person = factory.SubFactory(PersonFactory)
