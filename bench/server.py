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


def _tcp_sockets() -> dict[str, tuple[int, str]]:
    """{socket inode: (local port, state)} of every TCP socket on this machine."""
    out = {}
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if len(parts) > 9:
                out[parts[9]] = (int(parts[1].rsplit(":", 1)[1], 16), parts[3])
    return out


def serving(pid: int, port: int) -> bool:
    """Whether the process holds an established connection accepted on `port`, i.e. a sync
    gunicorn worker that is serving a request right now."""
    tcp = _tcp_sockets()
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:["):
            local_port, state = tcp.get(link[8:-1], (0, ""))
            if local_port == port and state == "01":  # ESTABLISHED
                return True
    return False


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

    def busy_worker(self) -> int | None:
        """A worker serving a request right now (None if all are idle)."""
        return next((p for p in self.worker_pids() if serving(p, self.port)), None)

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
