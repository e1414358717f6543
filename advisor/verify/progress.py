"""A rich progress bar on standard error while rows load and plans are explained."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn


class BarProgress:
    """The ``Progress`` protocol of ``advisor.verify.run`` drawn as one bar per stage."""

    def __init__(self) -> None:
        self.bar = Progress(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task: TaskID | None = None

    def __enter__(self) -> BarProgress:
        self.bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.bar.stop()

    def start(self, label: str, total: int | None) -> None:
        if self.task is not None:
            # the stage before is done: counted ones show full, the others go
            done = self.bar.tasks[-1].total
            if done is None:
                self.bar.remove_task(self.task)
            else:
                self.bar.update(self.task, completed=done)
        self.task = self.bar.add_task(label, total=total)
        self.bar.refresh()  # drawn as it begins, not at the next tick: a short stage shows too

    def advance(self, label: str | None = None) -> None:
        if self.task is None:
            return
        if label:
            self.bar.update(self.task, description=label)
        self.bar.advance(self.task)
