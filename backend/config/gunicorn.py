"""gunicorn's settings for the HTTP workers (`gunicorn -c python:backend.config.gunicorn
backend.config.wsgi`), from the environment like the rest of the platform.

Threaded workers (gthread), one process per core: nginx buffers slow clients and keeps its
upstream connections alive, which sync workers cannot use (they close after each request);
the threads overlap the waits on PostgreSQL, Redis and the payment provider, the processes
use the cores. docs/decisions/0006-web-tier.md has the measurements behind the defaults.
"""

import multiprocessing
import os

bind = [os.environ.get("HTTP_BIND", "127.0.0.1:8001")]
workers = int(os.environ.get("WEB_WORKERS", 0)) or max(2, multiprocessing.cpu_count())
worker_class = os.environ.get("WEB_WORKER_CLASS", "gthread")
# At most DB_POOL_MAX_SIZE (10): each thread holds one pooled connection while it works.
threads = int(os.environ.get("WEB_THREADS", 8))
# A checkout waits on the payment provider (10 s read timeout): leave room beyond it.
timeout = int(os.environ.get("WEB_TIMEOUT", 30))
graceful_timeout = 10
keepalive = 75  # longer than nginx's upstream keepalive, so nginx closes first
# Behind the front: its X-Forwarded-* headers are trusted from loopback only by default.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "warning")
# Workers recycle now and then, so a slow leak never grows without bound: rarely. A worker
# that restarts under a crowd loses its kept-alive upstream connections to the others, and
# the GIL then holds that busy worker to one core: at 20,000 requests a worker recycled every
# ~13 s under the benchmark and the product read fell from ~3,300 to ~1,500 req/s.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", 1_000_000))
max_requests_jitter = max_requests // 10
