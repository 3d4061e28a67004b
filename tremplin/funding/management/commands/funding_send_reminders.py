"""Send the reminders of the conventions' obligations whose reminder date has come (dry run by default)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from tremplin.funding import notifications, services


class Command(BaseCommand):
    help = (
        "Envoie aux opérateurs le rappel de chaque obligation de convention (émargements, fiches de suivi, "
        "données FSE+, bilans) dont la date de rappel est arrivée et qui n'a pas encore été rappelée. "
        "Sans --wet-run, n'envoie rien : liste ce qui serait envoyé. À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Envoie réellement les rappels.")

    def handle(self, *args, wet_run=False, **options):
        today = timezone.localdate()
        obligations = services.obligations_to_remind(today=today)
        sent = 0
        for obligation in obligations:
            recipients = notifications.reminder_recipients(obligation)
            self.stdout.write(
                f"{obligation.convention.number} – {obligation} (le {obligation.due_on:%d/%m/%Y}) : "
                f"{', '.join(recipients) or 'aucun destinataire'}"
            )
            if not wet_run:
                continue
            with transaction.atomic():
                for recipient in recipients:
                    notifications.reminder_message(obligation, recipient).send()
                    sent += 1
                obligation.reminded_on = today
                obligation.save(update_fields=["reminded_on", "updated_at"])
        mode = "envoyé(s)" if wet_run else "à envoyer (essai à blanc, --wet-run pour envoyer)"
        self.stdout.write(f"{len(obligations)} obligation(s), {sent if wet_run else 'des'} rappel(s) {mode}.")
