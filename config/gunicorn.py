"""gunicorn settings for ``make run`` and deployments.

On a 2-core machine one sync worker per core beat 4 workers and gthread
(docs/performance.md, "Server workers"). So: sync workers, as many as cores
(``-w``), and a generous timeout for PDF rendering.
"""

import os

worker_class = "sync"
timeout = 60
graceful_timeout = 20
accesslog = "-"
# The proxy's address(es): only they may tell us the original scheme and client.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
