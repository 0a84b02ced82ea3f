"""The pages of results: the published (and preliminary) results, dashboards, scorecards, lists
and exports (results.py); computing and publishing a cycle's results (publication.py); the
practice round's scores (practice.py)."""
