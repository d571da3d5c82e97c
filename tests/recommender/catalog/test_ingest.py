"""Ingest of the tiny hand-made catalog (tests/recommender/conftest.py), whole and damaged."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from recommender.catalog import schema
from recommender.catalog.ingest import ingest
from recommender.catalog.store import Catalog


def run(hm_folder, tmp_path):
    report = ingest(hm_folder.path, tmp_path / "catalog")
    return report, Catalog.load(tmp_path / "catalog")


def row_of(catalog: Catalog, article_id: str) -> pd.Series:
    return catalog.articles.iloc[catalog.article_index[article_id]]


def centre(catalog: Catalog, article_id: str) -> np.ndarray:
    image = catalog.images[catalog.article_index[article_id]]
    return image[image.shape[0] // 2, image.shape[1] // 2].astype(int)


# --- a good catalog ------------------------------------------------------------------------


def test_good_catalog_round_trips_through_load(hm_folder, tmp_path):
    report, catalog = run(hm_folder, tmp_path)

    assert list(catalog.articles["article_id"]) == [
        "0100000001", "0100000002", "0200000001", "0200000002", "0300000001"
    ]
    assert list(catalog.customers["customer_id"]) == ["c1", "c2", "c3", "c4"]
    assert list(catalog.customers["has_metadata"]) == [True, True, True, False]
    assert len(catalog.transactions) == 6
    assert catalog.transactions["t_dat"].is_monotonic_increasing
    assert catalog.transactions.dtypes.to_dict() == {
        "t_dat": np.dtype("datetime64[ns]"),
        "customer_idx": np.dtype("int32"),
        "article_idx": np.dtype("int32"),
        "price": np.dtype("float64"),
        "sales_channel_id": np.dtype("int8"),
    }
    assert catalog.images.shape == (5, 96, 64, 3) and catalog.images.dtype == np.uint8
    assert isinstance(catalog.images, np.memmap)
    assert catalog.manifest["source"] == str(hm_folder.path.resolve())
    assert catalog.manifest["image_size"] == [96, 64]
    assert catalog.manifest["date_range"] == ["2020-01-01", "2020-03-01"]
    assert catalog.report == json.loads(json.dumps(report.to_dict()))


def test_purchases_point_at_the_right_customer_and_article(hm_folder, tmp_path):
    _, catalog = run(hm_folder, tmp_path)
    t = catalog.transactions
    ids = pd.DataFrame(
        {
            "t_dat": t["t_dat"].dt.strftime("%Y-%m-%d"),
            "customer_id": catalog.customers["customer_id"].to_numpy()[t["customer_idx"]],
            "article_id": catalog.articles["article_id"].to_numpy()[t["article_idx"]],
        }
    )
    assert ids.iloc[0].tolist() == ["2020-01-01", "c1", "0100000001"]
    assert ids.iloc[-1].tolist() == ["2020-03-01", "c4", "0300000001"]


def test_an_article_of_a_product_never_sold_has_no_price(hm_folder, tmp_path):
    purchases = hm_folder.read("transactions_train.csv")
    hm_folder.write("transactions_train.csv", purchases[purchases["article_id"] != "0200000002"])
    _, catalog = run(hm_folder, tmp_path)
    a = catalog.articles.set_index("article_id")

    assert np.isnan(a.loc["0200000001", "price"]) and np.isnan(a.loc["0200000002", "price"])
    assert a.loc["0100000002", "price"] == pytest.approx(0.03)


def test_the_shops_price_list_prices_what_never_sold_and_wins_over_the_last_sale(hm_folder, tmp_path):
    purchases = hm_folder.read("transactions_train.csv")
    hm_folder.write("transactions_train.csv", purchases[purchases["article_id"] != "0200000002"])
    hm_folder.write("prices.csv", pd.DataFrame({"article_id": ["0200000001", "100000001"], "price": ["0.05", "0.025"]}))
    report, catalog = run(hm_folder, tmp_path)
    a = catalog.articles.set_index("article_id")

    assert a.loc["0200000001", "price"] == pytest.approx(0.05)  # never sold, listed
    assert a.loc["0100000001", "price"] == pytest.approx(0.025)  # sold at 0.02 last, listed at 0.025
    assert a.loc["0100000002", "price"] == pytest.approx(0.03)  # not listed: its last sale
    assert np.isnan(a.loc["0200000002", "price"])  # neither listed nor sold, nor its product
    assert report.counts["articles without a price"] == 1
    assert report.repairs["prices.csv: article_id zero-padded"] == 1


def test_bad_price_list_rows_are_skipped_and_counted(hm_folder, tmp_path):
    hm_folder.write("prices.csv", pd.DataFrame({
        "article_id": ["0200000001", "0200000001", "", "0100000002", "0300000001", "0999999999"],
        "price": ["0.05", "0.06", "0.01", "free", "-0.01", "0.02"],
    }))
    report, catalog = run(hm_folder, tmp_path)

    assert row_of(catalog, "0200000001")["price"] == pytest.approx(0.05)  # the first row for it
    assert row_of(catalog, "0100000002")["price"] == pytest.approx(0.03)  # its last sale, not "free"
    assert {reason: n for reason, n in report.skips.items() if reason.startswith("prices.csv")} == {
        "prices.csv: rows without article_id": 1,
        "prices.csv: unparseable or negative price": 2,
        "prices.csv: duplicate article_id rows": 1,
        "prices.csv: articles that no other file knows": 1,
    }


def test_a_price_list_without_a_price_column_is_named(hm_folder, tmp_path):
    hm_folder.write("prices.csv", pd.DataFrame({"article_id": ["0200000001"], "prize": ["0.05"]}))
    with pytest.raises(schema.MissingColumnError, match="prices.csv: no column 'price' \\(is 'prize' meant"):
        run(hm_folder, tmp_path)


def test_flags_and_latest_price(hm_folder, tmp_path):
    report, catalog = run(hm_folder, tmp_path)
    a = catalog.articles.set_index("article_id")

    assert a.loc["0100000001", "price"] == pytest.approx(0.02)  # sold at 0.01 earlier
    assert a.loc["0200000001", "price"] == pytest.approx(0.04)  # never sold: its product's other colour
    assert a["has_metadata"].to_dict() == {
        "0100000001": True, "0100000002": True, "0200000001": True,
        "0200000002": True, "0300000001": False,
    }
    assert a["has_image"].to_dict() == {
        "0100000001": True, "0100000002": True, "0200000001": True,
        "0200000002": False, "0300000001": True,
    }
    assert a.loc["0100000001", "prod_name"] == "Strap top"
    assert a["product_code"].dtype == "Int64"
    assert report.counts["articles with photo only (no metadata)"] == 1
    assert report.counts["purchases of articles without photo"] == 1
    assert report.counts["purchases of articles without metadata"] == 1
    assert report.counts["customers only known from purchases"] == 1


def test_image_rows_align_with_articles(hm_folder, tmp_path):
    _, catalog = run(hm_folder, tmp_path)
    for article_id in ("0100000001", "0100000002", "0200000001", "0300000001"):
        assert np.abs(centre(catalog, article_id) - hm_folder.colour(article_id)).max() < 12
    assert not catalog.images[catalog.article_index["0200000002"]].any()  # no photo: black


def test_landscape_photo_is_padded_with_white_not_stretched(hm_folder, tmp_path):
    _, catalog = run(hm_folder, tmp_path)
    image = catalog.images[catalog.article_index["0200000001"]].astype(int)
    # 192x128 fitted into 64 wide keeps its 3:2 shape: about 43 rows of photo, white above and below.
    photo_rows = np.flatnonzero(np.abs(image - hm_folder.colour("0200000001")).max(axis=(1, 2)) < 12)
    assert 40 <= len(photo_rows) <= 46
    assert (image[:20] > 240).all() and (image[-20:] > 240).all()


def test_summary_shows_counts_skips_and_dates(hm_folder, tmp_path):
    report, _ = run(hm_folder, tmp_path)
    text = report.summary()
    for line in (
        "customers: 4", "articles: 5", "purchases: 6",
        "articles with photo only (no metadata): 1", "2020-01-01 to 2020-03-01",
        "transactions_train.csv: unparseable t_dat: 0", "images: unreadable photos: 0",
    ):
        assert line in text


def test_ingest_again_replaces_the_catalog(hm_folder, tmp_path, monkeypatch):
    monkeypatch.setenv("RECOMMENDER_VAR", str(tmp_path / "var"))
    ingest(hm_folder.path)
    hm_folder.photo("0300000001").unlink()
    ingest(hm_folder.path)
    catalog = Catalog.load(tmp_path / "var" / "catalog")
    assert catalog.articles["has_image"].sum() == 3
    assert sorted(p.name for p in (tmp_path / "var").iterdir()) == ["catalog"]


# --- missing files and columns -------------------------------------------------------------


@pytest.mark.parametrize("name", ["articles.csv", "transactions_train.csv", "images"])
def test_missing_file_is_named(hm_folder, tmp_path, name):
    path = hm_folder.path / name
    if path.is_dir():
        for photo in path.glob("*/*"):
            photo.unlink()
        for folder in path.iterdir():
            folder.rmdir()
        path.rmdir()
    else:
        path.unlink()
    with pytest.raises(schema.MissingFileError, match=name):
        ingest(hm_folder.path, tmp_path / "catalog")
    assert not (tmp_path / "catalog").exists()


def test_missing_customers_file_is_a_warning(hm_folder, tmp_path):
    (hm_folder.path / "customers.csv").unlink()
    report, catalog = run(hm_folder, tmp_path)
    assert list(catalog.customers["customer_id"]) == ["c1", "c2", "c4"]
    assert not catalog.customers["has_metadata"].any()
    assert any("customers.csv" in w for w in report.warnings)


def test_missing_column_names_file_and_column(hm_folder, tmp_path):
    hm_folder.write("transactions_train.csv", hm_folder.read("transactions_train.csv").drop(columns="price"))
    with pytest.raises(schema.MissingColumnError, match=r"transactions_train.csv: no column 'price'\.") as error:
        ingest(hm_folder.path, tmp_path / "catalog")
    assert error.value.suggestions == {"price": None}


@pytest.mark.parametrize(
    "file, column, misnamed",
    [
        ("articles.csv", "article_id", "articleid"),
        ("transactions_train.csv", "customer_id", "Customer ID"),
        ("customers.csv", "customer_id", "custome_id"),
    ],
)
def test_misnamed_column_suggests_the_closest_name(hm_folder, tmp_path, file, column, misnamed):
    hm_folder.write(file, hm_folder.read(file).rename(columns={column: misnamed}))
    with pytest.raises(schema.MissingColumnError, match=f"{file}: no column '{column}'") as error:
        ingest(hm_folder.path, tmp_path / "catalog")
    assert error.value.suggestions == {column: misnamed}
    assert f"'{misnamed}'" in str(error.value)


# --- rows and photos that are skipped or repaired ------------------------------------------


def test_unpadded_article_ids_are_repaired_and_counted(hm_folder, tmp_path):
    for name in ("articles.csv", "transactions_train.csv"):
        frame = hm_folder.read(name)
        frame["article_id"] = frame["article_id"].str.lstrip("0")
        hm_folder.write(name, frame)
    report, catalog = run(hm_folder, tmp_path)
    assert len(catalog.articles) == 5
    assert catalog.articles["article_id"].str.len().eq(10).all()
    assert catalog.articles["has_image"].sum() == 4
    assert report.repairs["articles.csv: article_id zero-padded"] == 4
    assert report.repairs["transactions_train.csv: article_id zero-padded"] == 6


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_unreadable_photo_is_skipped_and_counted(hm_folder, tmp_path, damage):
    photo = hm_folder.photo("0100000002")
    content = photo.read_bytes()
    photo.write_bytes({"garbage": b"not a jpeg at all" * 50, "truncated": content[: len(content) // 2], "empty": b""}[damage])
    report, catalog = run(hm_folder, tmp_path)
    assert not row_of(catalog, "0100000002")["has_image"]
    assert not catalog.images[catalog.article_index["0100000002"]].any()
    assert report.skips["images: unreadable photos"] == 1
    assert catalog.articles["has_image"].sum() == 3
    assert any(str(photo) in w for w in report.warnings)


def test_missing_photo_is_counted(hm_folder, tmp_path):
    hm_folder.photo("0100000001").unlink()
    report, catalog = run(hm_folder, tmp_path)
    assert not row_of(catalog, "0100000001")["has_image"]
    assert report.counts["articles without photo"] == 2
    assert report.counts["purchases of articles without photo"] == 3


def test_duplicate_article_and_customer_rows_are_dropped_and_counted(hm_folder, tmp_path):
    for name in ("articles.csv", "customers.csv"):
        frame = hm_folder.read(name)
        hm_folder.write(name, pd.concat([frame, frame.iloc[[0]]]))
    report, catalog = run(hm_folder, tmp_path)
    assert len(catalog.articles) == 5 and len(catalog.customers) == 4
    assert report.skips["articles.csv: duplicate article_id rows"] == 1
    assert report.skips["customers.csv: duplicate customer_id rows"] == 1


def test_duplicate_purchase_rows_are_kept_and_counted(hm_folder, tmp_path):
    report, catalog = run(hm_folder, tmp_path)
    assert len(catalog.transactions) == 6
    assert report.counts["duplicate purchase rows (kept)"] == 1


def test_purchase_of_unknown_article_adds_a_bare_article(hm_folder, tmp_path):
    frame = hm_folder.read("transactions_train.csv")
    frame.loc[len(frame)] = ["2020-03-02", "c1", "0999999999", "0.07", "1"]
    hm_folder.write("transactions_train.csv", frame)
    report, catalog = run(hm_folder, tmp_path)
    unknown = row_of(catalog, "0999999999")
    assert not unknown["has_metadata"] and not unknown["has_image"]
    assert unknown["price"] == pytest.approx(0.07)
    assert report.counts["purchases of articles without metadata"] == 2
    assert report.counts["purchases of articles without photo"] == 2


@pytest.mark.parametrize(
    "column, value, reason",
    [
        ("t_dat", "not a date", "unparseable t_dat"),
        ("t_dat", "2020-13-45", "unparseable t_dat"),
        ("price", "abc", "unparseable price"),
        ("price", "", "unparseable price"),
        ("sales_channel_id", "web", "unparseable sales_channel_id"),
        ("customer_id", "", "rows without customer_id or article_id"),
    ],
)
def test_unparseable_purchase_row_is_skipped_and_counted(hm_folder, tmp_path, column, value, reason):
    frame = hm_folder.read("transactions_train.csv")
    frame.loc[0, column] = value
    hm_folder.write("transactions_train.csv", frame)
    report, catalog = run(hm_folder, tmp_path)
    assert len(catalog.transactions) == 5
    assert report.skips[f"transactions_train.csv: {reason}"] == 1
    assert sum(report.skips.values()) == 1
    # The skipped row was the latest sale of 0100000001 at 0.02.
    assert row_of(catalog, "0100000001")["price"] == pytest.approx(0.01)
