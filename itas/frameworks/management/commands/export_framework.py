"""itas export_framework CODE [-o FILE]: write a framework back to YAML."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from itas.frameworks.models import Framework
from itas.frameworks.services import export_text


class Command(BaseCommand):
    help = "Export an assessment framework to YAML (standard output, or -o FILE)."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("-o", "--output", help="write to this file instead of standard output")

    def handle(self, *args, code, output, **options):
        framework = Framework.objects.filter(code=code).first()
        if framework is None:
            known = ", ".join(Framework.objects.values_list("code", flat=True)) or "–"
            raise CommandError(f"no framework with the code {code!r} (known: {known})")
        text = export_text(framework)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"{code} written to {output}"))
        else:
            self.stdout.write(text, ending="")
