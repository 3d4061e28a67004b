"""What each domain module contributes to the shared pages, registered from its `AppConfig.ready`.

`core` knows no domain app: a module (plie, clauses, mobility...) declares here its menu entries,
its home-page panels, its demo builder and the test module that teaches the access test its URL
parameters. The shared pages (the menu in `layout/base.html`, the role home pages, `manage.py demo`,
`tests/test_access.py`) only read this registry. See docs/architecture.md, « Ajouter un module ».

    # tremplin/mobility/apps.py
    class MobilityConfig(AppConfig):
        name = "tremplin.mobility"

        def ready(self):
            from tremplin.mobility import registry  # noqa: F401  (registers the module)

    # tremplin/mobility/registry.py
    modules.register(Module(
        name="mobility",
        label="Plateforme mobilité",
        order=40,
        menu=(MenuEntry(label="Mobilité", url_name="mobility:home", visible=perms.has_mobility_access),),
        home_panels=(HomePanel(template="mobility/_home_panel.html", context=selectors.home_panel),),
        demo="tremplin.mobility.demo",
        access_test="tests.mobility.access",
    ))

The demo builder (`<module>/demo.py`, run by `tremplin.demo` in the modules' order) exposes
    build(ctx) -> list[str]   creates the module's demo data, returns the summary lines printed by `demo`;
    delete(ctx) -> None       removes it (called in reverse order before the shared people and structures go);
and optionally
    plan(ctx) -> None         runs before the registry's people are drawn, to draft the people whose
                              registration the module decides (the PLIE: `ctx.people.draft(plan=..., planner=...)`);
    is_loaded(ctx) -> bool    whether a loaded demo has the module's data (if not, `demo` reloads it).
`ctx` is `tremplin.demo.context.DemoContext`: `today`, `rng` (random.Random, seeded), `faker`
(Faker fr_FR, seeded), `organizations` (name -> Organization), `users` (e-mail local part -> User, e.g.
"mobilite"), `people` (the shared generator: `people.create(count, *, created_by, organization=None,
programme=None, ages=(16, 64), on=None) -> list[Person]` with French names, streets and communes of
Côte-d'Or, most in Dijon Métropole), `persons(programme=None)` (the demo people already built, optionally
those followed in a programme), `user_ids` / `organization_ids` / `person_ids` for deletion, and `state` (a dict
where a module keeps what its `plan` prepared for its `build`).

The access test module (`tests/<module>/access.py`) exposes
    NAMESPACES: set[str]                the URL namespaces of the module;
    PERSON_PARAMETERS: tuple[str, ...]  URL parameters designating the world person's records ("<int:rental_id>");
    build(world) -> dict[str, str]      creates the module's records around the world's person, structure and
                                        users (tests/test_access.py `world`), returns parameter name -> value;
    check(persona, name, method, response, where, world) -> None   the module's own rules (optional; it also
                                        gets `route=` when it takes it: the pattern, whether it designates the
                                        person, whether the persona reads her name there, `route.unknown()`);
and optionally
    KNOWN_ROUTES: set[str]              route names the walk must find;
    exempt(persona, name) -> bool       the route follows `check` only, not the rule for those who see the person;
    sees_person(persona, name) -> bool  a persona outside the person's scope reads her name on that route;
and may append (message, text, personas who may read it) to `world["secrets"]`: a text checked on every page.

Hooks. `Module.extra` carries what one module offers the others without being imported by them; a reader
asks `modules.hook(name)` and works without it when the module is absent. Known hooks:
    "report_narratives"   (reports/report.py) texts printed beside a module's figures;
    "person_mobility"     (PERSON_MOBILITY, registered by mobility) what the mobility platform's latest diagnostic
                          says of people, read by the companies' CV-free matching:
        annotate(queryset, *, person: str, user) -> queryset whose rows gain, from the latest diagnostic of the
            person at `person` (a path such as "person") that `user` may read, joined in the same SQL query:
            `mobility_diagnosed_on` (None without a diagnostic), `mobility_licence` and `mobility_vehicle`
            (booleans: permis B held, a motor vehicle of one's own), `mobility_drives` (may drive one's own
            vehicle), and the raw facts that `facts(row)` turns into MobilityFacts (None without a diagnostic);
        for_person(person, *, user) -> MobilityFacts | None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class MenuEntry:
    """A link of the main menu, shown to the users for whom `visible(user)` is true.

    `url_name` is reversed without arguments; `url(user)` may pick the URL per user instead."""

    label: str
    visible: Callable[[Any], bool]
    url_name: str = ""
    url: Callable[[Any], str] | None = None
    order: int = 100

    def href(self, user) -> str:
        return self.url(user) if self.url is not None else reverse(self.url_name)


@dataclass(frozen=True)
class HomePanel:
    """A section of the role home pages: `context(user, today)` returns the template's context,
    or None when the panel has nothing for this user (then it is not shown)."""

    template: str
    context: Callable[[Any, Any], dict | None]
    order: int = 100


@dataclass(frozen=True)
class Module:
    """A domain module. `demo` and `access_test` are dotted paths, imported only by the demo app and
    the access test: a module's demo code is never loaded by the web application."""

    name: str
    label: str
    order: int = 100
    menu: tuple[MenuEntry, ...] = ()
    home_panels: tuple[HomePanel, ...] = ()
    demo: str | None = None
    access_test: str | None = None
    extra: dict = field(default_factory=dict)


PERSON_MOBILITY = "person_mobility"


@dataclass(frozen=True)
class MobilityFacts:
    """A person's mobility as a diagnostic recorded it, in French for explanations ("person_mobility" hook)."""

    source: str  # "diagnostic mobilité du 12/02/2024"
    licence: bool  # permis B held
    vehicle: bool  # a motor vehicle of one's own
    drives: bool  # may drive one's own vehicle (permis B and a car or scooter, permis AM and a scooter)
    licence_label: str  # "permis B en cours"
    means_label: str  # "transports en commun, vélo personnel"


class ModuleRegistry:
    def __init__(self):
        self._modules: dict[str, Module] = {}

    def register(self, module: Module) -> Module:
        if module.name in self._modules and self._modules[module.name] != module:
            raise ValueError(f"Module {module.name!r} is registered twice.")
        self._modules[module.name] = module
        return module

    def __iter__(self):
        return iter(sorted(self._modules.values(), key=lambda m: (m.order, m.name)))

    def __getitem__(self, name: str) -> Module:
        return self._modules[name]

    def __contains__(self, name: str) -> bool:
        return name in self._modules

    def menu_for(self, user) -> list[tuple[str, str]]:
        """(label, href) of the menu entries the user may see, in the modules' order."""
        entries = [(module.order, entry.order, entry) for module in self for entry in module.menu]
        return [
            (entry.label, entry.href(user))
            for *_, entry in sorted(entries, key=lambda e: e[:2])
            if entry.visible(user)
        ]

    def home_panels_for(self, user, today) -> list[tuple[str, dict]]:
        """(template, context) of the home panels that have something for the user."""
        panels = []
        for module in self:
            for panel in sorted(module.home_panels, key=lambda p: p.order):
                context = panel.context(user, today)
                if context is not None:
                    panels.append((panel.template, context))
        return panels

    def hook(self, name: str):
        """What the first module (in the modules' order) registered under `extra[name]`, or None."""
        return next((module.extra[name] for module in self if name in module.extra), None)

    def demo_builders(self) -> list[str]:
        return [module.demo for module in self if module.demo]

    def access_tests(self) -> list[str]:
        return [module.access_test for module in self if module.access_test]


modules = ModuleRegistry()
