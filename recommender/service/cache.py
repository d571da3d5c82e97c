"""A least-recently-used cache that request handlers and a background thread can share."""
from __future__ import annotations

import threading
from collections import OrderedDict


class LRU(OrderedDict):
    """A small least-recently-used cache: repeated chat queries and returning customers are free."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size
        self._lock = threading.Lock()

    def get_or(self, key, compute):
        with self._lock:
            if key in self:
                self.move_to_end(key)
                return self[key]
        value = compute()
        with self._lock:
            self[key] = value
            if len(self) > self.size:
                self.popitem(last=False)
        return value
