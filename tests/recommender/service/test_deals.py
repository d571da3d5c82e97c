"""Newsletter deals: one e-mail per customer with product cards, and one CSV for a mailing tool."""
import pandas as pd

from recommender.deals import write_deals


def test_one_email_per_customer_and_a_csv(engine, tmp_path):
    buyer = engine.catalog.customers["customer_id"].iloc[int(engine.catalog.transactions["customer_idx"].iloc[0])]
    table = write_deals(engine, [buyer, "never-seen/../x"], tmp_path, k=4, image_base="https://shop.example")
    rows = pd.read_csv(table, dtype=str)
    assert list(rows["customer_id"]) == [buyer, "never-seen/../x"]
    assert all(len(ids.split()) == 4 for ids in rows["article_ids"])
    assert rows["personal"].tolist() == ["1", "0"]
    page = (tmp_path / rows["html_file"][1]).read_text()
    assert page.count("<img ") == 4 and "https://shop.example/images/" in page and "Trending" in page
    assert (tmp_path / rows["html_file"][1]).parent == tmp_path
