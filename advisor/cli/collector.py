"""How ``main`` tunes the garbage collector around one command: paused while the command imports
its modules, then those frozen and the collector run less often. Separate from the commands, which
only say when their imports are done (``modules_imported``)."""

import gc


class Collector:
    """The garbage collector around one command run by ``main``.

    Start-up imports a few hundred thousand objects (modules, classes, functions, tables) that live
    to the end of the process and leaves next to no garbage. Collected as they accumulate, and
    again when the interpreter exits, they cost some 60 ms of a 0.45 s ``recommend``. So ``main``
    pauses the collector (``pause``); once the command has imported its modules (``imported``),
    what is there is frozen (``gc.freeze``) and the collector runs again: it walks what reading
    the input and the work allocate, and frees their garbage (parsed DDL, say), not the modules.
    The frozen objects stay frozen to the end of the process, so that its exit skips them too; a
    later ``main`` in the same process (tests call it in-process) first hands them back. While the
    command runs, the youngest generation is collected every 10,000 allocations rather than 700:
    the cost model allocates millions of small records that live to the end, and each early
    collection walks them again for nothing (about 1.5 s of 21 on 20,000 patterns, same memory);
    the analysis lowers it again while it parses (``analysis.parse.collecting_trees``). For the
    same reason the oldest generation is collected after 100 collections of the middle one rather
    than 10: on 20,000 patterns the two full collections that ran walked every record of the cost
    model, found next to nothing and took 0.75 s (peak memory 451 MB either way).
    """

    YOUNG = 10_000
    OLDEST = 100

    def __init__(self) -> None:
        self._paused = False
        self._was_enabled = False
        self._frozen = False
        self._threshold = gc.get_threshold()

    def pause(self) -> None:
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        self._was_enabled = gc.isenabled()
        self._paused = True
        gc.disable()

    def imported(self) -> None:
        """The command's modules are imported; a no-op outside ``main`` (``app`` called directly)."""
        if not self._paused:
            return
        self._paused = False
        gc.freeze()
        self._frozen = True
        self._threshold = gc.get_threshold()
        gc.set_threshold(self.YOUNG, self._threshold[1], self.OLDEST)
        if self._was_enabled:
            gc.enable()

    def resume(self) -> None:
        """``main`` ends, whichever way: the collector as ``pause`` found it."""
        if self._paused and self._was_enabled:
            gc.enable()
        self._paused = False
        gc.set_threshold(*self._threshold)


collector = Collector()


def modules_imported() -> None:
    """Called by each command once its modules are imported, before it reads its input."""
    collector.imported()
