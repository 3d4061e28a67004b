"""Text normalisation shared by search and duplicate detection."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(value: str) -> str:
    """Lower-case, accent-free, punctuation as single spaces: "Zoé  D'Hérouville" -> "zoe d herouville"."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", value)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_only = ascii_only.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    return _NON_ALNUM.sub(" ", ascii_only.lower()).strip()


def name_key(value: str) -> str:
    """Key for comparing names: folded, without spaces, so "Le Gall" == "LEGALL" == "le-gall"."""
    return fold(value).replace(" ", "")


def digits(value: str) -> str:
    return "".join(c for c in value or "" if c.isdigit())
