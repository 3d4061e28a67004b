"""The demo data set (`manage.py demo`): Creativ' and its partners in Dijon, 2,900 people of the registry with
their PLIE journeys, and the clauses d'insertion (buyers, operations, companies, about 3,000 more people placed).
"""

from tremplin.core.demo.data import DEMO_PASSWORD, EMAIL_DOMAIN, LEAD_NAME, PEOPLE_COUNT
from tremplin.core.demo.generator import DemoError, DemoReport, DemoUser, delete_demo, demo_users, load_demo

__all__ = [
    "DEMO_PASSWORD",
    "EMAIL_DOMAIN",
    "LEAD_NAME",
    "PEOPLE_COUNT",
    "DemoError",
    "DemoReport",
    "DemoUser",
    "delete_demo",
    "demo_users",
    "load_demo",
]
