"""What the PLIE contributes to the shared pages (tremplin/core/modules.py): its menu entry, its home panel,
its demo builder and its access-test parameters."""

from tremplin.core.modules import HomePanel, MenuEntry, Module, modules
from tremplin.plie.home import home_panel
from tremplin.plie.perms import has_plie_access

modules.register(
    Module(
        name="plie",
        label="PLIE",
        order=10,
        menu=(MenuEntry(label="PLIE", url_name="plie:workspace", visible=has_plie_access),),
        home_panels=(HomePanel(template="plie/_home_panel.html", context=home_panel),),
        demo="tremplin.plie.demo",
        access_test="tests.plie.access",
    )
)
