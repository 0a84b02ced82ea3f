"""itas generate_agencies --count N --seed S: a plausible registry for demos and benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from itas.agencies.errors import AgencyError
from itas.agencies.generator import generate
from itas.agencies.models import AgencyKind


class Command(BaseCommand):
    help = "Generate LAOs named after real subdistricts, in the national mix of types."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=8300, help="number of agencies")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data")

    def handle(self, *args, **options):
        if options["count"] <= 0:
            raise CommandError(_("--count must be a positive number."))
        started = time.monotonic()
        try:
            result = generate(count=options["count"], seed=options["seed"])
        except AgencyError as exc:
            raise CommandError(str(exc)) from exc
        mix = ", ".join(
            f"{AgencyKind(k).label} {n}" for k, n in sorted(result.mix.items(), key=lambda x: -x[1])
        )
        self.stdout.write(f"created {result.created}, skipped {result.skipped}")
        if mix:
            self.stdout.write(mix)
        self.stdout.write(_("Done in %(secs).1f s.") % {"secs": time.monotonic() - started})
