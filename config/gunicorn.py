"""gunicorn settings for `make serve` and deploy/tremplin-web.service (read with `gunicorn --config`).

Workers: 2 × the CPU cores this process may use, plus one (gunicorn's advice for synchronous workers),
unless WEB_CONCURRENCY says otherwise. The address comes from TREMPLIN_BIND (127.0.0.1:8000): the app
listens on the loopback only, the reverse proxy (deploy/nginx.conf) faces the network.
"""

import os


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count() -> int:
    value = os.environ.get("WEB_CONCURRENCY", "").strip()
    if value:
        return max(1, int(value))
    return 2 * cpu_count() + 1


wsgi_app = "config.wsgi:application"
bind = os.environ.get("TREMPLIN_BIND", "127.0.0.1:8000")
workers = worker_count()
worker_class = "sync"
# A request longer than this is killed (and logged): exports that take longer run as background tasks.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
# Access and error logs on stdout/stderr, collected by journald or the container runtime.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
# The proxy in front is on the same machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket (~/.gunicorn/gunicorn.ctl) is one per user: two servers would fight over it, and
# systemd already drives the process (reload: HUP, stop: TERM).
control_socket_disable = True
