"""What the clauses d'insertion contribute to the shared pages (tremplin/core/modules.py): their menu entry, their
home panels, their demo builder and their access-test parameters."""

from django.urls import reverse

from tremplin.clauses.home import external_panel, facilitator_panel
from tremplin.clauses.perms import has_clauses_access, has_operations_access
from tremplin.core.modules import HomePanel, MenuEntry, Module, modules


def _menu_url(user) -> str:
    # The team, buyers and companies land on the operations; référents and prescribers on their people's candidacies.
    return reverse("clauses:operation_list" if has_operations_access(user) else "clauses:candidate_list")


modules.register(
    Module(
        name="clauses",
        label="Clauses d'insertion",
        order=20,
        menu=(MenuEntry(label="Clauses d'insertion", url=_menu_url, visible=has_clauses_access),),
        home_panels=(
            HomePanel(template="clauses/_home_panel.html", context=facilitator_panel),
            HomePanel(template="clauses/_external_home_panel.html", context=external_panel, order=110),
        ),
        demo="tremplin.clauses.demo",
        access_test="tests.clauses.access",
    )
)
