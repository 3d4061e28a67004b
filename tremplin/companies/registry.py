"""The companies module in the shared pages (tremplin.core.modules): menu, home panel, demo, access test."""

from tremplin.companies import roles, selectors
from tremplin.core.modules import HomePanel, MenuEntry, Module, modules


def _menu_url(user):
    from django.urls import reverse

    return reverse("companies:offer_list") if not roles.is_reader(user) else reverse("companies:home")


modules.register(
    Module(
        name="companies",
        label="Entreprises, offres et événements",
        order=50,
        menu=(
            MenuEntry(
                label="Entreprises et offres",
                url=_menu_url,
                visible=lambda user: roles.is_reader(user) or bool(roles.company_ids(user)),
            ),
        ),
        home_panels=(HomePanel(template="companies/_home_panel.html", context=selectors.home_panel),),
        demo="tremplin.companies.demo",
        access_test="tests.companies.access",
    )
)
