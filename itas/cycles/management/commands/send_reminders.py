"""Run once a day (cron or Celery beat): `itas send_reminders`."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from itas.cycles.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = "E-mail agency admins before each deadline of the open cycles (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="pretend today is this date (YYYY-MM-DD, CE)")

    def handle(self, *args, today=None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"--today: {exc}") from exc
        sent = send_deadline_reminders(today=day)
        self.stdout.write(f"reminders sent: {sent}")
