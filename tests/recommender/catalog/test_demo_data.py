"""The demo catalog generator: H&M's layout, photos, determinism, and the taste it plants."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from recommender.catalog.demo_data import (
    articles_csv,
    build_demo_catalog,
    write_demo_catalog,
)

# H&M's column names as the competition ships them, spelled out here rather than imported, so a
# change in the generator's own lists cannot hide a mismatch.
HM_ARTICLE_COLUMNS = (
    "article_id,product_code,prod_name,product_type_no,product_type_name,product_group_name,"
    "graphical_appearance_no,graphical_appearance_name,colour_group_code,colour_group_name,"
    "perceived_colour_value_id,perceived_colour_value_name,perceived_colour_master_id,"
    "perceived_colour_master_name,department_no,department_name,index_code,index_name,"
    "index_group_no,index_group_name,section_no,section_name,garment_group_no,"
    "garment_group_name,detail_desc"
).split(",")
HM_CUSTOMER_COLUMNS = (
    "customer_id,FN,Active,club_member_status,fashion_news_frequency,age,postal_code".split(","))
HM_TRANSACTION_COLUMNS = "t_dat,customer_id,article_id,price,sales_channel_id".split(",")

SMALL = dict(n_articles=300, n_customers=60)


@pytest.fixture(scope="module")
def small_catalog(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    write_demo_catalog(out, seed=0, **SMALL)
    return out


@pytest.fixture(scope="module")
def full_size():
    return build_demo_catalog(seed=0)


def read(path: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(path / name, dtype=str, keep_default_na=False)


def header(path: Path) -> list[str]:
    return path.read_text().splitlines()[0].split(",")


def file_digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_files_and_columns_are_hms(small_catalog):
    assert sorted(p.name for p in small_catalog.iterdir()) == [
        "articles.csv", "customers.csv", "images", "prices.csv", "transactions_train.csv"]
    assert header(small_catalog / "articles.csv") == HM_ARTICLE_COLUMNS
    assert header(small_catalog / "customers.csv") == HM_CUSTOMER_COLUMNS
    assert header(small_catalog / "transactions_train.csv") == HM_TRANSACTION_COLUMNS


def test_values_are_in_hms_formats(small_catalog):
    articles = read(small_catalog, "articles.csv")
    customers = read(small_catalog, "customers.csv")
    purchases = read(small_catalog, "transactions_train.csv")
    assert articles["article_id"].str.fullmatch(r"0\d{9}").all()
    product_codes = articles["product_code"].astype(int)
    assert (articles["article_id"].str[:-3].astype(int) == product_codes).all()
    assert customers["customer_id"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert set(customers["FN"]) <= {"", "1.0"}
    assert set(customers["club_member_status"]) <= {"ACTIVE", "PRE-CREATE", "LEFT CLUB", ""}
    assert purchases["t_dat"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert purchases["article_id"].str.fullmatch(r"0\d{9}").all()
    assert set(purchases["sales_channel_id"]) == {"1", "2"}
    prices = purchases["price"].astype(float)
    assert prices.between(0.003, 0.2).all() and 0.01 < prices.median() < 0.1
    assert purchases["customer_id"].isin(customers["customer_id"]).all()


def test_the_price_list_prices_every_article_at_what_full_price_sales_paid(small_catalog):
    listed = read(small_catalog, "prices.csv").set_index("article_id")["price"].astype(float)
    photos = {p.stem for p in (small_catalog / "images").glob("*/*.jpg")}
    assert set(listed.index) == photos and listed.index.is_unique
    purchases = read(small_catalog, "transactions_train.csv")
    paid = purchases["price"].astype(float).to_numpy()
    full_price = listed.loc[purchases["article_id"]].to_numpy()
    assert (paid <= full_price + 1e-6).all()  # a sale pays less, never more
    assert np.mean(np.isclose(paid, full_price, atol=1e-6)) > 0.8


def test_every_article_has_a_photo_at_hms_path(small_catalog):
    photos = {p.stem: p for p in (small_catalog / "images").glob("*/*.jpg")}
    assert len(photos) == SMALL["n_articles"]
    assert all(p.parent.name == p.stem[:3] for p in photos.values())
    assert all(Image.open(p).size == (128, 192) for p in list(photos.values())[:40])
    described = set(read(small_catalog, "articles.csv")["article_id"])
    bought = set(read(small_catalog, "transactions_train.csv")["article_id"])
    assert described <= set(photos) and bought <= set(photos)


def test_some_articles_are_photo_only_and_some_never_bought(small_catalog):
    photos = {p.stem for p in (small_catalog / "images").glob("*/*.jpg")}
    described = set(read(small_catalog, "articles.csv")["article_id"])
    bought = set(read(small_catalog, "transactions_train.csv")["article_id"])
    assert 0.07 <= len(photos - described) / len(photos) <= 0.13
    assert bought - described, "old photo-only articles are bought too, as in H&M's data"
    assert described - bought, "new arrivals nobody has bought yet"


def test_same_seed_gives_identical_files_and_another_seed_does_not(small_catalog, tmp_path):
    write_demo_catalog(tmp_path / "again", seed=0, **SMALL)
    write_demo_catalog(tmp_path / "other", seed=1, **SMALL)
    first = file_digests(small_catalog)
    assert file_digests(tmp_path / "again") == first
    other = file_digests(tmp_path / "other")
    for name in ("articles.csv", "customers.csv", "transactions_train.csv"):
        assert other[name] != first[name]


def test_full_size_has_the_promised_range(full_size):
    described = articles_csv(full_size)
    assert len(described) >= 2000
    assert described["product_type_name"].nunique() >= 12
    assert described["colour_group_name"].nunique() >= 15
    assert set(described["graphical_appearance_name"]) >= {
        "Solid", "Stripe", "Dot", "Check", "All over pattern"}
    assert set(described["index_group_name"]) == {
        "Ladieswear", "Menswear", "Baby/Children", "Sport"}
    assert (described.groupby("product_code").size() > 1).mean() > 0.4, "colour variants"
    assert len(full_size.customers) >= 500
    assert 15 <= len(full_size.transactions) / len(full_size.customers) <= 40


def test_names_and_descriptions_read_like_hms(full_size):
    described = articles_csv(full_size)
    assert described["prod_name"].str.fullmatch(r"[A-Z][\w&/ -]+").all()
    dresses = described[described["product_type_name"] == "Dress"]
    assert dresses["prod_name"].str.endswith("dress").all()
    row = described.iloc[0]
    assert row["colour_group_name"] in row["detail_desc"]
    assert re.search(r" in [a-z]", row["detail_desc"]), "mentions the fabric"


def garment_pixels(photo: np.ndarray) -> np.ndarray:
    """Pixels that differ clearly from the background, read off the photo's corner."""
    background = photo[0, 0].astype(int)
    distance = np.abs(photo.astype(int) - background).sum(axis=2)
    return photo[distance > 60]


def test_photo_of_a_red_article_is_red_where_the_garment_is(small_catalog):
    articles = read(small_catalog, "articles.csv")
    red = articles[(articles["colour_group_name"] == "Red")
                   & (articles["graphical_appearance_name"] == "Solid")]
    assert len(red), "the small catalog should hold a plain red article"
    article_id = red["article_id"].iloc[0]
    photo = np.asarray(Image.open(small_catalog / "images" / article_id[:3] / f"{article_id}.jpg"))
    pixels = garment_pixels(photo)
    assert len(pixels) > 300
    r, g, b = pixels.mean(axis=0)
    assert r > 150 and g < 90 and b < 90


def test_customers_buy_their_favourite_colours_far_above_chance(full_size):
    purchases = full_size.transactions
    colours = full_size.articles["colour_group_name"].to_numpy()[purchases["article"]]
    favourites = full_size.tastes["colours"].map(set).to_numpy()

    def favourite_share(customers: np.ndarray) -> float:
        return np.mean([c in favourites[u] for u, c in zip(customers, colours)])

    planted = favourite_share(purchases["customer"].to_numpy())
    chance = favourite_share(np.random.default_rng(0).permutation(purchases["customer"].to_numpy()))
    assert planted > 2 * chance
    assert planted < 0.8, "a share of purchases ignores the taste"


def test_summer_clothes_sell_in_summer_and_knitwear_in_winter(full_size):
    purchases = full_size.transactions
    months = (full_size.start + pd.to_timedelta(purchases["day"], unit="D")).dt.month
    types = full_size.articles["product_type_name"].to_numpy()[purchases["article"]]
    summer, winter = months.isin([6, 7, 8]).to_numpy(), months.isin([12, 1, 2]).to_numpy()
    for kind, high, low in (("Dress", summer, winter), ("Sweater", winter, summer)):
        assert (types[high] == kind).mean() > 1.5 * (types[low] == kind).mean()


def test_recent_weeks_sell_articles_first_sold_then(full_size):
    purchases = full_size.transactions
    first_sold = purchases.groupby("article")["day"].min()
    last_four_weeks = purchases[purchases["day"] > purchases["day"].max() - 28]
    new = first_sold[last_four_weeks["article"]].to_numpy() > purchases["day"].max() - 28
    assert new.mean() > 0.05


def test_small_catalog_builds_in_about_a_second():
    import time

    started = time.perf_counter()
    demo = build_demo_catalog(seed=3, n_articles=120, n_customers=40)
    assert time.perf_counter() - started < 3
    assert len(demo.articles) == 120 and len(demo.transactions) > 0
