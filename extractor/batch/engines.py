"""Where the work runs: a local pool of worker processes, or a Dask cluster.

Both take tasks lazily and keep only a small window in flight, so the bytes
of thousands of inputs are never held at once, and both yield results in the
order they finish (the dataset is ordered later, not here).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass

from .worker import die_with_parent, extract_one


@dataclass(slots=True)
class Task:
    path: str
    key: str  # the caller's handle on this input
    data: bytes
    explain: bool = False  # also make the report's review page (extract explain)


class EngineError(RuntimeError):
    """The engine cannot run (one clear line for the user)."""


def crashed() -> dict:
    return {"error": {"code": "crashed", "message": "the worker process died while reading this file "
                                                    "(out of memory or a crash in a library)"}}


def run_local(tasks: Iterable[Task], jobs: int, timeout: float = 0) -> Iterator[tuple[Task, dict]]:
    """A process pool of `jobs` workers. A worker that dies takes the tasks in
    flight with it: those are run again one at a time, and only a task that
    kills a worker on its own is recorded as crashed."""
    window = max(2, jobs * 4)
    source = iter(tasks)
    suspects: deque[Task] = deque()
    pool = _pool(jobs)
    pending: dict[Future, Task] = {}
    try:
        while True:
            # After a crash, suspects run alone so that the culprit is known.
            limit = 1 if suspects else window
            while len(pending) < limit:
                task = suspects.popleft() if suspects else next(source, None)
                if task is None:
                    break
                pending[pool.submit(extract_one, task.path, task.data, timeout, task.explain)] = task
            if not pending:
                return
            alone = len(pending) == 1  # a crash now can only be this task's doing
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken: list[Task] = []
            for future in done:
                task = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken.append(task)
                    continue
                except Exception as exc:  # e.g. a result that would not pickle: this file, not the run
                    result = {"error": {"code": "internal", "message": f"the worker failed ({type(exc).__name__}: "
                                                                       f"{exc})"}}
                yield task, result
            if broken:
                broken += pending.values()
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _pool(jobs)
                if alone and len(broken) == 1:
                    yield broken[0], crashed()
                else:
                    suspects.extend(broken)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _pool(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent, initargs=(os.getpid(),))


def run_dask(tasks: Iterable[Task], jobs: int, scheduler: str | None,
             timeout: float = 0) -> Iterator[tuple[Task, dict]]:
    """The same work on a Dask cluster: the one at `scheduler`, or a local
    cluster of `jobs` single-threaded worker processes."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise EngineError("the Dask engine needs the `cluster` extra: pip install 'extractor[cluster]'") from None

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="10s")
        else:
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
    except (OSError, TimeoutError, ValueError) as exc:
        where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
        raise EngineError(f"cannot start or reach {where}: {exc}") from None
    try:
        window = max(2, jobs * 4, sum(client.nthreads().values()) * 4)
        source = iter(tasks)
        pending: dict = {}
        finished = as_completed()

        def submit() -> bool:
            task = next(source, None)
            if task is None:
                return False
            future = client.submit(extract_one, task.path, task.data, timeout, task.explain, pure=False)
            pending[future] = task
            finished.add(future)
            return True

        for _ in range(window):
            if not submit():
                break
        for future in finished:
            task = pending.pop(future)
            try:
                result = future.result()
            except Exception as exc:  # KilledWorker and the like: this file, not the run
                message = f"the Dask task failed ({type(exc).__name__}: {exc})"
                result = {"error": {"code": "crashed", "message": message}}
            future.release()
            yield task, result
            submit()
    finally:
        with suppress(Exception):
            client.close()
        if cluster is not None:
            with suppress(Exception):
                cluster.close()
