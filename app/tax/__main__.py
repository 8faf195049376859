"""`python -m app.tax < case.json`: a case object -> a result object; an array -> an array.

Any bad input exits 2 with one line on stderr naming the field (prefixed with the index for an
array, e.g. `[3].salary.gross: must not be negative (got -5)`) and prints nothing on stdout.

A batch is validated whole first, so that nothing is written unless every case is good; large
batches are then computed by forked workers, one per CPU, each writing its share of the output
in turn.
"""
from __future__ import annotations

import gc
import os
import signal
import sys
from typing import Any, BinaryIO

from .engine import compute_validated
from .inputs import InputError, validate

try:  # msgspec is in requirements.txt and several times faster; json is the fallback
    from msgspec import DecodeError
    from msgspec.json import decode as _loads
    from msgspec.json import encode as _dumps
except ImportError:  # pragma: no cover - exercised only without msgspec
    import json

    DecodeError = ValueError  # type: ignore[assignment,misc]

    def _reject_constant(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    def _loads(data: bytes) -> Any:  # type: ignore[misc]
        return json.loads(data, parse_constant=_reject_constant)

    def _dumps(value: Any) -> bytes:  # type: ignore[misc]
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()

PARALLEL_FROM = 2_000  # cases; below this a fork costs more than it saves


def _where(prefix: str, err: InputError) -> str:
    if not err.field:
        return f"{prefix}: {err.message}" if prefix else err.message
    return f"{prefix}.{err.field}: {err.message}" if prefix else f"{err.field}: {err.message}"


def _encoded(cases: list[dict[str, Any]]) -> bytes:
    """The results of validated cases, encoded and comma-separated (no brackets).

    Each result is encoded as soon as it is computed, so its objects are freed at once: memory
    stays flat and hot in the cache instead of growing with the batch.
    """
    return b",".join([_dumps(compute_validated(case)) for case in cases])


def _workers(count: int, out: BinaryIO) -> int:
    """How many processes to compute `count` cases with (workers write to `out`'s descriptor)."""
    if count < PARALLEL_FROM or not hasattr(os, "fork"):
        return 1
    try:
        out.fileno()
    except (AttributeError, OSError):  # an in-memory stream: children could not reach it
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, count // (PARALLEL_FROM // 2), 8))


def _child(cases: list[dict[str, Any]], turn: int, next_turn: int | None,
           out: BinaryIO) -> None:  # pragma: no cover - runs in a forked child
    """Compute, wait for the previous writer's token on `turn`, write, pass the token on.

    Exit status: 0 done, 1 the reader went away (broken pipe), 3 anything else.
    """
    status = 3
    try:
        body = b"," + _encoded(cases)
        os.read(turn, 1)
        out.write(body)
        out.flush()
        if next_turn is not None:
            os.write(next_turn, b"x")
        status = 0
    except BrokenPipeError:
        status = 1
    except BaseException:  # reported here; the parent then fails the run
        import traceback

        traceback.print_exc()
    finally:
        os._exit(status)


def _parallel(cases: list[dict[str, Any]], workers: int, out: BinaryIO) -> None:
    """Write `[results]` for validated cases, computed by `workers` processes in order."""
    size = -(-len(cases) // workers)
    chunks = [cases[at:at + size] for at in range(0, len(cases), size)]
    turns = [os.pipe() for _ in chunks[1:]]  # turns[k - 1]: chunk k may write
    running: list[int] = []
    out.flush()
    try:
        for k in range(1, len(chunks)):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - child
                _child(chunks[k], turns[k - 1][0], turns[k][1] if k < len(turns) else None, out)
            running.append(pid)
        out.write(b"[" + _encoded(chunks[0]))
        out.flush()
        os.write(turns[0][1], b"x")
        while running:
            _, status = os.waitpid(running[0], 0)
            running.pop(0)
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 1:
                raise BrokenPipeError("a worker could not write its results")
            if status:
                raise RuntimeError("a worker process failed")
        out.write(b"]\n")
    finally:
        for pid in running:  # only after a failure: the rest would wait for their turn forever
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        for read_fd, write_fd in turns:
            os.close(read_fd)
            os.close(write_fd)


def _fail(message: str) -> int:
    sys.stderr.write(" ".join(message.split()) + "\n")
    return 2


def main(stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> int:
    """Run the command line on binary streams; returns the exit status (0, or 2 on bad input)."""
    stdin = stdin or sys.stdin.buffer
    out = stdout or sys.stdout.buffer
    # Every object made here is either freed by reference counting or lives to the end: the
    # cyclic garbage collector would only rescan them.
    gc.disable()
    try:
        data = _loads(stdin.read())
    except (DecodeError, ValueError, UnicodeDecodeError) as exc:
        return _fail(f"invalid JSON: {exc}")
    if type(data) is dict:
        try:
            case = validate(data)
        except InputError as err:
            return _fail(_where("", err))
        out.write(_dumps(compute_validated(case)) + b"\n")
    elif type(data) is list:
        cases = []
        for i, item in enumerate(data):
            try:
                cases.append(validate(item))
            except InputError as err:
                return _fail(_where(f"[{i}]", err))
        workers = _workers(len(cases), out)
        if workers > 1:
            _parallel(cases, workers, out)
        else:
            out.write(b"[" + _encoded(cases) + b"]\n")
    else:
        return _fail("input must be a JSON object (one case) or an array of cases")
    out.flush()
    return 0


def _run() -> int:
    try:
        return main()
    except BrokenPipeError:  # e.g. `| head`: stop quietly, as other command-line tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(_run())
