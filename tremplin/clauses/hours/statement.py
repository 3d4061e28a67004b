"""The monthly statement a company imports: its columns, its limits and the report of an import."""

from dataclasses import dataclass, field

from tremplin.clauses.models import MAX_MONTHLY_HOURS
from tremplin.core.formatting import decimal2 as _fr
from tremplin.core.spreadsheets import Limits, SheetColumn

MAX_FILE_SIZE = 30 * 1024 * 1024
MAX_ROWS = 200_000
LIMITS = Limits(max_bytes=MAX_FILE_SIZE, max_rows=MAX_ROWS, max_uncompressed=300 * 1024 * 1024)
MAX_REPORTED = 1_000  # errors listed; beyond, they are only counted
BATCH_SIZE = 2_000
COUNT_CHUNK = 5_000  # placements whose imported months are counted by one UPDATE


@dataclass(frozen=True)
class ImportColumn:
    key: str
    header: str
    required: str
    help: str


IMPORT_COLUMNS = [
    ImportColumn(
        "placement_id",
        "Identifiant de la mise en emploi",
        "oui",
        "Numéro de la mise en emploi dans Tremplin, prérempli par le modèle : ne le modifiez pas.",
    ),
    ImportColumn(
        "last_name",
        "Nom",
        "non",
        "Nom de la personne, prérempli : vérifié s'il est rempli, pour éviter une erreur d'identifiant.",
    ),
    ImportColumn("first_name", "Prénom", "non", "Prénom de la personne, prérempli et vérifié de même."),
    ImportColumn(
        "month",
        "Mois (AAAA-MM)",
        "oui",
        "Mois des heures, par exemple 2024-03 pour mars 2024 (03/2024 est aussi accepté). Une seule ligne par "
        "mise en emploi et par mois ; le mois doit être écoulé ou en cours, et dans les dates de la mise en emploi.",
    ),
    ImportColumn(
        "hours",
        "Heures travaillées",
        "oui (ou un montant sous-traité)",
        f"Heures du mois d'après le bulletin de paie ou le relevé, 2 décimales au plus (151,67), au plus "
        f"{_fr(MAX_MONTHLY_HOURS)} h.",
    ),
    ImportColumn(
        "training_hours",
        "Heures de formation",
        "non",
        "Heures de formation des contrats en alternance (professionnalisation, apprentissage).",
    ),
    ImportColumn(
        "subcontracting_amount",
        "Montant sous-traité (€ HT)",
        "non",
        "Pour une sous-traitance à une EI, un ACI, une EA ou un ESAT facturée sans heures : le montant HT du mois, "
        "converti en heures selon la convention de l'opération.",
    ),
]
IMPORT_HEADER = {c.key: c.header for c in IMPORT_COLUMNS}
SHEET_COLUMNS = [SheetColumn(c.key, c.header) for c in IMPORT_COLUMNS]
SHEET_COLUMNS[0] = SheetColumn("placement_id", IMPORT_COLUMNS[0].header, ("Identifiant",))
SHEET_COLUMNS[3] = SheetColumn("month", IMPORT_COLUMNS[3].header, ("Mois",))
REQUIRED_HEADERS = ["placement_id", "month", "hours"]
NUMBER_KEYS = ["hours", "training_hours", "subcontracting_amount"]


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
        message = self.message[:1].upper() + self.message[1:]
        return ((", ".join(where) + " : " + self.message) if where else message) + "."


@dataclass
class HoursImportReport:
    filename: str = ""
    dry_run: bool = False
    replace: bool = False
    rows: int = 0
    ignored: int = 0
    created: int = 0
    updated: int = 0
    error_count: int = 0
    errors: list[ImportIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error_count

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)

    def error(self, row, key, message):
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            message = message.rstrip(".")
            self.errors.append(ImportIssue(row, IMPORT_HEADER.get(key, key), message[:1].lower() + message[1:]))

    @property
    def headline(self) -> str:
        name = f"« {self.filename} » " if self.filename else ""
        lines = f"{self.rows} ligne{'s' if self.rows > 1 else ''}"
        if not self.ok:
            count = self.error_count
            return (
                f"Fichier {name}refusé : {count} erreur{'s' if count > 1 else ''} sur {lines} lue"
                f"{'s' if self.rows > 1 else ''}. Rien n'a été enregistré."
            )
        done = f"{self.created} relevé{'s' if self.created > 1 else ''} créé{'s' if self.created > 1 else ''}"
        if self.replace:
            done += f", {self.updated} remplacé{'s' if self.updated > 1 else ''}"
        if self.ignored:
            done += f", {self.ignored} ligne{'s' if self.ignored > 1 else ''} sans heures ignorée"
            done += "s" if self.ignored > 1 else ""
        if self.dry_run:
            return f"Fichier {name}valide ({lines} ; {done}) : vérification seule, rien n'a été enregistré."
        return f"Fichier {name}importé ({lines}) : {done}."

    def lines(self) -> list[str]:
        lines = [self.headline]
        if self.errors:
            lines += ["", "Erreurs :"] + [f"- {e}" for e in self.errors]
            if self.more_errors:
                lines.append(f"- … et {self.more_errors} autres erreurs.")
        return lines
