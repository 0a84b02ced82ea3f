import os
import sys

from celery import Celery

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
