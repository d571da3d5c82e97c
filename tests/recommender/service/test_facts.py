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


def test_a_wearers_own_section_covers_all_that_wearer_wears_and_other_sections_only_themselves(make_catalog):
    catalog = make_catalog([("2020-01-01", 0, 0)], n_articles=6, n_customers=1)
    catalog.articles["index_group_name"] = ["Ladieswear", "Divided", "Sport", "Sport", "Menswear", "Baby/Children"]
    catalog.articles["section_name"] = ["Womens Tailoring", "Divided Basics", "Ladies H&M Sport", "Men H&M Sport",
                                        "Men Suits & Tailoring", "Baby Girl"]
    facts = ArticleFacts(catalog)
    in_section = {value: facts.mask("section", value).nonzero()[0].tolist()
                  for value in ("Ladieswear", "Divided", "Sport", "Menswear", "Baby/Children", "Ladies H&M Sport")}
    assert in_section == {"Ladieswear": [0, 1, 2], "Divided": [1], "Sport": [2, 3], "Menswear": [3, 4],
                          "Baby/Children": [5], "Ladies H&M Sport": [2]}
    assert facts.vocabularies["section"].resolve("women") == "Ladieswear"
    assert facts.attribute("section", 1) == "Divided"  # cards still say the article's own group
