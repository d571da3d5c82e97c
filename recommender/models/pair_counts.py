"""How often each (customer, key) pair occurs among purchases, and how long ago it last did, for a
key per purchase: the article itself, or its product code.

Kept as sorted integer keys and looked up with a binary search for many pairs at once: a full-size
catalog's tens of millions of purchases fit in two arrays, where a Python set of tuples would
take gigabytes and a lookup per pair on the path that scores a known customer's candidates."""
from __future__ import annotations

import numpy as np


class PairCounts:
    def __init__(self, customers: np.ndarray, keys: np.ndarray, n_keys: int, ages: np.ndarray | None = None):
        """`customers` and `keys`: one row per purchase; keys lie in [0, n_keys). `ages`: how
        many days before the cut each purchase was, where `days_since_last` will be asked."""
        self.n_keys = int(n_keys)
        self.pairs, inverse, counts = np.unique(self._pair(customers, keys), return_inverse=True,
                                                return_counts=True)
        self.counts = counts.astype(np.float32)
        self.latest = None
        if ages is not None:
            self.latest = np.full(len(self.pairs), np.inf, np.float32)
            np.minimum.at(self.latest, inverse.ravel(), np.asarray(ages, np.float32))

    def _pair(self, customers: np.ndarray, keys: np.ndarray) -> np.ndarray:
        return np.asarray(customers, np.int64) * self.n_keys + np.asarray(keys, np.int64)

    def of(self, customers: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """The count of each (customers[i], keys[i]), 0 where it never occurred."""
        return self._look_up(self.counts, customers, keys, missing=0.0)

    def days_since_last(self, customers: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """Days between the latest purchase of each (customers[i], keys[i]) and the cut, NaN
        where it never occurred."""
        if self.latest is None:
            raise ValueError("these pair counts were built without the purchases' ages")
        return self._look_up(self.latest, customers, keys, missing=np.nan)

    def _look_up(self, values: np.ndarray, customers: np.ndarray, keys: np.ndarray, missing: float) -> np.ndarray:
        wanted = self._pair(customers, keys)
        at = np.minimum(np.searchsorted(self.pairs, wanted), max(len(self.pairs) - 1, 0))
        out = np.full(len(wanted), missing, np.float32)
        if len(self.pairs):
            found = self.pairs[at] == wanted
            out[found] = values[at[found]]
        return out
