"""itas load_framework FILE: validate a framework file and load it (or replace a framework not
yet used by an opened cycle). A broken file is refused whole, with every problem listed."""

from django.core.management.base import BaseCommand, CommandError

from itas.frameworks.errors import FrameworkError, FrameworkInvalid
from itas.frameworks.services import load_framework_file


class Command(BaseCommand):
    help = "Load an assessment framework from a YAML file (see docs/frameworks.md)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--no-replace",
            action="store_true",
            help="refuse when a framework with the same code exists",
        )

    def handle(self, *args, file, no_replace, **options):
        try:
            framework, changed = load_framework_file(actor=None, path=file, replace=not no_replace)
        except FrameworkInvalid as exc:
            for line in exc.lines():
                self.stderr.write(line)
            raise CommandError(str(exc)) from exc
        except FrameworkError as exc:
            raise CommandError(str(exc)) from exc
        spec = framework.spec
        what = "loaded" if changed else "unchanged"
        self.stdout.write(
            self.style.SUCCESS(
                f"{framework.code} {what}: {len(spec.tools)} tools, {len(spec.indicators)} "
                f"indicators, {len(spec.questions)} questions, {len(spec.oit_items)} OIT items"
            )
        )
