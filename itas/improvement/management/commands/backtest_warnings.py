from django.core.management.base import BaseCommand

from itas.frameworks.models import Framework
from itas.improvement.backtest import run


class Command(BaseCommand):
    help = (
        "Back-test the early warning on generated cycles with a known outcome: precision and "
        "recall of 'will fail' at 50 % and 80 % of the survey phase."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--no-trends",
            action="store_true",
            help="groups of agencies do not move together from year to year",
        )

    def handle(self, *args, agencies, seed, no_trends, **options):
        from itas.frameworks.services import load_shipped_framework

        framework = Framework.objects.order_by("-pk").first() or load_shipped_framework()
        result = run(framework.spec, agencies=agencies, seed=seed, trends=not no_trends)
        self.stdout.write(
            f"{result['agencies']} generated agencies (seed {seed}, "
            f"{'no ' if no_trends else ''}group trends), {result['failed']} failed"
        )
        rows = [
            (f"{int(at * 100)} % of the survey phase", s) for at, s in result["checkpoints"].items()
        ]
        rows += [
            (f"{int(at * 100)} % without the peers' move", s)
            for at, s in result["without_peers"].items()
        ]
        rows.append(("baseline: failed last year", result["baseline"]))
        for name, s in rows:
            self.stdout.write(
                f"{name}: precision {s.precision:.3f} recall {s.recall:.3f} "
                f"(tp {s.tp}, fp {s.fp}, fn {s.fn}, tn {s.tn})"
            )
