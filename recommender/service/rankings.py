"""The fused ranker's order for known customers, ready before they ask.

Scoring one customer through the fused ranker (every component over the whole catalog, then the
ranker over their candidates) takes tens of milliseconds; in batches it is a few per customer.
So at start-up a background thread ranks the most recent customers in batches, and a customer it
has not reached yet is ranked on their first request and kept in a small LRU cache.

What is kept per customer is compact: their candidate articles and each one's place in the
ranker's order. As a signal, a candidate's value is `n_articles + place` (best highest), above
every other article, whose value is its place in the trending order for the customer's age band:
the same order the ranker's own scores give, without a row of catalog size per customer.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import numpy as np

from recommender.service.cache import LRU

log = logging.getLogger(__name__)
BATCH = 256
CACHE_SIZE = 4096
PRECOMPUTE_LIMIT = 100_000  # about 3 KB each on the H&M sample


def places(values: np.ndarray) -> np.ndarray:
    """Each value replaced by its place in its row's order, 0 = lowest (ties by position)."""
    out = np.empty(values.shape, np.float32)
    order = np.argsort(values, axis=-1, kind="stable")
    np.put_along_axis(out, order, np.broadcast_to(np.arange(values.shape[-1], dtype=np.float32), values.shape), axis=-1)
    return out


@dataclass(frozen=True)
class CandidateRanking:
    articles: np.ndarray  # int32 candidate rows, sorted by row
    places: np.ndarray    # float32 place of each in the ranker's order, 0 = worst

    @classmethod
    def of(cls, articles: np.ndarray, scores: np.ndarray) -> "CandidateRanking":
        by_row = np.argsort(articles)
        return cls(articles[by_row].astype(np.int32), places(scores)[by_row])


NO_CANDIDATES = CandidateRanking(np.zeros(0, np.int32), np.zeros(0, np.float32))


class FusedRankings:
    def __init__(self, fused, n_articles: int, cache_size: int = CACHE_SIZE):
        self.fused, self.n_articles = fused, n_articles
        self._ready: dict[int, CandidateRanking] = {}
        self._cache = LRU(cache_size)
        self.precomputed, self.planned = 0, 0

    def rank(self, customers: np.ndarray) -> dict[int, CandidateRanking]:
        """Candidate rankings for these customers, computed in one batch; a customer the ranker
        never saw buy has none (the fallback order serves them)."""
        customers = np.asarray(customers)
        out = dict.fromkeys(customers.tolist(), NO_CANDIDATES)
        warm = customers[self.fused.known[customers]]
        if len(warm):
            rows, articles, scores = self.fused.candidate_scores(warm)
            starts = np.flatnonzero(np.r_[True, np.diff(rows) != 0])
            ends = np.r_[starts[1:], len(rows)]
            out |= {int(warm[rows[s]]): CandidateRanking.of(articles[s:e], scores[s:e]) for s, e in zip(starts, ends)}
        return out

    def precompute(self, customers: np.ndarray, batch: int = BATCH) -> None:
        """Rank these customers (most important first) in batches; safe to run in a thread, since
        requests only read what is already in `_ready`."""
        customers = np.asarray(customers)[:PRECOMPUTE_LIMIT]
        self.planned = len(customers)
        for start in range(0, len(customers), batch):
            self._ready.update(self.rank(customers[start:start + batch]))
            self.precomputed = len(self._ready)
        log.info("fused rankings ready for %d known customers", self.precomputed)

    def start_precompute(self, customers: np.ndarray) -> threading.Thread:
        thread = threading.Thread(target=self.precompute, args=(customers,), name="fused-rankings", daemon=True)
        thread.start()
        return thread

    def ranking(self, customer: int) -> CandidateRanking:
        ready = self._ready.get(customer)
        if ready is not None:
            return ready
        return self._cache.get_or(customer, lambda: self.rank(np.array([customer]))[customer])

    def signal(self, customer: int, rows: np.ndarray, fallback_places: np.ndarray) -> np.ndarray:
        """The customer signal for these rows: candidates above everything, in the ranker's
        order; every other article in `fallback_places` order."""
        ranking = self.ranking(customer)
        values = fallback_places[rows].astype(np.float32)
        if not len(ranking.articles):
            return values
        at = np.minimum(np.searchsorted(ranking.articles, rows), len(ranking.articles) - 1)
        hit = ranking.articles[at] == rows
        values[hit] = self.n_articles + ranking.places[at[hit]]
        return values
