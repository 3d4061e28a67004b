"""The clauses' demo, first part: the structures (buyers, companies, SIAE), then the operations, markets,
lots and globalisation agreements, with their sizing."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from tremplin.clauses.demo.data import (
    ADAPTED,
    ANRU_PROVENANCE,
    AREAS,
    BTP,
    BTP_NAMES,
    BTP_SHARE,
    BUILDING_COMPANIES,
    BUILDINGS,
    BUYERS,
    CDI_EQUIVALENCE,
    COLLEGES,
    COMPANY_COMMUNES,
    COMPANY_PATTERNS,
    COMPANY_STREETS,
    FUTURE_OPERATIONS,
    INSERTION_MARKETS,
    INTELLECTUAL,
    INTELLECTUAL_FIRMS,
    INTELLECTUAL_NAMES,
    INTELLECTUAL_PROFILES,
    LYCEES,
    OPERATIONS_PER_YEAR,
    OTHER_RESIDENCES,
    PARKS,
    PLACES,
    PLANNED_HOURS_REASONS,
    PROVENANCES,
    PUBLIC_WORKS_COMPANIES,
    PUBLIC_WORKS_TRADES,
    RESIDENCES,
    SCHOOLS,
    SECTOR_OF_OPERATIONS,
    SERVICE_COMPANIES,
    SERVICE_LOTS,
    SERVICE_MARKETS,
    SERVICE_NAMES,
    SERVICES,
    SIAE,
    SIRET_OFFSET,
    STATIC_EMPLOYERS,
    SUBCONTRACTING_RATES,
    TRADES,
    VILLAGE_SCHOOLS,
    ZACS,
    BuyerSpec,
    K,
)
from tremplin.clauses.demo.planned import (
    PlannedAgreement,
    PlannedLot,
    PlannedOperation,
    add_months,
    of_buyer,
    to_cents,
)
from tremplin.clauses.enums import (
    LegalBasis,
)
from tremplin.clauses.models import (
    CountingConvention,
    GlobalisationAgreement,
    Lot,
    Market,
    Operation,
)
from tremplin.core.text import fold
from tremplin.demo.data import CONTACT_TITLES, EMAIL_DOMAIN, LANDLINE_PREFIX, STREETS
from tremplin.demo.structures import demo_siret
from tremplin.people.enums import Sex
from tremplin.structures.enums import Activity, SiaeType
from tremplin.structures.models import Contact, Organization


class Operations:
    # Structures ------------------------------------------------------------------------------------------

    def _organization(self, name, kind, commune, street, *, siae_type="", activity="", website=""):
        b = self.b
        index = SIRET_OFFSET + len(self.new_organizations)
        siret = demo_siret(index) if kind in (K.COMPANY, K.SIAE) or self.rng.random() < 0.9 else ""
        slug = fold(name).replace(" ", "-")[:40].strip("-")
        while slug in self.slugs:
            slug = f"{slug[:36]}-{len(self.slugs)}"
        self.slugs.add(slug)
        organization = Organization(
            name=name,
            kind=kind,
            siae_type=siae_type,
            siret=siret,
            activity=activity,
            address=b.address([street]),
            commune=b.communes[commune],
            email=f"contact@{slug}.{EMAIL_DOMAIN}",
            phone=b.phone(LANDLINE_PREFIX),
            website=website,
            search_text=fold(f"{name} {siret}")[:255],
        )
        self._stamp(organization, b.admin, b.start - timedelta(days=self.rng.randint(200, 900)))
        organization._slug = slug
        self.new_organizations.append(organization)
        return organization

    def _company_name(self, pattern_key: str) -> str:
        patterns = COMPANY_PATTERNS[pattern_key]
        for _ in range(50):
            name = self.rng.choice(patterns).format(name=self.b.fake.last_name(), place=self.rng.choice(PLACES))
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError(f"No free company name for {pattern_key}")

    def _company_commune(self) -> str:
        return self._weighted(list(COMPANY_COMMUNES), list(COMPANY_COMMUNES.values()))

    def _organizations(self) -> None:
        b, rng = self.b, self.rng
        self.new_organizations, self.slugs = [], set()
        self.names = {o.name for o in b.organizations.values()}
        self.buyers = {}
        for spec in BUYERS:
            if spec.key in b.organizations:
                self.buyers[spec.key] = b.organizations[spec.key]
            else:
                self.buyers[spec.key] = self._organization(spec.name, K.BUYER, spec.commune, spec.street)
        # Employers by building trade, public works, service, SIAE type, EA/ESAT.
        self.by_trade = defaultdict(list)
        self.by_service = defaultdict(list)
        self.siae = defaultdict(list)
        self.adapted = []
        self.adapted_service = {}
        for key, trade in STATIC_EMPLOYERS.items():
            organization = b.organizations[key]
            if organization.kind == K.SIAE:
                self.siae[organization.siae_type].append(organization)
            elif trade in TRADES:
                self.by_trade[trade].append(organization)
            else:
                self.by_service[trade].append(organization)
        chosen = [
            trade for trade, count in BUILDING_COMPANIES.items() for _ in range(count - len(self.by_trade[trade]))
        ]
        for trade in chosen:
            commune = self._company_commune()
            organization = self._organization(
                self._company_name(trade),
                K.COMPANY,
                commune,
                rng.choice(COMPANY_STREETS),
                activity=Activity.BUILDING,
            )
            self.by_trade[trade].append(organization)
        for _ in range(PUBLIC_WORKS_COMPANIES):
            organization = self._organization(
                self._company_name("public_works"),
                K.COMPANY,
                self._company_commune(),
                rng.choice(COMPANY_STREETS),
                activity=Activity.PUBLIC_WORKS,
            )
            self.by_trade["public_works"].append(organization)
        for service, count in SERVICE_COMPANIES.items():
            for _ in range(count - len(self.by_service[service])):
                organization = self._organization(
                    self._company_name(service),
                    K.COMPANY,
                    self._company_commune(),
                    rng.choice(COMPANY_STREETS),
                    activity=Activity.SERVICES,
                )
                self.by_service[service].append(organization)
        for _key, name, siae_type, _service, commune, street in SIAE:
            organization = self._organization(name, K.SIAE, commune, street, siae_type=siae_type)
            self.siae[siae_type].append(organization)
        for _key, name, activity, service, commune, street in ADAPTED:
            organization = self._organization(name, K.COMPANY, commune, street, activity=activity)
            self.adapted.append(organization)
            self.adapted_service[id(organization)] = service
        self.firms = [
            self._organization(name, K.COMPANY, commune, street, activity=Activity.OTHER)
            for name, commune, street in INTELLECTUAL_FIRMS
        ]
        created = bulk_create_with_history(self.new_organizations, Organization)
        contacts = []
        for organization in created:
            for male_title, female_title in CONTACT_TITLES[organization.kind][: rng.randint(1, 2)]:
                sex = Sex.WOMAN if rng.random() < 0.5 else Sex.MAN
                first_name, last_name = b.first_name(sex), b.fake.last_name()
                contact = Contact(
                    organization=organization,
                    first_name=first_name,
                    last_name=last_name,
                    job_title=female_title if sex == Sex.WOMAN else male_title,
                    email=f"{b.email_part(first_name)}.{b.email_part(last_name)}@{organization._slug}.{EMAIL_DOMAIN}",
                    phone=b.phone(LANDLINE_PREFIX),
                )
                contacts.append(self._stamp(contact, b.admin, b.start - timedelta(days=120)))
        bulk_create_with_history(contacts, Contact)

    def _service_employer(self, service: str) -> Organization:
        companies = self.by_service.get(service) or self.by_service["cleaning"]
        return self._cycle(f"service:{service}", companies)

    def _siae_employer(self, siae_type: str) -> Organization:
        return self._cycle(f"siae:{siae_type}", self.siae[siae_type])

    # Operations, markets, lots ----------------------------------------------------------------------------

    def _operations(self) -> None:
        """Operations starting each year from four years before the period (the long ones still run in it)."""
        rng, today = self.rng, self.today
        specs = {spec.key: spec for spec in BUYERS}
        keys, weights = list(specs), [spec.weight for spec in specs.values()]
        for year in range(self.first_year - 4, today.year + 1):
            first, last = date(year, 1, 1), min(date(year, 12, 31), today)
            share = ((last - first).days + 1) / 365
            count = round(OPERATIONS_PER_YEAR * share)
            buyers = []
            if year >= self.first_year - 1:
                # Each buyer has an operation running every year.
                running = {
                    op.buyer.key
                    for op in self.operations
                    if op.obj.ended_on >= date(year, 3, 1) and op.works != "insertion"
                }
                buyers = [key for key in keys if key not in running]
                rng.shuffle(buyers)
            buyers += [self._weighted(keys, weights) for _ in range(max(0, count - len(buyers)))]
            for key in buyers:
                started_on = self._day(first, last)
                self._operation(specs[key], started_on)
            if year >= self.first_year - 1:
                for _ in range(rng.choice([1, 2]) if year < today.year else 1):
                    self._insertion_operation(self._day(first, last))
        for _ in range(FUTURE_OPERATIONS):
            spec = self._weighted(list(specs.values()), weights)
            self._operation(spec, self._day(today + timedelta(days=20), today + timedelta(days=120)), future=True)

    def _place_names(self, spec: BuyerSpec):
        """The neighbourhood, commune and names an operation of this buyer is about."""
        rng = self.rng
        if spec.profile in ("metropole", "bailleur", "amenageur", "departement", "etat", "sdis"):
            qpv_chance = {"bailleur": 0.55, "metropole": 0.3, "amenageur": 0.2}.get(spec.profile, 0.15)
            in_qpv = rng.random() < qpv_chance
            area = rng.choice([a for a in AREAS if a[2] == in_qpv])
        else:
            areas = [a for a in AREAS if a[1] == spec.commune]
            area = rng.choice(areas) if areas else (self.b.communes[spec.commune].name, spec.commune, False, False)
            if area[2] and spec.commune != "21231" and rng.random() < 0.5:
                area = ("Centre", spec.commune, False, False)  # the commune of a QPV works elsewhere too
        code = area[1]
        residences = RESIDENCES.get(area[0]) if area[2] else None
        streets = [s for s in STREETS.get(code, []) if s.startswith(("avenue ", "boulevard "))] or [
            "avenue du Drapeau"
        ]
        street = rng.choice(streets)
        return (
            area,
            self.b.communes[code],
            {
                "school": rng.choice(SCHOOLS if code == "21231" else VILLAGE_SCHOOLS),
                "college": rng.choice(COLLEGES),
                "lycee": rng.choice(LYCEES),
                "park": rng.choice(PARKS),
                "zac": rng.choice(ZACS),
                "building": rng.choice(BUILDINGS),
                "residence": rng.choice(residences or OTHER_RESIDENCES),
                "area": area[0],
                "commune": self.b.communes[code].name,
                "of": of_buyer(spec.name),
                "street": f"de l'{street}" if street.startswith("avenue") else f"du {street}",
                "n": rng.choice([12, 24, 36, 48, 64, 80, 96, 120]),
            },
        )

    def _unique(self, name: str) -> str:
        base, number = name, 2
        while name in self.names:
            name = f"{base} – tranche {number}"
            number += 1
        self.names.add(name)
        return name

    def _operation(self, spec: BuyerSpec, started_on: date, *, future: bool = False) -> None:
        rng = self.rng
        draw = rng.random()
        if spec.profile in INTELLECTUAL_PROFILES and draw < SECTOR_OF_OPERATIONS[INTELLECTUAL] * 2.2:
            sector = INTELLECTUAL
        elif rng.random() < BTP_SHARE[spec.profile]:
            sector = BTP
        else:
            sector = SERVICES
        if sector == BTP:
            names, months = BTP_NAMES[spec.profile], rng.choices([(4, 9), (10, 18), (19, 30)], weights=[30, 45, 25])[0]
        elif sector == SERVICES:
            names = SERVICE_NAMES[spec.profile]
            months = rng.choices([(12, 12), (24, 24), (36, 36), (48, 48)], weights=[50, 25, 15, 10])[0]
        else:
            names, months = [(name, "intellectual") for name in INTELLECTUAL_NAMES], (6, 18)
        duration = rng.randint(*months)
        ended_on = add_months(started_on, duration) - timedelta(days=1)
        for _ in range(6):  # another name rather than a second operation of the same name
            area, commune, values = self._place_names(spec)
            template, works = rng.choice(names)
            name = template.format(**values)
            if sector == SERVICES:  # services markets are renewed: their years tell them apart
                name = f"{name} {started_on.year}-{ended_on.year}"
            if name not in self.names:
                break
        name = self._unique(name)
        in_qpv = bool(area[2]) and area[0] in name or (bool(area[2]) and rng.random() < 0.6)
        urban_renewal = in_qpv and area[3] and sector != SERVICES and rng.random() < 0.75
        if ended_on < self.lead_in and not future:
            return  # over before the demo's clauses begin
        operation = Operation(
            name=name,
            buyer=self.buyers[spec.key],
            owner=self.buyers["dm-acheteur"] if spec.key == "splaad" else None,
            commune=commune,
            in_qpv=in_qpv,
            urban_renewal=urban_renewal,
            sector=sector,
            started_on=started_on,
            ended_on=ended_on,
            facilitator=self.b.facilitator,
            notes=self._operation_notes(sector, urban_renewal),
        )
        planned = PlannedOperation(operation, spec, works)
        self._stamp(operation, self.facilitator, started_on - timedelta(days=rng.randint(60, 150)))
        if rng.random() < 0.85 or urban_renewal:
            planned.convention = self._convention(planned)
        self.operations.append(planned)
        self._markets(planned, future=future)

    def _operation_notes(self, sector, urban_renewal) -> str:
        if urban_renewal:
            return "Opération du renouvellement urbain : charte locale d'insertion ANRU, comité de suivi trimestriel."
        if sector == SERVICES and self.rng.random() < 0.3:
            return "Clause de reprise du personnel : l'attributaire reprend les salariés du marché précédent."
        return ""

    def _insertion_operation(self, started_on: date) -> None:
        rng = self.rng
        name, service, siae_type = rng.choice(INSERTION_MARKETS)
        spec = rng.choice([s for s in BUYERS if s.profile in ("metropole", "commune", "bailleur")][:4])
        ended_on = add_months(started_on, 12) - timedelta(days=1)
        operation = Operation(
            name=self._unique(name),
            buyer=self.buyers[spec.key],
            commune=self.b.communes[spec.commune],
            sector=BTP if service == "building" else SERVICES,
            started_on=started_on,
            ended_on=ended_on,
            facilitator=self.facilitator,
            notes="Marché d'insertion : l'insertion est l'objet du marché ; suivi qualitatif, sans heures.",
        )
        self._stamp(operation, self.facilitator, started_on - timedelta(days=rng.randint(60, 150)))
        planned = PlannedOperation(operation, spec, "insertion")
        self.operations.append(planned)
        market = self._market(planned, "Marché d'insertion par l'activité économique")
        holder = self._cycle(f"insertion:{siae_type}", self.siae[siae_type])
        lot = Lot(
            market=market,
            number="",
            name=name.split(" – ", 1)[1].capitalize(),
            legal_basis=LegalBasis.INSERTION_MARKET,
            amount=to_cents(rng.randint(60, 180) * 1000),
            attributaire=holder,
            started_on=started_on,
            ended_on=ended_on,
        )
        self._stamp(lot, self.facilitator, started_on - timedelta(days=30))
        planned_lot = PlannedLot(lot, planned, service)
        planned.lots.append(planned_lot)
        self.lots.append(planned_lot)

    def _convention(self, planned: PlannedOperation) -> CountingConvention:
        rng = self.rng
        operation = planned.obj
        if operation.urban_renewal:
            provenance = ANRU_PROVENANCE
        else:
            provenance = self._weighted([p for p, _ in PROVENANCES], [w for _, w in PROVENANCES])
        convention = CountingConvention(operation=operation, provenance=provenance)
        details = []
        draw = rng.random()
        if draw < 0.04:
            convention.count_staff_provision = False
            details.append("les mises à disposition (ETTI, AI, GEIQ) ne comptent pas")
        elif draw < 0.07:
            convention.count_subcontracting = False
            details.append("la sous-traitance ne compte pas")
        if rng.random() < 0.12:
            convention.count_alternance_training = False
            details.append("les heures de formation de l'alternance ne comptent pas")
        if rng.random() < 0.4:
            convention.subcontracting_hourly_rate = rng.choice(SUBCONTRACTING_RATES)
            details.append(
                f"la sous-traitance se convertit à {int(convention.subcontracting_hourly_rate)} € HT l'heure"
            )
        if rng.random() < 0.06:
            convention.cdi_equivalence_hours = CDI_EQUIVALENCE
            details.append(f"une embauche en CDI vaut {int(CDI_EQUIVALENCE)} heures")
        if details:
            convention.provenance = f"{provenance} Particularités : {' ; '.join(details)}."
        self._stamp(convention, self.facilitator, operation.started_on - timedelta(days=rng.randint(30, 60)))
        return convention

    def _market(self, planned: PlannedOperation, name: str) -> Market:
        operation = planned.obj
        self.references[(operation.started_on.year, planned.buyer.code)] += 1
        number = self.references[(operation.started_on.year, planned.buyer.code)]
        market = Market(
            operation=operation, reference=f"{operation.started_on.year}-{planned.buyer.code}-{number:03d}", name=name
        )
        self._stamp(market, self.facilitator, operation.started_on - timedelta(days=self.rng.randint(30, 60)))
        return market

    def _markets(self, planned: PlannedOperation, *, future: bool) -> None:
        rng = self.rng
        operation = planned.obj
        sector, works = operation.sector, planned.works
        start, end = operation.started_on, operation.ended_on
        days = (end - start).days
        lots = []  # (market, trade, share of the amount)
        if sector == BTP and works == "building":
            count = rng.choices(range(1, 10), weights=[6, 8, 10, 12, 14, 14, 12, 10, 8])[0]
            trades = list(TRADES)
            chosen = []
            if count >= 3 and "Démolition" not in operation.name:
                chosen.append("Gros œuvre")
            if "Démolition" in operation.name:
                chosen = ["Désamiantage – démolition", "Terrassements – VRD"][: max(1, min(count, 2))]
            while len(chosen) < count:
                trade = self._weighted(trades, [TRADES[t][0] for t in trades])
                if trade not in chosen:
                    chosen.append(trade)
            if count >= 5 and rng.random() < 0.4:
                chosen.append("Terrassements – VRD")
            total = self._amount(1_800_000, 0.8, 150_000, 25_000_000)
            asbestos = "Désamiantage – démolition" in chosen and len(chosen) > 3
            works_market = self._market(planned, "Marché de travaux")
            other = self._market(planned, "Marché de désamiantage et de curage") if asbestos else None
            for trade in chosen:
                market = other if trade == "Désamiantage – démolition" and other else works_market
                weight = (TRADES.get(trade) or PUBLIC_WORKS_TRADES[trade])[0]
                lots.append((market, trade, weight * rng.uniform(0.6, 1.4)))
        elif sector == BTP:
            market = self._market(planned, "Marché de travaux de voirie et réseaux")
            count = rng.choice([1, 2, 3, 4])
            chosen = rng.sample(list(PUBLIC_WORKS_TRADES), count)
            if rng.random() < 0.3:
                chosen.append("Espaces verts – plantations")
            total = self._amount(900_000, 0.7, 100_000, 8_000_000)
            lots = [(market, trade, rng.uniform(0.6, 1.4)) for trade in chosen]
        elif sector == SERVICES:
            market = self._market(planned, SERVICE_MARKETS[works])
            count = rng.choices([1, 2, 3], weights=[55, 30, 15])[0]
            names = SERVICE_LOTS[works][:count]
            total = self._amount(450_000, 0.7, 60_000, 4_000_000) * max(1, days / 365)
            lots = [(market, name, rng.uniform(0.6, 1.4)) for name in names]
        else:
            market = self._market(planned, "Marché de prestations intellectuelles")
            total = self._amount(120_000, 0.6, 30_000, 500_000)
            lots = [(market, "Prestation", 1.0)]
        shares = sum(share for _, _, share in lots)
        for number, (market, trade, share) in enumerate(lots, start=1):
            if sector == BTP:
                lot_start = start + timedelta(days=int(days * rng.uniform(0, 0.3)))
                lot_end = end - timedelta(days=int(days * rng.uniform(0, 0.2)))
                lot_end = max(lot_end, min(end, lot_start + timedelta(days=60)))
            else:
                lot_start, lot_end = start, end
            amount = to_cents(round(total * share / shares, -2))
            legal_basis, holder = self._basis_and_holder(planned, trade, future)
            lot = Lot(
                market=market,
                number=f"{number:02d}" if len(lots) > 1 else "",
                name=self._lot_name(sector, trade),
                legal_basis=legal_basis,
                amount=amount,
                attributaire=holder,
                started_on=lot_start,
                ended_on=lot_end,
            )
            self._size(lot, sector, trade, operation)
            self._stamp(lot, self.facilitator, market._history_date.date())
            service = works if sector == SERVICES else trade
            if trade == "Espaces verts – plantations":
                service = "green"
            planned_lot = PlannedLot(lot, planned, service)
            months = max(1.0, (lot_end - lot_start).days / 30.4)
            planned_lot.weight = float(lot.planned_hours) / months
            planned.lots.append(planned_lot)
            self.lots.append(planned_lot)

    def _lot_name(self, sector, trade) -> str:
        if sector == INTELLECTUAL:
            return "Prestation"
        return trade

    def _amount(self, median, sigma, low, high) -> float:
        return min(high, max(low, self.rng.lognormvariate(0, sigma) * median))

    def _basis_and_holder(self, planned: PlannedOperation, trade: str, future: bool):
        """The legal basis and the market holder of a lot (none yet for operations to come)."""
        rng = self.rng
        sector = planned.obj.sector
        if sector == SERVICES and trade in SERVICE_LOTS[planned.works] and rng.random() < 0.07:
            # Reserved to SIAE or to EA/ESAT, by service.
            if planned.works in ("cleaning", "laundry", "logistics") and rng.random() < 0.6:
                holders = [o for o in self.adapted if self.adapted_service[id(o)] in (planned.works, "cleaning")]
            else:
                siae_type = SiaeType.ACI if planned.works == "green" else SiaeType.EI
                holders = self.siae[siae_type]
            holder = self._cycle(f"reserved:{planned.works}", holders)
            return LegalBasis.RESERVED_MARKET, None if future else holder
        basis = LegalBasis.EXECUTION_AND_AWARD if rng.random() < 0.12 else LegalBasis.EXECUTION_CONDITION
        if future and rng.random() < 0.7:
            return basis, None
        if sector == INTELLECTUAL:
            return basis, self._cycle("firms", self.firms)
        if sector == SERVICES:
            return basis, self._service_employer(planned.works)
        if trade in TRADES:
            return basis, self._cycle(f"trade:{trade}", self.by_trade[trade])
        if trade == "Espaces verts – plantations":
            return basis, self._service_employer("green")
        return basis, self._cycle("trade:public_works", self.by_trade["public_works"])

    def _size(self, lot: Lot, sector: str, trade: str, operation: Operation) -> None:
        """Sizing inputs and planned hours (Lot.sized_hours), a few adjusted with a reason."""
        rng = self.rng
        if sector == BTP:
            spec = TRADES.get(trade) or PUBLIC_WORKS_TRADES.get(trade) or (0, "0.45")
            labour = Decimal(spec[1])
            rate = Decimal(rng.choice(["0.05", "0.05", "0.06", "0.07", "0.08"]))
            if operation.urban_renewal:
                rate = max(rate, Decimal("0.06"))
            cost = Decimal(rng.choice([30, 32, 33, 35, 36]))
        elif sector == SERVICES:
            labour = Decimal(rng.choice(["0.60", "0.70", "0.75", "0.80"]))
            rate = Decimal(rng.choice(["0.08", "0.10", "0.12", "0.15"]))
            cost = Decimal(rng.choice([24, 25, 26, 28]))
        else:
            labour, rate, cost = Decimal("0.70"), Decimal(rng.choice(["0.02", "0.03", "0.05"])), Decimal(50)
        lot.labour_share, lot.insertion_rate, lot.hourly_cost = labour, rate, cost
        lot.planned_hours = lot.sized_hours
        if rng.random() < 0.04:
            lot.planned_hours = to_cents(round(float(lot.planned_hours) * rng.choice([0.7, 0.8, 1.25, 1.5]), -1))
            lot.planned_hours_reason = rng.choice(PLANNED_HOURS_REASONS)

    # Globalisation -------------------------------------------------------------------------------------

    def _agreements(self) -> None:
        """Two agreements: the urban renewal of one neighbourhood, the cleaning markets of the Ville de Dijon."""
        first = date(self.first_year, 1, 1)
        groups = []
        renewal = defaultdict(list)
        for planned in self.operations:
            op = planned.obj
            if op.urban_renewal and op.started_on <= self.today and op.ended_on >= first:
                renewal[op.commune_id].append(planned)
        if renewal:
            operations = max(renewal.values(), key=len)[:5]
            groups.append(
                (
                    "Globalisation des heures d'insertion du renouvellement urbain",
                    operations,
                    first,
                    None,
                    "Convention de globalisation signée par Dijon Métropole et les bailleurs sociaux, annexée à la "
                    "charte locale d'insertion du NPNRU (avenant n° 2).",
                )
            )
        cleaning = [
            p
            for p in self.operations
            if p.buyer.key == "ville-dijon"
            and p.works == "cleaning"
            and p.obj.started_on <= self.today
            and p.obj.ended_on >= date(self.first_year + 1, 1, 1)
        ]
        if len(cleaning) >= 2:
            groups.append(
                (
                    "Globalisation des marchés de propreté de la Ville de Dijon",
                    cleaning[:3],
                    date(self.first_year + 1, 1, 1),
                    date(self.today.year, 12, 31),
                    "Délibération du conseil municipal de la Ville de Dijon sur les achats responsables ; accord "
                    "signé avec les attributaires des marchés de propreté.",
                )
            )
        for name, operations, started_on, ended_on, provenance in groups:
            if len(operations) < 2:
                continue
            agreement = GlobalisationAgreement(
                name=name, started_on=started_on, ended_on=ended_on, provenance=provenance
            )
            self._stamp(agreement, self.facilitator, started_on - timedelta(days=30))
            planned = PlannedAgreement(agreement, operations)
            for operation in operations:
                operation.agreement = planned
            self.agreements.append(planned)
