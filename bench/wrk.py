"""Load from wrk (C, with a Lua script): the same client drives the questionnaire and the minimal
endpoint, so the ratio between them is the stack's, not the client's. Each POST carries a
unique submission UUID made from a run prefix, the wrk thread and a counter."""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.client import Form

LUA_COMMON = r"""
local threads = {}
ok, bad = 0, 0
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
function response(status, headers, body)
  if status >= 200 and status < 400 then ok = ok + 1 else bad = bad + 1 end
end
function done(summary, latency, requests)
  local good, wrong = 0, 0
  for _, t in ipairs(threads) do
    good = good + t:get("ok")
    wrong = wrong + t:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"ok":%d,"bad":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, good, wrong, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
"""

LUA_POST = r"""
local forms = {%(forms)s}
local counter = 0
function request()
  counter = counter + 1
  local f = forms[(counter * 7 + tid) %% #forms + 1]
  local id = string.format("%(prefix)s-%(run)s-4%%03x-8000-%%012x", tid, counter)
  return wrk.format("POST", f[1], {["Content-Type"] = "application/x-www-form-urlencoded"},
                    f[2] .. id)
end
"""


@dataclass
class WrkResult:
    requests: int
    seconds: float
    ok: int
    bad: int
    socket_errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    prefix: str = ""

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run(
    url: str,
    *,
    connections: int,
    seconds: int,
    forms: list[Form] | None = None,
    threads: int = 2,
    workdir: Path,
) -> WrkResult:
    workdir.mkdir(parents=True, exist_ok=True)
    prefix, run_id = secrets.token_hex(4), secrets.token_hex(2)
    script = LUA_COMMON
    if forms:
        items = ",\n".join(f"{{{_lua_str(f.path)}, {_lua_str(f.body_prefix)}}}" for f in forms)
        script += LUA_POST % {"forms": items, "prefix": prefix, "run": run_id}
    path = workdir / ("post.lua" if forms else "get.lua")
    path.write_text(script)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(path),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {out.stdout}\n{out.stderr}")
    d = json.loads(line[len("WRKJSON ") :])
    return WrkResult(
        requests=d["requests"],
        seconds=d["duration_us"] / 1e6,
        ok=d["ok"],
        bad=d["bad"],
        socket_errors=d["connect"] + d["read"] + d["write"] + d["timeout"],
        p50_ms=d["p50_us"] / 1000,
        p90_ms=d["p90_us"] / 1000,
        p99_ms=d["p99_us"] / 1000,
        max_ms=d["max_us"] / 1000,
        prefix=f"{prefix}-{run_id}",
    )
