"""The ingested catalog on disk, and loading it back fast.

`recommender ingest` writes one folder (by default `var/catalog/`):

    manifest.json         source folder, image size, counts, date range, when it was built
    report.json           what the ingest checked, skipped and repaired (see `IngestReport`)
    articles.parquet      one row per article; the row number is the article's index everywhere
    customers.parquet     one row per customer; the row number is the customer's index
    transactions.parquet  t_dat, customer_idx, article_idx, price, sales_channel_id, sorted by t_dat
    images.npy            uint8 (n_articles, height, width, 3), row i = article i, memory-mapped;
                          black where `has_image` is False

Articles are the union of articles.csv, the photos and the purchases, so every purchase and
every photo has a row: `has_metadata` says whether articles.csv described it, `has_image`
whether its photo decoded. `price` is the latest price paid (for a colour never bought, that of
another colour of its product; NaN if no colour of it was bought). Ids are strings (article ids
10 digits, zero-padded); H&M's numeric codes are nullable Int64.
Customers are the union of customers.csv and the purchases: `has_metadata` is False for those
known only from their purchases.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from recommender.paths import catalog_dir

MANIFEST = "manifest.json"
REPORT = "report.json"
ARTICLES = "articles.parquet"
CUSTOMERS = "customers.parquet"
TRANSACTIONS = "transactions.parquet"
IMAGES = "images.npy"


class CatalogNotFound(FileNotFoundError):
    """Raised when nothing has been ingested where a catalog is expected."""


@dataclass
class Catalog:
    path: Path
    manifest: dict
    articles: pd.DataFrame
    customers: pd.DataFrame
    transactions: pd.DataFrame
    images: np.ndarray  # memory-mapped, (n_articles, H, W, 3) uint8
    report: dict = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Catalog":
        path = Path(path) if path is not None else catalog_dir()
        if not (path / MANIFEST).exists():
            raise CatalogNotFound(
                f"No ingested catalog at {path}: run `recommender ingest <dir>` first."
            )
        report_path = path / REPORT
        return cls(
            path=path,
            manifest=json.loads((path / MANIFEST).read_text()),
            articles=pd.read_parquet(path / ARTICLES),
            customers=pd.read_parquet(path / CUSTOMERS),
            transactions=pd.read_parquet(path / TRANSACTIONS),
            images=np.load(path / IMAGES, mmap_mode="r"),
            report=json.loads(report_path.read_text()) if report_path.exists() else {},
        )

    @property
    def n_articles(self) -> int:
        return len(self.articles)

    @property
    def n_customers(self) -> int:
        return len(self.customers)

    @cached_property
    def article_index(self) -> dict[str, int]:
        """article_id (10-digit string) -> row number."""
        return {a: i for i, a in enumerate(self.articles["article_id"])}

    @cached_property
    def customer_index(self) -> dict[str, int]:
        """customer_id -> row number."""
        return {c: i for i, c in enumerate(self.customers["customer_id"])}

    def source_image_path(self, article_id: str) -> Path:
        """The original photo in the ingested folder, for serving at full size."""
        return Path(self.manifest["source"]) / "images" / article_id[:3] / f"{article_id}.jpg"

    def transactions_between(self, start=None, end=None) -> pd.DataFrame:
        """Purchases with start <= t_dat < end (either bound may be None)."""
        t = self.transactions
        mask = np.ones(len(t), dtype=bool)
        if start is not None:
            mask &= t["t_dat"].values >= np.datetime64(pd.Timestamp(start))
        if end is not None:
            mask &= t["t_dat"].values < np.datetime64(pd.Timestamp(end))
        return t[mask]
