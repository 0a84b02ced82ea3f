"""Arrows point downstream only (ARCHITECTURE.md): an app imports from apps before it in the
flow, never from one after it or beside it; core imports none of them."""

import ast
from pathlib import Path

ITAS = Path(__file__).resolve().parents[1] / "itas"

# The flow, upstream first. Apps on one line stand side by side and must not import each other,
# except where noted.
LAYERS = [
    ["core"],
    ["geo"],
    ["agencies"],
    ["accounts"],
    ["frameworks"],
    ["cycles"],
    ["surveys", "disclosure"],
    ["scoring"],
    # Path to pass, early warning and the national goal read results, cycles, surveys and
    # disclosure together; reports, the API and events present them (improvement sits one floor
    # below them so that all three may read it without importing each other).
    ["improvement"],
    ["reports", "api", "events"],
    # Following agencies up reads surveys, disclosure and events together.
    ["followup"],
    ["demo"],
]
# The API publishes the same aggregates the dashboards show; it reads them through reports'
# queries rather than writing them twice.
ALLOWED_SIDEWAYS = {("api", "reports")}
LAYER_OF = {app: i for i, layer in enumerate(LAYERS) for app in layer}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_every_app_is_placed_in_the_flow():
    apps = {p.parent.name for p in ITAS.glob("*/apps.py")}
    assert apps == set(LAYER_OF), f"place new apps in LAYERS: {apps ^ set(LAYER_OF)}"


def test_imports_point_downstream_only():
    wrong = []
    for path in ITAS.rglob("*.py"):
        rel = path.relative_to(ITAS)
        if len(rel.parts) < 2 or rel.parts[0] not in LAYER_OF or "migrations" in rel.parts:
            continue
        app = rel.parts[0]
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] != "itas" or len(parts) < 2 or parts[1] not in LAYER_OF or parts[1] == app:
                continue
            other = parts[1]
            upstream = LAYER_OF[other] < LAYER_OF[app]
            if not upstream and (app, other) not in ALLOWED_SIDEWAYS:
                wrong.append(f"itas/{rel} imports {module}")
    assert not wrong, "imports against the flow:\n" + "\n".join(sorted(wrong))


# The URL prefix each app is mounted under (itas/urls.py); /go/ is the surveys' public path.
URL_PREFIXES = {
    "accounts": "/accounts/",
    "agencies": "/agencies/",
    "frameworks": "/frameworks/",
    "cycles": "/cycles/",
    "surveys": "/go/",
    "disclosure": "/oit/",
    "reports": "/results/",
    "improvement": "/improve/",
    "api": "/api/",
    "events": "/events/",
}


# Not links: the log filter recognises respondents' paths in order to redact them.
URL_STRINGS_ALLOWED = {("core/logs.py", "/go/")}


def test_no_app_names_another_apps_urls_by_string():
    """Another app's pages are reached with reverse() or through a core registry, so that a
    moved URL breaks loudly instead of linking to a 404."""
    wrong = []
    for path in ITAS.rglob("*"):
        if path.suffix not in {".py", ".html", ".txt"} or "migrations" in path.parts:
            continue
        rel = path.relative_to(ITAS)
        app = rel.parts[0]
        if app not in LAYER_OF:
            continue
        text = path.read_text(encoding="utf-8")
        for other, prefix in URL_PREFIXES.items():
            if other == app or (str(rel), prefix) in URL_STRINGS_ALLOWED:
                continue
            for quote in ('"', "'"):
                if f"{quote}{prefix}" in text:
                    wrong.append(f"itas/{rel} names {prefix}")
    assert not wrong, "links by string to another app:\n" + "\n".join(sorted(set(wrong)))
