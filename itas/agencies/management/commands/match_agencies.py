"""itas match_agencies FILE [--province NAME]: match a list as written in a letter to the registry.

Prints CSV (line,input,code,name,confidence,status) on standard output and a one-line summary
on standard error. A line is `matched` only when one candidate is clearly the one; `ambiguous`
when two are close; `unmatched` otherwise (code and name then stay empty: no silent guess).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from itas.agencies.matching import (
    Registry,
    match_lines,
    province_by_name,
    read_list,
    summary,
)
from itas.core import tabular


class Command(BaseCommand):
    help = "Match agency names listed in a CSV, XLSX or text file to the registry; print CSV."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv, .xlsx or .txt file, one agency per line")
        parser.add_argument(
            "--province", help="the province the list is about (narrows the candidates)"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        province = None
        if options.get("province"):
            province = province_by_name(options["province"])
            if province is None:
                raise CommandError(f"unknown province: {options['province']}")
        try:
            lines = read_list(path.read_bytes(), path.name)
        except tabular.TabularError as exc:
            raise CommandError(f"cannot read {path.name} as a list ({exc})") from exc
        results = match_lines(lines, Registry(province=province))
        header = ["line", "input", "code", "name", "confidence", "status"]
        rows = ([r.line, r.input, r.code, r.name, f"{r.confidence:.1f}", r.status] for r in results)
        # The output is meant to be opened in a spreadsheet: the same guard as every export.
        for line in tabular.csv_lines(header, rows, bom=False):
            self.stdout.write(line, ending="")
        counts = summary(results)
        self.stderr.write(
            f"{len(results)} lines: {counts['matched']} matched, "
            f"{counts['ambiguous']} ambiguous, {counts['unmatched']} unmatched"
        )
