"""The Plateforme mobilité of the demo: a Dijon-scale fleet and four years of activity.

Targets (seed 000, 2023 report; domain spec §5): about 350 beneficiaries a year, 86 % living in Dijon
Métropole, about 17 % in a QPV, 37 % under 26 with a few aged 15-17 (each with a guardian's consent), 17 %
from the integration-policy public. The fleet: 22 bikes, 18 e-bikes, 15 scooters, 8 cars, a couple of them
in repair or with an insurance or inspection about to expire. About half of the beneficiaries rent a vehicle
(never two bookings of one vehicle at once: the database would refuse it), one in eight gets licence aid,
and the workshops (Integramob, Integracode, driving confidence, Bou-Jeu in Dijon, Auxonne, Genlis and
Fontaine d'Ouche, eco-mobility) gather them in sessions of 8 to 15.

`build(ctx, scale=1.0)` follows the contract of tremplin/core/modules.py; `scale` shrinks everything for
tests. Figures printed in the summary are computed by the indicator registry, never typed.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from tremplin.mobility.enums import (
    ActionKind,
    DepositStatus,
    ExamResult,
    Licence,
    LicenceStatus,
    MaintenanceKind,
    MeansOfTransport,
    Obstacle,
    PrescriptionStatus,
    RentalStatus,
    Skill,
    VehicleKind,
    VehicleState,
    WorkshopKind,
)
from tremplin.mobility.models import (
    ActionStep,
    Diagnostic,
    GuardianConsent,
    LicenceAid,
    Maintenance,
    Prescription,
    Registration,
    Rental,
    RentalRules,
    Tariff,
    Vehicle,
    WorkshopSession,
)
from tremplin.people.enums import FactKind, Programme
from tremplin.people.models import FollowUp, Person, SituationFact
from tremplin.reports.registry import Period, registry
from tremplin.structures.enums import OrganizationKind
from tremplin.territory.models import Commune, Qpv

YEARS = 4
# New prescriptions a year; with those still open from the year before, about 350 beneficiaries a year.
NEW_PRESCRIPTIONS_PER_YEAR = 255
METROPOLE_SHARE = 0.86
QPV_SHARE = 0.17
INTEGRATION_SHARE = 0.17
# Age bands of the new beneficiaries: 15-17 about 4 %, 18-25 36 % (under 26 about 37 % once aged on their
# reference day), 26-44 36 %, 45-64 24 %.
AGE_BANDS = [((15, 17), 0.04), ((18, 25), 0.36), ((26, 44), 0.36), ((45, 64), 0.24)]
FLEET = [(VehicleKind.BIKE, "VEL", 22), (VehicleKind.E_BIKE, "VAE", 18), (VehicleKind.SCOOTER, "SCO", 15)]
FLEET.append((VehicleKind.CAR, "VT", 8))
MODELS = {
    VehicleKind.BIKE: ["Btwin Riverside 120", "Gitane City"],
    VehicleKind.E_BIKE: ["Moustache Lundi 20", "Arcade e-Urban"],
    VehicleKind.SCOOTER: ["Peugeot Kisbee 50", "Yamaha Neo's 50"],
    VehicleKind.CAR: ["Renault Clio", "Dacia Sandero", "Peugeot 208"],
}
# Price per day and deposit, solidarity tariff; the standard tariff doubles the price.
PRICES = {
    VehicleKind.BIKE: (Decimal("1.00"), Decimal("50")),
    VehicleKind.E_BIKE: (Decimal("2.00"), Decimal("150")),
    VehicleKind.SCOOTER: (Decimal("3.00"), Decimal("300")),
    VehicleKind.CAR: (Decimal("6.00"), Decimal("500")),
}
TARIFF_NAMES = ("Solidaire", "Standard")
BOU_JEU_PLACES = [
    ("Dijon, maison des associations", "Mission Locale"),
    ("Auxonne", "DAQ 2.0 – organisme de formation"),
    ("Genlis, centre social", "Centre social de Genlis"),
    ("Fontaine d'Ouche, Dijon", "Centre social de la Fontaine d'Ouche"),
]
WORKSHOP_PLACES = ["Creativ', Dijon", "Chenôve, espace emploi", "Quetigny, centre social", "Talant, Belvédère"]
SESSIONS_PER_YEAR = {
    WorkshopKind.INTEGRAMOB: 12,
    WorkshopKind.INTEGRACODE: 16,
    WorkshopKind.DRIVING_CONFIDENCE: 10,
    WorkshopKind.BOU_JEU: 10,
    WorkshopKind.ECO_MOBILITY: 6,
}
DRIVING_SCHOOLS = ["Auto-école du Drapeau", "ECF Dijon", "Auto-école des Grésilles", "Permis Malin Chenôve"]
PRESCRIBER_KINDS = {OrganizationKind.PRESCRIBER, OrganizationKind.OPERATOR, OrganizationKind.SIAE}


def build(ctx, scale: float = 1.0) -> list[str]:
    return _Builder(ctx, scale).build()


def delete(ctx) -> None:
    """Remove the platform's demo records: those of the demo people, the demo fleet, tariffs and sessions."""
    person_ids = list(ctx.person_ids)
    with transaction.atomic():
        rentals = Rental.objects.filter(prescription__person_id__in=person_ids)
        Maintenance.objects.filter(rental__in=rentals).delete()
        rentals.delete()
        LicenceAid.objects.filter(prescription__person_id__in=person_ids).delete()
        Prescription.objects.filter(person_id__in=person_ids).delete()
        GuardianConsent.objects.filter(person_id__in=person_ids).delete()
        Registration.objects.filter(person_id__in=person_ids).delete()
        WorkshopSession.objects.filter(registrations__isnull=True, facilitator_id__in=list(ctx.user_ids)).delete()
        demo_vehicles = Vehicle.objects.filter(identifier__regex=r"^(VEL|VAE|SCO|VT)-\d{3}$", rentals__isnull=True)
        Maintenance.objects.filter(vehicle__in=demo_vehicles).delete()
        demo_vehicles.delete()
        Tariff.objects.filter(name__in=TARIFF_NAMES, rentals__isnull=True).delete()


class _Builder:
    def __init__(self, ctx, scale):
        self.ctx, self.scale, self.rng, self.today = ctx, scale, ctx.rng, ctx.today
        self.adviser = ctx.users["mobilite"]
        self.platform = self.adviser.primary_membership.organization
        self.first_day = datetime.date(self.today.year - YEARS + 1, 1, 1)
        self.prescribers = [o for o in ctx.organizations.values() if o.kind in PRESCRIBER_KINDS] or [self.platform]

    def _n(self, count) -> int:
        return max(1, round(count * self.scale))

    def _day(self, first, last):
        return first + datetime.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    @transaction.atomic
    def build(self) -> list[str]:
        RentalRules.current()
        self.tariffs = self._tariffs()
        self.vehicles = self._fleet()
        people = self._people()
        prescriptions = self._prescriptions(people)
        self._diagnostics(prescriptions)
        self._rentals(prescriptions)
        self._licence_aids(prescriptions)
        self._workshops(prescriptions)
        return self._summary()

    # Fleet and tariffs

    def _tariffs(self):
        tariffs = {}
        for kind, (price, deposit) in PRICES.items():
            for factor, name in zip((1, 2), TARIFF_NAMES, strict=True):
                tariffs[kind, name] = Tariff.objects.create(
                    name=name,
                    vehicle_kind=kind,
                    daily_price=price * factor,
                    deposit=deposit,
                    valid_from=self.first_day,
                )
        return tariffs

    def _fleet(self):
        vehicles = []
        for kind, prefix, count in FLEET:
            for number in range(1, self._n(count) + 1):
                motor = kind in (VehicleKind.SCOOTER, VehicleKind.CAR)
                vehicles.append(
                    Vehicle(
                        kind=kind,
                        identifier=f"{prefix}-{number:03d}",
                        model_name=self.rng.choice(MODELS[kind]),
                        commissioned_on=self._day(self.first_day - datetime.timedelta(days=365), self.first_day),
                        insurance_expires_on=self._day(
                            self.today - datetime.timedelta(days=5), self.today + datetime.timedelta(days=330)
                        )
                        if motor
                        else None,
                        inspection_expires_on=self._day(self.today, self.today + datetime.timedelta(days=700))
                        if kind == VehicleKind.CAR
                        else None,
                    )
                )
        vehicles = bulk_create_with_history(vehicles, Vehicle, default_user=self.adviser)
        # One bike and one scooter in repair today.
        for kind in (VehicleKind.BIKE, VehicleKind.SCOOTER):
            vehicle = next(v for v in vehicles if v.kind == kind)
            Vehicle.objects.filter(pk=vehicle.pk).update(state=VehicleState.REPAIR)
            vehicle.state = VehicleState.REPAIR
            Maintenance.objects.create(
                vehicle=vehicle,
                kind=MaintenanceKind.REPAIR,
                occurred_on=self.today - datetime.timedelta(days=3),
                description="Freins à changer" if kind == VehicleKind.BIKE else "Courroie de transmission",
                recorded_by=self.adviser,
            )
        return vehicles

    # People and prescriptions

    def _people(self) -> list[tuple[Person, datetime.date]]:
        """The beneficiaries, each with the day of the prescription."""
        result = []
        for year in range(self.first_day.year, self.today.year + 1):
            first, last = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), self.today)
            fraction = ((last - first).days + 1) / 365
            for ages, share in AGE_BANDS:
                count = self._n(NEW_PRESCRIPTIONS_PER_YEAR * share * fraction)
                created = self.ctx.people.create(
                    count,
                    created_by=self.adviser,
                    organization=self.platform,
                    programme=Programme.MOBILITY,
                    ages=ages,
                    on=first,
                )
                result += [(person, self._day(max(first, person.registered_on), last)) for person in created]
        self._place(result)
        return result

    def _place(self, people):
        """Bring the territory and the QPV residence near the platform's shares (86 %, 17 %)."""
        persons = [person for person, _ in people]
        metropole = [p for p in persons if p.commune.is_metropole]
        missing = round(len(persons) * (1 - METROPOLE_SHARE)) - (len(persons) - len(metropole))
        rural = list(Commune.objects.filter(department="21", is_metropole=False).order_by("insee_code")[:80])
        urban = list(Commune.objects.filter(is_metropole=True).order_by("insee_code"))
        movers = self.rng.sample(metropole, max(0, missing)) if missing > 0 else []
        if missing < 0:
            movers = self.rng.sample([p for p in persons if not p.commune.is_metropole], -missing)
        for person in movers:
            person.commune = self.rng.choice(rural if missing > 0 else urban)
            person.postcode = person.commune.postcode
            person.address = ""  # the street was the former commune's
            person.save(update_fields=["commune", "postcode", "address", "name_key", "search_text"])
        # A QPV residence belongs to the commune the person left: it goes with the move.
        SituationFact.objects.filter(kind=FactKind.QPV_RESIDENCE, person__in=movers).delete()
        qpvs = defaultdict(list)
        for qpv in Qpv.objects.all():
            qpvs[qpv.commune_id].append(qpv)
        in_qpv = set(
            SituationFact.objects.filter(kind=FactKind.QPV_RESIDENCE, person__in=persons).values_list(
                "person_id", flat=True
            )
        )
        candidates = [p for p in persons if p.pk not in in_qpv and qpvs.get(p.commune_id)]
        needed = round(len(persons) * QPV_SHARE) - len(in_qpv)
        if needed < 0:
            # More QPV residents than the platform's share among the people drawn: some lived elsewhere.
            leaving = self.rng.sample(sorted(in_qpv), -needed)
            SituationFact.objects.filter(kind=FactKind.QPV_RESIDENCE, person__in=leaving).delete()
        facts = [
            SituationFact(
                person=person,
                kind=FactKind.QPV_RESIDENCE,
                qpv=self.rng.choice(qpvs[person.commune_id]),
                started_on=person.registered_on,
                recorded_by=self.adviser,
            )
            for person in self.rng.sample(candidates, max(0, min(needed, len(candidates))))
        ]
        bulk_create_with_history(facts, SituationFact, default_user=self.adviser)

    def _prescriptions(self, people):
        prescriptions = []
        for person, day in people:
            closed_on = day + datetime.timedelta(days=self.rng.randint(90, 330))
            closed = closed_on < self.today - datetime.timedelta(days=30)
            prescriptions.append(
                Prescription(
                    person=person,
                    platform=self.platform,
                    prescriber=self.rng.choice(self.prescribers),
                    prescribed_on=day,
                    reason=self.rng.choice(
                        [
                            "Trouver un moyen de se rendre en formation.",
                            "Reprise d'emploi en horaires décalés, pas de transport en commun.",
                            "Projet de permis B pour accéder aux offres du BTP.",
                            "Entretien d'embauche en zone d'activité, besoin d'un véhicule.",
                        ]
                    ),
                    integration_policy=self.rng.random() < INTEGRATION_SHARE,
                    status=PrescriptionStatus.CLOSED if closed else PrescriptionStatus.OPEN,
                    closed_on=closed_on if closed else None,
                    prescribed_by=self.adviser,
                )
            )
        prescriptions = bulk_create_with_history(prescriptions, Prescription, default_user=self.adviser)
        followed = set(
            FollowUp.objects.filter(
                organization=self.platform, programme=Programme.MOBILITY, person__in=[p.person for p in prescriptions]
            ).values_list("person_id", flat=True)
        )
        FollowUp.objects.bulk_create(
            FollowUp(
                person=p.person,
                organization=self.platform,
                programme=Programme.MOBILITY,
                prescriber=p.prescriber,
                started_on=p.prescribed_on,
            )
            for p in prescriptions
            if p.person_id not in followed
        )
        return prescriptions

    def _diagnostics(self, prescriptions):
        diagnostics, consents = [], []
        for prescription in prescriptions:
            held_on = min(prescription.prescribed_on + datetime.timedelta(days=self.rng.randint(3, 20)), self.today)
            person = prescription.person
            if person.age_on(prescription.prescribed_on) < 18:
                consents.append(
                    GuardianConsent(
                        person=person,
                        guardian_name=f"{self.ctx.faker.first_name()} {person.last_name}",
                        relationship=self.rng.choice(["mère", "père", "tutrice"]),
                        given_on=prescription.prescribed_on,
                        document="Autorisation parentale signée",
                        recorded_by=self.adviser,
                    )
                )
            if self.rng.random() < 0.9:
                diagnostics.append(
                    Diagnostic(
                        prescription=prescription,
                        held_on=held_on,
                        adviser=self.adviser,
                        means=self.rng.sample(MeansOfTransport.values, self.rng.randint(1, 2)),
                        licence=self.rng.choice(LicenceStatus.values),
                        obstacles=self.rng.sample(Obstacle.values, self.rng.randint(1, 3)),
                        skills=self.rng.sample(Skill.values, self.rng.randint(0, 4)),
                    )
                )
        bulk_create_with_history(consents, GuardianConsent, default_user=self.adviser)
        diagnostics = bulk_create_with_history(diagnostics, Diagnostic, default_user=self.adviser)
        steps = []
        for diagnostic in diagnostics:
            for _ in range(self.rng.randint(1, 3)):
                planned_on = diagnostic.held_on + datetime.timedelta(days=self.rng.randint(7, 90))
                steps.append(
                    ActionStep(
                        diagnostic=diagnostic,
                        kind=self.rng.choice(ActionKind.values),
                        planned_on=planned_on,
                        done_on=planned_on if planned_on < self.today and self.rng.random() < 0.8 else None,
                    )
                )
        bulk_create_with_history(steps, ActionStep, default_user=self.adviser)

    # Rentals: one vehicle is never lent twice at once

    def _rentals(self, prescriptions):
        free_from = {vehicle.pk: max(vehicle.commissioned_on, self.first_day) for vehicle in self.vehicles}
        by_kind = defaultdict(list)
        for vehicle in self.vehicles:
            if vehicle.state == VehicleState.AVAILABLE:
                by_kind[vehicle.kind].append(vehicle)
        rentals = []
        for prescription in sorted(prescriptions, key=lambda p: p.prescribed_on):
            if self.rng.random() > 0.55:
                continue
            minor = prescription.person.age_on(prescription.prescribed_on) < 18
            kinds = [VehicleKind.BIKE, VehicleKind.E_BIKE, VehicleKind.SCOOTER] + ([] if minor else [VehicleKind.CAR])
            kind = self.rng.choices(kinds, weights=[3, 3, 3, 2][: len(kinds)])[0]
            wanted = prescription.prescribed_on + datetime.timedelta(days=self.rng.randint(5, 25))
            vehicle = min(by_kind[kind], key=lambda v: free_from[v.pk])
            starts_on = max(wanted, free_from[vehicle.pk])
            if starts_on > self.today + datetime.timedelta(days=20) or starts_on - wanted > datetime.timedelta(
                days=45
            ):
                continue
            first_end = starts_on + datetime.timedelta(days=self.rng.randint(14, 88))
            renewed = self.rng.random() < 0.2
            ends_on = first_end + datetime.timedelta(days=self.rng.randint(20, 88)) if renewed else first_end
            rentals.append(self._rental(prescription, vehicle, starts_on, first_end, ends_on, renewed))
            last = rentals[-1].returned_on or rentals[-1].ends_on
            if rentals[-1].status == RentalStatus.ONGOING:
                last = max(last, self.today + datetime.timedelta(days=30))
            free_from[vehicle.pk] = last + datetime.timedelta(days=1)
        Rental.objects.bulk_create(rentals, batch_size=500)

    def _rental(self, prescription, vehicle, starts_on, first_end, ends_on, renewed):
        tariff = self.tariffs[vehicle.kind, "Solidaire" if self.rng.random() < 0.85 else "Standard"]
        fund = self.rng.random() < 0.3
        rental = Rental(
            prescription=prescription,
            vehicle=vehicle,
            tariff=tariff,
            starts_on=starts_on,
            ends_on=ends_on,
            first_ends_on=first_end,
            renewals=1 if renewed else 0,
            daily_price=tariff.daily_price,
            deposit_amount=tariff.deposit,
            booked_by=self.adviser,
        )
        if starts_on > self.today:
            rental.status, rental.deposit_status = RentalStatus.BOOKED, DepositStatus.AWAITING
            return rental
        motor = vehicle.kind in (VehicleKind.SCOOTER, VehicleKind.CAR)
        rental.checked_out_on, rental.checkout_energy = starts_on, 100
        rental.checkout_mileage = self.rng.randint(500, 60000) if motor else 0
        rental.deposit_status, rental.deposit_changed_on = (
            (DepositStatus.FUND if fund else DepositStatus.RECEIVED),
            starts_on,
        )
        late = self.rng.random()
        returned_on = ends_on + datetime.timedelta(days=self.rng.randint(1, 9)) if late < 0.1 else ends_on
        if ends_on >= self.today or (late < 0.1 and ends_on >= self.today - datetime.timedelta(days=9)):
            rental.status = RentalStatus.ONGOING  # out, sometimes already late
            return rental
        rental.status, rental.returned_on = RentalStatus.RETURNED, returned_on
        rental.return_mileage = rental.checkout_mileage + (self.rng.randint(100, 3000) if motor else 0)
        rental.return_energy = self.rng.choice([25, 50, 75, 100])
        if self.rng.random() < 0.05:
            rental.return_damage = "Rayure sur le carénage" if motor else "Garde-boue tordu"
            rental.deposit_status = DepositStatus.CASHED
        else:
            rental.deposit_status = DepositStatus.RETURNED
        rental.deposit_changed_on = returned_on
        return rental

    def _licence_aids(self, prescriptions):
        aids = []
        for prescription in prescriptions:
            if self.rng.random() > 0.12:
                continue
            young = prescription.person.age_on(prescription.prescribed_on) < 18
            licence = Licence.AM if young or self.rng.random() < 0.15 else Licence.B
            started_on = prescription.prescribed_on + datetime.timedelta(days=self.rng.randint(10, 40))
            if started_on > self.today:
                continue
            aid = LicenceAid(
                prescription=prescription,
                licence=licence,
                started_on=started_on,
                driving_school=self.rng.choice(DRIVING_SCHOOLS),
                cpf_amount=Decimal(self.rng.choice([0, 800, 1200])),
                fastt_amount=Decimal(self.rng.choice([0, 0, 600])),
                other_aid_amount=Decimal(self.rng.choice([0, 300, 500])),
                other_aid_label="Aide de la Région" if self.rng.random() < 0.5 else "",
                personal_share=Decimal(self.rng.choice([50, 100, 200])),
            )
            months = (self.today - started_on).days // 30
            if licence == Licence.B:
                aid.code_hours, aid.driving_hours = min(30, months * 6), min(35, months * 4)
                if months >= 3:
                    aid.code_exam_on = started_on + datetime.timedelta(days=80)
                    aid.code_result = ExamResult.PASSED if self.rng.random() < 0.8 else ExamResult.FAILED
                if months >= 7 and aid.code_result == ExamResult.PASSED:
                    aid.driving_exam_on = started_on + datetime.timedelta(days=200)
                    aid.driving_result = ExamResult.PASSED if self.rng.random() < 0.7 else ExamResult.FAILED
            elif months >= 2:
                aid.driving_hours = 8
                aid.driving_exam_on = started_on + datetime.timedelta(days=45)
                aid.driving_result = ExamResult.PASSED if self.rng.random() < 0.9 else ExamResult.FAILED
            if aid.driving_result == ExamResult.PASSED:
                aid.obtained_on = aid.driving_exam_on
            aids.append(aid)
        bulk_create_with_history(aids, LicenceAid, default_user=self.adviser)

    def _workshops(self, prescriptions):
        by_year = defaultdict(list)
        for prescription in prescriptions:
            by_year[prescription.prescribed_on.year].append(prescription)
        sessions, plans = [], []
        for year in range(self.first_day.year, self.today.year + 1):
            last = min(datetime.date(year, 12, 31), self.today + datetime.timedelta(days=30))
            for kind, count in SESSIONS_PER_YEAR.items():
                for _ in range(self._n(count * ((last - datetime.date(year, 1, 1)).days + 1) / 365)):
                    place, partner = (
                        self.rng.choice(BOU_JEU_PLACES)
                        if kind == WorkshopKind.BOU_JEU
                        else (self.rng.choice(WORKSHOP_PLACES), "")
                    )
                    session = WorkshopSession(
                        kind=kind,
                        held_on=self._day(datetime.date(year, 1, 15), last),
                        place=place,
                        partner=partner,
                        public="Demandeurs d'emploi, jeunes" if kind == WorkshopKind.BOU_JEU else "",
                        capacity=self.rng.randint(8, 15),
                        facilitator=self.adviser,
                    )
                    sessions.append(session)
                    plans.append(by_year[year])
        sessions = bulk_create_with_history(sessions, WorkshopSession, default_user=self.adviser)
        registrations = []
        for session, pool in zip(sessions, plans, strict=True):
            candidates = [p.person for p in pool if p.prescribed_on <= session.held_on]
            for person in self.rng.sample(candidates, min(len(candidates), self.rng.randint(4, session.capacity))):
                attended = None if session.held_on > self.today else self.rng.random() < 0.8
                registrations.append(
                    Registration(session=session, person=person, attended=attended, registered_by=self.adviser)
                )
        bulk_create_with_history(registrations, Registration, default_user=self.adviser)

    # Summary

    def _summary(self) -> list[str]:
        year = self.today.year - 1
        period = Period.year(year)

        def value(indicator_id):
            return registry.get(indicator_id).evaluate(period=period).figure

        beneficiaries = value("mobility.beneficiaries")
        ids = [v.identifier for v in self.vehicles]
        fleet = ", ".join(
            f"{Vehicle.objects.filter(identifier__in=ids, kind=kind).count()} {label.lower()}"
            for kind, label in VehicleKind.choices
        )
        metropole, qpv = value("mobility.metropole_share").value, value("mobility.qpv_share").value
        young, occupancy = value("mobility.under_26_share").value, value("mobility.fleet_occupancy").value
        return [
            f"Plateforme mobilité : flotte de {len(self.vehicles)} véhicules ({fleet}).",
            f"Plateforme mobilité {year} : {beneficiaries.value} bénéficiaires, dont {_pct(metropole)} de Dijon "
            f"Métropole, {_pct(qpv)} en QPV, {_pct(young)} de moins de 26 ans "
            f"({beneficiaries.breakdown['15-17 ans']} de 15-17 ans).",
            f"Plateforme mobilité {year} : {value('mobility.rentals').value} locations, "
            f"{value('mobility.rental_days').value} jours, occupation de la flotte {_pct(occupancy)} ; "
            f"{value('mobility.licences_obtained').value} permis obtenus ; "
            f"{value('mobility.workshop_participants').value} participant·es aux ateliers.",
        ]


def _pct(value) -> str:
    return "—" if value is None else f"{round(value * 100)} %"
