import datetime
from io import StringIO

import time_machine
from django.core import mail
from django.core.management import call_command

from tests.factories import user_with_role
from tests.funding.factories import ConventionFactory, ObligationFactory
from tremplin.accounts.enums import Role


@time_machine.travel(datetime.datetime(2024, 7, 20, 8, 0, tzinfo=datetime.UTC))
def test_reminders_are_sent_once_before_the_due_date_and_only_with_wet_run():
    convention = ConventionFactory()
    referent = user_with_role(Role.REFERENT, organization=convention.operator)
    due = ObligationFactory(convention=convention, due_on=datetime.date(2024, 7, 30))  # reminder from 15/07
    ObligationFactory(convention=convention, due_on=datetime.date(2024, 8, 30))  # too early
    ObligationFactory(convention=convention, due_on=datetime.date(2024, 7, 25), done_on=datetime.date(2024, 7, 1))
    out = StringIO()
    call_command("funding_send_reminders", stdout=out)
    assert "essai à blanc" in out.getvalue() and not mail.outbox
    call_command("funding_send_reminders", "--wet-run", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [[referent.email]]
    assert "30/07/2024" in mail.outbox[0].subject
    due.refresh_from_db()
    assert due.reminded_on == datetime.date(2024, 7, 20)
    call_command("funding_send_reminders", "--wet-run", stdout=StringIO())
    assert len(mail.outbox) == 1
