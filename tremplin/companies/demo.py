"""The companies module of the demo: a plausible year of relation with companies, offers and events.

At full scale (`ctx.scale` 1, or no scale): about 150 companies met (about 450 interactions, Relais Conseil
aux Entreprises appointments among them), three partnership agreements (RSE, OPCO, Dieze immersions), about
130 offers from 46 companies presented at « La Voie des Talents » (a job fair with about 900 registrations,
over 70 % pupils, about half of them present) and 45 offers of the Relais (58 posts), about 160 expressions of
interest, proposals and their outcomes, immersions, two 100 Chances SAS (one past, of 12, with the
committee's decisions; one to come), two « En Cas Pass Cité » sessions of 13 weeks, a seniors workshop and
about 380 Points Relais contacts. People are created through `ctx.people` (followed by the chargée de
projet's structure in the Cité de l'emploi programme), plus job search profiles for some of the demo's
PLIE participants, so that référent·es rank their own people.

Contract (tremplin.core.modules): build(ctx) -> summary lines; delete(ctx) removes what build made.
"""

from datetime import timedelta

from django.db.models import Q

from tremplin.companies.enums import (
    OFFER_CONTRACTS,
    AgreementKind,
    Attendance,
    CommitteeDecision,
    CompanyProgramme,
    CompanySize,
    ContractType,
    EventKind,
    ImmersionOutcome,
    InteractionKind,
    OfferStatus,
    ProposalOutcome,
    Public,
    QualificationClass,
    RelaisChannel,
    RelaisOutcome,
    RelaisSubject,
)
from tremplin.companies.models import (
    CompanyProfile,
    Event,
    Hire,
    Immersion,
    Interaction,
    Interest,
    JobSearchProfile,
    Offer,
    PartnershipAgreement,
    Proposal,
    Registration,
    RelaisContact,
)
from tremplin.core.validators import luhn_ok
from tremplin.people.enums import Programme
from tremplin.structures.enums import Activity, OrganizationKind
from tremplin.structures.models import Contact, Organization
from tremplin.territory.models import Commune, RomeCode

# (NAF, sector, ROME codes of its jobs, weight)
SECTORS = [
    ("43.21A", "BTP", ["F1602", "F1703", "F1604", "F1606"], 14),
    ("81.21Z", "Propreté", ["K2204", "K2202"], 12),
    ("86.10Z", "Santé", ["J1501", "J1301", "K1302"], 12),
    ("56.10A", "Restauration", ["G1602", "G1603", "G1605"], 10),
    ("52.29A", "Logistique", ["N1103", "N1105", "N4105"], 12),
    ("47.11F", "Commerce", ["D1507", "D1505", "D1106"], 10),
    ("88.10A", "Aide à domicile", ["K1304", "K1302"], 10),
    ("10.71C", "Industrie agroalimentaire", ["H2102", "D1102", "H3302"], 8),
    ("49.41A", "Transport", ["N4101", "N4105"], 6),
    ("21.20Z", "Industries de santé", ["H2301", "H1502", "H3302"], 6),
]
# The line of business the clauses reports read on every company (structures.Activity).
ACTIVITY_OF_SECTOR = {
    "BTP": Activity.BUILDING,
    "Industrie agroalimentaire": Activity.OTHER,
    "Industries de santé": Activity.OTHER,
}
SIZES = [(CompanySize.MICRO, 40), (CompanySize.SMALL, 35), (CompanySize.MEDIUM, 18), (CompanySize.LARGE, 7)]
COMPANY_WORDS = ["Bâtiment", "Services", "Propreté", "Logistique", "Santé", "Saveurs", "Transports", "Habitat"]
NAME_SUFFIXES = ["Bourgogne", "Dijon", "Côte-d'Or", "Métropole", "Grand Est", "de Bourgogne", "21"]
SUBJECTS = {
    InteractionKind.VISIT: "Visite de l'entreprise et de ses besoins de recrutement",
    InteractionKind.CALL: "Point téléphonique sur les offres en cours",
    InteractionKind.EMAIL: "Envoi des profils et du calendrier des événements",
    InteractionKind.HR_ADVICE: "Rendez-vous conseil RH : fiche de poste et intégration",
    InteractionKind.MEETING: "Réunion de partenariat",
}
MARK = "[démo entreprises]"
# The demo recognises its structures by this e-mail domain (tremplin.demo: `demo_organizations()`), so that the
# companies made here are deleted with the demo's shared rows.
DEMO_EMAIL_DOMAIN = "demo.tremplin.fr"


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _siret(index: int) -> str:
    siren_base = f"{(73_000_000 + index * 7_919) % 10**8:08d}"
    siren = next(siren_base + str(d) for d in range(10) if luhn_ok(siren_base + str(d)))
    nic_base = f"{siren}000{index % 9 + 1}"
    return next(nic_base + str(d) for d in range(10) if luhn_ok(nic_base + str(d)))


def _remember(collection, ids):
    if collection is None:
        return
    if hasattr(collection, "update"):
        collection.update(ids)
    else:
        collection.extend(ids)


def _scaled(ctx, count: int) -> int:
    return max(1, round(count * getattr(ctx, "scale", 1.0)))


class _Builder:
    def __init__(self, ctx):
        self.ctx, self.rng, self.today = ctx, ctx.rng, ctx.today
        self.officer = ctx.users["chargee-de-projet"]
        self.lead = self.officer.primary_membership.organization
        self.company_user = ctx.users.get("entreprise")
        self.start = self.today - timedelta(days=365)
        self.romes = set(RomeCode.objects.values_list("code", flat=True))
        self.metropole = list(Commune.objects.metropole())
        self.others = list(Commune.objects.filter(is_metropole=False)[:80])
        self.lines = []
        self.used = set()

    def day(self, first=None, last=None):
        first, last = first or self.start, last or self.today
        return first + timedelta(days=self.rng.randrange((last - first).days + 1))

    def commune(self):
        return (
            self.rng.choice(self.metropole)
            if self.rng.random() < 0.8 or not self.others
            else self.rng.choice(self.others)
        )

    def sector(self):
        return _weighted(self.rng, [(s, s[3]) for s in SECTORS])

    def rome(self, sector):
        codes = [code for code in sector[2] if code in self.romes] or sorted(self.romes)[:1]
        return self.rng.choice(codes)

    # --- Companies --------------------------------------------------------------------------

    def companies(self, count):
        existing = Organization.objects.count()
        rows = []
        for i in range(count):
            sector = self.sector()
            name = f"{self.ctx.faker.last_name()} {self.rng.choice(COMPANY_WORDS)} {self.rng.choice(NAME_SUFFIXES)}"
            commune = self.commune()
            rows.append(
                (
                    Organization(
                        name=name,
                        kind=OrganizationKind.COMPANY,
                        activity=ACTIVITY_OF_SECTOR.get(sector[1], Activity.SERVICES),
                        siret=_siret(existing * 31 + i),
                        commune=commune,
                        address=f"{self.rng.randint(1, 120)} {self.ctx.faker.street_name()}",
                        email=f"contact@entreprise-{existing * 31 + i}.{DEMO_EMAIL_DOMAIN}",
                        search_text="",
                    ),
                    sector,
                )
            )
        taken = set(Organization.objects.exclude(siret="").values_list("siret", flat=True))
        rows = [(org, sector) for org, sector in rows if org.siret not in taken]
        for org, _ in rows:
            org.save()
        companies = [org for org, _ in rows]
        _remember(getattr(self.ctx, "organization_ids", None), [org.pk for org in companies])
        if self.company_user is not None:
            own = self.company_user.primary_membership.organization
            if own.kind in (OrganizationKind.COMPANY, OrganizationKind.SIAE):
                rows.insert(0, (own, SECTORS[1]))
        CompanyProfile.objects.bulk_create(
            CompanyProfile(
                organization=org,
                naf_code=sector[0],
                sector=sector[1],
                size=_weighted(self.rng, SIZES),
            )
            for org, sector in rows
            if not CompanyProfile.objects.filter(organization=org).exists()
        )
        Contact.objects.bulk_create(
            Contact(
                organization=org,
                first_name=self.ctx.faker.first_name(),
                last_name=self.ctx.faker.last_name(),
                job_title=self.rng.choice(["Responsable RH", "Gérant·e", "Chef·fe d'équipe", "Directeur·rice"]),
            )
            for org, _ in rows
        )
        self.sector_of = {org.pk: sector for org, sector in rows}
        self.companies_list = [org for org, _ in rows]
        return self.companies_list

    def interactions(self, count):
        kinds = [
            (InteractionKind.VISIT, 30),
            (InteractionKind.CALL, 30),
            (InteractionKind.EMAIL, 20),
            (InteractionKind.HR_ADVICE, 15),
            (InteractionKind.MEETING, 5),
        ]
        programmes = [
            (CompanyProgramme.PLIE, 25),
            (CompanyProgramme.RELAIS, 20),
            (CompanyProgramme.DAQ, 15),
            (CompanyProgramme.CLAUSES, 15),
            (CompanyProgramme.CITE, 10),
            (CompanyProgramme.LAB, 10),
            (CompanyProgramme.CHANCES, 5),
        ]
        rows = []
        for _ in range(count):
            kind = _weighted(self.rng, kinds)
            programme = (
                CompanyProgramme.RELAIS if kind == InteractionKind.HR_ADVICE else _weighted(self.rng, programmes)
            )
            rows.append(
                Interaction(
                    company=self.rng.choice(self.companies_list),
                    kind=kind,
                    programme=programme,
                    happened_on=self.day(),
                    by=self.officer,
                    subject=SUBJECTS[kind],
                    notes=MARK,
                )
            )
        Interaction.objects.bulk_create(rows)
        return len(rows)

    def agreements(self):
        specs = [
            (
                AgreementKind.RSE,
                "Partenariat RSE : parrainages et visites",
                "4 visites par an, 10 parrainages, 2 job datings",
            ),
            (AgreementKind.OPCO, "Convention OPCO EP", "Financement de 12 parcours de préqualification"),
            (
                AgreementKind.IMMERSION,
                "Convention d'immersions Dieze",
                "Immersions (PMSMP) pour les participant·es du PLIE",
            ),
        ]
        rows = [
            PartnershipAgreement(
                company=company,
                kind=kind,
                title=title,
                commitments=commitments,
                signed_on=self.start + timedelta(days=30 * i),
                starts_on=self.start + timedelta(days=30 * i),
                ends_on=self.start + timedelta(days=30 * i + 730),
            )
            for i, ((kind, title, commitments), company) in enumerate(
                zip(specs, self.companies_list[:3], strict=False)
            )
        ]
        PartnershipAgreement.objects.bulk_create(rows)
        return len(rows)

    def offers(self, companies, count, *, received, statuses, programmes):
        rows = []
        for i in range(count):
            company = companies[i % len(companies)]
            sector = self.sector_of[company.pk]
            code = self.rome(sector)
            qualification = _weighted(
                self.rng,
                [
                    (QualificationClass.QUALIFIED, 33),
                    (QualificationClass.GREY_ZONE, 13),
                    (QualificationClass.UNQUALIFIED, 12),
                ],
            )
            day = received()
            rows.append(
                Offer(
                    company=company,
                    title=self.rome_labels[code],
                    rome_id=code,
                    contract_type=_weighted(
                        self.rng,
                        [
                            (ContractType.CDI, 30),
                            (ContractType.CDD, 35),
                            (ContractType.INTERIM, 15),
                            (ContractType.APPRENTICESHIP, 10),
                            (ContractType.PROFESSIONALISATION, 10),
                        ],
                    ),
                    duration_months=self.rng.choice([None, 3, 6, 12]),
                    weekly_hours=self.rng.choice([20, 24, 28, 35, 35, 35, 39]),
                    skills="Ponctualité, travail en équipe, respect des consignes de sécurité.",
                    qualification=qualification,
                    commune=company.commune or self.commune(),
                    requires_licence=self.rng.random() < 0.3,
                    requires_vehicle=self.rng.random() < 0.08,
                    starts_on=day + timedelta(days=self.rng.randint(10, 60)),
                    posts=_weighted(self.rng, [(1, 70), (2, 20), (3, 7), (5, 3)]),
                    status=_weighted(self.rng, statuses),
                    status_changed_on=day,
                    received_on=day,
                    programmes=programmes,
                    created_by=self.officer,
                )
            )
        return Offer.objects.bulk_create(rows)

    # --- People -----------------------------------------------------------------------------

    def people(self, count, *, ages, on=None):
        people = self.ctx.people.create(
            count, created_by=self.officer, organization=self.lead, programme=Programme.CITE, ages=ages, on=on
        )
        _remember(getattr(self.ctx, "person_ids", None), [p.pk for p in people])
        return people

    def registry_people(self, count, *, registered_before, programme=None):
        """`count` people of the demo's registry (at random, registered before the day), fewer if it has fewer."""
        if not hasattr(self.ctx, "persons"):
            return []
        people = self.ctx.persons(programme).filter(registered_on__lt=registered_before, erased_at__isnull=True)
        chosen = [p for p in people if p.pk not in self.used]
        chosen = self.rng.sample(chosen, min(count, len(chosen)))
        self.used.update(p.pk for p in chosen)
        return chosen

    def profiles(self, people):
        rows = []
        for person in people:
            sector = self.sector()
            codes = [self.rome(sector)] + ([self.rome(self.sector())] if self.rng.random() < 0.4 else [])
            contracts = self.rng.sample([contract.value for contract in OFFER_CONTRACTS[:5]], self.rng.randint(0, 3))
            low = self.rng.choice([None, None, 15, 20, 24])
            profile = JobSearchProfile(
                person=person,
                rome_1_id=codes[0],
                rome_2_id=codes[1] if len(codes) > 1 and codes[1] != codes[0] else None,
                has_licence=self.rng.random() < 0.5,
                has_vehicle=self.rng.random() < 0.35,
                min_weekly_hours=low,
                max_weekly_hours=None if self.rng.random() < 0.5 else (low or 15) + self.rng.choice([10, 15, 20]),
                available_from=None
                if self.rng.random() < 0.3
                else self.today - timedelta(days=self.rng.randint(-30, 120)),
            )
            profile.accepted_contracts = contracts
            rows.append(profile)
        JobSearchProfile.objects.bulk_create(rows, ignore_conflicts=True)

    # --- Build ------------------------------------------------------------------------------

    def build(self):
        ctx, rng = self.ctx, self.rng
        self.rome_labels = dict(RomeCode.objects.values_list("code", "label"))
        companies = self.companies(_scaled(ctx, 150))
        interactions = self.interactions(_scaled(ctx, 450))
        agreements = self.agreements()
        fair_day = self.today - timedelta(days=120)
        fair_companies = companies[: min(len(companies), _scaled(ctx, 46))]
        filled = [
            (OfferStatus.FILLED_BY_US, 25),
            (OfferStatus.FILLED_OTHERWISE, 15),
            (OfferStatus.UNKNOWN, 17),
            (OfferStatus.IN_PROGRESS, 9),
            (OfferStatus.OPEN, 30),
            (OfferStatus.CANCELLED, 4),
        ]
        fair_offers = self.offers(
            fair_companies,
            _scaled(ctx, 130),
            received=lambda: self.day(fair_day - timedelta(days=60), fair_day - timedelta(days=5)),
            statuses=filled,
            programmes=[CompanyProgramme.PLIE, CompanyProgramme.CITE, CompanyProgramme.DAQ],
        )
        relais_offers = self.offers(
            companies[len(fair_companies) :] or companies,
            _scaled(ctx, 45),
            received=self.day,
            statuses=filled,
            programmes=[CompanyProgramme.RELAIS, CompanyProgramme.PLIE],
        )
        offers = fair_offers + relais_offers
        # Who comes to the fair: pupils, job seekers, QPV residents, students.
        registrations_count = _scaled(ctx, 900)
        pupils = self.people(round(registrations_count * 0.72), ages=(16, 18), on=fair_day - timedelta(days=30))
        # Job seekers: people of the registry (PLIE participants first), so that their référent·es rank them;
        # new people only if the registry has too few.
        wanted = registrations_count - len(pupils)
        seekers = self.registry_people(wanted, registered_before=fair_day, programme=Programme.PLIE)
        if len(seekers) < wanted:
            seekers += self.people(wanted - len(seekers), ages=(18, 60), on=fair_day - timedelta(days=60))
        self.profiles(seekers)
        prescribers = list(Organization.objects.filter(kind=OrganizationKind.PRESCRIBER)[:20])
        fair = Event.objects.create(
            kind=EventKind.JOB_FAIR,
            title=f"La Voie des Talents {fair_day.year}",
            programme=CompanyProgramme.LAB,
            starts_on=fair_day,
            ends_on=fair_day,
            place="Palais des congrès, Dijon",
            commune=self.metropole[0] if self.metropole else None,
            created_by=self.officer,
        )
        fair.offers.set(fair_offers)
        registrations = []
        pupil_ids = {p.pk for p in pupils}
        seeker_ids = {p.pk for p in seekers}
        for person in pupils + seekers:
            public = (
                Public.PUPIL
                if person.pk in pupil_ids
                else _weighted(self.rng, [(Public.JOB_SEEKER, 60), (Public.QPV_RESIDENT, 25), (Public.STUDENT, 15)])
            )
            registrations.append(
                Registration(
                    event=fair,
                    person=person,
                    public=public,
                    prescriber=rng.choice(prescribers) if prescribers and rng.random() < 0.6 else None,
                    registered_on=fair_day - timedelta(days=rng.randint(1, 30)),
                    attendance=Attendance.PRESENT if rng.random() < 0.51 else Attendance.ABSENT,
                    registered_by=self.officer,
                )
            )
        Registration.objects.bulk_create(registrations)
        present_seekers = [
            r.person for r in registrations if r.person.pk in seeker_ids and r.attendance == Attendance.PRESENT
        ]
        interests = []
        for person in present_seekers:
            for offer in rng.sample(fair_offers, min(len(fair_offers), rng.choice([1, 1, 2, 3]))):
                interests.append(
                    Interest(person=person, offer=offer, event=fair, expressed_on=fair_day, recorded_by=self.officer)
                )
        interests = interests[: _scaled(ctx, 164)]
        Interest.objects.bulk_create(interests, ignore_conflicts=True)
        # Proposals after the fair, from the interests, and their outcomes.
        proposals, hires = [], []
        for interest in interests[: max(1, len(interests) // 2)]:
            outcome = _weighted(
                rng,
                [
                    (ProposalOutcome.HIRED, 25),
                    (ProposalOutcome.NOT_RETAINED, 30),
                    (ProposalOutcome.PENDING, 20),
                    (ProposalOutcome.INTERVIEW, 10),
                    (ProposalOutcome.DECLINED, 15),
                ],
            )
            proposed_on = fair_day + timedelta(days=rng.randint(3, 20))
            proposals.append(
                Proposal(
                    offer=interest.offer,
                    person=interest.person,
                    proposed_on=proposed_on,
                    proposed_by=self.officer,
                    outcome=outcome,
                    outcome_on=proposed_on + timedelta(days=rng.randint(5, 30))
                    if outcome not in (ProposalOutcome.PENDING,)
                    else None,
                )
            )
        proposals = Proposal.objects.bulk_create(proposals, ignore_conflicts=False)
        for proposal in proposals:
            if proposal.outcome == ProposalOutcome.HIRED:
                hires.append(
                    Hire(
                        proposal=proposal,
                        person=proposal.person,
                        offer=proposal.offer,
                        started_on=min(proposal.outcome_on + timedelta(days=7), self.today),
                        contract_type=proposal.offer.contract_type,
                        recorded_by=self.officer,
                    )
                )
        Hire.objects.bulk_create(hires)
        # The company user's offer, with two proposals to it.
        if (
            self.company_user is not None
            and self.companies_list[0] == self.company_user.primary_membership.organization
        ):
            own_offer = offers[0] if offers[0].company_id == self.companies_list[0].pk else None
            if own_offer is not None:
                for person in seekers[:2]:
                    Proposal.objects.get_or_create(
                        offer=own_offer,
                        person=person,
                        defaults={"proposed_by": self.officer, "proposed_on": fair_day + timedelta(days=10)},
                    )
        # 100 Chances - 100 Emplois: a past SAS of 12 with the committee's decisions, and one to come.
        past_sas_day = self.today - timedelta(days=75)
        sas = Event.objects.create(
            kind=EventKind.SAS,
            title=f"SAS 100 Chances - 100 Emplois {past_sas_day:%m/%Y}",
            programme=CompanyProgramme.CHANCES,
            starts_on=past_sas_day,
            ends_on=past_sas_day + timedelta(days=4),
            place="Creativ', Dijon",
            capacity=12,
            created_by=self.officer,
        )
        sas_people = self.people(12, ages=(18, 30), on=past_sas_day - timedelta(days=40))
        self.profiles(sas_people)
        decisions = [CommitteeDecision.IMMEDIATE] * 9 + [
            CommitteeDecision.DEFERRED,
            CommitteeDecision.REFUSED,
            CommitteeDecision.WITHDRAWN,
        ]
        Registration.objects.bulk_create(
            Registration(
                event=sas,
                person=person,
                public=Public.QPV_RESIDENT,
                registered_on=past_sas_day - timedelta(days=14),
                attendance=Attendance.PRESENT,
                decision=decisions[i % len(decisions)],
                decided_on=sas.ends_on + timedelta(days=3),
                registered_by=self.officer,
            )
            for i, person in enumerate(sas_people)
        )
        next_sas = Event.objects.create(
            kind=EventKind.SAS,
            title=f"SAS 100 Chances - 100 Emplois {(self.today + timedelta(days=30)):%m/%Y}",
            programme=CompanyProgramme.CHANCES,
            starts_on=self.today + timedelta(days=30),
            ends_on=self.today + timedelta(days=34),
            capacity=12,
            created_by=self.officer,
        )
        coming = self.people(min(8, _scaled(ctx, 8) + 1), ages=(18, 30))
        Registration.objects.bulk_create(
            Registration(event=next_sas, person=p, public=Public.QPV_RESIDENT, registered_by=self.officer)
            for p in coming
        )
        # Cité de l'emploi: two 13-week « En Cas Pass Cité » sessions for women, a seniors workshop.
        sessions = 0
        for offset in (300, 150):
            start = self.today - timedelta(days=offset)
            session = Event.objects.create(
                kind=EventKind.CITE_SESSION,
                title=f"En Cas Pass Cité – session du {start:%d/%m/%Y}",
                programme=CompanyProgramme.CITE,
                starts_on=start,
                ends_on=start + timedelta(weeks=13),
                place="Maison de quartier des Grésilles, Dijon",
                capacity=12,
                created_by=self.officer,
            )
            women = [
                p
                for p in self.registry_people(_scaled(ctx, 40), registered_before=start, programme=Programme.CITE)
                if p.sex == "F"
            ][: _scaled(ctx, 9)]
            if len(women) < _scaled(ctx, 9):
                # The generator draws women and men: the session takes the women among those drawn.
                drawn = self.people(_scaled(ctx, 18), ages=(25, 55), on=start - timedelta(days=20))
                women += [p for p in drawn if p.sex == "F"]
            Registration.objects.bulk_create(
                Registration(
                    event=session,
                    person=p,
                    public=Public.QPV_RESIDENT,
                    attendance=Attendance.PRESENT,
                    registered_on=start - timedelta(days=7),
                    registered_by=self.officer,
                )
                for p in women[: _scaled(ctx, 9)]
            )
            sessions += 1
        workshop_day = self.today - timedelta(days=40)
        workshop = Event.objects.create(
            kind=EventKind.WORKSHOP,
            title="Atelier seniors : rencontrer 13 recruteurs",
            programme=CompanyProgramme.CITE,
            starts_on=workshop_day,
            ends_on=workshop_day,
            capacity=15,
            created_by=self.officer,
        )
        seniors = [
            p
            for p in self.registry_people(_scaled(ctx, 60), registered_before=workshop_day)
            if p.age_on(workshop_day) >= 50
        ][: _scaled(ctx, 8)]
        if not seniors:
            seniors = self.people(_scaled(ctx, 8), ages=(50, 62), on=workshop_day - timedelta(days=20))
        Registration.objects.bulk_create(
            Registration(
                event=workshop,
                person=p,
                public=Public.JOB_SEEKER,
                attendance=Attendance.PRESENT,
                registered_on=workshop_day - timedelta(days=10),
                registered_by=self.officer,
            )
            for p in seniors
        )
        # Immersions (PMSMP).
        immersions = []
        for person in rng.sample(seekers, min(len(seekers), _scaled(ctx, 30))):
            company = rng.choice(self.companies_list)
            start = self.day()
            immersions.append(
                Immersion(
                    person=person,
                    company=company,
                    rome_id=self.rome(self.sector_of[company.pk]),
                    starts_on=start,
                    ends_on=start + timedelta(days=rng.choice([4, 9, 11])),
                    objective=rng.choice(
                        [
                            "Découvrir le métier",
                            "Confirmer le projet professionnel",
                            "Initier une démarche de recrutement",
                        ]
                    ),
                    tutor=f"{ctx.faker.first_name()} {ctx.faker.last_name()}",
                    outcome=_weighted(
                        rng,
                        [
                            (ImmersionOutcome.CONFIRMED, 40),
                            (ImmersionOutcome.HIRED, 15),
                            (ImmersionOutcome.NOT_CONFIRMED, 25),
                            (ImmersionOutcome.INTERRUPTED, 5),
                            (ImmersionOutcome.PLANNED, 15),
                        ],
                    ),
                    recorded_by=self.officer,
                )
            )
        Immersion.objects.bulk_create(immersions)
        # Points Relais.
        partners = list(
            Organization.objects.filter(kind__in=[OrganizationKind.PRESCRIBER, OrganizationKind.OPERATOR])[:10]
        ) or [self.lead]
        contacts = []
        for _ in range(_scaled(ctx, 380)):
            outcome = RelaisOutcome.REFERRAL if rng.random() < 0.4 else RelaisOutcome.DIRECT
            contacts.append(
                RelaisContact(
                    organization=self.lead,
                    happened_on=self.day(),
                    channel=_weighted(
                        rng, [(RelaisChannel.WALK_IN, 55), (RelaisChannel.PHONE, 35), (RelaisChannel.EMAIL, 10)]
                    ),
                    subject=_weighted(
                        rng, [(s, w) for s, w in zip(RelaisSubject.values, [35, 15, 20, 10, 10, 5, 5], strict=True)]
                    ),
                    outcome=outcome,
                    referred_to=rng.choice(partners) if outcome == RelaisOutcome.REFERRAL else None,
                    note=MARK,
                    recorded_by=self.officer,
                )
            )
        RelaisContact.objects.bulk_create(contacts)
        posts = sum(o.posts for o in offers)
        return [
            f"Entreprises : {len(companies)} entreprises, {interactions} échanges, "
            f"{agreements} conventions de partenariat.",
            f"Offres : {len(offers)} offres ({posts} postes), dont {len(fair_offers)} présentées à « {fair.title} ».",
            f"Événements : {len(registrations)} inscriptions au forum, {len(interests)} intérêts, "
            f"{len(proposals)} propositions, "
            f"{len(hires)} embauches ; 2 SAS 100 Chances, {sessions} sessions Cité de l'emploi, 1 atelier.",
            f"Immersions : {len(immersions)} ; Points Relais : {len(contacts)} contacts.",
        ]


def build(ctx) -> list[str]:
    return _Builder(ctx).build()


def is_loaded(ctx) -> bool:
    return Offer.objects.filter(company_id__in=list(ctx.organization_ids or [])).exists()


def delete(ctx) -> None:
    """Remove what build() made: records of the demo's people, companies and users (never other data)."""
    people = list(getattr(ctx, "person_ids", None) or [])
    organizations = list(getattr(ctx, "organization_ids", None) or [])
    users = list(getattr(ctx, "user_ids", None) or [])
    RelaisContact.objects.filter(
        Q(person_id__in=people) | Q(organization_id__in=organizations) | Q(recorded_by_id__in=users)
    ).delete()
    Registration.objects.filter(Q(person_id__in=people) | Q(event__created_by_id__in=users)).delete()
    Event.objects.filter(created_by_id__in=users).delete()
    Interest.objects.filter(Q(person_id__in=people) | Q(offer__company_id__in=organizations)).delete()
    Hire.objects.filter(Q(person_id__in=people) | Q(offer__company_id__in=organizations)).delete()
    Proposal.objects.filter(
        Q(person_id__in=people) | Q(offer__company_id__in=organizations) | Q(proposed_by_id__in=users)
    ).delete()
    Immersion.objects.filter(Q(person_id__in=people) | Q(company_id__in=organizations)).delete()
    JobSearchProfile.objects.filter(person_id__in=people).delete()
    Offer.objects.filter(Q(company_id__in=organizations) | Q(created_by_id__in=users)).delete()
    PartnershipAgreement.objects.filter(company_id__in=organizations).delete()
    Interaction.objects.filter(Q(company_id__in=organizations) | Q(by_id__in=users)).delete()
    CompanyProfile.objects.filter(organization_id__in=organizations).delete()
    Contact.objects.filter(organization_id__in=organizations).delete()
    # Their history goes with them (the demo deletes without writing "deleted" rows).
    for model in (Registration, Interest, Hire, Proposal, Immersion, JobSearchProfile, RelaisContact):
        model.history.model.objects.filter(person_id__in=people).delete()
    Offer.history.model.objects.filter(company_id__in=organizations).delete()
    CompanyProfile.history.model.objects.filter(organization_id__in=organizations).delete()
