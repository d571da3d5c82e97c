"""Dot-product search over item vectors, the only heavy work a request does.

Up to `exact_limit` articles every score is computed exactly (one matrix-vector product; on the
GPU when torch sees one). Past it, a faiss inverted-file index proposes candidates and only those
are scored exactly, so a request touches a few thousand vectors whatever the catalog's size. A
per-item bias (DVBPR's "looks like what sells") is folded in as one extra dimension: the query
gets a 1 there, so inner-product search ranks by vector · item + bias.
"""
from __future__ import annotations

import numpy as np

EXACT_LIMIT = 200_000


def pick_device() -> str:
    try:
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    except ImportError:
        return "cpu"


class ItemIndex:
    def __init__(self, vectors: np.ndarray, bias: np.ndarray | None = None, exact_limit: int = EXACT_LIMIT,
                 device: str | None = None, nprobe: int = 24, seed: int = 0):
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        bias = np.zeros(len(vectors), np.float32) if bias is None else np.asarray(bias, np.float32)
        self.matrix = np.ascontiguousarray(np.hstack([vectors, bias[:, None]]))
        self.n, self.dim = vectors.shape
        self.device = device or pick_device()
        self.approximate = self.n > exact_limit
        self._gpu = None
        if self.device == "cuda":
            import torch

            self._gpu = torch.from_numpy(self.matrix).to("cuda")
        if self.approximate:
            self.faiss = _build_ivf(self.matrix, nprobe, seed)

    @property
    def kind(self) -> str:
        return "faiss-ivf" if self.approximate else f"exact-{self.device}"

    def _query(self, vector: np.ndarray) -> np.ndarray:
        return np.append(np.asarray(vector, np.float32), np.float32(1.0))

    def scores(self, vector: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Exact vector · item + bias, for `rows` (all articles when None)."""
        query = self._query(vector)
        if rows is not None and len(rows) < self.n // 4:  # a few candidates: gather, then multiply
            return self.matrix[rows] @ query
        if self._gpu is not None:
            import torch

            scores = (self._gpu @ torch.from_numpy(query).to("cuda")).cpu().numpy()
        else:
            scores = self.matrix @ query
        return scores if rows is None else scores[rows]

    def top(self, vector: np.ndarray, n: int) -> np.ndarray:
        """About the n best rows for `vector`, best first (exactly the n best in exact mode)."""
        n = min(n, self.n)
        if self.approximate:
            _, rows = self.faiss.search(self._query(vector)[None, :], n)
            return rows[0][rows[0] >= 0]
        scores = self.scores(vector)
        best = np.argpartition(-scores, n - 1)[:n]
        return best[np.argsort(-scores[best])]

    def nbytes(self) -> int:
        """Memory held for search: the vectors, plus the faiss index past the exact limit."""
        total = self.matrix.nbytes
        if self.approximate:
            import faiss

            total += faiss.serialize_index(self.faiss).nbytes
        return total


def _build_ivf(matrix: np.ndarray, nprobe: int, seed: int):
    """IVF-flat with sqrt(n) lists, k-means trained on a sample for a few iterations: an
    approximate coarse split is enough, since candidates are re-scored exactly."""
    import faiss

    n, d = matrix.shape
    nlist = int(np.sqrt(n))
    quantizer = faiss.IndexFlatIP(d)
    index = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
    sample = np.random.default_rng(seed).choice(n, size=min(n, 32 * nlist), replace=False)
    index.cp.seed = seed
    index.cp.niter = 10
    index.train(matrix[np.sort(sample)])
    index.add(matrix)
    index.nprobe = nprobe
    return index
