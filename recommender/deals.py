"""Personal deals for a newsletter: `recommender deals --customers <csv> --out <dir>` writes one
HTML e-mail per customer (product cards: photo, name, price, reason) and one `deals.csv` for a
mailing tool. A customer with no history, or one the catalog has never seen, gets what is
trending for their age band (the engine's answer for a shopper it knows nothing personal about).
"""
from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from recommender.service.engine import RecommendationEngine
from recommender.service.schemas import RecommendRequest

SUBJECT = "Picked for you this week"
CARD = """<td style="width:33%;padding:8px;vertical-align:top;font-family:Arial,sans-serif">
  <img src="{image}" alt="{title}" width="160" style="display:block;border:0;max-width:100%">
  <div style="font-weight:bold;margin-top:6px">{title}</div>
  <div>{price}</div>
  <div style="color:#666;font-size:12px">{reason}</div>
</td>"""
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{subject}</title></head>
<body style="margin:0;padding:16px;background:#fff">
<h1 style="font-family:Arial,sans-serif;font-size:20px">{subject}</h1>
<table role="presentation" cellspacing="0" cellpadding="0" style="width:100%;max-width:560px">
{rows}
</table>
</body></html>
"""


def render_email(items: list[dict], image_base: str, subject: str = SUBJECT) -> str:
    cards = [CARD.format(
        image=html.escape(image_base.rstrip("/") + (item["image_url"] or "")),
        title=html.escape(item["title"]),
        price=html.escape(f"{item['price']:.4f}" if item["price"] is not None else ""),
        reason=html.escape(item["reason"]),
    ) for item in items]
    rows = "\n".join("<tr>" + "".join(cards[i : i + 3]) + "</tr>" for i in range(0, len(cards), 3))
    return PAGE.format(subject=html.escape(subject), rows=rows)


def safe_name(customer_id: str) -> str:
    """A file name from a customer id (H&M's are hex hashes; anything else is made safe)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", customer_id)[:120] or "customer"


def write_deals(engine: RecommendationEngine, customer_ids: list[str], out_dir: Path, k: int = 6,
                image_base: str = "http://127.0.0.1:8000") -> Path:
    """One `<customer>.html` per customer and `deals.csv` (customer_id, subject, html_file,
    article_ids, personal); returns the CSV's path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    table = out_dir / "deals.csv"
    with open(table, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["customer_id", "subject", "html_file", "article_ids", "personal"])
        for customer_id in tqdm(customer_ids, desc="deals", unit="customer"):
            answer = engine.recommend(RecommendRequest(customer_id=customer_id, k=k))
            page = out_dir / f"{safe_name(customer_id)}.html"
            page.write_text(render_email(answer["items"], image_base))
            personal = any(not i["reason"].startswith(("Trending", "New")) for i in answer["items"])
            writer.writerow([customer_id, SUBJECT, page.name, " ".join(i["article_id"] for i in answer["items"]),
                             int(personal)])
    return table


def read_customer_ids(path: Path) -> list[str]:
    frame = pd.read_csv(path, dtype=str)
    if "customer_id" not in frame:
        raise ValueError(f"{path} has no customer_id column (columns: {list(frame.columns)})")
    return frame["customer_id"].dropna().str.strip().tolist()


def main(customers_csv: Path, out_dir: Path, models_dir: Path | None = None, catalog_dir: Path | None = None,
         k: int = 6, image_base: str = "http://127.0.0.1:8000") -> Path:
    from recommender.service.app import load_engine

    engine = load_engine(models_dir, catalog_dir)
    return write_deals(engine, read_customer_ids(customers_csv), out_dir, k, image_base)
