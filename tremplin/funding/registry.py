"""The funding module in the modules' registry (tremplin/core/modules.py)."""

from tremplin.core.modules import HomePanel, MenuEntry, Module, modules
from tremplin.funding import perms, selectors

modules.register(
    Module(
        name="funding",
        label="Programmation et financements",
        order=60,
        menu=(MenuEntry(label="Programmation", url_name="funding:home", visible=perms.has_funding_access),),
        home_panels=(HomePanel(template="funding/_home_panel.html", context=selectors.home_panel),),
        demo="tremplin.funding.demo",
        access_test="tests.funding.access",
    )
)
