"""Run a suite on a Ray cluster (``bigrad bench ... --backend ray``).

Each instance is one Ray task, which solves it in a child process under the
same time and memory limits as the local backend (:func:`~.isolate.run_isolated`);
rows are appended to the same result file, on the driver, as tasks finish.
"""
from __future__ import annotations

from .results import OK_STATUSES, make_row, progress_bar


def run_on_ray(todo, results, settings, workers, time_limit, memory_limit, address, progress) -> list[dict]:
    from bigrad._optional import require

    ray = require("ray", "bigrad bench --backend ray")
    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)

    @ray.remote(num_cpus=1, max_retries=0)
    def solve_task(instance, time_limit, memory_limit):
        from bigrad.suite.isolate import run_isolated

        return run_isolated(instance, time_limit, memory_limit)

    pending: dict = {}  # ray ObjectRef -> instance dict
    rows: list[dict] = []
    counts = {"solved": 0, "failed": 0}
    queue = list(todo)
    bar = progress_bar(len(queue), progress)
    try:
        while queue or pending:
            while queue and len(pending) < workers:
                inst = queue.pop(0).to_dict()
                pending[solve_task.remote(inst, time_limit, memory_limit)] = inst
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=1.0)
            for ref in ready:
                inst = pending.pop(ref)
                try:
                    fields = ray.get(ref)
                except Exception as exc:
                    fields = {"status": "crashed", "message": f"ray task failed: {type(exc).__name__}: {exc}"}
                row = make_row(inst, fields, settings)
                results.append(row)
                rows.append(row)
                counts["solved" if row["status"] in OK_STATUSES else "failed"] += 1
                bar.update(1)
            bar.set_postfix(solved=counts["solved"], failed=counts["failed"], running=len(pending), refresh=False)
    except KeyboardInterrupt:
        for ref in pending:
            ray.cancel(ref, force=True)
        raise
    finally:
        bar.close()
    return rows
