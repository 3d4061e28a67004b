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
    StepKind,
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
    aliases: tuple[str, ...] = ()  # other headers accepted (those of older templates)


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
        "planned_end",
        "Fin prévue du contrat",
        "non",
        "Dernier jour prévu au contrat (CDD, alternance, mission, contrat aidé) ; elle peut être à venir. "
        "Vide pour un CDI.",
        "",
    ),
    Column(
        "contract_end",
        "Fin effective du contrat",
        "non",
        "Dernier jour travaillé d'un contrat terminé (rupture, fin de mission, terme atteint) ; vide s'il est en "
        "cours. Jamais dans le futur : une fin à venir va dans « Fin prévue du contrat ».",
        "",
        ("Fin du contrat",),
    ),
    Column(
        "weekly_hours",
        "Heures hebdomadaires",
        "avec un contrat",
        "Durée hebdomadaire de travail, plus de 0 et au plus 60 (par exemple 35 ou 24,5).",
        35,
    ),
    Column(
        "open_ended",
        "Alternance conclue en CDI (oui/non)",
        "non",
        "« oui » pour un contrat de professionnalisation ou d'apprentissage conclu en CDI : il compte alors comme "
        "un CDI pour les sorties positives. Vide ou « non » sinon.",
        "",
    ),
    Column(
        "part_time_agreed_on",
        "Accord pour moins d'un mi-temps le",
        "non",
        "Sous 17,5 h par semaine, un CDI ou un CDD ne compte pour une sortie positive qu'avec l'accord du "
        "participant : la date où cet accord a été recueilli (pas dans le futur), avec son justificatif.",
        "",
    ),
    Column(
        "part_time_evidence",
        "Justificatif de l'accord",
        "avec la date de l'accord",
        "La pièce qui atteste l'accord, par exemple « courrier signé du 12/03/2024 ».",
        "",
    ),
    Column(
        "aci_validated_on",
        "Validation ACI 55 ans et plus le",
        "non",
        "Pour un contrat en ACI d'une personne de 55 ans ou plus à son début : la date de la validation au cas par "
        "cas de la cellule (pas dans le futur). Sans elle, ce contrat ne compte pas pour une sortie positive.",
        "",
    ),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
HEADER = {c.key: c.header for c in COLUMNS}
REQUIRED_COLUMNS = ["last_name", "first_name", "sex", "birth_date", "commune", "organization", "entry_date"]
CONTRACT_KEYS = [
    "contract_type",
    "employer",
    "employer_kind",
    "contract_start",
    "planned_end",
    "contract_end",
    "weekly_hours",
    "open_ended",
    "part_time_agreed_on",
    "part_time_evidence",
    "aci_validated_on",
]
CONTRACT_REQUIRED = ["contract_type", "employer", "contract_start", "weekly_hours"]
PERSON_KEYS = ["sex", "email", "phone", "address", "postcode", "commune", "rsa", "education_level"]
PATHWAY_KEYS = ["organization", "referent", "prescriber", "oriented_on", "entry_date", "exit_date", "exit_kind"]
IDENTITY_KEYS = ("last_name", "first_name", "birth_date")

# --- The other sheets of the workbook: étapes and business creations, each row tied to a person by the three
# identity columns of the "Participants" sheet.


def _identity(what: str) -> list[Column]:
    return [
        Column(
            c.key,
            c.header,
            "oui",
            f"Comme dans l'onglet « Participants » : {what} se rattache à son parcours.",
            c.example,
        )
        for c in COLUMNS
        if c.key in IDENTITY_KEYS
    ]


STEP_COLUMNS = _identity("l'étape") + [
    Column(
        "step_kind",
        "Type d'étape",
        "oui",
        "Libellé ou code du type d'étape (liste ci-dessous). « Formation » seul est accepté avec la colonne "
        "« Formation qualifiante (oui/non) ».",
        StepKind.TRAINING_QUALIFYING.label,
    ),
    Column(
        "step_qualifying",
        "Formation qualifiante (oui/non)",
        "pour une formation",
        "« oui » pour une formation qualifiante ou certifiante (diplôme, titre RNCP, certificat de qualification "
        "professionnelle) : validée, c'est une sortie positive ; « non » pour une formation pré-qualifiante. "
        "Vide pour les autres étapes.",
        "oui",
    ),
    Column("step_title", "Intitulé de l'étape", "non", "Intitulé ; le type d'étape s'il est vide.", "Titre pro ADVF"),
    Column(
        "step_barrier",
        "Frein travaillé",
        "pour un accompagnement spécifique",
        "Libellé ou code du frein périphérique (liste ci-dessous), pour un accompagnement spécifique seulement.",
        "",
    ),
    Column(
        "step_provider",
        "Organisme ou partenaire",
        "non",
        "Organisme de formation, entreprise ou partenaire.",
        "AFPA Dijon",
    ),
    Column("step_start", "Début de l'étape", "oui", "Premier jour de l'étape (pas dans le futur).", date(2024, 3, 4)),
    Column(
        "step_end",
        "Fin de l'étape",
        "avec une certification obtenue",
        "Dernier jour de l'étape terminée (pas dans le futur) ; vide si elle est en cours.",
        date(2024, 6, 28),
    ),
    Column(
        "step_certification",
        "Diplôme, titre ou certificat visé",
        "non",
        "Pour une formation : la certification préparée.",
        "Titre professionnel assistant·e de vie aux familles",
    ),
    Column(
        "step_certified",
        "Certification obtenue (oui/non)",
        "non",
        "« oui » si la certification a été obtenue à la fin de l'étape, « non » sinon ; vide si on ne le sait pas.",
        "oui",
    ),
    Column("step_notes", "Observations", "non", "Texte libre.", ""),
]
BUSINESS_COLUMNS = _identity("la création") + [
    Column(
        "business_name", "Nom de l'entreprise", "oui", "Nom de l'entreprise créée par la personne.", "Atelier Couture"
    ),
    Column(
        "business_registered",
        "Immatriculée le",
        "oui",
        "Date d'immatriculation (pas dans le futur) : active 6 mois, l'entreprise est une sortie positive.",
        date(2024, 5, 2),
    ),
    Column("business_siret", "SIRET", "non", "14 chiffres.", ""),
    Column(
        "business_ceased",
        "Cessation d'activité le",
        "non",
        "Date de cessation d'activité (pas dans le futur) ; vide si l'entreprise est active.",
        "",
    ),
]
STEP_KEYS = [c.key for c in STEP_COLUMNS if c.key not in IDENTITY_KEYS]
BUSINESS_KEYS = [c.key for c in BUSINESS_COLUMNS if c.key not in IDENTITY_KEYS]


@dataclass(frozen=True)
class SheetSpec:
    name: str  # as in the template; found whatever its case and accents
    columns: list[Column]
    required: list[str]
    intro: str  # its line in the help sheet

    @property
    def sheet_columns(self) -> list[SheetColumn]:
        return [SheetColumn(c.key, c.header, c.aliases) for c in self.columns]


MAIN_SHEET = SheetSpec(
    "Participants",
    COLUMNS,
    REQUIRED_COLUMNS,
    "Onglet « Participants » : une ligne par contrat de travail, ou par participant·e sans contrat.",
)
STEP_SHEET = SheetSpec(
    "Étapes",
    STEP_COLUMNS,
    ["last_name", "first_name", "birth_date", "step_kind", "step_start"],
    "Onglet « Étapes » (facultatif) : une ligne par étape de parcours (formation, immersion, accompagnement…).",
)
BUSINESS_SHEET = SheetSpec(
    "Créations d'entreprise",
    BUSINESS_COLUMNS,
    ["last_name", "first_name", "birth_date", "business_name", "business_registered"],
    "Onglet « Créations d'entreprise » (facultatif) : une ligne par entreprise créée.",
)
SHEETS = [MAIN_SHEET, STEP_SHEET, BUSINESS_SHEET]
HELP_SHEET = "Aide"
HEADER.update({c.key: c.header for spec in SHEETS for c in spec.columns})

DATE_KEYS = {
    "birth_date",
    "oriented_on",
    "entry_date",
    "exit_date",
    "contract_start",
    "planned_end",
    "contract_end",
    "part_time_agreed_on",
    "aci_validated_on",
    "step_start",
    "step_end",
    "business_registered",
    "business_ceased",
}
# Dates of facts that have happened, never in the future (core.dates), with their subject in the message. A
# contract may start later (signed, not begun), and end later as planned.
PAST_DATE_KEYS = {
    "birth_date": "La date de naissance",
    "oriented_on": "La date d'orientation",
    "entry_date": "La date d'entrée",
    "exit_date": "La date de sortie",
    "contract_end": "La fin effective du contrat",
    "part_time_agreed_on": "La date de l'accord du participant",
    "aci_validated_on": "La date de validation par la cellule",
    "step_start": "Le début de l'étape",
    "step_end": "La fin de l'étape",
    "business_registered": "La date d'immatriculation",
    "business_ceased": "La date de cessation d'activité",
}
FUTURE_HINTS = {"contract_end": "une fin à venir va dans « Fin prévue du contrat »"}

SHEET_COLUMNS = MAIN_SHEET.sheet_columns
# The cell budget of a workbook counts the columns of all its sheets.
WORKBOOK_WIDTH = sum(len(spec.columns) for spec in SHEETS)
LIMITS = Limits(max_bytes=MAX_FILE_SIZE, max_rows=MAX_ROWS, max_uncompressed=100 * 1024 * 1024)
