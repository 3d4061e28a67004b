"""The exit rules run on records not saved yet (the pathways of an import file being checked)."""

import copy
from dataclasses import dataclass, field

from tremplin.people.models import Person
from tremplin.plie.enums import (
    POSITIVE_EXIT_OF_RULE,
)
from tremplin.plie.exits import assess_exit


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


def matching_outcome(assessment, exit_kind):
    """The met criterion that backs this positive exit kind, as propose_exit picks it, or None."""
    matching = [o for o in assessment.outcomes if o.met and POSITIVE_EXIT_OF_RULE[o.rule] == exit_kind]
    return matching[0] if matching else None


def outcome_summary(outcome) -> str:
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
