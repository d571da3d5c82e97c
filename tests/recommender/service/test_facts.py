"""What cards call an article that articles.csv does not describe: what its photo shows."""
import pytest

from recommender.service.facts import ArticleFacts


@pytest.mark.parametrize("colour, product_type, title", [
    ("Black", "Dress", "Black Dress"),
    ("Grey", "", "Grey piece"),
    ("", "Dress", "Dress"),
    ("", "", "Article 9000000000"),
])
def test_a_photo_only_article_is_titled_by_what_its_photo_shows(make_catalog, colour, product_type, title):
    facts = ArticleFacts(make_catalog([("2020-01-01", 0, 0)], n_articles=1, n_customers=1))
    facts.values["colour_group_name"][0] = colour
    facts.values["product_type_name"][0] = product_type
    assert facts.title(0) == title
