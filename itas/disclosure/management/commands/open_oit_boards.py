"""Run once a day (cron or Celery beat), with send_reminders: `itas open_oit_boards`."""

from django.core.management.base import BaseCommand

from itas.disclosure.services import open_due_boards


class Command(BaseCommand):
    help = "Create the OIT item rows of every agency whose OIT answer period is open (safe to run twice)."

    def handle(self, *args, **options):
        self.stdout.write(f"OIT item rows created: {open_due_boards()}")
