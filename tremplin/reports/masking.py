"""Statistical secrecy for the figures shown to users who may not see the records behind them.

Who is masked (`masks`): every user but the command line, superusers and the roles that see every person
(coordination, assistance, direction). A figure computed on the user's own scope (`counted_for(user)`: a
référent's structure, a prescriber's referrals) is shown as it is to a user who sees records, since they
may open those records anyway; an indicator declares with `unmasked_for` who else sees it unmasked (the
clauses figures, whole-territory: the clauses team only). Funders, buyers and any other role get every
figure masked.

What is masked, for counts of people and shares of people (hours and amounts are not counts of people and
are never masked):
- primary suppression: a count between 1 and the threshold minus one (TREMPLIN_SMALL_CELL_THRESHOLD); for a
  share, its numerator or the rest of its population (denominator − numerator) in that range; a
  denominator in that range hides the share, its denominator and its breakdown;
- secondary suppression (`suppress`), so that no masked cell is recomputed from the total: when the total of
  a breakdown is shown, the masked cells must be at least two and add up to at least the threshold (and to
  more than their number, so that they cannot all be 1); otherwise the smallest shown non-zero cell is
  masked too, again, and when no cell is left, the total itself is masked. A total that other pages show
  anyway (`total_fixed`: the people employed on a buyer's operation) is never masked: all the cells then are.
A masked cell says "masqué (secret statistique)", never "small": a cell masked to protect another one
may be large.

Periods: a masked user's period covers at least one month (`check_period`), from a day to the day before
the same day of the next month (1 to 31 March, 10 March to 9 April).
"""

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError

SHORT_PERIOD = (
    "La période doit couvrir au moins un mois (par exemple du 1er au 31 mars) : sur une période plus courte, "
    "les chiffres permettraient de reconnaître des personnes."
)


def threshold() -> int:
    return settings.TREMPLIN_SMALL_CELL_THRESHOLD


def sees_everything(user) -> bool:
    """The command line, superusers and the roles that see every person: never masked, any period."""
    return user is None or user.is_superuser or user.sees_all_people


def masks(indicator, user) -> bool:
    """Whether this figure is masked for this user."""
    if sees_everything(user):
        return False
    unmasked_for = getattr(indicator, "unmasked_for", None)
    if unmasked_for is not None:
        return not unmasked_for(user)
    return not user.sees_records


def one_month_after(start: date) -> date:
    """The last day of the month that begins on `start`: 1 March → 31 March, 10 March → 9 April; a start
    with no same day next month (31 January) runs to the end of that month (28 or 29 February)."""
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    last_day = calendar.monthrange(year, month)[1]
    if start.day > last_day:
        return date(year, month, last_day)
    return date(year, month, start.day) - timedelta(days=1)


def is_long_enough(start: date, end: date) -> bool:
    return end >= one_month_after(start)


def check_period(start: date, end: date, user) -> None:
    """Refuse a period shorter than a month to a user who gets masked figures (French message)."""
    if not sees_everything(user) and not is_long_enough(start, end):
        raise ValidationError(SHORT_PERIOD, code="period_too_short")


def is_small(count) -> bool:
    return count is not None and 0 < count < threshold()


@dataclass
class Suppression:
    masked: set  # labels of the masked cells
    total_masked: bool = False


def suppress(cells: Mapping[str, int | None], total: int | None, *, total_fixed: bool = False) -> Suppression:
    """Primary then secondary suppression of a one-dimensional breakdown (counts) and its total."""
    k = threshold()
    masked = {label for label, count in cells.items() if is_small(count)}
    if total is None:
        return Suppression(masked)
    if is_small(total) and not total_fixed:
        # Every cell of a small total is small: all non-zero cells go, with the total.
        return Suppression(masked | {label for label, count in cells.items() if count}, total_masked=True)

    def safe() -> bool:
        if not masked:
            return True
        hidden = sum(cells[label] or 0 for label in masked)
        return len(masked) >= 2 and hidden >= max(k, len(masked) + 1)

    while not safe():
        shown = sorted(
            ((count, index, label) for index, (label, count) in enumerate(cells.items()) if label not in masked),
            key=lambda item: (item[0] is None, item[0] or 0, item[1]),
        )
        non_zero = [label for count, _, label in shown if count]
        if non_zero:
            masked.add(non_zero[0])
            continue
        if total_fixed:
            # Nothing left to hide the cells behind: hide every cell, zeros included.
            masked |= {label for _, _, label in shown}
            return Suppression(masked)
        return Suppression(masked, total_masked=True)
    return Suppression(masked)


# Figures over the same population ---------------------------------------------------------------------
#
# Each figure is masked on its own above; two figures over the same people could still give a masked cell back
# by subtraction (the women among the participants shown by one figure, the masked cell "Femme" of another's
# breakdown by sex). A figure declares its population: a share names it in its denominator ("… (plie.people_
# accompanied)"), a count of part of a population says `population="…"`; the population's own figure gives its
# total. For a masked user, the figures of one population and period are checked together (`cross_check`):
# 1. one total: when the population's total is masked anywhere (it is then small), every figure of the
#    population masks everything;
# 2. the rest counts too: a count of part of the population (a share's numerator, a count declared over it)
#    is masked when the rest of the population is small, as a share's already is;
# 3. no subtraction between figures: a count shown by one figure is masked (with its cells, which add up to
#    it) when it equals a masked cell of another figure's breakdown, or those masked cells but one; and when
#    shown counts of parts add up to the population's total but a masked one, the smallest of them is masked.
# The check compares values, not the people behind them: a coincidence masks a figure that did not need it,
# never the reverse.

POPULATION_REFERENCE = re.compile(r"\(([a-z_]+\.[a-z0-9_]+)\)")
TOTAL, PART = "total", "part"


def population_of(indicator) -> str:
    """The id of the figure that counts this figure's population, or ""."""
    declared = getattr(indicator, "population", "")
    if declared:
        return declared
    match = POPULATION_REFERENCE.search(getattr(indicator, "denominator", "") or "")
    return match.group(1) if match else ""


@dataclass
class Member:
    """One figure of a population, in people: `value` is the population's total (kind TOTAL) or the people
    of the part it counts (a share's numerator); `groups` lists the cells that add up to `value`. `masked`
    holds the labels masked so far ("valeur", "dénominateur", cells)."""

    id: str
    kind: str
    value: int | None
    cells: dict
    groups: list
    masked: set
    value_label: str
    denominator_label: str = ""  # a share's: it shows the population's total


def cross_check(members: list[Member]) -> dict[str, set]:
    """The labels to mask in each figure of one population so that none gives another's masked cell back."""
    total = next((m for m in members if m.kind == TOTAL), None)
    parts = [m for m in members if m.kind == PART]
    population = total.value if total is not None else None
    value_label = members[0].value_label
    changed = True

    def hide(member, labels):
        nonlocal changed
        new = set(labels) - member.masked
        if new:
            member.masked |= new
            changed = True

    def hide_part(member):
        hide(member, {value_label} | {label for label, count in member.cells.items() if count is not None})

    def shown(member):
        return member.value is not None and member.value_label not in member.masked

    while changed:
        changed = False
        total_hidden = total is not None and not shown(total)
        total_hidden = total_hidden or any(m.denominator_label and m.denominator_label in m.masked for m in parts)
        if total_hidden:
            for member in members:
                hide_part(member)
                hide(member, {member.denominator_label} - {""})
            continue
        if population is None:
            break
        for member in parts:
            if shown(member) and is_small(population - member.value):
                hide_part(member)
        for member in members:
            if not shown(member):
                continue
            for group in member.groups:
                # A masked 0 tells nothing once the masked cells' sum is known (which it is, from the total).
                hidden = [label for label in group if label in member.masked and member.cells.get(label)]
                hidden_sum = sum(member.cells[label] for label in hidden)
                for other in parts:
                    if other is member or not shown(other) or not other.value:
                        continue
                    if any(
                        other.value == member.cells[label]
                        or (len(hidden) > 1 and other.value == hidden_sum - member.cells[label])
                        for label in hidden
                    ):
                        hide_part(other)
        for masked_part in parts:
            if masked_part.value is None or shown(masked_part):
                continue
            others = [m for m in parts if m is not masked_part and shown(m)]
            for other in others:
                if other.value and other.value == masked_part.value:
                    hide_part(other)
            completing = _subset_with_sum([m for m in others if shown(m)], population - masked_part.value)
            if completing:
                hide_part(min(completing, key=lambda m: (m.value, m.id)))
    return {member.id: member.masked for member in members}


def _subset_with_sum(members: list[Member], target: int) -> list[Member]:
    """Some of the members whose values add up to `target` (at least one member), or []."""
    if target <= 0:
        return []
    reachable = {0: []}
    for member in members:
        if not member.value:
            continue
        for reached, chosen in list(reachable.items()):
            new = reached + member.value
            if new <= target and new not in reachable:
                reachable[new] = [*chosen, member]
    return reachable.get(target, [])
