"""itas import_agencies FILE: the DLA registry (CSV or XLSX) into the agency table."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from itas.agencies.importer import ImportFormatError, import_file


class Command(BaseCommand):
    help = "Import the DLA registry of local administrations (CSV UTF-8 or XLSX, either shape)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the registry file (.csv or .xlsx)")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            result = import_file(options["file"], dry_run=options["dry_run"])
        except ImportFormatError as exc:
            raise CommandError(str(exc)) from exc
        for rejection in result.rejected:
            self.stdout.write(self.style.WARNING(str(rejection)))
        self.stdout.write(result.summary)
        elapsed = time.monotonic() - started
        self.stdout.write(
            _("%(rows)d rows read (%(dups)d rows of the same agencies merged) in %(secs).1f s")
            % {"rows": result.rows_read, "dups": result.duplicate_rows, "secs": elapsed}
        )
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written."))
