"""gunicorn settings, read from the environment so one file serves every machine."""

import multiprocessing
import os

workers = int(os.environ.get("ITAS_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("ITAS_WEB_THREADS", 1))
timeout = int(os.environ.get("ITAS_WEB_TIMEOUT", 30))
graceful_timeout = 20
# Load Django once in the master: each worker then starts warm (a cold worker's first request
# took about 0.5 s: imports and template compilation) and shares the code pages.
preload_app = os.environ.get("ITAS_WEB_PRELOAD", "1") == "1"
keepalive = 5
max_requests = int(os.environ.get("ITAS_WEB_MAX_REQUESTS", 5000))
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("ITAS_LOG_LEVEL", "info").lower()
# Lines about the public questionnaire keep no code, address, browser or time finer than the hour.
logger_class = "itas.core.logs.GunicornLogger"
access_log_format = (
    '{"time":"%(t)s","method":"%(m)s","path":"%(U)s","status":%(s)s,'
    '"bytes":%(B)s,"duration_us":%(D)s,"agent":"%(a)s"}'
)
forwarded_allow_ips = os.environ.get("ITAS_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket defaulted to one path per user on a host, shared by every instance:
# off unless an instance is given a socket of its own.
control_socket = os.environ.get("ITAS_WEB_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
