"""Statistical secrecy (reports/masking.py): random breakdowns never give a masked cell back, whatever the
totals shown beside them, nor do two figures over the same population; masked users get no period under a
month; each role's scope."""

import datetime
import itertools
from fractions import Fraction
from types import SimpleNamespace
from unittest.mock import patch

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings, strategies as st

from tremplin.reports import masking
from tremplin.reports.registry import DENOMINATOR, VALUE, Figure, Indicator, Period, Unit

FUNDER = SimpleNamespace(pk=None, is_superuser=False, sees_all_people=False, sees_records=False)
PERIOD = Period.year(2023)
PROPERTY = settings(max_examples=250, deadline=None, database=None, suppress_health_check=list(HealthCheck))

cell_values = st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8)
thresholds = st.integers(min_value=2, max_value=11)


def recoverable(cells: dict, masked: set, total, *, strict=True) -> set:
    """Masked cells an attacker pins down from the total and the cells shown: with the total, the masked
    cells add up to a known sum S. One masked cell is S, and S = 0 makes them all 0. `strict`: the attacker
    also assumes masked cells are never 0 (small cells are 1 or more), so m cells adding up to m are all 1."""
    if total is None or not masked:
        return set()
    hidden_sum = total - sum(v for label, v in cells.items() if label not in masked)
    if len(masked) == 1 or hidden_sum == 0 or (strict and hidden_sum == len(masked)):
        return set(masked)
    return set()


def check_breakdown(cells: dict, masked: set, total_masked: bool, total: int, k: int, *, total_fixed=False):
    for label, count in cells.items():
        if 0 < count < k:
            assert label in masked, f"small cell {label}={count} shown"
    if 0 < total < k and not total_fixed:
        assert total_masked
    # A total shown elsewhere (total_fixed) cannot be hidden: it only protects against the exact subtraction.
    assert not recoverable(cells, masked, None if total_masked else total, strict=not total_fixed)
    if masked and not total_masked and not total_fixed:
        # The masked cells protect each other: together they are at least the threshold.
        assert total - sum(v for label, v in cells.items() if label not in masked) >= min(k, total)


@PROPERTY
@given(values=cell_values, k=thresholds, fixed=st.booleans())
def test_no_masked_cell_is_recomputed_from_its_total(values, k, fixed):
    cells = {f"c{i}": v for i, v in enumerate(values)}
    total = sum(values)
    with override_settings(TREMPLIN_SMALL_CELL_THRESHOLD=k):
        result = masking.suppress(cells, total, total_fixed=fixed)
    if fixed:
        assert not result.total_masked
        if len(cells) == 1:
            return  # a single cell is its total, which the caller shows anyway
    check_breakdown(cells, result.masked, result.total_masked, total, k, total_fixed=fixed)


def _count_indicator(figure, breakdowns=("sexe",)):
    return Indicator(
        id="test.count",
        label="Test",
        definition="Test",
        unit=Unit.COUNT,
        breakdowns=breakdowns,
        compute=lambda *, period, user: figure,
    )


@PROPERTY
@given(values=cell_values, k=thresholds)
def test_a_funder_never_recovers_a_masked_cell_of_a_figure(values, k):
    cells = {f"Catégorie {i}": v for i, v in enumerate(values)}
    total = sum(values)
    with override_settings(TREMPLIN_SMALL_CELL_THRESHOLD=k):
        figure = (
            _count_indicator(Figure(value=total, breakdown=dict(cells))).evaluate(period=PERIOD, user=FUNDER).figure
        )
    masked = {label for label in cells if label in figure.masked}
    assert all(figure.breakdown[label] is None for label in masked)
    assert all(figure.breakdown[label] == cells[label] for label in cells if label not in masked)
    assert (figure.value is None) == figure.value_masked
    check_breakdown(cells, masked, figure.value_masked, total, k)


@PROPERTY
@given(data=st.data(), k=thresholds)
def test_each_breakdown_of_a_several_way_figure_is_safe_on_its_own(data, k):
    total = data.draw(st.integers(min_value=0, max_value=60))

    def partition(name):
        sizes = data.draw(st.lists(st.integers(min_value=0, max_value=total), min_size=1, max_size=5))
        cells, left = {}, total
        for i, size in enumerate(sizes[:-1]):
            cells[f"{name} – {i}"] = min(size, left)
            left -= cells[f"{name} – {i}"]
        cells[f"{name} – fin"] = left
        return cells

    sexes, communes = partition("Sexe"), partition("Commune")
    indicator = _count_indicator(Figure(value=total, breakdown=sexes | communes), breakdowns=("sexe", "commune"))
    with override_settings(TREMPLIN_SMALL_CELL_THRESHOLD=k):
        figure = indicator.evaluate(period=PERIOD, user=FUNDER).figure
    if 0 < total < k:
        assert figure.value is None
    for cells in (sexes, communes):
        masked = {label for label in cells if label in figure.masked}
        # The total is shown unless small; any breakdown shown in full would give it back anyway.
        assert not recoverable(cells, masked, None if figure.value_masked else total, strict=False)
        assert all(label in masked for label, count in cells.items() if 0 < count < k)


@PROPERTY
@given(data=st.data(), k=thresholds)
def test_a_share_never_shows_a_small_numerator_complement_or_cell(data, k):
    counts = data.draw(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=6))
    numerator = sum(counts)
    denominator = numerator + data.draw(st.integers(min_value=0, max_value=60))
    if denominator == 0:
        return

    def share(n):
        return round(n / denominator, 4)

    cells = {f"Quartier {i}": share(c) for i, c in enumerate(counts)}
    indicator = Indicator(
        id="test.share",
        label="Test",
        definition="Test",
        unit=Unit.SHARE,
        denominator="personnes",
        breakdowns=("quartier",),
        compute=lambda *, period, user: Figure(value=share(numerator), denominator=denominator, breakdown=cells),
    )
    with override_settings(TREMPLIN_SMALL_CELL_THRESHOLD=k):
        figure = indicator.evaluate(period=PERIOD, user=FUNDER).figure
    shown_denominator = figure.denominator
    if 0 < denominator < k:
        assert shown_denominator is None and figure.value is None and DENOMINATOR in figure.masked
        return
    if figure.value is not None:
        recovered = round(figure.value * shown_denominator)
        assert recovered == numerator
        assert not (0 < numerator < k) and not (0 < denominator - numerator < k)
    else:
        assert VALUE in figure.masked
    count_cells = {label: c for label, c in zip(cells, counts, strict=True)}
    masked = {label for label in cells if figure.breakdown[label] is None}
    for label in cells:
        if label not in masked:
            assert not (0 < count_cells[label] < k)
    assert not recoverable(count_cells, masked, numerator if figure.value is not None else None)


# Periods ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "shortest_end"),
    [
        ("2024-03-01", "2024-03-31"),
        ("2024-03-10", "2024-04-09"),
        ("2024-01-31", "2024-02-29"),
        ("2023-01-30", "2023-02-28"),
        ("2024-12-15", "2025-01-14"),
    ],
)
def test_a_month_from_a_day(start, shortest_end):
    start, shortest_end = datetime.date.fromisoformat(start), datetime.date.fromisoformat(shortest_end)
    assert masking.one_month_after(start) == shortest_end
    assert masking.is_long_enough(start, shortest_end)
    assert not masking.is_long_enough(start, shortest_end - datetime.timedelta(days=1))


@PROPERTY
@given(start=st.dates(datetime.date(2000, 1, 1), datetime.date(2100, 1, 1)), days=st.integers(0, 70))
def test_random_periods_under_a_month_are_refused_to_masked_users(start, days):
    end = start + datetime.timedelta(days=days)
    coordinator = SimpleNamespace(is_superuser=False, sees_all_people=True, sees_records=True)
    masking.check_period(start, end, coordinator)  # never refused
    masking.check_period(start, end, None)
    if days < 27:
        with pytest.raises(ValidationError, match="au moins un mois"):
            masking.check_period(start, end, FUNDER)
    elif days >= 30:
        masking.check_period(start, end, FUNDER)
    indicator = _count_indicator(Figure(value=1, breakdown={"a": 1}))
    if masking.is_long_enough(start, end):
        assert indicator.evaluate(period=Period(start, end), user=FUNDER).figure.value is None
    else:
        with pytest.raises(ValidationError):
            indicator.evaluate(period=Period(start, end), user=FUNDER)


# Roles and scopes, on data --------------------------------------------------------------------------


@pytest.fixture
def one_employee():
    from tests.clauses.factories import HoursRecordFactory, hours_world

    world = hours_world()
    HoursRecordFactory(placement=world.placement, month=datetime.date(2024, 3, 1))
    return world


@pytest.mark.parametrize(
    ("role", "masked"),
    [
        ("facilitator", False),
        ("coordinator", False),
        ("assistant", False),
        ("manager", False),
        ("referent", True),
        ("funder", True),
        ("buyer", True),
    ],
)
def test_whole_territory_clauses_figures_are_masked_outside_the_clauses_team(one_employee, role, masked):
    from tremplin.reports.registry import registry

    result = registry.get("clauses.employees").evaluate(period=Period.year(2024), user=one_employee[role])
    assert (result.figure.value is None) is masked
    assert result.figure.value_masked is masked
    if not masked:
        assert result.figure.value == 1


@pytest.mark.parametrize("role", ["PRESCRIBER", "MOBILITY_ADVISER", "PROJECT_OFFICER"])
def test_prescribers_and_mobility_advisers_get_the_clauses_figures_masked(one_employee, role):
    from tests.factories import user_with_role
    from tremplin.accounts.enums import Role
    from tremplin.reports.registry import registry

    user = user_with_role(getattr(Role, role))
    assert registry.get("clauses.employees").evaluate(period=Period.year(2024), user=user).figure.value is None


def test_a_referents_own_figures_are_of_her_structure_and_unmasked(person, alice, charlie, coordinator):
    from tremplin.reports.registry import registry

    count = registry.get("people.count")
    year = Period.year(timezone.localdate().year)
    everyone = count.evaluate(period=year, user=coordinator).figure.value
    assert count.evaluate(period=year, user=alice).figure.value == 1  # her structure's one person, not masked
    assert count.evaluate(period=year, user=charlie).figure.value == 0
    assert everyone >= 1


@pytest.mark.parametrize(("persona", "refused"), [("funder", True), ("alice", True), ("coordinator", False)])
def test_the_figures_page_refuses_a_period_under_a_month(client, request, persona, refused):
    from django.urls import reverse

    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("reports:figures"), {"start": "2024-03-01", "end": "2024-03-20"})
    assert response.status_code == 200
    assert ("La période doit couvrir au moins un mois" in response.text) is refused
    assert (
        "La période doit couvrir au moins un mois"
        in client.get(reverse("reports:figures"), {"start": "2024-03-01", "end": "2024-03-31"}).text
    ) is False


def test_a_buyers_one_month_report_masks_the_qpv_resident(client, one_employee):
    from django.urls import reverse

    from tests.factories import SituationFactFactory

    SituationFactFactory(person=one_employee.placement.person, in_qpv=True, started_on=datetime.date(2020, 1, 1))
    url = reverse("clauses:operation_report", kwargs={"operation_id": one_employee.operation.pk})
    client.force_login(one_employee["buyer"])
    response = client.get(url, {"start": "2024-03-01", "end": "2024-03-31"})
    report = response.context["report"]
    assert report.start == datetime.date(2024, 3, 1)
    qpv = next(c for c in report.people if c.label.startswith("Résidant"))
    assert qpv.count is None and report.people_total is None
    assert "Secret statistique" in response.text

    response = client.get(url, {"start": "2024-03-01", "end": "2024-03-20"})
    assert "La période doit couvrir au moins un mois" in response.text
    assert response.context["report"].start is None  # the default period, not the short one

    client.force_login(one_employee["facilitator"])
    report = client.get(url, {"start": "2024-03-01", "end": "2024-03-20"}).context["report"]
    assert report.start == datetime.date(2024, 3, 1)
    assert next(c for c in report.people if c.label.startswith("Résidant")).count == 1


def test_a_buyers_home_in_early_january_shows_last_year(client, one_employee):
    import time_machine
    from django.urls import reverse

    client.force_login(one_employee["buyer"])
    with time_machine.travel(datetime.datetime(2025, 1, 5, 10, 0), tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Chiffres de vos opérations – année 2024" in response.text


# Figures over the same population: no masked cell comes back from another figure -------------------------

SEXES, AGES = ("F", "H", "X"), ("jeune", "adulte", "senior")
ATOMS = [(sex, age, qpv) for sex in SEXES for age in AGES for qpv in (True, False)]


def _people_of(counts):
    """Figures over one population: its count broken down by sex and by age, counts of women, men and
    non-binary people, the share of seniors, the share of QPV residents by sex and the share of women. Each
    shown quantity is also given as the set of atoms (sex, age, QPV) it counts, for the attacker."""
    population = dict(zip(ATOMS, counts, strict=True))

    def count(test):
        return sum(n for atom, n in population.items() if test(*atom))

    total = sum(counts)

    def share(n):
        return round(n / total, 4) if total else None

    sexes = {f"Sexe – {s}": count(lambda sex, age, qpv, s=s: sex == s) for s in SEXES}
    ages = {f"Âge – {a}": count(lambda sex, age, qpv, a=a: age == a) for a in AGES}
    qpv_by_sex = {s: count(lambda sex, age, qpv, s=s: qpv and sex == s) for s in SEXES}
    figures = {
        "test.people": (Unit.COUNT, ("sexe", "âge"), Figure(value=total, breakdown=sexes | ages)),
        "test.seniors_share": (Unit.SHARE, (), Figure(value=share(ages["Âge – senior"]), denominator=total)),
        "test.women_share": (Unit.SHARE, (), Figure(value=share(sexes["Sexe – F"]), denominator=total)),
        "test.qpv_share": (
            Unit.SHARE,
            ("sexe",),
            Figure(
                value=share(sum(qpv_by_sex.values())),
                denominator=total,
                breakdown={s: share(n) for s, n in qpv_by_sex.items()},
            ),
        ),
    }
    for s, name in zip(SEXES, ("women", "men", "non_binary"), strict=True):
        figures[f"test.{name}"] = (Unit.COUNT, (), Figure(value=sexes[f"Sexe – {s}"]))
    everyone = set(ATOMS)
    sets = {
        "test.people": {VALUE: everyone}
        | {f"Sexe – {s}": {a for a in ATOMS if a[0] == s} for s in SEXES}
        | {f"Âge – {g}": {a for a in ATOMS if a[1] == g} for g in AGES},
        "test.seniors_share": {VALUE: {a for a in ATOMS if a[1] == "senior"}, DENOMINATOR: everyone},
        "test.women_share": {VALUE: {a for a in ATOMS if a[0] == "F"}, DENOMINATOR: everyone},
        "test.qpv_share": {VALUE: {a for a in ATOMS if a[2]}, DENOMINATOR: everyone}
        | {s: {a for a in ATOMS if a[2] and a[0] == s} for s in SEXES},
    }
    for s, name in zip(SEXES, ("women", "men", "non_binary"), strict=True):
        sets[f"test.{name}"] = {VALUE: {a for a in ATOMS if a[0] == s}}
    return figures, sets


def _register_population(figures):
    from tremplin.reports.registry import Registry

    registry = Registry()
    for indicator_id, (unit, breakdowns, figure) in figures.items():
        registry.register(
            Indicator(
                id=indicator_id,
                label=indicator_id,
                definition="Test",
                unit=unit,
                breakdowns=breakdowns,
                denominator="personnes (test.people)" if unit == Unit.SHARE else "",
                population="test.people" if indicator_id in ("test.women", "test.men", "test.non_binary") else "",
                compute=lambda *, period, user, figure=figure: Figure(
                    value=figure.value,
                    denominator=figure.denominator,
                    breakdown=None if figure.breakdown is None else dict(figure.breakdown),
                ),
            )
        )
    return registry


def _vector(atoms):
    return [Fraction(1 if atom in atoms else 0) for atom in ATOMS]


def _reduce(basis, vector):
    """The vector minus its projection on the echelon basis (pivot column → row): zero when in the span."""
    vector = list(vector)
    for pivot, row in basis.items():
        if vector[pivot]:
            factor = vector[pivot] / row[pivot]
            vector = [v - factor * r for v, r in zip(vector, row, strict=True)]
    return vector


def _learn(basis, vector):
    vector = _reduce(basis, vector)
    pivot = next((i for i, v in enumerate(vector) if v), None)
    if pivot is None:
        return False
    for other_pivot, row in list(basis.items()):  # keep the basis reduced on every pivot
        if row[pivot]:
            factor = row[pivot] / vector[pivot]
            basis[other_pivot] = [r - factor * v for r, v in zip(row, vector, strict=True)]
    basis[pivot] = vector
    return True


def _in_span(basis, vector) -> bool:
    return not any(_reduce(basis, vector))


def recovered_cells(shown: dict, sets: dict) -> list:
    """The masked quantities (figure, label) a linear attacker computes from what the figures show: every shown
    count is the sum of its atoms; a share shown beside a masked denominator gives its numerator once the total
    is known from elsewhere (and the reverse)."""
    basis, ratios = {}, []
    for indicator_id, figure in shown.items():
        labels = sets[indicator_id]
        share = DENOMINATOR in labels
        known_total = share and figure.denominator is not None
        for label, atoms in labels.items():
            if label == DENOMINATOR:
                value = figure.denominator
            elif label == VALUE:
                value = figure.value
            else:
                value = figure.breakdown[label]
            if value is None:
                continue
            if share and label != DENOMINATOR and not known_total:
                ratios.append(atoms)
            else:
                _learn(basis, _vector(atoms))
    everyone = _vector(set(ATOMS))
    while True:
        learned = False
        if _in_span(basis, everyone):
            for atoms in ratios:
                learned |= _learn(basis, _vector(atoms))
        elif any(_in_span(basis, _vector(atoms)) for atoms in ratios):
            learned |= _learn(basis, everyone)
        if not learned:
            break
    return [
        (indicator_id, label)
        for indicator_id, figure in shown.items()
        for label in figure.masked
        if _in_span(basis, _vector(sets[indicator_id][label]))
    ]


@PROPERTY
@given(counts=st.lists(st.integers(min_value=0, max_value=9), min_size=len(ATOMS), max_size=len(ATOMS)), k=thresholds)
def test_no_masked_cell_comes_back_from_another_figure_over_the_same_population(counts, k):
    figures, sets = _people_of(counts)
    registry = _register_population(figures)
    with override_settings(TREMPLIN_SMALL_CELL_THRESHOLD=k), patch("tremplin.reports.registry.registry", registry):
        shown = {i.id: i.evaluate(period=PERIOD, user=FUNDER).figure for i in registry}
    total = sum(counts)
    for indicator_id, figure in shown.items():
        for label, atoms in sets[indicator_id].items():
            people = sum(n for atom, n in zip(ATOMS, counts, strict=True) if atom in atoms)
            rest_is_small = label == VALUE and indicator_id != "test.people" and 0 < total - people < k
            if 0 < people < k or rest_is_small:
                assert label in figure.masked, f"{indicator_id} {label} = {people} shown"

    def disclosed(pair):
        """The masked counts a linear attacker computes that are small, or whose rest of the population is: what
        masking protects (a cell masked only to protect another one tells nothing new when its people are shown
        elsewhere, as a count masked by a coincidence of values may be)."""
        found = []
        for indicator_id, label in recovered_cells(pair, sets):
            people = sum(n for atom, n in zip(ATOMS, counts, strict=True) if atom in sets[indicator_id][label])
            rest = total - people if label == VALUE and indicator_id != "test.people" else 0
            if 0 < people < k or 0 < rest < k:
                found.append((indicator_id, label, people))
        return found

    for first, second in itertools.combinations(shown, 2):
        assert not disclosed({first: shown[first], second: shown[second]}), f"{first} + {second}"
    assert not disclosed(shown)


def test_a_count_of_the_people_of_a_masked_cell_is_masked_with_it():
    # 20 women, 18 men, 2 non-binary people: the breakdown by sex masks "X" and, to protect it, "H". The count
    # of men shown beside it would give "X" back (40 − 20 − 18): it is masked too; the count of women stays.
    counts = [0] * len(ATOMS)
    counts[ATOMS.index(("F", "jeune", True))] = 10
    counts[ATOMS.index(("F", "jeune", False))] = 10
    counts[ATOMS.index(("H", "adulte", False))] = 18
    counts[ATOMS.index(("X", "senior", False))] = 2
    registry = _register_population(_people_of(counts)[0])
    with override_settings(TREMPLIN_SMALL_CELL_THRESHOLD=5), patch("tremplin.reports.registry.registry", registry):
        shown = {i.id: i.evaluate(period=PERIOD, user=FUNDER).figure for i in registry}
    assert shown["test.people"].value == 40 and shown["test.people"].breakdown["Sexe – F"] == 20
    assert {"Sexe – X", "Sexe – H"} <= shown["test.people"].masked
    assert shown["test.men"].value is None and shown["test.non_binary"].value is None
    assert shown["test.women"].value == 20 and shown["test.women_share"].value == 0.5


@pytest.mark.parametrize(
    ("indicator_id", "population", "members"),
    [
        ("fse.non_binary", "fse.participants", {"fse.participants", "fse.women", "fse.men", "fse.homeless"}),
        ("fse.participants", "fse.participants", {"fse.non_binary", "fse.isced_0_2"}),
        ("plie.women_share", "plie.people_accompanied", {"plie.people_accompanied", "plie.qpv_share"}),
        ("people.count", "people.count", {"people.qpv_share"}),
    ],
)
def test_the_registry_puts_the_figures_of_one_population_together(indicator_id, population, members):
    from tremplin.reports.registry import _population_family, registry

    found, family = _population_family(registry.get(indicator_id))
    assert found == population
    assert members <= {i.id for i in family}
    assert all(masking.population_of(i) in ("", population) for i in family)


def test_a_figure_of_no_declared_population_is_masked_on_its_own():
    from tremplin.reports.registry import _population_family, registry

    assert _population_family(registry.get("plie.specific_supports")) == ("", [])
