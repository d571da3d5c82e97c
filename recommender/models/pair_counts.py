"""How often each (customer, key) pair occurs among purchases, for a key per purchase: the
article itself, or its product code.

Kept as sorted integer keys and looked up with a binary search for many pairs at once: a full-size
catalog's tens of millions of purchases fit in two arrays, where a Python set of tuples would
take gigabytes and a lookup per pair on the path that scores a known customer's candidates."""
from __future__ import annotations

import numpy as np


class PairCounts:
    def __init__(self, customers: np.ndarray, keys: np.ndarray, n_keys: int):
        """`customers` and `keys`: one row per purchase; keys lie in [0, n_keys)."""
        self.n_keys = int(n_keys)
        self.pairs, counts = np.unique(self._pair(customers, keys), return_counts=True)
        self.counts = counts.astype(np.float32)

    def _pair(self, customers: np.ndarray, keys: np.ndarray) -> np.ndarray:
        return np.asarray(customers, np.int64) * self.n_keys + np.asarray(keys, np.int64)

    def of(self, customers: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """The count of each (customers[i], keys[i]), 0 where it never occurred."""
        wanted = self._pair(customers, keys)
        at = np.minimum(np.searchsorted(self.pairs, wanted), max(len(self.pairs) - 1, 0))
        out = np.zeros(len(wanted), np.float32)
        if len(self.pairs):
            found = self.pairs[at] == wanted
            out[found] = self.counts[at[found]]
        return out
