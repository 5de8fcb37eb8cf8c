"""gunicorn settings for kesu's production web process (./prod web)."""

import multiprocessing
import os

bind = os.environ.get("KESU_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
threads = int(os.environ.get("WEB_THREADS", "1"))
worker_class = "sync" if threads == 1 else "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
preload_app = True
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None
errorlog = "-"
# One JSON object per request: method, path, status, bytes, duration (µs).
access_log_format = (
    '{"t":"%(t)s","remote":"%(h)s","method":"%(m)s","path":"%(U)s",'
    '"status":%(s)s,"bytes":"%(B)s","us":%(D)s}'
)
