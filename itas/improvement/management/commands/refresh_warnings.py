from django.core.management.base import BaseCommand, CommandError

from itas.cycles.models import Cycle
from itas.improvement.errors import ImprovementError
from itas.improvement.services import refresh_warnings


class Command(BaseCommand):
    help = "Recompute the early warning (each agency's risk of failing) of an open cycle."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="fiscal year, e.g. 2570")

    def handle(self, *args, cycle, **options):
        c = Cycle.objects.real().filter(fiscal_year=cycle).first()
        if c is None:
            raise CommandError(f"no cycle for fiscal year {cycle}")
        try:
            n = refresh_warnings(actor=None, cycle=c)
        except ImprovementError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"early warning: {n} agencies")
