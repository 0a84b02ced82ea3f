"""itas compute_scores --cycle FY: recompute every agency of a cycle into its preliminary
result set (FY is the Buddhist-era fiscal year, e.g. 2564)."""

from django.core.management.base import BaseCommand, CommandError

from itas.cycles.models import Cycle
from itas.scoring.services import compute_scores


class Command(BaseCommand):
    help = "Recompute the preliminary results of a cycle (one GROUP BY pass over the answers)."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="fiscal year (BE), e.g. 2564")

    def handle(self, *args, cycle, **options):
        found = Cycle.objects.real().select_related("framework").filter(fiscal_year=cycle).first()
        if found is None:
            known = ", ".join(
                str(y) for y in Cycle.objects.real().values_list("fiscal_year", flat=True)
            )
            raise CommandError(f"no cycle for fiscal year {cycle} (known: {known or '–'})")
        result_set = compute_scores(cycle=found)
        stats = result_set.stats
        self.stdout.write(
            self.style.SUCCESS(
                f"{found}: {stats['agencies']} agencies, {stats['graded']} with a total, "
                f"{stats['passed']} passed; {stats['answers']} answers from "
                f"{stats['respondents']} respondents; {stats['seconds_with_commit']:.2f} s"
            )
        )
        timings = ", ".join(f"{k} {v:.2f} s" for k, v in stats["timings"].items())
        self.stdout.write(f"  {timings}")
