"""Import of PLIE participants, pathways and contracts from the tool used before Tremplin.

One XLSX or CSV file (`;`-separated, UTF-8 with or without BOM), one row per contract or per
participant, with the French headers of COLUMNS. Rows of the same person (same normalised name and
birth date) make one person and one pathway; a person already in the registry is matched, never
duplicated (same rule as `people.services.find_likely_duplicates`).

Everything is validated first, row by row, and every error is reported with its row (as Excel shows
it: the header is row 1) and its column. Nothing is written unless the whole file is valid; then
everything is written in one transaction, the importing user stamped on every history row.
Imported pathways were validated in the old tool: they are created ACTIVE, or EXITED with their
exit, directly, with the PLIE follow-up of their structure and référent. A positive exit keeps the
criterion that `assess_exit` confirms at its date, or is kept without one (and a warning).

Records are written in bulk (a few seconds for 2,000 rows), with the checks of the services done
beforehand: `people.services.create_person` is not used since it would also open a follow-up in the
importing user's own structure.
"""

import copy
import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history

from tremplin.accounts.models import Membership, User
from tremplin.core.text import fold, name_key
from tremplin.core.validators import normalize_french_phone
from tremplin.people.enums import EducationLevel, FactKind, Programme, Sex
from tremplin.people.models import FollowUp, Person, SituationFact
from tremplin.plie.enums import (
    OPEN_PATHWAY_STATUSES,
    POSITIVE_EXIT_KINDS,
    POSITIVE_EXIT_OF_RULE,
    AppointmentOutcome,
    ContractType,
    EmployerKind,
    ExitKind,
    OrientationStatus,
    PathwayStatus,
)
from tremplin.plie.exits import assess_exit
from tremplin.plie.models import Contract, Orientation, Pathway
from tremplin.plie.perms import is_cell_member
from tremplin.structures.enums import OrganizationKind
from tremplin.structures.models import Organization
from tremplin.territory.models import Commune

MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_ROWS = 20_000
SOURCE = "Reprise de l'outil PLIE précédent"
# Structures that follow people (référents de parcours), as in people.forms.FollowUpForm.
FOLLOWING_KINDS = {OrganizationKind.LEAD, OrganizationKind.OPERATOR, OrganizationKind.SIAE}
MAX_WEEKLY_HOURS = Decimal(60)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: str  # in French, for the help sheet
    help: str
    example: object = ""


COLUMNS = [
    Column("last_name", "Nom", "oui", "Nom d'usage de la personne.", "Exemple"),
    Column("first_name", "Prénom", "oui", "Prénom de la personne.", "Camille"),
    Column("sex", "Sexe (F/M/X)", "oui", "F (femme), M (homme) ou X (non binaire).", "F"),
    Column(
        "birth_date",
        "Date de naissance (JJ/MM/AAAA)",
        "oui",
        "Avec le nom et le prénom, elle identifie la personne : les lignes d'une même personne sont regroupées, "
        "et une personne déjà inscrite au registre est retrouvée, jamais créée en double.",
        date(1985, 4, 12),
    ),
    Column(
        "email",
        "E-mail",
        "non",
        "Adresse e-mail ; elle ne doit pas être celle d'une autre personne.",
        "camille.exemple@example.org",
    ),
    Column("phone", "Téléphone", "non", "Numéro français, par exemple 06 12 34 56 78.", "06 39 98 00 00"),
    Column("address", "Adresse", "non", "Numéro et voie.", "12 rue de la Liberté"),
    Column("postcode", "Code postal", "non", "5 chiffres ; il doit correspondre à la commune.", "21000"),
    Column(
        "commune",
        "Commune (nom ou code INSEE)",
        "oui",
        "Commune de résidence, par son nom (« Chenôve ») ou son code INSEE (« 21166 »).",
        "Dijon",
    ),
    Column(
        "organization",
        "Structure de suivi",
        "oui",
        "Nom (ou SIRET) de la structure du référent de parcours, tel qu'il figure dans l'annuaire de Tremplin.",
        "IRFA",
    ),
    Column(
        "referent",
        "Référent (e-mail)",
        "non",
        "Adresse e-mail du compte Tremplin du référent de parcours, membre de la structure de suivi "
        "(membre actif pour un parcours en cours).",
        "referente@irfa.example.org",
    ),
    Column(
        "prescriber",
        "Prescripteur",
        "non",
        "Nom (ou SIRET) de la structure qui a orienté la personne, tel qu'il figure dans l'annuaire ; "
        "l'orientation est alors enregistrée.",
        "France Travail Dijon Marbotte",
    ),
    Column(
        "oriented_on",
        "Date d'orientation",
        "non",
        "Date de l'orientation vers le PLIE (avec un prescripteur), au plus tard la date d'entrée.",
        date(2024, 1, 10),
    ),
    Column(
        "entry_date", "Date d'entrée", "oui", "Date d'entrée dans le PLIE validée par la cellule.", date(2024, 2, 1)
    ),
    Column(
        "exit_date",
        "Date de sortie",
        "non",
        "Date de sortie validée ; vide si le parcours est en cours.",
        date(2024, 9, 30),
    ),
    Column(
        "exit_kind",
        "Motif de sortie",
        "avec une date de sortie",
        "Libellé ou code du motif de sortie (liste ci-dessous).",
        ExitKind.POSITIVE_CDI.label,
    ),
    Column("rsa", "Bénéficiaire RSA (oui/non)", "non", "« oui » si la personne touchait le RSA à l'entrée.", "oui"),
    Column(
        "education_level",
        "Niveau de formation",
        "non",
        "Niveau du diplôme le plus élevé (liste ci-dessous), à l'entrée ; l'ancienne nomenclature "
        "(VI, V bis, V, IV, III, II, I) est acceptée.",
        EducationLevel.LEVEL_3.label,
    ),
    Column(
        "contract_type",
        "Type de contrat",
        "avec un contrat",
        "Une ligne par contrat : libellé ou code du type de contrat (liste ci-dessous). "
        "Laissez les colonnes du contrat vides sur une ligne sans contrat.",
        ContractType.CDI.label,
    ),
    Column("employer", "Employeur", "avec un contrat", "Nom de l'employeur.", "Boulangerie des Ducs"),
    Column(
        "employer_kind",
        "Type d'employeur",
        "non",
        "Libellé ou code (liste ci-dessous) ; employeur ordinaire si vide. Un CDDI est signé avec une EI ou un "
        "ACI, un contrat d'intérim d'insertion avec une ETTI.",
        EmployerKind.ORDINARY.label,
    ),
    Column("contract_start", "Début du contrat", "avec un contrat", "Premier jour du contrat.", date(2024, 3, 1)),
    Column(
        "contract_end",
        "Fin du contrat",
        "non",
        "Dernier jour du contrat (fin effective, ou prévue s'il est en cours) ; vide pour un CDI en cours.",
        "",
    ),
    Column(
        "weekly_hours",
        "Heures hebdomadaires",
        "avec un contrat",
        "Durée hebdomadaire de travail, plus de 0 et au plus 60 (par exemple 35 ou 24,5).",
        35,
    ),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
HEADER = {c.key: c.header for c in COLUMNS}
REQUIRED_COLUMNS = ["last_name", "first_name", "sex", "birth_date", "commune", "organization", "entry_date"]
CONTRACT_KEYS = ["contract_type", "employer", "employer_kind", "contract_start", "contract_end", "weekly_hours"]
CONTRACT_REQUIRED = ["contract_type", "employer", "contract_start", "weekly_hours"]
PERSON_KEYS = ["sex", "email", "phone", "address", "postcode", "commune", "rsa", "education_level"]
PATHWAY_KEYS = ["organization", "referent", "prescriber", "oriented_on", "entry_date", "exit_date", "exit_kind"]
DATE_KEYS = {"birth_date", "oriented_on", "entry_date", "exit_date", "contract_start", "contract_end"}
# Dates that cannot be in the future (a contract may end, or even start, later).
PAST_DATE_KEYS = {"birth_date", "oriented_on", "entry_date", "exit_date"}


# --- The report ----------------------------------------------------------------------------------


@dataclass
class ImportIssue:
    row: int | None
    column: str | None
    message: str

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(f"Ligne {self.row}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        text = (", ".join(where) + " : " + self.message) if where else _capitalise(self.message)
        return text if text.endswith((".", "!", "?")) else text + "."


@dataclass
class ImportReport:
    filename: str = ""
    dry_run: bool = False
    rows: int = 0
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    matched: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def error(self, row, key_or_header, message):
        self.errors.append(ImportIssue(row, HEADER.get(key_or_header, key_or_header), message))

    def warn(self, row, key_or_header, message):
        self.warnings.append(ImportIssue(row, HEADER.get(key_or_header, key_or_header), message))

    @property
    def headline(self) -> str:
        name = f"« {self.filename} » " if self.filename else ""
        if not self.ok:
            count = len(self.errors)
            return (
                f"Fichier {name}refusé : {count} erreur{'s' if count > 1 else ''} sur {self.rows} ligne"
                f"{'s' if self.rows > 1 else ''} lue{'s' if self.rows > 1 else ''}. Rien n'a été enregistré."
            )
        if self.dry_run:
            return f"Fichier {name}valide ({self.rows} lignes) : vérification seule, rien n'a été enregistré."
        return f"Fichier {name}importé ({self.rows} lignes)."

    def lines(self) -> list[str]:
        """The report as French text lines, for the command line."""
        lines = [self.headline]
        if self.errors:
            lines += ["", "Erreurs :"] + [f"- {e}" for e in self.errors]
        else:
            verb = "Serait créé" if self.dry_run else "Créé"
            lines += ["", f"{verb} :"] + [f"- {label} : {count}" for label, count in self.created.items()]
            if self.matched:
                lines += ["", "Personnes déjà inscrites au registre, rattachées (fiche non modifiée) :"]
                lines += [f"- {m}" for m in self.matched]
        if self.warnings:
            lines += ["", "Avertissements :"] + [f"- {w}" for w in self.warnings]
        return lines


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _uncapitalise(text: str) -> str:
    """ "Le code postal..." -> "le code postal..." (but "SIRET..." stays)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


# --- Reading the file ----------------------------------------------------------------------------


class _FileError(Exception):
    pass


def _read_rows(content: bytes, filename: str) -> list[tuple[int, list]]:
    """(row number as in Excel, cell values) for every row, the header first."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xls" or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise _FileError(
            "le format .xls (Excel 97-2003) n'est pas pris en charge : enregistrez le fichier au format .xlsx ou CSV"
        )
    if extension in ("xlsx", "xlsm") or content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    return _read_csv(content)


def _read_xlsx(content: bytes) -> list[tuple[int, list]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds of errors on a damaged file
        raise _FileError("fichier XLSX illisible : est-ce bien un classeur Excel (.xlsx) ?") from e
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some tools write wrong dimensions, which would cut the rows read
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, list(values)))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _read_csv(content: bytes) -> list[tuple[int, list]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _FileError(
            "le fichier CSV n'est pas encodé en UTF-8 : dans Excel, choisissez « CSV UTF-8 (délimité par des "
            "points-virgules) » à l'enregistrement"
        ) from e
    first_line = text.split("\n", 1)[0]
    delimiter = ";"
    if ";" not in first_line:
        delimiter = "\t" if "\t" in first_line else ("," if "," in first_line else ";")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for number, values in enumerate(reader, start=1):
            rows.append((number, values))
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as e:
        raise _FileError(f"fichier CSV illisible : {e}") from e
    return rows


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    """A cell as text: numbers without a useless ".0", dates as JJ/MM/AAAA."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return _d(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\xa0", " ").strip()


def _header_aliases() -> dict[str, str]:
    aliases = {}
    for column in COLUMNS:
        aliases[fold(column.header)] = column.key
        aliases[fold(re.sub(r"\(.*?\)", "", column.header))] = column.key
    return aliases


# --- Values: parsing each cell -------------------------------------------------------------------


class _CellError(Exception):
    pass


def _choices(enum, aliases=()) -> dict[str, str]:
    """Folded value, label and label without its parentheses (or its "Sortie positive – " prefix) -> value."""
    found = {}
    for value, label in enum.choices:
        found[fold(value)] = value
        found[fold(label)] = value
        found[fold(re.sub(r"\(.*?\)", "", label))] = value
        if " – " in label:
            found.setdefault(fold(label.split(" – ", 1)[1]), value)
    for alias, value in aliases:
        found[fold(alias)] = value
    return found


SEXES = _choices(Sex, [("H", Sex.MAN), ("femme", Sex.WOMAN), ("homme", Sex.MAN), ("non binaire", Sex.NON_BINARY)])
EXIT_KINDS = _choices(ExitKind)
CONTRACT_TYPES = _choices(
    ContractType,
    [
        ("intérim", ContractType.INTERIM),
        ("mission intérim", ContractType.INTERIM),
        ("CTTI", ContractType.CTTI),
        ("CDDI", ContractType.CDDI),
        ("contrat pro", ContractType.PROFESSIONALISATION),
        ("professionnalisation", ContractType.PROFESSIONALISATION),
        ("apprentissage", ContractType.APPRENTICESHIP),
        ("contrat aidé", ContractType.SUBSIDISED),
        ("PEC", ContractType.SUBSIDISED),
        ("CUI", ContractType.SUBSIDISED),
        ("autre", ContractType.OTHER),
    ],
)
EMPLOYER_KINDS = _choices(
    EmployerKind,
    [("ordinaire", EmployerKind.ORDINARY), ("entreprise", EmployerKind.ORDINARY), ("public", EmployerKind.PUBLIC)],
)
EDUCATION_LEVELS = _choices(
    EducationLevel,
    [
        ("sans diplôme", EducationLevel.NONE),
        ("aucun", EducationLevel.NONE),
        ("niveau 1", EducationLevel.NONE),
        ("niveau 2", EducationLevel.NONE),
        ("CAP", EducationLevel.LEVEL_3),
        ("BEP", EducationLevel.LEVEL_3),
        ("CAP BEP", EducationLevel.LEVEL_3),
        ("bac", EducationLevel.LEVEL_4),
        ("baccalauréat", EducationLevel.LEVEL_4),
        ("bac + 2", EducationLevel.LEVEL_5),
        ("BTS", EducationLevel.LEVEL_5),
        ("DUT", EducationLevel.LEVEL_5),
        ("licence", EducationLevel.LEVEL_6),
        ("bac + 3", EducationLevel.LEVEL_6),
        ("master", EducationLevel.LEVEL_7),
        ("bac + 5", EducationLevel.LEVEL_7),
        ("doctorat", EducationLevel.LEVEL_8),
        # The former nomenclature (1969), still used by older tools: V = CAP/BEP.
        ("VI", EducationLevel.NONE),
        ("V bis", EducationLevel.NONE),
        ("Vbis", EducationLevel.NONE),
        ("V", EducationLevel.LEVEL_3),
        ("IV", EducationLevel.LEVEL_4),
        ("III", EducationLevel.LEVEL_5),
        ("II", EducationLevel.LEVEL_6),
        ("I", EducationLevel.LEVEL_7),
    ]
    + [(f"niveau {level}", level) for level in ("3", "4", "5", "6", "7", "8")],
)
YES_NO = {"oui": True, "o": True, "yes": True, "1": True, "x": True, "vrai": True, "non": False, "n": False}
YES_NO.update({"no": False, "0": False, "faux": False})

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def _parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = _text(value)
    match = _DMY.match(raw)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(raw)
        if not match:
            raise _CellError(f"date illisible « {raw} » : format attendu JJ/MM/AAAA")
        year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError as e:
        raise _CellError(f"date impossible « {raw} »") from e


def _parse_choice(value, choices, what) -> str:
    raw = _text(value)
    found = choices.get(fold(raw))
    if found is None:
        raise _CellError(f"{what} inconnu « {raw} » : voir les valeurs admises dans l'onglet « Aide » du modèle")
    return found


def _parse_hours(value) -> Decimal:
    raw = _text(value)
    cleaned = re.sub(r"\s*(h|heures?)$", "", raw.replace(" ", "").replace(",", "."), flags=re.IGNORECASE)
    try:
        hours = Decimal(cleaned)
    except InvalidOperation as e:
        raise _CellError(f"« {raw} » n'est pas un nombre d'heures") from e
    if not hours.is_finite() or hours <= 0 or hours > MAX_WEEKLY_HOURS:
        raise _CellError(f"« {raw} » heures par semaine : la valeur doit être supérieure à 0 et au plus 60")
    return hours.quantize(Decimal("0.01"))


def _parse_phone(value) -> str:
    raw = _text(value)
    if isinstance(value, int | float) and len(raw) == 9:
        raw = "0" + raw  # Excel drops the leading zero of a number typed as a number
    try:
        return normalize_french_phone(raw)
    except ValidationError as e:
        raise _CellError(_uncapitalise(e.messages[0])) from e


def _parse_postcode(value) -> str:
    raw = _text(value)
    if isinstance(value, int | float) and len(raw) == 4:
        raw = "0" + raw
    return raw


# --- Validation ----------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    raw: dict  # key -> cell value
    values: dict = field(default_factory=dict)  # key -> parsed value
    failed: set = field(default_factory=set)  # keys whose cell is wrong (already reported)

    def has(self, key) -> bool:
        return not _blank(self.raw.get(key))

    def text(self, key) -> str:
        return _text(self.raw.get(key))

    @property
    def has_contract(self) -> bool:
        return any(self.has(key) for key in CONTRACT_KEYS)


@dataclass
class _Group:
    """The rows of one person (one pathway)."""

    key: tuple
    rows: list[_Row]
    values: dict = field(default_factory=dict)  # merged person and pathway values
    source_row: dict = field(default_factory=dict)  # key -> row number the value comes from
    failed: set = field(default_factory=set)  # keys whose value is wrong in some row (already reported)
    person: Person | None = None
    matched: bool = False
    ambiguous: bool = False
    pathway: Pathway | None = None
    contracts: list[tuple[_Row, Contract]] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.rows[0].number

    def row_of(self, key) -> int:
        return self.source_row.get(key, self.first)


class _Related(list):
    """A list answering .all(), to run the exit rule engine on records not saved yet."""

    def all(self):
        return self


@dataclass
class _PathwayDraft:
    person: Person
    contracts: _Related
    steps: _Related = field(default_factory=_Related)
    businesses: _Related = field(default_factory=_Related)


class _Importer:
    def __init__(self, rows, by, report: ImportReport):
        self.rows = rows
        self.by = by
        self.report = report
        self.today = timezone.localdate()

    # Header and rows ------------------------------------------------------------------------------

    def parse(self) -> list[_Row]:
        header_number, header = self.rows[0]
        aliases = _header_aliases()
        positions, seen = {}, {}
        for index, cell in enumerate(header):
            title = _text(cell)
            if not title:
                continue
            key = aliases.get(fold(title))
            if key is None:
                self.report.warn(header_number, title, "colonne inconnue, ignorée")
            elif key in seen:
                self.report.error(header_number, title, f"colonne en double (déjà en position {seen[key] + 1})")
            else:
                positions[key], seen[key] = index, index
        for key in REQUIRED_COLUMNS:
            if key not in positions:
                self.report.error(header_number, key, "colonne obligatoire absente de la ligne d'en-tête")
        rows = []
        example = {c.key: _text(c.example) for c in COLUMNS}
        for number, values in self.rows[1:]:
            raw = {key: values[index] if index < len(values) else None for key, index in positions.items()}
            if all(_blank(v) for v in raw.values()):
                continue
            if {k: _text(v) for k, v in raw.items()} == {k: example[k] for k in raw}:
                self.report.warn(number, None, "ligne d'exemple du modèle, ignorée")
                continue
            rows.append(_Row(number, raw))
        self.report.rows = len(rows)
        return rows

    def validate(self, rows: list[_Row]) -> list[_Group]:
        self._load_references(rows)
        for row in rows:
            self._parse_row(row)
        groups = self._group(rows)
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
        self.report.error(row.number, key, message)

    def _parse_row(self, row: _Row):
        for key in ("last_name", "first_name", "birth_date"):
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
        }
        for key in row.raw:
            if key in row.failed or not row.has(key):
                continue
            try:
                if key in DATE_KEYS:
                    value = _parse_date(row.raw[key])
                    if key in PAST_DATE_KEYS and value > self.today:
                        raise _CellError(f"date dans le futur « {row.text(key)} »")
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

    def _check_contract(self, row: _Row):
        values = row.values
        if not row.has_contract:
            return
        start, end = values.get("contract_start"), values.get("contract_end")
        if start and end and end < start:
            self._fail(row, "contract_end", f"la fin du contrat ({_d(end)}) précède son début ({_d(start)})")
        contract_type = values.get("contract_type")
        employer_kind = values.get("employer_kind", EmployerKind.ORDINARY)
        if "employer_kind" in row.failed:
            return
        if contract_type == ContractType.CDDI and employer_kind not in (EmployerKind.EI, EmployerKind.ACI):
            self._fail(row, "employer_kind", "un CDDI est signé avec une EI ou un ACI : précisez le type d'employeur")
        if contract_type == ContractType.CTTI and employer_kind != EmployerKind.ETTI:
            self._fail(row, "employer_kind", "un contrat d'intérim d'insertion est signé avec une ETTI : précisez-le")

    # Grouping -------------------------------------------------------------------------------------

    def _group(self, rows) -> list[_Group]:
        groups: dict[tuple, _Group] = {}
        for row in rows:
            if not {"last_name", "first_name", "birth_date"} <= set(row.values):
                continue
            key = (name_key(row.values["last_name"]), name_key(row.values["first_name"]), row.values["birth_date"])
            if not key[0] or not key[1]:
                self._fail(row, "last_name", "nom ou prénom sans aucune lettre")
                continue
            groups.setdefault(key, _Group(key, [])).rows.append(row)
        for group in groups.values():
            self._merge(group)
        return list(groups.values())

    def _merge(self, group: _Group):
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
        birth_dates = {g.key[2] for g in groups}
        candidates = defaultdict(list)
        people = Person.objects.filter(birth_date__in=birth_dates, erased_at__isnull=True).select_related("commune")
        for person in people:
            candidates[(person.name_key, person.birth_date)].append(person)
        for group in groups:
            last, first, birth_date = group.key
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

    def _check_new_person(self, group: _Group):
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

    def _check_group(self, group: _Group):
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
        self._check_positive_exit(group)

    def _check_referent(self, group: _Group):
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

    def _check_existing_pathways(self, group: _Group):
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

    def _build_contracts(self, group: _Group):
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
            end = values.get("contract_end")
            employer_name = values["employer"]
            employers = self.organizations_by_name.get(fold(employer_name), [])
            contract = Contract(
                contract_type=values["contract_type"],
                employer=employers[0] if len(employers) == 1 else None,
                employer_name=employer_name[:200],
                employer_kind=values.get("employer_kind", EmployerKind.ORDINARY),
                started_on=start,
                planned_end_on=end,
                ended_on=end if end and end < self.today else None,
                weekly_hours=values["weekly_hours"],
            )
            group.contracts.append((row, contract))

    def _check_positive_exit(self, group: _Group):
        """Warn when a positive exit of the old tool is not backed by the call's criteria (it is kept)."""
        values = group.values
        kind, exit_date = values.get("exit_kind"), values.get("exit_date")
        if kind not in POSITIVE_EXIT_KINDS or exit_date is None or group.person is None:
            return
        assessment = assess_draft(group.person, [c for _, c in group.contracts], at=exit_date)
        if _matching_outcome(assessment, kind) is None:
            self.report.warn(
                group.row_of("exit_kind"),
                "exit_kind",
                f"« {ExitKind(kind).label} » n'est pas confirmée par les critères de l'appel à projets au "
                f"{_d(exit_date)} avec les contrats du fichier : la sortie est reprise telle quelle, sans critère",
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

    def write(self, groups: list[_Group]) -> dict[str, int]:
        by, today = self.by, self.today
        new_people = [g.person for g in groups if not g.matched]
        bulk_create_with_history(new_people, Person, default_user=by)
        facts, orientations, follow_ups, pathways = [], [], [], []
        reused = 0
        for group in groups:
            values, person = group.values, group.person
            entry, exit_date = values["entry_date"], values.get("exit_date")
            if values.get("rsa") and (person.pk, FactKind.RSA) not in self.fact_kinds:
                facts.append(SituationFact(person=person, kind=FactKind.RSA, started_on=entry, source=SOURCE))
            level = values.get("education_level")
            if level and (person.pk, FactKind.EDUCATION_LEVEL) not in self.fact_kinds:
                facts.append(
                    SituationFact(
                        person=person, kind=FactKind.EDUCATION_LEVEL, value=level, started_on=entry, source=SOURCE
                    )
                )
            orientation = None
            prescriber = values.get("prescriber")
            if prescriber is not None:
                orientation = Orientation(
                    person=person,
                    prescriber=prescriber,
                    oriented_on=values.get("oriented_on") or entry,
                    reason=f"Orientation reprise de l'outil PLIE précédent (import du {_d(today)}).",
                    appointment_outcome=AppointmentOutcome.PRESENT,
                    status=OrientationStatus.ENTERED,
                    created_by=by,
                )
                orientations.append(orientation)
            organization, referent = values["organization"], values.get("referent")
            pathway = Pathway(
                person=person,
                orientation=orientation,
                status=PathwayStatus.EXITED if exit_date else PathwayStatus.ACTIVE,
                eligibility={"imported": True, "source": SOURCE, "imported_on": today.isoformat()},
                proposed_organization=organization,
                proposed_referent=referent,
                entry_proposed_on=values.get("oriented_on") or entry,
                entry_proposed_by=by,
                entry_date=entry,
                entry_decided_by=by,
                entry_decision_notes=f"Entrée validée dans l'outil PLIE précédent (import du {_d(today)}).",
            )
            if exit_date:
                pathway.exit_date = exit_date
                pathway.exit_kind = values["exit_kind"]
                pathway.exit_proposed_on = exit_date
                pathway.exit_proposed_by = by
                pathway.exit_validated_by = by
                pathway.exit_explanation = f"Sortie validée dans l'outil PLIE précédent (import du {_d(today)})."
            pathways.append(pathway)
            group.pathway = pathway
            existing = self.open_follow_ups.get((person.pk, organization.pk)) if group.matched else None
            if existing is not None and exit_date is None:
                reused += 1  # the structure already follows the person: the pathway continues it
                if referent is not None and existing.referent_id is None:
                    existing.referent = referent
                    existing._history_user = by
                    existing.save(update_fields=["referent", "updated_at"])
            else:
                follow_ups.append(
                    FollowUp(
                        person=person,
                        organization=organization,
                        programme=Programme.PLIE,
                        referent=referent,
                        prescriber=prescriber,
                        started_on=entry,
                        ended_on=exit_date,
                    )
                )
        for fact in facts:
            fact.recorded_by = by
        bulk_create_with_history(facts, SituationFact, default_user=by)
        bulk_create_with_history(orientations, Orientation, default_user=by)
        # Pathways first without history: their exit criterion is known once their contracts are saved.
        Pathway.objects.bulk_create(pathways)
        bulk_create_with_history(follow_ups, FollowUp, default_user=by)
        contracts = []
        for group in groups:
            for _, contract in group.contracts:
                contract.pathway = group.pathway
                contracts.append(contract)
        bulk_create_with_history(contracts, Contract, default_user=by)
        unconfirmed = self._record_exit_rules(groups)
        Pathway.history.bulk_history_create(pathways, default_user=by)
        exited = [p for p in pathways if p.status == PathwayStatus.EXITED]
        positive = [p for p in exited if p.exit_kind in POSITIVE_EXIT_KINDS]
        created = {
            "Personnes inscrites au registre": len(new_people),
            "Personnes déjà inscrites, rattachées": len(groups) - len(new_people),
            "Parcours PLIE": len(pathways),
            "dont en cours": len(pathways) - len(exited),
            "dont sortis": len(exited),
            "dont sorties positives": len(positive),
            "dont sorties positives sans critère confirmé": unconfirmed,
            "Orientations": len(orientations),
            "Suivis PLIE (structure et référent)": len(follow_ups),
            "Suivis existants poursuivis": reused,
            "Contrats de travail": len(contracts),
            "Faits de situation (RSA, niveau de formation)": len(facts),
        }
        return created

    def _record_exit_rules(self, groups) -> int:
        """The rule confirming each positive exit, as propose_exit records it; counts the unconfirmed ones."""
        positive = [g.pathway for g in groups if g.pathway.exit_kind in POSITIVE_EXIT_KINDS]
        if not positive:
            return 0
        saved = Pathway.objects.filter(pk__in=[p.pk for p in positive]).select_related("person")
        saved = {p.pk: p for p in saved.prefetch_related("contracts", "steps", "businesses")}
        unconfirmed, updated = 0, []
        for pathway in positive:
            assessment = assess_exit(saved[pathway.pk], pathway.exit_date)
            outcome = _matching_outcome(assessment, pathway.exit_kind)
            if outcome is None:
                unconfirmed += 1
                pathway.exit_explanation += (
                    " Sortie positive non confirmée par les critères de l'appel à projets : " + assessment.summary
                )
            else:
                pathway.exit_rule = outcome.rule
                pathway.exit_explanation += " " + _outcome_summary(outcome)
            updated.append(pathway)
        Pathway.objects.bulk_update(updated, ["exit_rule", "exit_explanation"])
        return unconfirmed


def _matching_outcome(assessment, exit_kind):
    """The met criterion that backs this positive exit kind, as propose_exit picks it, or None."""
    matching = [o for o in assessment.outcomes if o.met and POSITIVE_EXIT_OF_RULE[o.rule] == exit_kind]
    return matching[0] if matching else None


def _outcome_summary(outcome) -> str:
    return f"Critère rempli le {outcome.met_on:%d/%m/%Y} : {outcome.label}, car {outcome.because}"


def assess_draft(person, contracts=(), steps=(), businesses=(), *, at):
    """assess_exit on records not saved yet (each gets a stand-in primary key, on a copy)."""

    def stand_ins(records):
        copies = []
        for index, record in enumerate(records, start=1):
            record = copy.copy(record)
            record.pk = -index
            copies.append(record)
        return _Related(copies)

    draft = _PathwayDraft(
        person=person, contracts=stand_ins(contracts), steps=stand_ins(steps), businesses=stand_ins(businesses)
    )
    return assess_exit(draft, at)


_COLUMN_ORDER = {c.header: index for index, c in enumerate(COLUMNS)}


def _issue_order(issue: ImportIssue):
    return (issue.row or 0, _COLUMN_ORDER.get(issue.column, len(_COLUMN_ORDER)))


class _DryRun(Exception):
    pass


def import_file(file, *, by, filename: str = "", dry_run: bool = False) -> ImportReport:
    """Validate the whole file, then write it in one transaction, or nothing at all.

    `file` is bytes or a file-like object (an UploadedFile); the report lists every error with its
    row and column, or what was created (what would be, with dry_run)."""
    if not is_cell_member(by):
        raise PermissionDenied("Seule la cellule de suivi des entrées et sorties importe des parcours.")
    filename = filename or getattr(file, "name", "") or ""
    report = ImportReport(filename=filename.rsplit("/", 1)[-1], dry_run=dry_run)
    content = file if isinstance(file, bytes) else file.read()
    if len(content) > MAX_FILE_SIZE:
        report.error(None, None, f"fichier trop volumineux (plus de {MAX_FILE_SIZE // 1024 // 1024} Mo)")
        return report
    try:
        raw_rows = _read_rows(content, filename)
    except _FileError as e:
        report.error(None, None, str(e))
        return report
    if not raw_rows or all(_blank(v) for v in raw_rows[0][1]):
        report.error(None, None, "le fichier est vide : la première ligne doit contenir les en-têtes des colonnes")
        return report
    if len(raw_rows) > MAX_ROWS + 1:
        report.error(None, None, f"trop de lignes : {MAX_ROWS} au plus par fichier, découpez-le")
        return report
    importer = _Importer(raw_rows, by, report)
    rows = importer.parse()
    if not report.ok:
        return report
    if not rows:
        report.error(None, None, "aucune ligne de données sous la ligne d'en-tête")
        return report
    groups = importer.validate(rows)
    if not report.ok:
        report.errors.sort(key=_issue_order)
        return report
    try:
        with transaction.atomic():
            report.created = importer.write(groups)
            report.matched = [
                f"Ligne {g.first} : {g.person.full_name}, né·e le {_d(g.person.birth_date)}"
                for g in groups
                if g.matched
            ]
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except (DatabaseError, ValidationError) as e:
        report.created, report.matched = {}, []
        report.error(None, None, f"erreur inattendue à l'enregistrement, rien n'a été enregistré ({e})")
    return report


# --- The template --------------------------------------------------------------------------------

TEMPLATE_FILENAME = "modele-import-plie.xlsx"
HELP_INTRO = [
    "Modèle d'import des participants du PLIE (reprise de l'outil utilisé jusqu'ici)",
    "",
    "Une ligne par contrat de travail, ou par participant·e sans contrat. Les lignes d'une même personne "
    "(mêmes nom, prénom et date de naissance) sont regroupées en une personne et un parcours : répétez ces "
    "trois colonnes sur chaque ligne ; les autres colonnes de la personne et du parcours peuvent n'être "
    "remplies que sur l'une de ses lignes, mais ne doivent pas se contredire.",
    "Une personne déjà inscrite au registre de Tremplin est retrouvée et rattachée : sa fiche n'est pas modifiée.",
    "Le fichier est vérifié en entier avant tout enregistrement : s'il contient une erreur, rien n'est "
    "enregistré, et chaque erreur est signalée avec sa ligne et sa colonne.",
    "La ligne d'exemple de l'onglet « Participants » est ignorée tant qu'elle n'est pas modifiée. Enregistrez "
    "le fichier au format .xlsx, ou en « CSV UTF-8 (délimité par des points-virgules) ».",
    "",
]


def _value_lists() -> list[tuple[str, list[tuple[str, str]]]]:
    following = Organization.objects.filter(kind__in=FOLLOWING_KINDS, is_active=True).order_by("name")
    prescribers = Organization.objects.filter(kind=OrganizationKind.PRESCRIBER, is_active=True).order_by("name")
    return [
        ("Motif de sortie", [(label, value) for value, label in ExitKind.choices]),
        ("Type de contrat", [(label, value) for value, label in ContractType.choices]),
        ("Type d'employeur", [(label, value) for value, label in EmployerKind.choices]),
        ("Niveau de formation", [(label, value) for value, label in EducationLevel.choices]),
        ("Structure de suivi (annuaire de Tremplin)", [(o.name, o.siret) for o in following]),
        ("Prescripteur (annuaire de Tremplin, ou toute autre structure)", [(o.name, o.siret) for o in prescribers]),
    ]


def build_template() -> bytes:
    """The XLSX template: the header row and one example row, and an "Aide" sheet on each column."""

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Participants"
    sheet.append([c.header for c in COLUMNS])
    sheet.append([c.example if c.example != "" else None for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, min(40, len(column.header) + 4))
        example = sheet.cell(row=2, column=index)
        example.font = Font(italic=True, color="666666")
        if column.key in DATE_KEYS:
            example.number_format = "DD/MM/YYYY"
        elif column.key in ("phone", "postcode", "commune"):
            example.number_format = "@"  # text: Excel keeps the leading zeros
    sheet.freeze_panes = "A2"

    help_sheet = workbook.create_sheet("Aide")
    for line in HELP_INTRO:
        help_sheet.append([line])
    help_sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    help_sheet.append(["Colonne", "Obligatoire", "Contenu attendu", "Exemple"])
    for cell in help_sheet[help_sheet.max_row]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        help_sheet.append([column.header, column.required, column.help, _text(column.example)])
    for title, values in _value_lists():
        help_sheet.append([])
        help_sheet.append([f"Valeurs admises – {title}", "Code"])
        for cell in help_sheet[help_sheet.max_row]:
            cell.font = Font(bold=True)
        for label, code in values:
            help_sheet.append([label, code])
        if not values:
            help_sheet.append(["(aucune structure dans l'annuaire pour l'instant)"])
    help_sheet.column_dimensions["A"].width = 45
    help_sheet.column_dimensions["B"].width = 22
    help_sheet.column_dimensions["C"].width = 90
    help_sheet.column_dimensions["D"].width = 30
    for row in help_sheet.iter_rows(min_row=len(HELP_INTRO) + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
