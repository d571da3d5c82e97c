"""`recommender ingest <dir>`: read a catalog in H&M's layout into the store of `store.py`.

Everything that can be wrong with the input is checked here, once: a missing file or column is a
`CatalogInputError` that names it; a bad row or photo is skipped and counted; an id that lost its
leading zeros is repaired and counted. Training and serving can then trust the store.
"""
from __future__ import annotations

import json
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from recommender.catalog import schema, store
from recommender.catalog.images import decode_photos
from recommender.catalog.report import IngestReport
from recommender.paths import catalog_dir


def ingest(
    source: Path,
    out: Path | None = None,
    image_size: tuple[int, int] = (96, 64),
    workers: int | None = None,
) -> IngestReport:
    """Ingest the catalog folder `source` into `out` (a catalog folder, replaced when complete).

    image_size is (height, width) of the decoded photos; workers is the number of decoding
    processes (all available cores when None).
    """
    started = time.perf_counter()
    source = Path(source).resolve()
    out = Path(out) if out is not None else catalog_dir()
    report = IngestReport(source=str(source))

    articles_csv, transactions = _read_inputs(source, report)
    price_list = _read_price_list(source, report)
    photos = _find_photos(source / schema.IMAGES_DIR, report)
    articles = _build_articles(articles_csv, photos, transactions)
    customers = _build_customers(_read_customers(source, report), transactions)
    transactions = _index_transactions(transactions, articles, customers)

    building = out.parent / f".{out.name}.building"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    try:
        articles["has_image"] = decode_photos(
            [photos.get(a) for a in articles["article_id"]],
            building / store.IMAGES,
            image_size,
            workers,
        )
        _add_price(articles, transactions, price_list, report)
        _count(report, articles, customers, transactions, photos)
        report.seconds = time.perf_counter() - started
        _write(building, report, articles, customers, transactions, image_size)
    except BaseException:
        # An interrupted build would otherwise leave an image array as big as the finished one.
        shutil.rmtree(building, ignore_errors=True)
        raise
    _replace_dir(building, out)
    return report


# --- reading -------------------------------------------------------------------------------


def _read_inputs(source: Path, report: IngestReport) -> tuple[pd.DataFrame, pd.DataFrame]:
    """articles.csv and the purchases, checked; every required file is checked before any is read."""
    if not source.is_dir():
        raise schema.MissingFileError(source)
    for required in (schema.ARTICLES.name, schema.TRANSACTIONS.name, schema.IMAGES_DIR):
        if not (source / required).exists():
            raise schema.MissingFileError(source / required)
    articles = _read_csv(source, schema.ARTICLES)
    articles["article_id"] = _pad_article_ids(articles["article_id"], schema.ARTICLES.name, report)
    articles = _drop_unusable(articles, "article_id", schema.ARTICLES.name, report)
    return articles, _read_transactions(source, report)


def _read_csv(source: Path, file: schema.FileSchema) -> pd.DataFrame:
    path = source / file.name
    file.check_columns(pd.read_csv(path, nrows=0).columns)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    for column in file.numeric + file.integer:
        if column in frame:
            frame[column] = _to_number(frame[column], integer=column in file.integer)
    return frame


def _to_number(text: pd.Series, integer: bool) -> pd.Series:
    """Numbers from text; what does not parse (or is not whole, for an integer) becomes missing."""
    values = pd.to_numeric(text, errors="coerce")
    return values.where(values == values.round()).astype("Int64") if integer else values


def _read_price_list(source: Path, report: IngestReport) -> pd.Series:
    """prices.csv, the shop's price list, as article_id -> price (empty without one); rows
    without an id or a usable price, and second rows for an article, are skipped and counted."""
    name = schema.PRICES.name
    if not (source / name).exists():
        return pd.Series([], dtype=np.float64)
    prices = _read_csv(source, schema.PRICES)
    prices["article_id"] = _pad_article_ids(prices["article_id"], name, report)
    price = prices["price"].to_numpy(dtype=float)
    usable = np.isfinite(price) & (price >= 0)
    prices = _skip_rows(prices, {f"{name}: rows without article_id": prices["article_id"].isna(),
                                 f"{name}: unparseable or negative price": ~usable}, report)
    prices = _drop_unusable(prices, "article_id", name, report)
    return prices.set_index("article_id")["price"].astype(np.float64)


def _read_customers(source: Path, report: IngestReport) -> pd.DataFrame:
    """customers.csv, checked; without it, customers are only known from their purchases."""
    if not (source / schema.CUSTOMERS.name).exists():
        report.warn(
            f"{source / schema.CUSTOMERS.name} is missing: customers are taken from the purchases."
        )
        return pd.DataFrame({"customer_id": pd.Series([], dtype=str)})
    customers = _read_csv(source, schema.CUSTOMERS)
    customers["customer_id"] = customers["customer_id"].str.strip()
    return _drop_unusable(customers, "customer_id", schema.CUSTOMERS.name, report)


def _drop_unusable(frame: pd.DataFrame, key: str, file: str, report: IngestReport) -> pd.DataFrame:
    """Rows without an id, and second rows for an id already described, skipped and counted."""
    return _skip_rows(
        frame,
        {
            f"{file}: rows without {key}": frame[key].isna(),
            f"{file}: duplicate {key} rows": frame[key].duplicated() & frame[key].notna(),
        },
        report,
    )


def _read_transactions(source: Path, report: IngestReport) -> pd.DataFrame:
    """The purchases with parsed dates, prices and channels; rows where any fails are skipped."""
    name = schema.TRANSACTIONS.name
    raw = _read_csv(source, schema.TRANSACTIONS)
    parsed = pd.DataFrame(
        {
            "t_dat": pd.to_datetime(raw["t_dat"], format="ISO8601", errors="coerce"),
            "customer_id": raw["customer_id"].str.strip(),
            "article_id": _pad_article_ids(raw["article_id"], name, report),
            "price": pd.to_numeric(raw["price"], errors="coerce"),
            "sales_channel_id": pd.to_numeric(raw["sales_channel_id"], errors="coerce"),
        }
    )
    return _skip_rows(
        parsed,
        {
            f"{name}: rows without customer_id or article_id": (
                parsed["customer_id"].isna() | parsed["article_id"].isna()
            ),
            f"{name}: unparseable t_dat": parsed["t_dat"].isna(),
            f"{name}: unparseable price": ~np.isfinite(parsed["price"].to_numpy(dtype=float)),
            f"{name}: unparseable sales_channel_id": parsed["sales_channel_id"].isna(),
        },
        report,
    )


def _skip_rows(frame: pd.DataFrame, reasons: dict[str, pd.Series], report) -> pd.DataFrame:
    """Drop the rows any reason flags; each row is counted under the first reason that flags it."""
    skipped = np.zeros(len(frame), dtype=bool)
    for reason, flagged in reasons.items():
        flagged = np.asarray(flagged, dtype=bool) & ~skipped
        report.skip(reason, flagged.sum())
        skipped |= flagged
    return frame[~skipped].reset_index(drop=True)


def _pad_article_ids(ids: pd.Series, file: str, report: IngestReport) -> pd.Series:
    """Article ids that lost their leading zeros (read as numbers somewhere), zero-padded."""
    ids = ids.str.strip()
    short = ids.str.fullmatch(r"\d+").fillna(False).astype(bool) & (
        ids.str.len() < schema.ARTICLE_ID_WIDTH
    )
    report.repair(f"{file}: article_id zero-padded", short.sum())
    return ids.mask(short, ids.str.zfill(schema.ARTICLE_ID_WIDTH))


def _find_photos(images: Path, report: IngestReport) -> dict[str, Path]:
    """article_id -> its photo, for every images/<subfolder>/<article_id>.jpg."""
    paths = list(images.glob("*/*.jpg"))
    ids = _pad_article_ids(pd.Series([p.stem for p in paths], dtype=str), "images", report)
    return dict(zip(ids, paths))


# --- building the tables -------------------------------------------------------------------


def _build_articles(
    described: pd.DataFrame, photos: dict[str, Path], transactions: pd.DataFrame
) -> pd.DataFrame:
    """One row per article described, photographed or bought, sorted by article_id."""
    ids = pd.Index(described["article_id"]).union(pd.Index(list(photos))).union(
        pd.Index(transactions["article_id"].unique())
    )
    articles = pd.DataFrame({"article_id": ids.sort_values().astype(str)})
    articles = articles.merge(described, on="article_id", how="left")
    articles["has_metadata"] = articles["article_id"].isin(described["article_id"])
    return articles


def _build_customers(described: pd.DataFrame, transactions: pd.DataFrame) -> pd.DataFrame:
    """One row per customer in customers.csv or in the purchases, sorted by customer_id;
    has_metadata is False for those known only from their purchases."""
    ids = pd.Index(described["customer_id"]).union(pd.Index(transactions["customer_id"].unique()))
    customers = pd.DataFrame({"customer_id": ids.sort_values().astype(str)})
    customers = customers.merge(described, on="customer_id", how="left")
    customers["has_metadata"] = customers["customer_id"].isin(described["customer_id"])
    return customers


def _index_transactions(
    transactions: pd.DataFrame, articles: pd.DataFrame, customers: pd.DataFrame
) -> pd.DataFrame:
    """Ids replaced by row numbers, sorted by date (stably: same-day rows keep file order)."""
    indexed = pd.DataFrame(
        {
            "t_dat": transactions["t_dat"].astype("datetime64[ns]"),
            "customer_idx": pd.Index(customers["customer_id"])
            .get_indexer(transactions["customer_id"])
            .astype(np.int32),
            "article_idx": pd.Index(articles["article_id"])
            .get_indexer(transactions["article_id"])
            .astype(np.int32),
            "price": transactions["price"].astype(np.float64),
            "sales_channel_id": transactions["sales_channel_id"].astype(np.int8),
        }
    )
    return indexed.sort_values("t_dat", kind="stable").reset_index(drop=True)


def _add_price(articles: pd.DataFrame, transactions: pd.DataFrame, price_list: pd.Series, report) -> None:
    """price: the price list's, else what the article last sold for (transactions are sorted by
    date). A colour that never sold takes what its product last sold for in another colour, as a
    shop prices the colours of a product alike; otherwise an article has none (NaN)."""
    unknown = ~price_list.index.isin(articles["article_id"])
    report.skip(f"{schema.PRICES.name}: articles that no other file knows", unknown.sum())
    listed = pd.Series(price_list.reindex(articles["article_id"]).to_numpy(np.float64))
    latest = transactions.groupby("article_idx")["price"].last().reindex(range(len(articles)))
    product = articles["product_code"].to_numpy()
    by_product = transactions.groupby(product[transactions["article_idx"].to_numpy()])["price"].last()
    articles["price"] = listed.fillna(latest).fillna(pd.Series(product).map(by_product)).to_numpy(np.float64)


def _count(report, articles, customers, transactions, photos) -> None:
    bought = np.zeros(len(articles), dtype=bool)
    bought[transactions["article_idx"].to_numpy()] = True
    with_image = articles["has_image"].to_numpy()
    with_metadata = articles["has_metadata"].to_numpy()
    bought_image = with_image[transactions["article_idx"].to_numpy()]
    bought_metadata = with_metadata[transactions["article_idx"].to_numpy()]
    report.counts.update(
        {
            "customers": len(customers),
            "customers only known from purchases": int((~customers["has_metadata"]).sum()),
            "purchasing customers": int(transactions["customer_idx"].nunique()),
            "articles": len(articles),
            "articles with metadata": int(with_metadata.sum()),
            "articles with photo": int(with_image.sum()),
            "articles with photo only (no metadata)": int((with_image & ~with_metadata).sum()),
            "articles without photo": int((~with_image).sum()),
            "articles bought": int(bought.sum()),
            "purchases": len(transactions),
            "purchases of articles without photo": int((~bought_image).sum()),
            "purchases of articles without metadata": int((~bought_metadata).sum()),
            "duplicate purchase rows (kept)": int(transactions.duplicated().sum()),
            "articles without a price": int(articles["price"].isna().sum()),
        }
    )
    unreadable = [str(photos[a]) for a in articles["article_id"][~with_image] if a in photos]
    report.skip("images: unreadable photos", len(unreadable))
    if unreadable:
        report.warn(f"{len(unreadable)} photos could not be decoded, e.g. {unreadable[:3]}")
    if len(transactions):
        dates = transactions["t_dat"]
        report.date_range = (f"{dates.min():%Y-%m-%d}", f"{dates.max():%Y-%m-%d}")


# --- writing -------------------------------------------------------------------------------


def _write(folder: Path, report, articles, customers, transactions, image_size) -> None:
    articles.to_parquet(folder / store.ARTICLES, index=False)
    customers.to_parquet(folder / store.CUSTOMERS, index=False)
    transactions.to_parquet(folder / store.TRANSACTIONS, index=False)
    report.save(folder / store.REPORT)
    manifest = {
        "source": report.source,
        "image_size": list(image_size),
        "counts": report.counts,
        "date_range": report.date_range,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    # Written last: Catalog.load takes a folder with a manifest to be complete.
    (folder / store.MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


def _replace_dir(built: Path, out: Path) -> None:
    """Swap the finished catalog in, so that a reader never sees half of one."""
    old = out.parent / f".{out.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    built.rename(out)
    shutil.rmtree(old, ignore_errors=True)

