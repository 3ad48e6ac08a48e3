"""Bounded admission: one generation at a time on the model, a bounded number waiting, 429 beyond."""

from __future__ import annotations

import threading


class QueueFull(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"the runtime is busy ({retry_after} s estimated); try again shortly")
        self.retry_after = retry_after


class Admission:
    def __init__(self, queue_size: int):
        self.queue_size = queue_size
        self.model_lock = threading.Lock()
        self._count = threading.Lock()
        self.admitted = 0  # running + waiting
        self.mean_seconds = 5.0

    @property
    def active(self) -> int:
        return 1 if self.model_lock.locked() else 0

    @property
    def waiting(self) -> int:
        return max(self.admitted - self.active, 0)

    def enter(self) -> None:
        with self._count:
            if self.admitted >= self.queue_size + 1:
                raise QueueFull(max(1, int(self.mean_seconds * (self.admitted - self.queue_size))))
            self.admitted += 1

    def leave(self, seconds: float | None = None) -> None:
        with self._count:
            self.admitted -= 1
            if seconds is not None:
                self.mean_seconds = 0.8 * self.mean_seconds + 0.2 * seconds
