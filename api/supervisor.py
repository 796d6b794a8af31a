"""The supervisor of ``prepdeck serve --workers N`` (N >= 2): clean drain, and reload.

uvicorn's ``Multiprocess`` starts the workers, replaces one that dies, and on SIGHUP
replaces them one at a time, each new worker in service before an old one is stopped.
``Supervisor`` adds two things:

- SIGTERM (and SIGINT): the supervisor holds the listening socket too, to hand it to the
  workers it starts. Once the workers are told to stop it closes its copy, so the socket
  stops listening as soon as the workers stop accepting and new connections are refused.
  Without that they would wait unanswered in the socket's backlog until every request in
  flight had finished (up to the graceful timeout), then be reset.
- SIGHUP (reload): the new workers serve the *current* build of the output folder (the
  one `prepdeck build` made last), once it is verified; a missing or damaged build is
  refused with one log line and the running workers go on serving what they served.
  Guides are never re-read here: an edit is published by `prepdeck build`, then a reload.
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

from uvicorn import Config
from uvicorn.supervisors import Multiprocess

import corpus

BUILD_VAR = "PREPDECK_BUILD"  # how a worker finds its build (``api.config``)
log = logging.getLogger("uvicorn.error")  # uvicorn's own log, so the lines read alike


class Supervisor(Multiprocess):
    """uvicorn's worker supervisor that refuses new connections at once on SIGTERM and
    reloads the current build of ``out`` on SIGHUP."""

    def __init__(self, config: Config, sockets: list[socket.socket], out: Path) -> None:
        super().__init__(config, sockets)
        self.out = out

    def handle_hup(self) -> None:
        try:
            digest = corpus.current_hash(self.out)
            problem = corpus.verify_build(self.out, digest)
        except corpus.CorpusError as exc:
            problem = str(exc)
        if problem is not None:
            log.error("reload refused, the workers keep their build: %s", problem)
            return
        # New workers are spawned with this environment; the old ones keep theirs.
        os.environ[BUILD_VAR] = str(corpus.build_dir(self.out, digest))
        log.info("reloading: new workers serve build %s", digest)
        super().handle_hup()

    def terminate_all(self) -> None:
        super().terminate_all()
        # The workers now stop accepting; with the last copy of the socket closed, the
        # kernel refuses new connections instead of queueing them for nobody.
        for sock in self.sockets:
            sock.close()
