"""Logs that cannot undo the questionnaire's anonymity.

A respondent's answers are stored with the hour only (itas/surveys/anon.py). A log line with
the second, the access code, the address or the browser of the same request would tie the
answers back to a device, so every log line about a public questionnaire request keeps the
method, a path without the code, the status and the hour, and nothing else. This applies to
gunicorn's access log (``GunicornLogger``, set in gunicorn.conf.py) and to every record that
goes through Django's logging, including the development server's request lines
(``PublicPathFilter``, set in settings.LOGGING).
"""

from __future__ import annotations

import logging
import re
import time

# The respondents' pages (/go/eit/ABC234, /go/eit/?code=…, /go/eit/ABC234/thanks) and the
# files only the questionnaire loads.
PUBLIC_PATH = re.compile(r"^/(?:go|static/surveys)(?=[/?]|$)")
_IN_TEXT = re.compile(r"/(?:go|static/surveys)(?=[/?\s\"']|$)[^\s\"']*")
_INSTRUMENT = re.compile(r"^[a-z]{3}$")


def is_public(path: str) -> bool:
    return bool(PUBLIC_PATH.match(path or ""))


def redact_path(path: str) -> str:
    """/go/eit/ABC234/thanks -> /go/eit/[code]: the instrument stays (useful for load figures); the
    code, the query and anything after them go."""
    path = (path or "").split("?", 1)[0]
    parts = path.split("/")
    if parts[1:2] == ["go"]:
        instrument = parts[2] if len(parts) > 2 and _INSTRUMENT.match(parts[2]) else ""
        return f"/go/{instrument}/[code]" if instrument else "/go/[code]"
    return path


def redact_text(text: str) -> str:
    return _IN_TEXT.sub(lambda m: redact_path(m.group(0)), text)


def hour_floor(seconds: float) -> float:
    return seconds - seconds % 3600


try:
    from gunicorn.glogging import Logger as _GunicornBase
except ImportError:  # gunicorn is a production dependency; tools may import this without it
    _GunicornBase = object


class GunicornLogger(_GunicornBase):
    """gunicorn's logger, minus what identifies a respondent on the public paths."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        if not is_public(environ.get("PATH_INFO", "")):
            return atoms
        hour = time.strftime("[%d/%b/%Y:%H:00:00 %z]", time.localtime(hour_floor(time.time())))
        path = redact_path(environ.get("PATH_INFO", ""))
        # Request and response headers, environ copies and the precise durations all go:
        # only the atoms below survive, everything else prints as "-".
        return {
            "h": "-",
            "l": "-",
            "u": "-",
            "t": hour,
            "r": f"{atoms.get('m', '-')} {path} {atoms.get('H', '-')}",
            "s": atoms.get("s", "-"),
            "m": atoms.get("m", "-"),
            "U": path,
            "q": "",
            "H": atoms.get("H", "-"),
            "b": atoms.get("b", "-"),
            "B": atoms.get("B", "-"),
            "f": "-",
            "a": "-",
            "T": 0,
            "D": 0,
            "M": 0,
            "L": "0",
            "p": atoms.get("p", "-"),
        }


class PublicPathFilter(logging.Filter):
    """For any record about a public questionnaire request: the path without the code, the
    time cut to the hour, and no request object, address or browser carried along."""

    def filter(self, record: logging.LogRecord) -> bool:
        path = getattr(getattr(record, "request", None), "path", None)
        message = record.getMessage()
        if not (path and is_public(path)) and not _IN_TEXT.search(message):
            return True
        record.msg = redact_text(message)
        record.args = ()
        record.created = hour_floor(record.created)
        record.msecs = 0.0
        record.relativeCreated = 0.0
        for name in ("request", "server_time", "remote_addr", "user_agent"):
            if hasattr(record, name):
                setattr(record, name, "-")
        if record.exc_info:
            # Kept for the operator, but as text with any public path in it redacted.
            record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        record.stack_info = None
        return True
