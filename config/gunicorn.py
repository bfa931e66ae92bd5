"""gunicorn settings (`gunicorn -c config/gunicorn.py config.wsgi`), tuned by environment."""

import multiprocessing
import os

bind = os.environ.get(
    "BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
# Synchronous workers: each page is a few short queries, so processes (not threads)
# use every core; each worker keeps one persistent PostgreSQL connection.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Load the app before forking: a broken configuration fails at start, not per worker.
preload_app = True
# The app logs one line per request itself (config.middleware); gunicorn logs its own
# life cycle and errors only.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn interprets no forwarded header itself: the app alone decides, from
# TRUSTED_PROXY_COUNT (SECURE_PROXY_SSL_HEADER for the scheme, allauth for the client
# address). gunicorn's default would believe X-Forwarded-Proto from any local client even
# with no proxy configured: http requests would pass for https.
forwarded_allow_ips = ""
secure_scheme_headers = {}
# Long URLs reach the app, which answers them with its own 414 page and headers.
limit_request_line = 8190
# gunicorn's runtime control socket is not used, and one fixed path per machine would
# make two servers on one host (the scale-out test) fight over it.
control_socket_disable = True
