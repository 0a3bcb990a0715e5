"""A small, long-lived process that runs the benchmark's commands and times them.

Why not `subprocess` from the runner: on Linux a child's peak RSS (`ru_maxrss`) starts from the
RSS of the process that forked it, so children of a 17 MiB runner never report less than
17 MiB. This spawner runs as `python -I -S spawn.py` with only builtin modules (~8 MiB): it
forks and execs each command, times it from fork to `os.wait4`, and sends back wall time,
that child's own peak RSS and its exit code. Messages are length-prefixed `marshal` data on
stdin/stdout.
"""

from __future__ import annotations

import marshal
import os
import sys
import time


def _read(stream) -> object:
    head = stream.read(4)
    if len(head) < 4:
        raise EOFError
    return marshal.loads(stream.read(int.from_bytes(head, "little")))


def _write(stream, value) -> None:
    data = marshal.dumps(value)
    stream.write(len(data).to_bytes(4, "little") + data)
    stream.flush()


def _run(argv: list[str], env: dict[str, str], out: str, err: str) -> tuple[float, int, int]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    fo, fe = os.open(out, flags, 0o600), os.open(err, flags, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: only dup2 and exec between fork and exec
        try:
            os.dup2(null, 0)
            os.dup2(fo, 1)
            os.dup2(fe, 2)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    _pid, status, usage = os.wait4(pid, 0)
    ms = (time.perf_counter() - t0) * 1000
    for fd in (fo, fe, null):
        os.close(fd)
    return ms, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def _own_peak_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def serve() -> None:
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            request = _read(inp)
        except EOFError:
            return
        _write(out, _own_peak_kib() if request is None else _run(*request))


class Spawner:
    """The runner's side: `run()` one command, `own_peak_kib()` the spawner's RSS floor."""

    def __init__(self, python: str):
        import subprocess

        self.proc = subprocess.Popen(
            [python, "-I", "-S", __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def run(self, argv: list[str], env: dict[str, str], out: str, err: str) -> dict:
        _write(self.proc.stdin, (list(argv), dict(env), out, err))
        ms, rss_kib, rc = _read(self.proc.stdout)
        return {"ms": ms, "rss_kib": rss_kib, "rc": rc}

    def own_peak_kib(self) -> int:
        _write(self.proc.stdin, None)
        return _read(self.proc.stdout)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


if __name__ == "__main__":
    serve()
