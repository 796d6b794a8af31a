"""``prepdeck serve``: the API under uvicorn, one or more workers over one read-only build.

The listening socket is bound here, before any worker starts, so a busy port is one
clear error line and ``--port 0`` prints the port the system chose. Workers are uvicorn
processes running the ``api.app:from_env`` factory; they find the build through
``PREPDECK_BUILD``, so each loads the same files and none writes to them. SIGTERM stops
accepting connections, lets requests in flight finish, and exits 0. With two or more
workers, SIGHUP reloads: workers are replaced one by one by workers serving the current
build (``api.supervisor``); one worker cannot be replaced in place, so it says to restart.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys

import uvicorn

import corpus
import search_index

from .config import Settings
from .errors import ConfigError
from .supervisor import BUILD_VAR, Supervisor, log

APP = "api.app:from_env"
GRACEFUL_SECONDS = 30  # in-flight requests get this long after SIGTERM
MAX_WORKERS = 256  # a worker is a process of ~80-130 MB: a typo (100000000) is not a request
_NO_RELOAD = "SIGHUP ignored: reloading needs --workers 2 or more; restart to serve a new build"


def run(args: argparse.Namespace, build: corpus.BuildResult) -> int:
    """Serve ``build`` as ``args`` say (host, port, workers); the exit code."""
    try:
        settings = Settings.from_env()
        # the build carries its guides' synonyms.yaml; a bad $PREPDECK_SYNONYMS file is one
        # error here rather than in every worker
        search_index.Synonyms.load()
    except (ConfigError, search_index.SynonymError) as exc:
        return _fail(str(exc))
    if not 1 <= args.workers <= MAX_WORKERS:
        return _fail(f"--workers: expected 1 to {MAX_WORKERS}, got {args.workers}")
    if not 0 <= args.port <= 65535:
        return _fail(f"--port: expected 0 to 65535, got {args.port}")
    try:
        sock = _bind(args.host, args.port)
    except OSError as exc:
        return _fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")

    os.environ[BUILD_VAR] = str(build.path)
    host, port = sock.getsockname()[:2]
    base = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    print(f"serving build {build.hash} with {args.workers} worker(s)")
    print(f"API:  {base}/v1")
    print(f"docs: {base}/schema")
    sys.stdout.flush()

    config = uvicorn.Config(
        APP,
        factory=True,
        host=args.host,
        port=port,
        workers=args.workers,
        access_log=settings.access_log,
        # The app believes forwarded headers itself, from PREPDECK_TRUSTED_PROXIES only
        # (``api.app.create_app``); uvicorn's default would trust 127.0.0.1.
        proxy_headers=False,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
    )
    if args.workers == 1:
        # uvicorn re-raises SIGTERM after its graceful shutdown; with this handler in place
        # that re-raise is a no-op and the command returns 0 instead of dying by the signal.
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)
        # SIGHUP would end the process: one worker cannot hand over to a new one in place.
        hup = signal.signal(signal.SIGHUP, lambda signum, frame: log.warning(_NO_RELOAD))
        try:
            uvicorn.Server(config).run(sockets=[sock])
        finally:
            signal.signal(signal.SIGTERM, previous)
            signal.signal(signal.SIGHUP, hup)
    else:
        Supervisor(config, [sock], build.path.parent.parent).run()
    sock.close()
    return 0


def _bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (IPv4 or IPv6), inheritable by worker processes."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1
