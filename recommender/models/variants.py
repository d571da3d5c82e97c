"""Colour variants: articles that are the same product in another colour.

H&M numbers a product once and its colours after it: the article id is the 7-digit product code
and 3 colour digits. That holds for every article, described in articles.csv or not, so variants
are read from the ids rather than from the `product_code` column that only described articles have.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp


def product_codes(article_ids: pd.Series) -> np.ndarray:
    """Product number per article (0, 1, ... in order of appearance): the id without its 3
    colour digits."""
    return pd.factorize(article_ids.astype(str).str[:-3])[0]


def variant_matrix(codes: np.ndarray) -> sp.csr_matrix:
    """Articles x articles, 1 where two different articles share a product code."""
    n = len(codes)
    membership = sp.csr_matrix((np.ones(n, dtype=np.float32), (np.arange(n), codes)))
    same = (membership @ membership.T).tocsr()
    same.setdiag(0)
    same.eliminate_zeros()
    return same
