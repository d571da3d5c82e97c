"""The built-in demo catalog: a made-up shop in H&M's file layout, so the whole product runs and
is tested without the competition data.

`write_demo_catalog` writes articles.csv, customers.csv, transactions_train.csv (H&M's columns
and formats) and one drawn photo per article under images/<first 3 digits>/<article_id>.jpg.

How the purchases are made, so that a model has something real to learn:
- every customer has a hidden taste: a home section (women, men, kids, sport), two or three
  favourite colours, one or two favourite patterns and a few favourite product types. All four
  are visible in the photos, so a model that sees only images can learn them;
- a share of purchases ignores the taste and follows popularity, so the task is not trivial;
- articles have a popularity skew, are released through the period and sold for a limited
  time, sell best when new, and follow the seasons (dresses and shorts in summer, knitwear and
  jackets in winter);
- baskets: a garment is sometimes bought with an accessory of the same colour, or with another
  colour variant of the same product;
- as in H&M's data, the oldest ~10% of articles have a photo but no row in articles.csv, and
  articles released after the last day have never been bought.

Everything is drawn from one seed, so the same seed gives byte-identical files.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from tqdm import tqdm

from recommender.catalog.demo_drawing import PhotoSpec, draw_photo

ARTICLE_COLUMNS = [
    "article_id", "product_code", "prod_name", "product_type_no", "product_type_name",
    "product_group_name", "graphical_appearance_no", "graphical_appearance_name",
    "colour_group_code", "colour_group_name", "perceived_colour_value_id",
    "perceived_colour_value_name", "perceived_colour_master_id", "perceived_colour_master_name",
    "department_no", "department_name", "index_code", "index_name", "index_group_no",
    "index_group_name", "section_no", "section_name", "garment_group_no", "garment_group_name",
    "detail_desc",
]
CUSTOMER_COLUMNS = [
    "customer_id", "FN", "Active", "club_member_status", "fashion_news_frequency", "age",
    "postal_code",
]
TRANSACTION_COLUMNS = ["t_dat", "customer_id", "article_id", "price", "sales_channel_id"]

SEK_PER_PRICE_UNIT = 590  # H&M's published prices are SEK divided by about this


class ProductType(NamedTuple):
    no: int
    name: str
    group: str
    garment_group: tuple[int, str]
    department: str
    shape: str
    kind: str  # garment, shoes or accessory: decides the H&M index and section it is sold in
    weight: float  # how many products of this type the shop carries, relative to the others
    season: str  # summer, winter or "" (all year)
    nouns: tuple[str, ...]
    styles: tuple[str, ...]
    fabrics: tuple[str, ...]
    details: tuple[str, ...]
    prices_sek: tuple[float, ...]
    solid_only: bool = False


JERSEY = ("soft cotton jersey", "organic cotton jersey", "stretch jersey")
KNIT = ("a soft rib knit", "a fine-knit wool blend", "a chunky knit")
WOVEN = ("woven viscose", "cotton poplin", "stretch twill", "airy linen")

PRODUCT_TYPES: dict[str, ProductType] = {t.name: t for t in [
    ProductType(255, "T-shirt", "Garment Upper body", (1002, "Jersey Basic"), "Jersey Basic",
                "tshirt", "garment", 8, "summer", ("T-shirt", "tee", "top"),
                ("fitted", "oversized", "boxy", "cropped"), JERSEY,
                ("a round neckline and short sleeves", "dropped shoulders and a rounded hem"),
                (7.99, 9.99, 12.99, 14.99)),
    ProductType(259, "Shirt", "Garment Upper body", (1011, "Shirts"), "Shirt", "shirt",
                "garment", 5, "", ("shirt",), ("oxford", "linen", "slim", "relaxed"), WOVEN,
                ("a turn-down collar and buttons down the front",
                 "long sleeves, buttoned cuffs and a rounded hem"),
                (19.99, 24.99, 29.99)),
    ProductType(252, "Sweater", "Garment Upper body", (1003, "Knitwear"), "Knitwear", "sweater",
                "garment", 8, "winter", ("jumper", "sweater", "sweatshirt"),
                ("oversized", "fine-knit", "cable-knit", "relaxed"), KNIT,
                ("a round neckline, dropped shoulders and ribbing at the cuffs and hem",),
                (19.99, 24.99, 34.99)),
    ProductType(245, "Cardigan", "Garment Upper body", (1003, "Knitwear"), "Knitwear",
                "cardigan", "garment", 3, "winter", ("cardigan",),
                ("fine-knit", "rib-knit", "short"), KNIT,
                ("a V-neck and buttons down the front",), (24.99, 29.99, 34.99)),
    ProductType(262, "Jacket", "Garment Upper body", (1007, "Outdoor"), "Outwear", "jacket",
                "garment", 5, "winter", ("jacket", "blazer", "coat"),
                ("padded", "oversized", "double-breasted", "short"),
                ("water-repellent twill", "a wool blend", "padded nylon"),
                ("notch lapels and flap front pockets", "a zip down the front and side pockets"),
                (39.99, 49.99, 69.99, 79.99)),
    ProductType(265, "Dress", "Garment Full body", (1013, "Dresses Ladies"), "Dresses", "dress",
                "garment", 9, "summer", ("dress",), ("wrap", "midi", "maxi", "slip", "skater"),
                WOVEN + JERSEY[:1],
                ("a fitted bodice, narrow shoulder straps and a flared skirt",
                 "a V-neck and a gently flared skirt"),
                (19.99, 24.99, 29.99, 39.99)),
    ProductType(275, "Skirt", "Garment Lower body", (1012, "Skirts"), "Skirts", "skirt",
                "garment", 4, "summer", ("skirt",), ("A-line", "pleated", "mini", "midi"), WOVEN,
                ("a high waist and a flared, A-line cut", "an elasticated waist"),
                (14.99, 19.99, 24.99)),
    ProductType(272, "Trousers", "Garment Lower body", (1009, "Trousers"), "Trousers",
                "trousers", "garment", 10, "", ("trousers", "jeans", "chinos", "joggers"),
                ("slim", "wide", "straight", "tapered"), ("stretch twill", "denim", "crêpe"),
                ("a high waist, zip fly and straight legs",
                 "an elasticated waist and tapered legs"),
                (19.99, 24.99, 29.99, 34.99)),
    ProductType(274, "Shorts", "Garment Lower body", (1025, "Shorts"), "Shorts", "shorts",
                "garment", 4, "summer", ("shorts",), ("chino", "cargo", "paper-bag", "relaxed"),
                WOVEN, ("an elasticated waist and side pockets",), (12.99, 14.99, 19.99)),
    ProductType(94, "Sneakers", "Shoes", (1020, "Shoes"), "Shoes", "sneaker", "shoes", 3, "",
                ("trainers", "sneakers"), ("chunky", "canvas", "low-top"),
                ("faux leather", "canvas", "mesh"),
                ("lacing at the front, a padded edge and a chunky rubber sole",),
                (24.99, 29.99, 39.99)),
    ProductType(87, "Boots", "Shoes", (1020, "Shoes"), "Shoes", "boot", "shoes", 3, "winter",
                ("boots", "ankle boots"), ("chelsea", "block-heeled", "warm-lined"),
                ("faux leather", "suede"), ("a zip at one side and a chunky rubber sole",),
                (39.99, 49.99, 59.99)),
    ProductType(66, "Bag", "Accessories", (1019, "Accessories"), "Bags", "bag", "accessory", 3,
                "", ("bag", "handbag", "shopper"), ("small", "quilted", "tote"),
                ("grained faux leather", "woven straw", "canvas"),
                ("two handles, a zip at the top and an inner pocket",), (19.99, 24.99, 29.99)),
    ProductType(67, "Belt", "Accessories", (1019, "Accessories"), "Belts", "belt", "accessory",
                2, "", ("belt", "waist belt"), ("leather", "slim", "wide"),
                ("leather", "faux leather"), ("a metal buckle",), (9.99, 12.99, 14.99),
                solid_only=True),
    ProductType(80, "Scarf", "Accessories", (1019, "Accessories"), "Scarves", "scarf",
                "accessory", 2, "winter", ("scarf",), ("fringed", "knitted", "long"),
                ("soft woven fabric", "a wool blend"), ("fringes at the short ends",),
                (9.99, 14.99, 19.99)),
    ProductType(75, "Hat/beanie", "Accessories", (1019, "Accessories"), "Hats", "hat",
                "accessory", 2, "winter", ("hat", "beanie"), ("rib-knit", "pompom"),
                ("a soft rib knit",), ("a turned-up brim and a pompom on top",),
                (7.99, 9.99, 12.99)),
    ProductType(77, "Necklace", "Accessories", (1019, "Accessories"), "Jewellery", "necklace",
                "accessory", 2, "", ("necklace", "pendant necklace"), ("short", "statement"),
                ("metal with an enamel pendant",), ("a large pendant on a fine chain",),
                (7.99, 9.99, 12.99), solid_only=True),
    ProductType(70, "Earring", "Accessories", (1019, "Accessories"), "Jewellery", "earrings",
                "accessory", 2, "", ("earrings", "drop earrings"), ("statement", "oval"),
                ("metal with enamel pendants",), ("drop-shaped pendants and hook fastenings",),
                (5.99, 7.99, 9.99), solid_only=True),
]}

# A garment that is sometimes bought together with an accessory or shoes of the same colour.
OUTFIT_KINDS = ("garment",)
MATCHING_KINDS = ("accessory", "shoes")


class Colour(NamedTuple):
    code: int
    name: str
    value: tuple[int, str]  # perceived_colour_value id and name
    master: tuple[int, str]  # perceived_colour_master id and name
    rgb: tuple[int, int, int]
    weight: float  # how common the colour is in the range


COLOURS: dict[str, Colour] = {c.name: c for c in [
    Colour(9, "Black", (4, "Dark"), (5, "Black"), (28, 28, 30), 10),
    Colour(10, "White", (3, "Light"), (9, "White"), (246, 246, 243), 5),
    Colour(11, "Off White", (1, "Dusty Light"), (9, "White"), (232, 222, 200), 2),
    Colour(12, "Light Beige", (1, "Dusty Light"), (11, "Beige"), (220, 200, 165), 3),
    Colour(13, "Beige", (2, "Medium Dusty"), (11, "Beige"), (190, 160, 118), 3),
    Colour(7, "Grey", (2, "Medium Dusty"), (12, "Grey"), (135, 135, 138), 3),
    Colour(73, "Dark Blue", (4, "Dark"), (2, "Blue"), (30, 45, 95), 5),
    Colour(72, "Blue", (7, "Medium"), (2, "Blue"), (45, 95, 185), 3),
    Colour(71, "Light Blue", (3, "Light"), (2, "Blue"), (150, 188, 228), 3),
    Colour(42, "Red", (5, "Bright"), (18, "Red"), (205, 30, 40), 2),
    Colour(43, "Dark Red", (4, "Dark"), (18, "Red"), (115, 22, 38), 1.5),
    Colour(52, "Pink", (2, "Medium Dusty"), (4, "Pink"), (226, 118, 160), 2),
    Colour(51, "Light Pink", (1, "Dusty Light"), (4, "Pink"), (242, 196, 208), 3),
    Colour(22, "Yellow", (5, "Bright"), (8, "Yellow"), (240, 205, 40), 1.5),
    Colour(32, "Orange", (5, "Bright"), (3, "Orange"), (240, 130, 40), 1),
    Colour(92, "Green", (7, "Medium"), (19, "Green"), (60, 150, 70), 1.5),
    Colour(93, "Dark Green", (4, "Dark"), (19, "Green"), (28, 80, 50), 1.5),
    Colour(19, "Greenish Khaki", (2, "Medium Dusty"), (20, "Khaki green"), (118, 118, 78), 2),
    Colour(17, "Yellowish Brown", (2, "Medium Dusty"), (13, "Brown"), (150, 98, 48), 1.5),
    Colour(62, "Purple", (7, "Medium"), (6, "Lilac Purple"), (120, 60, 150), 1),
    Colour(82, "Turquoise", (7, "Medium"), (7, "Turquoise"), (40, 170, 170), 1),
]}


class Pattern(NamedTuple):
    no: int
    name: str  # H&M's graphical_appearance_name
    drawing: str  # how demo_drawing paints it
    weight: float
    phrase: str  # completes "<Colour> ..." in detail_desc; {motif} is the print's colour


PATTERNS: dict[str, Pattern] = {p.name: p for p in [
    Pattern(1010016, "Solid", "solid", 6, "in a solid colour."),
    Pattern(1010017, "Stripe", "stripe", 1.5, "with narrow {motif} stripes."),
    Pattern(1010006, "Dot", "dot", 1, "with small {motif} polka dots."),
    Pattern(1010004, "Check", "check", 1, "in a {motif} gingham check."),
    Pattern(1010001, "All over pattern", "floral", 1.5, "with an all-over {motif} floral print."),
]}


class Section(NamedTuple):
    """One of the shop's four sections, with the H&M index and section each kind is sold in."""

    group: tuple[int, str]  # index_group_no, index_group_name
    index: dict[str, tuple[str, str]]  # kind -> (index_code, index_name)
    sections: dict[str, tuple[tuple[int, str], ...]]  # kind -> (section_no, section_name) choices
    department_base: int
    weight: float
    types: tuple[str, ...]
    first_names: tuple[str, ...]


ALL_TYPES = tuple(PRODUCT_TYPES)
LADIES_NAMES = ("Mia", "Tilda", "Luna", "Ellie", "Nora", "Alva", "Sally", "Bella", "Jade", "Vera")
MENS_NAMES = ("Theo", "Oscar", "Ronny", "Hugo", "Leo", "Nils", "Axel")

SECTIONS: dict[str, Section] = {
    "women": Section(
        (1, "Ladieswear"),
        {"garment": ("A", "Ladieswear"), "shoes": ("C", "Ladies Accessories"),
         "accessory": ("C", "Ladies Accessories")},
        {"garment": ((15, "Womens Everyday Collection"), (11, "Womens Tailoring")),
         "shoes": ((64, "Womens Shoes"),),
         "accessory": ((66, "Womens Small accessories"), (65, "Womens Big accessories"))},
        1300, 0.5, ALL_TYPES, LADIES_NAMES),
    "men": Section(
        (3, "Menswear"),
        {"garment": ("F", "Menswear"), "shoes": ("F", "Menswear"),
         "accessory": ("F", "Menswear")},
        {"garment": ((21, "Contemporary Casual"), (20, "Contemporary Smart")),
         "shoes": ((27, "Men Shoes"),), "accessory": ((25, "Men Accessories"),)},
        5300, 0.22,
        ("T-shirt", "Shirt", "Sweater", "Cardigan", "Jacket", "Trousers", "Shorts", "Sneakers",
         "Boots", "Bag", "Belt", "Scarf", "Hat/beanie"),
        MENS_NAMES),
    "kids": Section(
        (4, "Baby/Children"),
        {"garment": ("H", "Children Sizes 92-140"),
         "shoes": ("J", "Children Accessories, Swimwear"),
         "accessory": ("J", "Children Accessories, Swimwear")},
        {"garment": ((76, "Kids Girl"), (46, "Kids Boy")), "shoes": ((42, "Kids & Baby Shoes"),),
         "accessory": ((43, "Kids Accessories, Swimwear & D"),)},
        6500, 0.15,
        ("T-shirt", "Sweater", "Cardigan", "Jacket", "Dress", "Skirt", "Trousers", "Shorts",
         "Sneakers", "Boots", "Hat/beanie", "Scarf", "Bag"),
        LADIES_NAMES + MENS_NAMES),
    "sport": Section(
        (26, "Sport"),
        {"garment": ("S", "Sport"), "shoes": ("S", "Sport"), "accessory": ("S", "Sport")},
        {"garment": ((5, "Ladies H&M Sport"), (22, "Men H&M Sport")),
         "shoes": ((5, "Ladies H&M Sport"), (22, "Men H&M Sport")),
         "accessory": ((5, "Ladies H&M Sport"), (22, "Men H&M Sport"))},
        8300, 0.13,
        ("T-shirt", "Sweater", "Jacket", "Trousers", "Shorts", "Sneakers", "Bag", "Hat/beanie"),
        ("Move", "Drymove", "Ace", "Run")),
}
# Department numbers: the section's base plus an offset per department, so that a department
# (say Knitwear) has one number within a section, as in H&M's data.
DEPARTMENT_OFFSETS = {name: 10 * i for i, name in enumerate(sorted(
    {t.department for t in PRODUCT_TYPES.values()}))}

# How strongly each part of the hidden taste pulls a purchase (log-odds).
TASTE_WEIGHTS = {"section": 3.0, "colour": 2.2, "pattern": 1.6, "type": 1.6}
RANDOM_PURCHASE_SHARE = 0.2  # purchases that follow popularity only
MATCHING_ACCESSORY_CHANCE = 0.3
OTHER_VARIANT_CHANCE = 0.08
SEASON_STRENGTH = 1.2  # log-odds swing between a season's peak and its opposite
SEASON_PEAK_DAY_OF_YEAR = {"summer": 190, "winter": 15}
NEW_ARRIVAL_BOOST, NEW_ARRIVAL_DAYS = 2.0, 45.0
NO_METADATA_SHARE = 0.1
UNRELEASED_SHARE = 0.03  # of the period's length, after its end: articles nobody has bought yet


@dataclass
class DemoCatalog:
    """The generated shop before it is written: every article (with the attributes the photos
    and purchases were made from), the customers and their hidden tastes, and the purchases."""

    articles: pd.DataFrame  # H&M's columns, then the hidden ones (section, kind, release_day...)
    customers: pd.DataFrame  # H&M's columns
    tastes: pd.DataFrame  # same rows as customers: section, colours, patterns, types, online_share
    transactions: pd.DataFrame  # day, customer and article (row numbers), price, sales_channel_id
    start: pd.Timestamp  # the date of day 0


def write_demo_catalog(
    out_dir: Path,
    seed: int = 0,
    n_articles: int = 2400,
    n_customers: int = 600,
    start="2018-09-20",
    days: int = 730,
) -> dict:
    """Write the demo catalog in H&M's layout under `out_dir`; return counts of what was written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    demo = build_demo_catalog(seed, n_articles, n_customers, start, days)
    articles_csv(demo).to_csv(out_dir / "articles.csv", index=False)
    customers_csv(demo).to_csv(out_dir / "customers.csv", index=False)
    transactions_csv(demo).to_csv(out_dir / "transactions_train.csv", index=False)
    prices_csv(demo).to_csv(out_dir / "prices.csv", index=False)
    write_photos(demo.articles, out_dir / "images", seed)
    return summary(demo)


def build_demo_catalog(
    seed: int = 0,
    n_articles: int = 2400,
    n_customers: int = 600,
    start="2018-09-20",
    days: int = 730,
) -> DemoCatalog:
    # One independent stream per part, so that changing one part leaves the others as they were.
    article_rng, customer_rng, purchase_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )
    articles = make_articles(article_rng, n_articles, days)
    customers, tastes = make_customers(customer_rng, n_customers)
    transactions = make_transactions(purchase_rng, articles, tastes, pd.Timestamp(start), days)
    return DemoCatalog(articles, customers, tastes, transactions, pd.Timestamp(start))


# ---------------------------------------------------------------- articles


def make_articles(rng: np.random.Generator, n_articles: int, days: int) -> pd.DataFrame:
    """One row per article: H&M's columns plus the hidden ones the generator works from."""
    products = make_products(rng, n_articles, days)
    rows = [
        article_row(product, colour, variant, rng)
        for product in products
        for variant, colour in product["variants"]
    ][:n_articles]
    articles = pd.DataFrame(rows)
    articles["has_metadata"] = ~oldest_articles(articles, NO_METADATA_SHARE)
    return articles.reset_index(drop=True)


def make_products(rng: np.random.Generator, n_articles: int, days: int) -> list[dict]:
    """Enough products to reach n_articles colour variants, in order of release; product codes
    rise with release date, as H&M's do."""
    products = []
    n_variants_total = 0
    while n_variants_total < n_articles:
        product = make_product(rng, days)
        products.append(product)
        n_variants_total += len(product["variants"])
    products.sort(key=lambda p: p["release_day"])
    codes = np.sort(rng.choice(np.arange(108000, 960000), size=len(products), replace=False))
    for product, code in zip(products, codes):
        product["product_code"] = int(code)
    return products


def make_product(rng: np.random.Generator, days: int) -> dict:
    section_key = weighted_choice(rng, SECTIONS, lambda s: s.weight)
    section = SECTIONS[section_key]
    type_name = weighted_choice(rng, section.types, lambda t: PRODUCT_TYPES[t].weight)
    product_type = PRODUCT_TYPES[type_name]
    pattern = "Solid" if product_type.solid_only else weighted_choice(
        rng, PATTERNS, lambda p: p.weight)
    n_variants = int(min(6, 1 + rng.poisson(1.4)))
    colours = weighted_sample(rng, COLOURS, lambda c: c.weight, n_variants)
    variant_numbers = np.sort(rng.choice(np.arange(1, 40), size=n_variants, replace=False))
    # Old stock is already on sale when the period starts; a few come out after it ends.
    release_day = int(rng.integers(-300, int(days * (1 + UNRELEASED_SHARE)) + 1))
    return {
        "section": section_key,
        "type": type_name,
        "pattern": pattern,
        "variants": list(zip(variant_numbers.tolist(), colours)),
        "release_day": release_day,
        "sale_days": int(rng.integers(150, 540)),
        "log_popularity": float(rng.normal(0, 0.9)),
        "price_sek": float(rng.choice(product_type.prices_sek)),
        "section_choice": section.sections[product_type.kind][
            int(rng.integers(len(section.sections[product_type.kind])))],
        "name": product_name(rng, section, product_type),
        "desc": product_description(rng, product_type),
    }


def article_row(product: dict, colour_name: str, variant: int, rng: np.random.Generator) -> dict:
    product_type = PRODUCT_TYPES[product["type"]]
    section = SECTIONS[product["section"]]
    colour = COLOURS[colour_name]
    pattern = PATTERNS[product["pattern"]]
    index_code, index_name = section.index[product_type.kind]
    section_no, section_name = product["section_choice"]
    return {
        "article_id": f"{product['product_code'] * 1000 + variant:010d}",
        "product_code": product["product_code"],
        "prod_name": product["name"],
        "product_type_no": product_type.no,
        "product_type_name": product_type.name,
        "product_group_name": product_type.group,
        "graphical_appearance_no": pattern.no,
        "graphical_appearance_name": pattern.name,
        "colour_group_code": colour.code,
        "colour_group_name": colour.name,
        "perceived_colour_value_id": colour.value[0],
        "perceived_colour_value_name": colour.value[1],
        "perceived_colour_master_id": colour.master[0],
        "perceived_colour_master_name": colour.master[1],
        "department_no": section.department_base + DEPARTMENT_OFFSETS[product_type.department],
        "department_name": product_type.department,
        "index_code": index_code,
        "index_name": index_name,
        "index_group_no": section.group[0],
        "index_group_name": section.group[1],
        "section_no": section_no,
        "section_name": section_name,
        "garment_group_no": product_type.garment_group[0],
        "garment_group_name": product_type.garment_group[1],
        "detail_desc": f"{product['desc']} {colour_sentence(colour, pattern)}",
        # Hidden: what the photos and purchases are made from.
        "section": product["section"],
        "kind": product_type.kind,
        "release_day": product["release_day"],
        "sale_days": product["sale_days"],
        "log_popularity": product["log_popularity"] + 0.35 * rng.normal()
        + 0.5 * np.log(colour.weight),
        "price_sek": product["price_sek"],
    }


def product_name(rng: np.random.Generator, section: Section, product_type: ProductType) -> str:
    """H&M-style: a first name, a style word or both before the noun ("Mia wrap dress")."""
    noun = str(rng.choice(product_type.nouns))
    style = str(rng.choice(product_type.styles))
    first_name = str(rng.choice(section.first_names))
    form = int(rng.integers(3))
    words = [[first_name, noun], [style, noun], [first_name, style, noun]][form]
    name = " ".join(words)
    return name[0].upper() + name[1:]


def product_description(rng: np.random.Generator, product_type: ProductType) -> str:
    """The colour-free first sentence of detail_desc, shared by a product's colour variants."""
    fabric = str(rng.choice(product_type.fabrics))
    detail = str(rng.choice(product_type.details))
    fit = f"{rng.choice(product_type.styles)} " if product_type.kind == "garment" else ""
    sentence = f"{fit}{rng.choice(product_type.nouns)} in {fabric} with {detail}."
    return sentence[0].upper() + sentence[1:]


def colour_sentence(colour: Colour, pattern: Pattern) -> str:
    motif = "white" if sum(colour.rgb) < 420 else "dark"
    return f"{colour.name} {pattern.phrase.format(motif=motif)}"


def oldest_articles(articles: pd.DataFrame, share: float) -> np.ndarray:
    """The articles of the earliest products, about `share` of all: those lack metadata, as the
    older articles in H&M's data do."""
    order = np.argsort(articles["release_day"].to_numpy(), kind="stable")
    oldest = np.zeros(len(articles), dtype=bool)
    oldest[order[: int(round(share * len(articles)))]] = True
    return oldest


def weighted_choice(rng: np.random.Generator, options, weight_of) -> str:
    return weighted_sample(rng, options, weight_of, 1)[0]


def weighted_sample(rng: np.random.Generator, options, weight_of, n: int) -> list[str]:
    """n distinct keys of `options` (a dict or a sequence of keys), drawn by weight."""
    keys = list(options)
    values = options.values() if isinstance(options, dict) else keys
    log_weights = np.log([weight_of(v) for v in values])
    return [keys[i] for i in gumbel_top(rng, log_weights[None, :], n)[0] if i >= 0]


# ---------------------------------------------------------------- customers


def make_customers(rng: np.random.Generator, n_customers: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """H&M's customer columns, and each customer's hidden taste (same row order)."""
    tastes = pd.DataFrame([make_taste(rng) for _ in range(n_customers)])
    fn = rng.random(n_customers) < 0.35
    active = fn & (rng.random(n_customers) < 0.95)
    postal_codes = [rng.bytes(32).hex() for _ in range(max(1, n_customers // 3))]
    customers = pd.DataFrame({
        "customer_id": [rng.bytes(32).hex() for _ in range(n_customers)],
        "FN": np.where(fn, 1.0, np.nan),
        "Active": np.where(active, 1.0, np.nan),
        "club_member_status": rng.choice(
            ["ACTIVE", "PRE-CREATE", "LEFT CLUB"], size=n_customers, p=[0.92, 0.07, 0.01]),
        "fashion_news_frequency": np.where(
            fn, rng.choice(["Regularly", "Monthly"], size=n_customers, p=[0.95, 0.05]), "NONE"),
        "age": customer_ages(rng, tastes["section"].to_numpy()),
        "postal_code": rng.choice(postal_codes, size=n_customers),
    })
    return customers, tastes


def make_taste(rng: np.random.Generator) -> dict:
    section_key = weighted_choice(rng, SECTIONS, lambda s: s.weight)
    section = SECTIONS[section_key]
    # Flatter than the shop's own colour mix, so that less common colours have fans too.
    return {
        "section": section_key,
        "colours": weighted_sample(
            rng, COLOURS, lambda c: np.sqrt(c.weight), int(rng.integers(2, 4))),
        "patterns": weighted_sample(
            rng, PATTERNS, lambda p: np.sqrt(p.weight), int(rng.integers(1, 3))),
        "types": weighted_sample(
            rng, section.types, lambda t: PRODUCT_TYPES[t].weight, int(rng.integers(3, 6))),
        "online_share": float(rng.beta(3, 1.5)),
    }


def customer_ages(rng: np.random.Generator, sections: np.ndarray) -> np.ndarray:
    """Young adults and a second, older group as in H&M's data; kids' clothes bought by parents."""
    young = rng.normal(25, 4, size=len(sections))
    older = rng.normal(50, 9, size=len(sections))
    parents = rng.normal(36, 5, size=len(sections))
    ages = np.where(rng.random(len(sections)) < 0.6, young, older)
    ages = np.where(sections == "kids", parents, ages)
    ages = np.clip(np.round(ages), 16, 90)
    return np.where(rng.random(len(sections)) < 0.01, np.nan, ages)


# ---------------------------------------------------------------- purchases


def make_transactions(
    rng: np.random.Generator,
    articles: pd.DataFrame,
    tastes: pd.DataFrame,
    start: pd.Timestamp,
    days: int,
) -> pd.DataFrame:
    """Shopping trips per customer; each trip buys by taste (or, sometimes, by popularity alone),
    among what is on sale that day, and may add a matching accessory or another colour variant."""
    time_odds = day_logits(articles, start, days)
    taste = taste_logits(articles, tastes)
    popularity = articles["log_popularity"].to_numpy()
    baskets = BasketIndex.of(articles)
    rows = []
    for customer in range(len(tastes)):
        trip_days = customer_trip_days(rng, days)
        trip_baskets = trips(rng, taste[customer], popularity, time_odds, trip_days)
        for day, bought in zip(trip_days, trip_baskets):
            if not bought:  # nothing on sale that day: only possible in a tiny catalog
                continue
            bought += basket_additions(rng, baskets, bought[0], popularity + time_odds[day])
            for article in dict.fromkeys(bought):  # an article once per trip, in order
                rows.append((day, customer, article))
    transactions = pd.DataFrame(rows, columns=["day", "customer", "article"])
    transactions["price"] = purchase_prices(rng, articles, transactions, start)
    online_share = tastes["online_share"].to_numpy()[transactions["customer"]]
    online = rng.random(len(transactions)) < online_share
    transactions["sales_channel_id"] = np.where(online, 2, 1)
    return transactions.sort_values("day", kind="stable").reset_index(drop=True)


def day_logits(articles: pd.DataFrame, start: pd.Timestamp, days: int) -> np.ndarray:
    """(days, n_articles) log-odds from time alone: -inf when not on sale, a boost while new,
    and the season of the article's type."""
    day = np.arange(days)[:, None]
    release = articles["release_day"].to_numpy()[None, :]
    age = day - release
    on_sale = (age >= 0) & (age < articles["sale_days"].to_numpy()[None, :])
    novelty = np.log1p(NEW_ARRIVAL_BOOST * np.exp(-np.maximum(age, 0) / NEW_ARRIVAL_DAYS))
    logits = novelty + season_logits(articles, start, days)
    return np.where(on_sale, logits, -np.inf).astype(np.float32)


def season_logits(articles: pd.DataFrame, start: pd.Timestamp, days: int) -> np.ndarray:
    day_of_year = (start + pd.to_timedelta(np.arange(days), unit="D")).day_of_year.to_numpy()
    seasons = articles["product_type_name"].map(lambda t: PRODUCT_TYPES[t].season).to_numpy()
    logits = np.zeros((days, len(articles)))
    for season, peak in SEASON_PEAK_DAY_OF_YEAR.items():
        closeness = np.cos(2 * np.pi * (day_of_year - peak) / 365.25)[:, None]
        logits += np.where(seasons == season, SEASON_STRENGTH / 2 * closeness, 0.0)
    return logits


def taste_logits(articles: pd.DataFrame, tastes: pd.DataFrame) -> np.ndarray:
    """(n_customers, n_articles) log-odds of each customer's taste for each article."""
    logits = TASTE_WEIGHTS["section"] * (
        tastes["section"].to_numpy()[:, None] == articles["section"].to_numpy()[None, :])
    for part, column in (("colour", "colour_group_name"), ("pattern", "graphical_appearance_name"),
                         ("type", "product_type_name")):
        values = sorted(set(articles[column]))
        article_has = pd.get_dummies(pd.Categorical(articles[column], categories=values)).to_numpy()
        customer_likes = np.array([np.isin(values, liked) for liked in tastes[part + "s"]])
        logits = logits + TASTE_WEIGHTS[part] * (customer_likes.astype(float) @ article_has.T)
    return logits


def customer_trip_days(rng: np.random.Generator, days: int) -> np.ndarray:
    """Sorted trip days: customers join through the period and shop at their own pace."""
    joined = int(np.clip(rng.integers(-days, int(days * 0.85)), 0, days - 1))
    active_share = (days - joined) / days
    n_trips = int(round(rng.lognormal(np.log(13), 0.6) * active_share))
    return np.sort(rng.integers(joined, days, size=n_trips))


def trips(rng, taste, popularity, time_odds, trip_days) -> list[list[int]]:
    """The articles chosen on each trip, most wanted first. Gumbel noise turns log-odds into
    draws without replacement: the top k of logits + Gumbel is a sample of k."""
    if len(trip_days) == 0:
        return []
    sizes = 1 + rng.poisson(0.5, size=len(trip_days))
    # One noise draw serves both rankings: each is a fair sample, and a slot takes from one only.
    noisy = popularity + time_odds[trip_days] + rng.gumbel(size=(len(trip_days), len(popularity)))
    by_taste = top_possible(noisy + taste, sizes.max())
    by_popularity = top_possible(noisy, sizes.max())
    random_slot = rng.random((len(trip_days), sizes.max())) < RANDOM_PURCHASE_SHARE
    chosen = np.where(random_slot, by_popularity, by_taste)
    return [row[:size][row[:size] >= 0].tolist() for row, size in zip(chosen, sizes)]


def gumbel_top(rng: np.random.Generator, logits: np.ndarray, k: int) -> np.ndarray:
    """Per row, k column indices drawn by softmax without replacement, in order of drawing;
    -1 where fewer than k are possible."""
    return top_possible(logits + rng.gumbel(size=logits.shape), k)


def top_possible(noisy: np.ndarray, k: int) -> np.ndarray:
    """Per row, the k best column indices, best first; -1 for those at -inf."""
    k = min(k, noisy.shape[1])
    top = np.argpartition(-noisy, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(noisy, top, axis=1), axis=1)
    top = np.take_along_axis(top, order, axis=1)
    return np.where(np.isfinite(np.take_along_axis(noisy, top, axis=1)), top, -1)


class BasketIndex(NamedTuple):
    """Which articles can join a basket: accessories and shoes by colour, variants by product."""

    is_outfit: np.ndarray
    colour: np.ndarray
    product: np.ndarray
    matching_by_colour: dict[str, np.ndarray]
    variants_by_product: dict[int, np.ndarray]

    @classmethod
    def of(cls, articles: pd.DataFrame) -> "BasketIndex":
        colour = articles["colour_group_name"].to_numpy()
        product = articles["product_code"].to_numpy()
        matching = articles["kind"].isin(MATCHING_KINDS).to_numpy()
        return cls(
            is_outfit=articles["kind"].isin(OUTFIT_KINDS).to_numpy(),
            colour=colour,
            product=product,
            matching_by_colour={c: np.flatnonzero(matching & (colour == c)) for c in set(colour)},
            variants_by_product={p: np.flatnonzero(product == p) for p in set(product)},
        )


def basket_additions(rng, baskets: BasketIndex, main: int, logits_today: np.ndarray) -> list[int]:
    """What goes in the basket with the first article: sometimes an accessory or shoes of the
    same colour (the dress with a matching bag), sometimes another colour of the same product."""
    added = []
    if baskets.is_outfit[main] and rng.random() < MATCHING_ACCESSORY_CHANCE:
        added += draw_one(rng, baskets.matching_by_colour[baskets.colour[main]], logits_today)
    if rng.random() < OTHER_VARIANT_CHANCE:
        variants = baskets.variants_by_product[baskets.product[main]]
        added += draw_one(rng, variants[variants != main], logits_today)
    return added


def draw_one(rng: np.random.Generator, candidates: np.ndarray, logits: np.ndarray) -> list[int]:
    """One of the candidates drawn by softmax of their logits; nothing if none is possible."""
    if len(candidates) == 0:
        return []
    picked = gumbel_top(rng, logits[candidates][None, :], 1)[0, 0]
    return [int(candidates[picked])] if picked >= 0 else []


def purchase_prices(rng, articles: pd.DataFrame, transactions: pd.DataFrame, start) -> np.ndarray:
    """H&M's scale (SEK / 590), with sale prices in January and July."""
    list_price = articles["price_sek"].to_numpy()[transactions["article"]]
    months = (start + pd.to_timedelta(transactions["day"], unit="D")).dt.month.to_numpy()
    discounted = np.isin(months, (1, 7)) & (rng.random(len(transactions)) < 0.4)
    discount = rng.choice([0.5, 0.6, 0.7], size=len(transactions))
    sek = np.round(np.where(discounted, list_price * discount, list_price), 2)
    return sek / SEK_PER_PRICE_UNIT


# ---------------------------------------------------------------- writing


def articles_csv(demo: DemoCatalog) -> pd.DataFrame:
    """articles.csv as H&M ships it: described articles only, sorted by article_id."""
    described = demo.articles[demo.articles["has_metadata"]]
    return described[ARTICLE_COLUMNS].sort_values("article_id").reset_index(drop=True)


def customers_csv(demo: DemoCatalog) -> pd.DataFrame:
    return demo.customers[CUSTOMER_COLUMNS]


def transactions_csv(demo: DemoCatalog) -> pd.DataFrame:
    t = demo.transactions
    return pd.DataFrame({
        "t_dat": (demo.start + pd.to_timedelta(t["day"], unit="D")).dt.strftime("%Y-%m-%d"),
        "customer_id": demo.customers["customer_id"].to_numpy()[t["customer"]],
        "article_id": demo.articles["article_id"].to_numpy()[t["article"]],
        "price": t["price"],
        "sales_channel_id": t["sales_channel_id"],
    })


def prices_csv(demo: DemoCatalog) -> pd.DataFrame:
    """The shop's price list (ingest's optional prices.csv): every article's list price, sold or
    not, on H&M's scale."""
    return pd.DataFrame({"article_id": demo.articles["article_id"],
                         "price": (demo.articles["price_sek"] / SEK_PER_PRICE_UNIT).round(6)})


def photo_spec(article: dict) -> PhotoSpec:
    return PhotoSpec(
        shape=PRODUCT_TYPES[article["product_type_name"]].shape,
        rgb=COLOURS[article["colour_group_name"]].rgb,
        pattern=PATTERNS[article["graphical_appearance_name"]].drawing,
        section=article["section"],
    )


def write_photos(articles: pd.DataFrame, images_dir: Path, seed: int) -> None:
    """images/<first 3 digits>/<article_id>.jpg for every article, described or not. Each photo
    has its own random stream, so a photo does not depend on the ones drawn before it."""
    records = articles.to_dict("records")
    for number, article in enumerate(tqdm(records, desc="photos", unit="photo", disable=None)):
        path = images_dir / article["article_id"][:3] / f"{article['article_id']}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        photo = draw_photo(photo_spec(article), np.random.default_rng([seed, number]))
        photo.save(path, "JPEG", quality=90)


def summary(demo: DemoCatalog) -> dict:
    bought = demo.transactions["article"].unique()
    return {
        "articles": len(demo.articles),
        "articles_with_metadata": int(demo.articles["has_metadata"].sum()),
        "photos": len(demo.articles),
        "never_bought": len(demo.articles) - len(bought),
        "customers": len(demo.customers),
        "transactions": len(demo.transactions),
        "first_day": demo.start.strftime("%Y-%m-%d"),
        "last_day": (demo.start + pd.Timedelta(days=int(demo.transactions["day"].max()))).strftime(
            "%Y-%m-%d") if len(demo.transactions) else None,
    }
