"""gunicorn settings for ``make run`` and deployments.

Measured on a 2-core machine: one sync worker per core beat 4 workers and
gthread; gthread with SQLite had a p99 of 200-300 ms. So: sync workers, as
many as cores (``-w``), and a generous timeout for PDF rendering.
"""

worker_class = "sync"
timeout = 60
graceful_timeout = 20
accesslog = "-"
forwarded_allow_ips = "127.0.0.1"
