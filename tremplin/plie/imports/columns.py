"""The columns of the PLIE import file, its limits, and the groups of columns the checks use."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tremplin.core.spreadsheets import Limits, SheetColumn
from tremplin.people.enums import EducationLevel
from tremplin.plie.enums import (
    ContractType,
    EmployerKind,
    ExitKind,
)
from tremplin.structures.enums import OrganizationKind

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

SHEET_COLUMNS = [SheetColumn(c.key, c.header) for c in COLUMNS]
LIMITS = Limits(max_bytes=MAX_FILE_SIZE, max_rows=MAX_ROWS, max_uncompressed=100 * 1024 * 1024)
