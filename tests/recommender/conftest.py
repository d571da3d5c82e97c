"""A tiny hand-made catalog in H&M's layout, written fresh for each test so that tests can corrupt it.

What it holds, on purpose:
- articles.csv describes four articles; 0200000002 has no photo, 0200000001 was never bought.
- 0300000001 has a photo and purchases but no row in articles.csv (like most of H&M's).
- 0200000001's photo is landscape, to show padding; every photo is one flat colour, to show which
  row of the image array it landed in.
- customers.csv has c1, c2, c3 (c3 never buys); c4 appears only in the purchases.
- purchases are out of date order, 0100000001 sold at 0.01 then (later) 0.02, and c2 bought
  0100000002 twice on one day (a legitimate duplicate row).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

ARTICLE_COLUMNS = [
    "article_id", "product_code", "prod_name", "product_type_no", "product_type_name",
    "product_group_name", "graphical_appearance_no", "graphical_appearance_name",
    "colour_group_code", "colour_group_name", "perceived_colour_value_id",
    "perceived_colour_value_name", "perceived_colour_master_id", "perceived_colour_master_name",
    "department_no", "department_name", "index_code", "index_name", "index_group_no",
    "index_group_name", "section_no", "section_name", "garment_group_no", "garment_group_name",
    "detail_desc",
]

ARTICLES = {  # the rows of articles.csv: article_id -> prod_name
    "0100000001": "Strap top",
    "0100000002": "Slim jeans",
    "0200000001": "Wool scarf",
    "0200000002": "Ankle socks",
}
PHOTOS = {  # article_id -> (flat colour, (width, height))
    "0100000001": ((200, 30, 30), (128, 192)),
    "0100000002": ((30, 30, 200), (128, 192)),
    "0200000001": ((30, 160, 30), (192, 128)),
    "0300000001": ((200, 200, 30), (128, 192)),
}

CUSTOMERS = ["c1", "c2", "c3"]

TRANSACTIONS = [
    ("2020-02-01", "c1", "0100000001", "0.02", "2"),
    ("2020-01-01", "c1", "0100000001", "0.01", "1"),
    ("2020-01-15", "c2", "0100000002", "0.03", "2"),
    ("2020-01-15", "c2", "0100000002", "0.03", "2"),
    ("2020-03-01", "c4", "0300000001", "0.05", "1"),
    ("2020-01-20", "c2", "0200000002", "0.04", "2"),
]


@dataclass
class HMFolder:
    """The tiny catalog's folder, with what tests need to read and damage it."""

    path: Path

    def photo(self, article_id: str) -> Path:
        return self.path / "images" / article_id[:3] / f"{article_id}.jpg"

    def colour(self, article_id: str) -> tuple[int, int, int]:
        return PHOTOS[article_id][0]

    def read(self, name: str) -> pd.DataFrame:
        return pd.read_csv(self.path / name, dtype=str, keep_default_na=False)

    def write(self, name: str, frame: pd.DataFrame) -> None:
        frame.to_csv(self.path / name, index=False)


def _article_row(article_id: str, name: str) -> dict:
    row = {column: "1" for column in ARTICLE_COLUMNS if column.endswith(("_no", "_code", "_id"))}
    row |= {column: "x" for column in ARTICLE_COLUMNS if column not in row}
    row |= {"article_id": article_id, "product_code": article_id[:7].lstrip("0"), "prod_name": name}
    row["index_code"] = "A"
    return row


def _write_photo(path: Path, colour, size) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, quality=95)


@pytest.fixture
def hm_folder(tmp_path) -> HMFolder:
    folder = HMFolder(tmp_path / "hm")
    folder.path.mkdir()
    folder.write(
        "articles.csv",
        pd.DataFrame([_article_row(a, name) for a, name in ARTICLES.items()]),
    )
    folder.write(
        "customers.csv",
        pd.DataFrame({"customer_id": CUSTOMERS, "age": ["25", "40", "61"]}),
    )
    folder.write(
        "transactions_train.csv",
        pd.DataFrame(
            TRANSACTIONS,
            columns=["t_dat", "customer_id", "article_id", "price", "sales_channel_id"],
        ),
    )
    for article_id, (colour, size) in PHOTOS.items():
        _write_photo(folder.photo(article_id), colour, size)
    return folder


def in_memory_catalog(purchases, n_articles: int, n_customers: int, product_codes=None):
    """A `Catalog` built straight from (date, customer_idx, article_idx) rows, with no photos
    and no files: for model and evaluation tests that only need purchases."""
    import numpy as np

    from recommender.catalog.store import Catalog

    transactions = pd.DataFrame(purchases, columns=["t_dat", "customer_idx", "article_idx"])
    transactions["t_dat"] = pd.to_datetime(transactions["t_dat"])
    transactions = transactions.astype({"customer_idx": "int32", "article_idx": "int32"})
    transactions = transactions.sort_values("t_dat", kind="stable").reset_index(drop=True)
    transactions["price"], transactions["sales_channel_id"] = 0.03, np.int8(2)
    # As at H&M, an article id is its product code and 3 colour digits; without codes, every
    # article is a product of its own.
    codes = product_codes if product_codes is not None else [None] * n_articles
    articles = pd.DataFrame({
        "article_id": [f"{code if code is not None else 9_000_000 + i:07d}{i % 1000:03d}"
                       for i, code in enumerate(codes)],
        "product_code": pd.array(codes, dtype="Int64"),
    })
    customers = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n_customers)]})
    images = np.zeros((n_articles, 2, 2, 3), dtype=np.uint8)
    return Catalog(Path("in-memory"), {}, articles, customers, transactions, images)


@pytest.fixture
def make_catalog():
    """`in_memory_catalog`, as a fixture so that tests in every folder can reach it."""
    return in_memory_catalog


@pytest.fixture(scope="session")
def small_demo_catalog(tmp_path_factory):
    """A small ingested demo catalog (planted tastes, trends and baskets), shared by the tests
    that train on something realistic."""
    from recommender.catalog.demo_data import write_demo_catalog
    from recommender.catalog.ingest import ingest
    from recommender.catalog.store import Catalog

    root = tmp_path_factory.mktemp("small-demo")
    write_demo_catalog(root / "src", seed=1, n_articles=400, n_customers=150)
    ingest(root / "src", root / "catalog", workers=1)
    return Catalog.load(root / "catalog")
