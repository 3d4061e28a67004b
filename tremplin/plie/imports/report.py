"""The report of a PLIE import: every error and warning with its row and column, and what was created."""

from dataclasses import dataclass, field
from datetime import date

from tremplin.plie.imports.columns import HEADER

# --- The report ----------------------------------------------------------------------------------


@dataclass
class ImportIssue:
    row: int | None
    column: str | None
    message: str
    sheet: str | None = None  # None: the "Participants" sheet (or a CSV)

    def __str__(self):
        where = [f"Onglet « {self.sheet} »"] if self.sheet else []
        if self.row is not None:
            where.append(f"{'ligne' if where else 'Ligne'} {self.row}")
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

    def error(self, row, key_or_header, message, *, sheet=None):
        self.errors.append(ImportIssue(row, HEADER.get(key_or_header, key_or_header), message, sheet))

    def warn(self, row, key_or_header, message, *, sheet=None):
        self.warnings.append(ImportIssue(row, HEADER.get(key_or_header, key_or_header), message, sheet))

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
