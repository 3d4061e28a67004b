"""Reminders of the operators' obligations: one e-mail per obligation and recipient, before its due date
(`Obligation.remind_days_before`), to the active members of the operator structure."""

from django.conf import settings
from django.core.mail import EmailMessage

from tremplin.accounts.models import User


def reminder_recipients(obligation) -> list[str]:
    users = User.objects.filter(
        is_active=True, memberships__organization_id=obligation.convention.operator_id
    ).distinct()
    return sorted({user.email for user in users if user.email})


def reminder_message(obligation, recipient) -> EmailMessage:
    convention = obligation.convention
    subject = f"Rappel : {obligation} à remettre le {obligation.due_on:%d/%m/%Y} (convention {convention.number})"
    body = (
        f"Bonjour,\n\nAu titre de la convention {convention.number} ({convention.title}), votre structure doit "
        f"remettre « {obligation} » au plus tard le {obligation.due_on:%d/%m/%Y}.\n\n"
        "Vous pouvez la déposer auprès de la structure d'animation du PLIE et la marquer comme remise dans "
        "Tremplin, page de la convention.\n\nLa structure d'animation du PLIE"
    )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
