"""Thread workers owned by the App, so every failure reaches its one Worker.StateChanged handler.

Textual posts Worker.StateChanged to the worker's node only (it does not bubble): a worker
started on a screen or a pane would fail where no one listens. These start on the App, with
the caller's method as the work; what the work posts still goes where the caller says.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from textual.dom import DOMNode
from textual.worker import Worker

P = ParamSpec("P")
N = TypeVar("N")  # a DOMNode, or a screen's part that becomes one (StoreWorkers)


def app_work(
    *, group: str, exclusive: bool = False
) -> Callable[[Callable[Concatenate[N, P], Any]], Callable[Concatenate[N, P], Worker[Any]]]:
    """Like textual.work(thread=True, exit_on_error=False), but the App owns the worker.

    exclusive cancels the group's earlier workers, so group names are the App's: one per job.
    """

    def decorate(
        method: Callable[Concatenate[N, P], Any],
    ) -> Callable[Concatenate[N, P], Worker[Any]]:
        @wraps(method)
        def start(self: N, *args: P.args, **kwargs: P.kwargs) -> Worker[Any]:
            return cast(DOMNode, self).app.run_worker(
                partial(method, self, *args, **kwargs),
                name=method.__name__,
                group=group,
                exclusive=exclusive,
                thread=True,
                exit_on_error=False,
            )

        return start

    return decorate
