"""Demo data: the shipped framework ita-2564-lao."""

from itas.frameworks.services import load_shipped_framework


def load(command) -> None:
    framework = load_shipped_framework()
    spec = framework.spec
    command.stdout.write(
        f"framework {framework.code}: {len(spec.questions)} questions, "
        f"{len(spec.oit_items)} OIT items"
    )
