"""The real stack on a loopback port: gunicorn (gunicorn.conf.py, as in production) serving ITAS
against the bench database, started and stopped by the bench."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.env import ROOT, VENV_BIN, child_env


def children(pid: int) -> list[int]:
    """The direct child processes of `pid` (gunicorn's workers)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def rss_kib(pid: int) -> int:
    """Resident memory of a process, in KiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tcp_sockets(port: int) -> list[tuple[str, int, int, str, int, int]]:
    """(inode, local port, remote port, state, tx queue, rx queue) of the TCP sockets on this
    machine with `port` at either end (lines filtered as text first: after a load run the
    table holds tens of thousands of TIME_WAIT entries)."""
    needle = f":{port:04X} "
    out = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            text = Path(name).read_text()
        except OSError:
            continue
        for line in text.splitlines()[1:]:
            if needle not in line:
                continue
            parts = line.split()
            if len(parts) > 9 and parts[3] == "01":  # ESTABLISHED only
                tx, rx = (int(x, 16) for x in parts[4].split(":"))
                out.append(
                    (
                        parts[9],
                        int(parts[1].rsplit(":", 1)[1], 16),
                        int(parts[2].rsplit(":", 1)[1], 16),
                        parts[3],
                        tx,
                        rx,
                    )
                )
    return out


def serving(pids: list[int], port: int) -> dict[int, int]:
    """{client port: worker pid} for the connections the workers accepted on `port` and have
    not answered yet: established, and no answer bytes queued on either side (what a sync
    gunicorn worker is working on right now)."""
    table = _tcp_sockets(port)
    server_side = {t[0]: t for t in table if t[1] == port and t[4] == 0}
    answered = {t[1] for t in table if t[2] == port and t[5] > 0}  # client side, bytes to read
    out = {}
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            t = server_side.get(link[8:-1]) if link.startswith("socket:[") else None
            if t and t[2] not in answered:
                out[t[2]] = pid
    return out


class Gunicorn:
    """`with Gunicorn(url, workers=4) as server:` … `server.base` is the root URL."""

    def __init__(
        self,
        database_url: str,
        *,
        port: int = 8765,
        workers: int | None = None,
        env: dict[str, str] | None = None,
        log: Path | None = None,
        timeout: int = 30,
    ):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.workers = workers
        self.env = child_env(database_url, **(env or {}))
        if workers:
            self.env["ITAS_WEB_WORKERS"] = str(workers)
        self.env["ITAS_WEB_TIMEOUT"] = str(timeout)
        self.log = log or ROOT / "var" / "bench" / f"gunicorn-{port}.log"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self, wait: float = 60) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._logfile = open(self.log, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "itas.wsgi:application",
                "-c",
                str(ROOT / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + wait
        expected = self.workers or 1
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}); see {self.log}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200 and len(self.worker_pids()) >= expected:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"gunicorn did not answer on {self.base} within {wait} s; see {self.log}"
        )

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def worker_pids(self) -> list[int]:
        return children(self.pid) if self.proc else []

    def worker_serving(self, waiting_ports) -> int | None:
        """The worker serving one of the client connections `waiting_ports()` names (called
        after reading the connection table, so that it is as fresh as possible)."""
        by_port = serving(self.worker_pids(), self.port)
        return next((by_port[p] for p in waiting_ports() if p in by_port), None)

    def wait_for_workers(self, count: int, timeout: float = 30) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = self.worker_pids()
            if len(pids) >= count:
                return pids
            time.sleep(0.1)
        return self.worker_pids()

    def stop(self) -> None:
        if not self.proc or self.proc.poll() is not None:
            return
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self._logfile.close()
