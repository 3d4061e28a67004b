"""Checking a PLIE import file: header and rows, each cell, then each person and pathway, against the registry."""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from tremplin.accounts.models import Membership, User
from tremplin.core.dates import future_date_message
from tremplin.core.spreadsheets import Sheet, SpreadsheetError
from tremplin.core.text import fold, name_key
from tremplin.people.enums import FactKind, Programme
from tremplin.people.models import FollowUp, Person, SituationFact
from tremplin.plie.enums import (
    ALTERNANCE,
    OPEN_PATHWAY_STATUSES,
    POSITIVE_EXIT_KINDS,
    ContractType,
    EmployerKind,
    ExitKind,
    PathwayStatus,
)
from tremplin.plie.imports import records
from tremplin.plie.imports.columns import (
    CONTRACT_KEYS,
    CONTRACT_REQUIRED,
    DATE_KEYS,
    FOLLOWING_KINDS,
    FUTURE_HINTS,
    HEADER,
    IDENTITY_KEYS,
    MAIN_SHEET,
    PAST_DATE_KEYS,
    PATHWAY_KEYS,
    PERSON_KEYS,
    SheetSpec,
)
from tremplin.plie.imports.drafts import assess_draft, matching_outcome
from tremplin.plie.imports.report import ImportReport, _d, _uncapitalise
from tremplin.plie.imports.values import (
    BARRIERS,
    CONTRACT_TYPES,
    EDUCATION_LEVELS,
    EMPLOYER_KINDS,
    EXIT_KINDS,
    SEXES,
    STEP_KINDS,
    YES_NO,
    _blank,
    _CellError,
    _parse_choice,
    _parse_date,
    _parse_hours,
    _parse_label,
    _parse_phone,
    _parse_postcode,
    _parse_siret,
    _text,
)
from tremplin.plie.models import BusinessCreation, Contract, Pathway, Step
from tremplin.plie.selectors import is_aci_senior_to_validate
from tremplin.structures.models import Organization
from tremplin.territory.models import Commune

# --- Validation ----------------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    raw: dict  # key -> cell value
    values: dict = field(default_factory=dict)  # key -> parsed value
    failed: set = field(default_factory=set)  # keys whose cell is wrong (already reported)
    sheet: str | None = None  # None: the "Participants" sheet

    def has(self, key) -> bool:
        return not _blank(self.raw.get(key))

    def text(self, key) -> str:
        return _text(self.raw.get(key))

    @property
    def has_contract(self) -> bool:
        return any(self.has(key) for key in CONTRACT_KEYS)


@dataclass
class Group:
    """The rows of one person (one pathway)."""

    key: tuple
    rows: list[Row]
    values: dict = field(default_factory=dict)  # merged person and pathway values
    source_row: dict = field(default_factory=dict)  # key -> row number the value comes from
    failed: set = field(default_factory=set)  # keys whose value is wrong in some row (already reported)
    person: Person | None = None
    matched: bool = False
    ambiguous: bool = False
    pathway: Pathway | None = None
    contracts: list[tuple[Row, Contract]] = field(default_factory=list)
    step_rows: list[Row] = field(default_factory=list)  # rows of the "Étapes" sheet
    business_rows: list[Row] = field(default_factory=list)  # rows of the "Créations d'entreprise" sheet
    steps: list[tuple[Row, Step]] = field(default_factory=list)
    businesses: list[tuple[Row, BusinessCreation]] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.rows[0].number

    def row_of(self, key) -> int:
        return self.source_row.get(key, self.first)


def person_key(last_name: str, first_name: str, birth_date) -> tuple:
    """The same person whichever way round the names are written: "Martin Camille" is "Camille Martin" born on
    the same day (people's name_key, its two names in either order)."""
    return (tuple(sorted((name_key(last_name), name_key(first_name)))), birth_date)


class Importer:
    def __init__(self, sheets: list[tuple[SheetSpec, Sheet]], by, report: ImportReport):
        self.sheets = sheets
        self.by = by
        self.report = report
        self.today = timezone.localdate()
        self.record_rows: list[Row] = []  # the rows of the other sheets (étapes, business creations)

    # Header and rows ------------------------------------------------------------------------------

    def parse(self) -> list[Row]:
        """The data rows of the "Participants" sheet, once every sheet's header follows the template (their
        issues are errors); the rows of the other sheets go to record_rows."""
        main = []
        for spec, sheet in self.sheets:
            where = None if spec is MAIN_SHEET else spec.name
            for issue in sheet.issues:
                self.report.error(issue.row, issue.key or issue.column, issue.message, sheet=where)
            if sheet.issues:
                continue
            example = {c.key: _text(c.example) for c in spec.columns}
            try:
                for number, raw in sheet.rows():
                    if {k: _text(v) for k, v in raw.items()} == {k: example[k] for k in raw}:
                        self.report.warn(number, None, "ligne d'exemple du modèle, ignorée", sheet=where)
                        continue
                    (main if where is None else self.record_rows).append(Row(number, raw, sheet=where))
            except SpreadsheetError as e:
                self.report.error(e.row, e.column, e.message, sheet=where)
        self.report.rows = len(main) + len(self.record_rows)
        return main if self.report.ok else []

    def validate(self, rows: list[Row]) -> list[Group]:
        self._load_references(rows)
        for row in rows + self.record_rows:
            self._parse_row(row)
        groups = self._group(rows)
        records.attach(self, groups, self.record_rows)
        self._match_people(groups)
        self.load_existing(groups)
        for group in groups:
            self._check_group(group)
        self._check_emails(groups)
        return groups

    def _load_references(self, rows):
        self.communes_by_code = {c.insee_code: c for c in Commune.objects.all()}
        self.communes_by_name = defaultdict(list)
        for commune in self.communes_by_code.values():
            self.communes_by_name[commune.search_name].append(commune)
        self.organizations_by_name = defaultdict(list)
        self.organizations_by_siret = {}
        for organization in Organization.objects.all():
            self.organizations_by_name[fold(organization.name)].append(organization)
            if organization.siret:
                self.organizations_by_siret[organization.siret] = organization
        emails = {_text(row.raw.get("referent")).lower() for row in rows if row.has("referent")}
        self.users = {u.email: u for u in User.objects.filter(email__in=emails)}
        self.memberships = defaultdict(list)  # (user id, organization id) -> memberships
        for membership in Membership.objects.filter(user__in=self.users.values()):
            self.memberships[(membership.user_id, membership.organization_id)].append(membership)

    def _fail(self, row, key, message):
        row.failed.add(key)
        self.report.error(row.number, key, message, sheet=row.sheet)

    def _parse_row(self, row: Row):
        for key in IDENTITY_KEYS:
            if not row.has(key):
                self._fail(row, key, "valeur obligatoire manquante")
        if row.has_contract:
            for key in CONTRACT_REQUIRED:
                if not row.has(key):
                    self._fail(row, key, "valeur obligatoire manquante pour un contrat")
        parsers = {
            "last_name": lambda v: _text(v),
            "first_name": lambda v: _text(v),
            "sex": lambda v: _parse_choice(v, SEXES, "sexe"),
            "email": lambda v: _text(v).lower(),
            "phone": _parse_phone,
            "address": lambda v: _text(v),
            "postcode": _parse_postcode,
            "commune": self._commune,
            "organization": self._organization,
            "referent": self._referent,
            "prescriber": lambda v: self._find_organization(v, "prescripteur inconnu"),
            "exit_kind": lambda v: _parse_choice(v, EXIT_KINDS, "motif de sortie"),
            "rsa": self._yes_no,
            "education_level": lambda v: _parse_choice(v, EDUCATION_LEVELS, "niveau de formation"),
            "contract_type": lambda v: _parse_choice(v, CONTRACT_TYPES, "type de contrat"),
            "employer": lambda v: _text(v),
            "employer_kind": lambda v: _parse_choice(v, EMPLOYER_KINDS, "type d'employeur"),
            "weekly_hours": _parse_hours,
            "open_ended": self._yes_no,
            "part_time_evidence": _parse_label,
            "step_kind": lambda v: _parse_choice(v, STEP_KINDS, "type d'étape"),
            "step_qualifying": self._yes_no,
            "step_title": _parse_label,
            "step_barrier": lambda v: _parse_choice(v, BARRIERS, "frein"),
            "step_provider": _parse_label,
            "step_certification": _parse_label,
            "step_certified": self._yes_no,
            "step_notes": lambda v: _text(v),
            "business_name": _parse_label,
            "business_siret": _parse_siret,
        }
        for key in row.raw:
            if key in row.failed or not row.has(key):
                continue
            try:
                if key in DATE_KEYS:
                    value = _parse_date(row.raw[key])
                    if key in PAST_DATE_KEYS and value > self.today:
                        # The words of the forms and services (core.dates), and the way out when there is one.
                        message = future_date_message(PAST_DATE_KEYS[key], self.today).rstrip(".")
                        hint = FUTURE_HINTS.get(key)
                        raise _CellError(_uncapitalise(message + (f" : {hint}" if hint else "")))
                else:
                    value = parsers[key](row.raw[key])
            except _CellError as e:
                self._fail(row, key, str(e))
            else:
                row.values[key] = value
        self._check_contract(row)

    def _commune(self, value) -> Commune:
        raw = _text(value)
        match = re.search(r"\b(\d[0-9AB]\d{3})\b", raw)
        if match:
            commune = self.communes_by_code.get(match.group(1))
        else:
            communes = self.communes_by_name.get(fold(raw), [])
            if len(communes) > 1:
                raise _CellError(f"plusieurs communes s'appellent « {raw} » : indiquez le code INSEE")
            commune = communes[0] if communes else None
        if commune is None:
            raise _CellError(
                f"commune inconnue « {raw} » : indiquez le nom ou le code INSEE d'une commune de Côte-d'Or"
            )
        return commune

    def _find_organization(self, value, unknown: str) -> Organization:
        raw = _text(value)
        if re.fullmatch(r"\d{14}", raw.replace(" ", "")) and raw.replace(" ", "") in self.organizations_by_siret:
            return self.organizations_by_siret[raw.replace(" ", "")]
        found = self.organizations_by_name.get(fold(raw), [])
        if len(found) > 1:
            raise _CellError(f"plusieurs structures s'appellent « {raw} » dans l'annuaire : indiquez leur SIRET")
        if not found:
            raise _CellError(f"{unknown} « {raw} » : la structure doit figurer dans l'annuaire des structures")
        return found[0]

    def _organization(self, value) -> Organization:
        organization = self._find_organization(value, "structure inconnue")
        if organization.kind not in FOLLOWING_KINDS:
            raise _CellError(
                f"« {organization.name} » ({organization.get_kind_display().lower()}) n'est pas une structure "
                "de suivi : indiquez la structure du référent de parcours"
            )
        return organization

    def _referent(self, value) -> User:
        raw = _text(value).lower()
        user = self.users.get(raw)
        if user is None:
            raise _CellError(f"aucun compte Tremplin n'a l'adresse « {raw} »")
        return user

    @staticmethod
    def _yes_no(value) -> bool:
        raw = _text(value)
        if fold(raw) not in YES_NO:
            raise _CellError(f"« {raw} » : oui ou non attendu")
        return YES_NO[fold(raw)]

    def _check_contract(self, row: Row):
        values = row.values
        if not row.has_contract:
            return
        start = values.get("contract_start")
        for key, what in (("planned_end", "la fin prévue du contrat"), ("contract_end", "la fin du contrat")):
            end = values.get(key)
            if start and end and end < start:
                self._fail(row, key, f"{what} ({_d(end)}) précède son début ({_d(start)})")
        contract_type = values.get("contract_type")
        if values.get("open_ended") and contract_type and contract_type not in ALTERNANCE:
            self._fail(
                row,
                "open_ended",
                "seul un contrat en alternance (professionnalisation, apprentissage) peut être conclu en CDI",
            )
        # The rule of the contract form: the participant's agreement to part-time work comes with its evidence.
        if values.get("part_time_agreed_on") and not row.has("part_time_evidence"):
            self._fail(row, "part_time_evidence", "indiquez le justificatif de l'accord du participant")
        if values.get("part_time_evidence") and not row.has("part_time_agreed_on"):
            self._fail(row, "part_time_agreed_on", "indiquez la date de l'accord du participant")
        employer_kind = values.get("employer_kind", EmployerKind.ORDINARY)
        if "employer_kind" in row.failed:
            return
        if contract_type == ContractType.CDDI and employer_kind not in (EmployerKind.EI, EmployerKind.ACI):
            self._fail(row, "employer_kind", "un CDDI est signé avec une EI ou un ACI : précisez le type d'employeur")
        if contract_type == ContractType.CTTI and employer_kind != EmployerKind.ETTI:
            self._fail(row, "employer_kind", "un contrat d'intérim d'insertion est signé avec une ETTI : précisez-le")

    # Grouping -------------------------------------------------------------------------------------

    def row_key(self, row) -> tuple | None:
        """The person a row belongs to (person_key), or None when its identity is wrong (already reported)."""
        if not set(IDENTITY_KEYS) <= set(row.values):
            return None
        last, first = name_key(row.values["last_name"]), name_key(row.values["first_name"])
        if not last or not first:
            self._fail(row, "last_name", "nom ou prénom sans aucune lettre")
            return None
        return person_key(last, first, row.values["birth_date"])

    def _group(self, rows) -> list[Group]:
        groups: dict[tuple, Group] = {}
        for row in rows:
            key = self.row_key(row)
            if key is None:
                continue
            group = groups.setdefault(key, Group(key, []))
            if group.rows:
                self._warn_swapped(group.rows[0], row)
            group.rows.append(row)
        for group in groups.values():
            self._merge(group)
        return list(groups.values())

    def _warn_swapped(self, first: Row, row: Row):
        if name_key(row.values["last_name"]) != name_key(first.values["last_name"]):
            line = f"la ligne {first.number}" + (" de l'onglet « Participants »" if row.sheet else "")
            self.report.warn(
                row.number,
                "last_name",
                f"nom et prénom inversés par rapport à {line} (« {first.text('last_name')} "
                f"{first.text('first_name')} ») : une seule personne, enregistrée comme à {line}",
                sheet=row.sheet,
            )

    def _merge(self, group: Group):
        """One value per person and pathway field: blank cells inherit, different values are errors."""
        first = group.rows[0]
        group.values.update({k: first.values[k] for k in ("last_name", "first_name", "birth_date")})
        for key in PERSON_KEYS + PATHWAY_KEYS:
            for row in group.rows:
                if key not in row.values:
                    continue
                if key not in group.values:
                    group.values[key] = row.values[key]
                    group.source_row[key] = row.number
                elif group.values[key] != row.values[key]:
                    first_row = next(r for r in group.rows if r.number == group.source_row[key])
                    self._fail(
                        row,
                        key,
                        f"« {row.text(key)} » diffère de la ligne {first_row.number} (« {first_row.text(key)} ») "
                        "pour la même personne : un fichier ne contient qu'un parcours par personne",
                    )
        # A wrong cell in any row leaves the merged value unknown: skip the checks that need it.
        group.failed |= set().union(*(row.failed for row in group.rows))

    # People ---------------------------------------------------------------------------------------

    def _match_people(self, groups):
        birth_dates = {g.key[1] for g in groups}
        candidates = defaultdict(list)
        people = Person.objects.filter(birth_date__in=birth_dates, erased_at__isnull=True).select_related("commune")
        for person in people:
            candidates[(person.name_key, person.birth_date)].append(person)
        for group in groups:
            (last, first), birth_date = group.key
            found = {p.pk: p for k in (f"{last}|{first}", f"{first}|{last}") for p in candidates[(k, birth_date)]}
            if len(found) > 1:
                self.report.error(
                    group.first,
                    "last_name",
                    f"{len(found)} personnes du registre ont ce nom, ce prénom et cette date de naissance : "
                    "la coordination doit d'abord les fusionner",
                )
                group.ambiguous = True
            elif found:
                group.person = next(iter(found.values()))
                group.matched = True

    def _check_new_person(self, group: Group):
        values = group.values
        for key in ("sex", "commune"):
            if key not in values and key not in group.failed:
                self.report.error(group.first, key, "valeur obligatoire manquante")
                group.failed.add(key)
        if {"sex", "commune"} & group.failed:
            return
        entry = values.get("entry_date")
        oriented = values.get("oriented_on")
        registered_on = min(d for d in (entry, oriented, self.today) if d)
        person = Person(
            first_name=values["first_name"],
            last_name=values["last_name"],
            sex=values["sex"],
            birth_date=values["birth_date"],
            email=values.get("email", ""),
            phone=values.get("phone", ""),
            address=values.get("address", ""),
            postcode=values.get("postcode", ""),
            commune=values["commune"],
            registered_on=registered_on,
            created_by=self.by,
        )
        try:
            person.full_clean(exclude=["name_key", "search_text"], validate_unique=False, validate_constraints=False)
        except ValidationError as e:
            for field_name, messages in e.message_dict.items():
                key = field_name if field_name in HEADER else "last_name"
                if key in group.failed:
                    continue
                for message in messages:
                    self.report.error(group.row_of(key), key, _uncapitalise(message))
                group.failed.add(key)
            return
        person.email = person.email.lower()
        person.refresh_search_fields()
        group.person = person

    # Pathways -------------------------------------------------------------------------------------

    def _check_group(self, group: Group):
        if not group.matched and not group.ambiguous:
            self._check_new_person(group)
        values, failed = group.values, group.failed
        for key in ("organization", "entry_date"):
            if key not in values and key not in failed:
                self.report.error(group.first, key, "valeur obligatoire manquante")
                failed.add(key)
        entry, exit_date = values.get("entry_date"), values.get("exit_date")
        oriented = values.get("oriented_on")
        if entry and exit_date and exit_date < entry:
            self.report.error(
                group.row_of("exit_date"), "exit_date", f"la sortie ({_d(exit_date)}) précède l'entrée ({_d(entry)})"
            )
            failed.add("exit_date")
        if entry and oriented and oriented > entry:
            self.report.error(
                group.row_of("oriented_on"),
                "oriented_on",
                f"l'orientation ({_d(oriented)}) suit l'entrée dans le PLIE ({_d(entry)})",
            )
        if oriented and "prescriber" not in values and "prescriber" not in failed:
            self.report.error(
                group.row_of("oriented_on"), "prescriber", "prescripteur obligatoire avec une date d'orientation"
            )
        if "exit_kind" in values and "exit_date" not in values and "exit_date" not in failed:
            self.report.error(
                group.row_of("exit_kind"), "exit_date", "date de sortie obligatoire avec un motif de sortie"
            )
        if "exit_date" in values and "exit_kind" not in values and "exit_kind" not in failed:
            self.report.error(
                group.row_of("exit_date"), "exit_kind", "motif de sortie obligatoire avec une date de sortie"
            )
        birth_date = values["birth_date"]
        if entry and entry < birth_date:
            self.report.error(group.row_of("entry_date"), "entry_date", "l'entrée précède la date de naissance")
        self._check_referent(group)
        if group.matched and entry:
            self._check_existing_pathways(group)
        self._build_contracts(group)
        records.build(self, group)
        self._check_positive_exit(group)

    def _check_referent(self, group: Group):
        values = group.values
        referent, organization = values.get("referent"), values.get("organization")
        if referent is None or organization is None:
            return
        memberships = self.memberships.get((referent.pk, organization.pk), [])
        if not memberships:
            self.report.error(
                group.row_of("referent"),
                "referent",
                f"{referent.get_full_name() or referent.email} n'est pas membre de la structure « {organization} »",
            )
        elif "exit_date" not in values and not any(
            m.ended_on is None or m.ended_on >= self.today for m in memberships
        ):
            self.report.error(
                group.row_of("referent"),
                "referent",
                f"{referent.get_full_name() or referent.email} n'est plus membre de « {organization} » : "
                "un parcours en cours a un référent en activité",
            )

    def _check_existing_pathways(self, group: Group):
        entry, exit_date = group.values["entry_date"], group.values.get("exit_date")
        for pathway in self.existing_pathways.get(group.person.pk, []):
            if pathway.status == PathwayStatus.ENTRY_REFUSED:
                continue
            start = pathway.entry_date or pathway.entry_proposed_on
            end = pathway.exit_date if pathway.status not in OPEN_PATHWAY_STATUSES else None
            both_open = exit_date is None and pathway.status in OPEN_PATHWAY_STATUSES
            overlaps = (end is None or entry <= end) and (exit_date is None or start <= exit_date)
            if both_open or overlaps:
                period = f"entrée le {_d(start)}" + (f", sortie le {_d(end)}" if end else ", en cours")
                self.report.error(
                    group.row_of("entry_date"),
                    "entry_date",
                    f"{group.person.full_name} a déjà un parcours PLIE dans Tremplin sur cette période ({period})",
                )
                return

    def _build_contracts(self, group: Group):
        exit_date = group.values.get("exit_date")
        seen = {}
        for row in group.rows:
            if not row.has_contract or set(CONTRACT_KEYS) & row.failed:
                continue
            values = row.values
            start = values["contract_start"]
            if exit_date and start > exit_date:
                self.report.error(
                    row.number,
                    "contract_start",
                    f"le contrat commence après la sortie du PLIE ({_d(exit_date)})",
                )
                continue
            identity = (values["contract_type"], fold(values["employer"]), start)
            if identity in seen:
                self.report.error(row.number, "contract_start", f"même contrat que la ligne {seen[identity]}")
                continue
            seen[identity] = row.number
            employer_name = values["employer"]
            employers = self.organizations_by_name.get(fold(employer_name), [])
            contract = Contract(
                contract_type=values["contract_type"],
                open_ended=values.get("open_ended", False),
                employer=employers[0] if len(employers) == 1 else None,
                employer_name=employer_name[:200],
                employer_kind=values.get("employer_kind", EmployerKind.ORDINARY),
                started_on=start,
                planned_end_on=values.get("planned_end"),
                ended_on=values.get("contract_end"),
                weekly_hours=values["weekly_hours"],
                part_time_agreed_on=values.get("part_time_agreed_on"),
                part_time_agreement_evidence=values.get("part_time_evidence", ""),
            )
            if not self._check_aci_validation(group, row, contract):
                continue
            group.contracts.append((row, contract))

    def _check_aci_validation(self, group: Group, row: Row, contract: Contract) -> bool:
        """The cellule validates case by case the ACI contracts of people aged 55 and over at their start (the
        rule of its worklist, selectors.is_aci_senior_to_validate), and nothing else."""
        validated_on = row.values.get("aci_validated_on")
        if validated_on is None:
            return True
        if group.person is not None and not is_aci_senior_to_validate(contract, group.person):
            if contract.employer_kind != EmployerKind.ACI:
                why = "ce contrat n'est pas signé avec un ACI (colonne « Type d'employeur »)"
            else:
                why = f"la personne avait {group.person.age_on(contract.started_on)} ans au début du contrat"
            self.report.error(
                row.number,
                "aci_validated_on",
                f"la validation de la cellule concerne les contrats en ACI des personnes de 55 ans ou plus à leur "
                f"début : {why}",
            )
            return False
        contract.cell_validated_on = validated_on
        contract.cell_validated_by = self.by
        return True

    def _check_positive_exit(self, group: Group):
        """Warn when a positive exit of the old tool is not backed by the call's criteria (it is kept)."""
        values = group.values
        kind, exit_date = values.get("exit_kind"), values.get("exit_date")
        if kind not in POSITIVE_EXIT_KINDS or exit_date is None or group.person is None:
            return
        assessment = assess_draft(
            group.person,
            [c for _, c in group.contracts],
            [s for _, s in group.steps],
            [b for _, b in group.businesses],
            at=exit_date,
        )
        if matching_outcome(assessment, kind) is None:
            self.report.warn(
                group.row_of("exit_kind"),
                "exit_kind",
                f"« {ExitKind(kind).label} » n'est pas confirmée par les critères de l'appel à projets au "
                f"{_d(exit_date)} avec les contrats, étapes et créations d'entreprise du fichier : la sortie est "
                "reprise telle quelle, sans critère",
            )

    def _check_emails(self, groups):
        emails = {g.values["email"]: g for g in groups if g.values.get("email")}
        owners = {p.email: p for p in Person.objects.filter(email__in=list(emails))}
        used_by = {}
        for group in groups:
            email = group.values.get("email")
            if not email:
                continue
            owner = owners.get(email)
            if owner is not None and (group.person is None or owner.pk != group.person.pk):
                self.report.error(
                    group.row_of("email"),
                    "email",
                    f"l'adresse « {email} » est déjà celle d'une autre personne du registre",
                )
            elif email in used_by:
                self.report.error(
                    group.row_of("email"),
                    "email",
                    f"l'adresse « {email} » est déjà celle d'une autre personne du fichier (ligne {used_by[email]})",
                )
            else:
                used_by[email] = group.row_of("email")

    def load_existing(self, groups):
        """Pathways, follow-ups and facts of the people already in the registry."""
        ids = [g.person.pk for g in groups if g.matched]
        self.existing_pathways = defaultdict(list)
        for pathway in Pathway.objects.filter(person__in=ids):
            self.existing_pathways[pathway.person_id].append(pathway)
        self.open_follow_ups = {}
        for follow_up in FollowUp.objects.open().filter(person__in=ids, programme=Programme.PLIE):
            self.open_follow_ups[(follow_up.person_id, follow_up.organization_id)] = follow_up
        self.fact_kinds = set(
            SituationFact.objects.filter(
                person__in=ids, kind__in=[FactKind.RSA, FactKind.EDUCATION_LEVEL]
            ).values_list("person_id", "kind")
        )

    # Writing --------------------------------------------------------------------------------------
