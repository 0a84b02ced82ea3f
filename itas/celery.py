import os
import sys

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itas.settings")

_path_before = list(sys.path)
app = Celery("itas")
# Celery's Django fixup prepends the working directory to sys.path. The package is installed, so
# that entry is not needed, and inside an app folder (where makemessages runs) it would shadow
# libraries such as `rules` with the app's own rules.py. Undo exactly that insertion.
if sys.path[1:] == _path_before and sys.path[0] == os.getcwd():
    del sys.path[0]
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Workers and beat write heartbeats (itas/core/health.py); in the web process these signals
# never fire.
from itas.core.health import connect_celery_signals  # noqa: E402 - needs the app above

connect_celery_signals()


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _anonymous_public_paths(logger, **kwargs):
    """A worker's log handlers are Celery's own, not settings.LOGGING's: give them the same
    filter, so nothing about a questionnaire request is logged with its code or its minute."""
    from itas.core.logs import PublicPathFilter

    for handler in logger.handlers:
        handler.addFilter(PublicPathFilter())


@signals.worker_init.connect
def _refuse_insecure_start(**kwargs):
    from itas.core.startup import refuse_insecure_start

    refuse_insecure_start()
