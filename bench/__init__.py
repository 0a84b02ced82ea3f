"""`make bench`: national-scale figures for ITAS, measured side by side with this machine's
ceiling and floor (see docs/benchmarks.md). Run as `python -m bench --help`."""
