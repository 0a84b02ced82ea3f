"""`itas close_cycle 2565`: close a cycle and erase what must not outlive it (the abuse hashes
beside survey answers, the telephone contact lists)."""

from django.core.management.base import BaseCommand, CommandError

from itas.cycles.models import Cycle
from itas.cycles.services import CycleError, close_cycle


class Command(BaseCommand):
    help = "Close the cycle of a fiscal year (Buddhist era) and erase its abuse hashes and contact lists."

    def add_arguments(self, parser):
        parser.add_argument("fiscal_year", type=int)

    def handle(self, *args, fiscal_year, **options):
        cycle = Cycle.objects.real().filter(fiscal_year=fiscal_year).first()
        if cycle is None:
            raise CommandError(f"no cycle for fiscal year {fiscal_year}")
        try:
            close_cycle(None, cycle=cycle)
        except CycleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"closed: {cycle}"))
