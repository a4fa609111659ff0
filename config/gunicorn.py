"""gunicorn settings for ``make run`` and deployments.

Measured on a 2-core machine: one sync worker per core beat 4 workers and
gthread; gthread with SQLite had a p99 of 200-300 ms. So: sync workers, as
many as cores (``-w``), and a generous timeout for PDF rendering.
"""

import os

worker_class = "sync"
timeout = 60
graceful_timeout = 20
accesslog = "-"
# The proxy's address(es): only they may tell us the original scheme and client.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
