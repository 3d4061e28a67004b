"""The Plateforme mobilité module, declared to the shared pages (tremplin.core.modules)."""

from tremplin.core.modules import PERSON_MOBILITY, HomePanel, MenuEntry, Module, modules
from tremplin.mobility import perms, selectors

modules.register(
    Module(
        name="mobility",
        label="Plateforme mobilité",
        order=40,
        menu=(MenuEntry(label="Mobilité", url=perms.home_url, visible=perms.has_mobility_access),),
        home_panels=(HomePanel(template="mobility/_home_panel.html", context=selectors.home_panel),),
        demo="tremplin.mobility.demo",
        access_test="tests.mobility.access",
        # The companies' CV-free matching reads the latest diagnostic (licence, own vehicle) without importing us.
        extra={PERSON_MOBILITY: selectors.person_mobility},
    )
)
