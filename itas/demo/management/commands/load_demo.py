"""Load a demo world: every app that has a `demo.py` with `load(command)` adds its part, in the
order the year flows. Safe to run twice (each part skips what is already there)."""

import importlib
import time

from django.core.management.base import BaseCommand
from django.db import transaction

FLOW = [
    "geo",
    "agencies",
    "accounts",
    "frameworks",
    "cycles",
    "surveys",
    "disclosure",
    "scoring",
    "improvement",
    "reports",
    "events",
]


class Command(BaseCommand):
    help = (
        "Load demo data (agencies, people per role, a framework, a cycle with answers and results)."
    )

    def handle(self, *args, **options):
        for app in FLOW:
            try:
                module = importlib.import_module(f"itas.{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"itas.{app}.demo":
                    raise
                continue
            started = time.monotonic()
            with transaction.atomic():
                module.load(self)
            self.stdout.write(f"demo: {app} ready ({time.monotonic() - started:.1f} s)")
        self.stdout.write(
            self.style.SUCCESS("demo data loaded: sign in at /accounts/login/ with a demo account")
        )
