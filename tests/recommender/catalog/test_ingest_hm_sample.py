"""Ingest of the real H&M sample, checked against the facts its README states."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from recommender.catalog.images import fit_on_white
from recommender.catalog.ingest import ingest
from recommender.catalog.store import Catalog

HM_SAMPLE = Path(__file__).resolve().parents[3].parent / "shared/data/hm-sample"

pytestmark = pytest.mark.skipif(
    not (HM_SAMPLE / "README.md").exists(),
    reason=f"the H&M sample is not at {HM_SAMPLE} (it lives next to the project, never inside)",
)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    out = tmp_path_factory.mktemp("hm") / "catalog"
    report = ingest(HM_SAMPLE, out)
    return report, Catalog.load(out)


def test_articles_and_photos(ingested):
    _, catalog = ingested
    articles = catalog.articles
    assert articles["has_metadata"].sum() == 11_800
    assert articles["has_image"].sum() == 24_717
    assert articles["article_id"].str.fullmatch(r"\d{10}").all()
    assert catalog.images.shape == (len(articles), 96, 64, 3)


def test_purchases_and_customers(ingested):
    report, catalog = ingested
    t = catalog.transactions
    assert len(t) == 30_542
    assert t["customer_idx"].nunique() == 1_337
    assert t["article_idx"].nunique() == 16_432
    assert t["t_dat"].min() == pd.Timestamp("2018-09-20")
    assert t["t_dat"].max() == pd.Timestamp("2020-08-25")
    assert t["t_dat"].is_monotonic_increasing
    assert report.date_range == ("2018-09-20", "2020-08-25")


def test_nothing_was_skipped_or_repaired(ingested):
    report, _ = ingested
    assert not any(report.skips.values()), report.skips
    assert not any(report.repairs.values()), report.repairs


def test_photos_decoded_into_their_rows(ingested):
    _, catalog = ingested
    for row in np.random.default_rng(0).choice(len(catalog.articles), 20, replace=False):
        article_id = catalog.articles["article_id"].iloc[row]
        with Image.open(catalog.source_image_path(article_id)) as photo:
            np.testing.assert_array_equal(catalog.images[row], fit_on_white(photo, (96, 64)))
