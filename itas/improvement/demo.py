"""Demo: the early warning of every open cycle, computed from the demo's answers and OIT items."""

from itas.cycles.models import Cycle, CycleStatus
from itas.improvement.services import refresh_warnings


def load(command) -> None:
    for cycle in Cycle.objects.real().filter(status=CycleStatus.OPEN).select_related("framework"):
        n = refresh_warnings(actor=None, cycle=cycle)
        command.stdout.write(f"improvement {cycle.fiscal_year}: early warning for {n} agencies")
