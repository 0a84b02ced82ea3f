"""Demo data: compute the preliminary results of the demo cycles (if the cycles demo made any)."""

from itas.cycles.models import Cycle
from itas.scoring.services import compute_scores


def load(command) -> None:
    cycles = (
        Cycle.objects.real().filter(enrolments__isnull=False).distinct().select_related("framework")
    )
    if not cycles:
        command.stdout.write("scoring: no cycle with agencies to compute")
    for cycle in cycles:
        stats = compute_scores(cycle=cycle).stats
        command.stdout.write(
            f"scoring {cycle.fiscal_year}: {stats['agencies']} agencies, "
            f"{stats['graded']} with a total ({stats['seconds']:.1f} s)"
        )
