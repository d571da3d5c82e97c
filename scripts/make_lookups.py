#!/usr/bin/env python3
"""Write the NLU lookup tables (data/lookups/*.yml) from a catalog in H&M's layout.

    python scripts/make_lookups.py <catalog dir or articles.csv> [--out data/lookups]

Reads `articles.csv` (H&M column names) and writes, for the entities the shopper uses:
  product_type.yml  product_type_name values, plus everyday words for them (synonyms)
  colour.yml        colour_group_name and perceived_colour_master_name values, plus synonyms
  pattern.yml       graphical_appearance_name values, plus synonyms
  section.yml       who it is for: index_group_name values, plus synonyms
  occasion.yml      what it is for: the built-in vocabulary only (see OCCASIONS)

Each file holds a lookup table (the words, lower-case, which the RegexFeaturizer feeds to DIET)
and synonym entries that map a shopper's word to the catalog's own value, which is what the
action server sends to the recommender as a filter. The built-in vocabulary below is always
included, so the files work for any catalog; the catalog adds its own values. Standard library
only: it runs in either Python environment.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Set

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from actions.words import MISSPELLINGS  # noqa: E402  (standard library only, as this script)

# Everyday words -> the catalog's value (H&M's names).
PRODUCT_TYPE_SYNONYMS: Dict[str, List[str]] = {
    "Dress": ["dress", "dresses", "frock", "gown", "sundress", "maxi dress", "midi dress", "mini dress"],
    "Trousers": ["trousers", "pants", "jeans", "chinos", "slacks", "joggers", "trouser", "denims", "cargo pants", "trackies"],
    "T-shirt": ["t-shirt", "t-shirts", "t shirt", "t shirts", "tee", "tees"],
    "Top": ["top", "tops", "crop top", "cami", "tank top", "camisole"],
    "Sweater": ["sweater", "sweaters", "jumper", "jumpers", "pullover", "knit", "knitwear", "sweatshirt", "sweatshirts"],
    "Hoodie": ["hoodie", "hoodies", "hoody", "hooded sweatshirt"],
    "Blouse": ["blouse", "blouses"],
    "Shirt": ["shirt", "shirts", "button-down", "button down", "flannel"],
    "Jacket": ["jacket", "jackets", "bomber", "puffer", "windbreaker", "parka", "rain jacket",
               "rain jackets", "puffer jacket"],
    "Coat": ["coat", "coats", "overcoat", "trench", "trench coat", "raincoat"],
    "Blazer": ["blazer", "blazers", "suit jacket", "sport coat"],
    "Cardigan": ["cardigan", "cardigans", "cardi", "cardis", "cardy"],
    "Skirt": ["skirt", "skirts", "miniskirt", "mini skirt", "maxi skirt", "skort"],
    "Shorts": ["shorts", "cutoffs", "bermudas"],
    "Leggings/Tights": ["leggings", "tights", "legging"],
    "Jumpsuit/Playsuit": ["jumpsuit", "jumpsuits", "playsuit", "romper", "onesie", "onesies"],
    "Vest top": ["vest top", "vest", "singlet"],
    "Bra": ["bra", "bras", "bralette", "sports bra", "sports bras"],
    "Underwear bottom": ["knickers", "briefs", "panties", "boxers", "underwear", "thong"],
    "Socks": ["socks", "sock"],
    "Bikini top": ["bikini", "bikinis", "bikini top"],
    "Swimsuit": ["swimsuit", "swimsuits", "swimming costume", "one-piece", "bathing suit", "swimwear"],
    "Swimwear bottom": ["swim shorts", "swimming trunks", "trunks", "bikini bottoms"],
    "Pyjama set": ["pyjamas", "pajamas", "pjs", "pyjama", "pajama", "nightwear", "loungewear"],
    "Sneakers": ["sneakers", "sneaker", "trainers", "trainer", "kicks", "running shoes", "sneaks"],
    "Boots": ["boots", "boot", "ankle boots", "chelsea boots", "wellies"],
    "Sandals": ["sandals", "sandal", "sliders", "slides"],
    "Heeled sandals": ["heels", "high heels", "heeled sandals", "stilettos"],
    "Ballerinas": ["ballerinas", "ballet flats", "flats", "pumps"],
    "Bag": ["bag", "bags", "handbag", "handbags", "purse", "tote", "backpack", "clutch", "shoulder bag"],
    "Belt": ["belt", "belts"],
    "Scarf": ["scarf", "scarves", "scarfs", "shawl", "pashmina"],
    "Hat/beanie": ["hat", "hats", "beanie", "beanies", "bucket hat"],
    "Cap/peaked": ["cap", "caps", "baseball cap"],
    "Sunglasses": ["sunglasses", "sunnies", "shades"],
    "Earring": ["earrings", "earring", "studs", "hoops"],
    "Necklace": ["necklace", "necklaces", "chain", "pendant", "choker"],
    "Ring": ["ring", "rings"],
    "Bracelet": ["bracelet", "bracelets", "bangle", "bangles"],
    "Gloves": ["gloves", "mittens", "gloves"],
    "Hair/alice band": ["headband", "hairband", "alice band", "scrunchie", "scrunchies", "hair accessories"],
    "Bodysuit": ["bodysuit", "bodysuits"],
    "Tie": ["tie", "ties", "bow tie"],
    "Polo shirt": ["polo", "polo shirt", "polo shirts", "polos"],
    "Dungarees": ["dungarees", "overalls"],
    "Slippers": ["slippers"],
    "Wallet": ["wallet", "wallets"],
}
COLOUR_SYNONYMS: Dict[str, List[str]] = {
    "Black": ["black", "jet black", "all black"],
    "White": ["white", "bright white"],
    "Off White": ["off white", "off-white", "cream", "ivory", "ecru"],
    "Blue": ["blue", "cobalt", "royal blue"],
    "Dark Blue": ["dark blue", "navy", "navy blue", "midnight blue", "indigo"],
    "Light Blue": ["light blue", "baby blue", "sky blue", "pale blue", "powder blue"],
    "Beige": ["beige", "camel", "sand", "tan", "taupe", "stone"],
    "Light Beige": ["light beige", "nude", "oatmeal"],
    "Pink": ["pink", "rose", "hot pink", "fuchsia", "magenta", "pinky"],
    "Light Pink": ["light pink", "pale pink", "blush", "baby pink", "dusty pink", "dusky pink"],
    "Grey": ["grey", "gray", "charcoal", "slate"],
    "Light Grey": ["light grey", "light gray", "silver grey"],
    "Dark Grey": ["dark grey", "dark gray", "graphite"],
    "Green": ["green", "emerald", "kelly green", "grass green"],
    "Dark Green": ["dark green", "forest green", "bottle green", "olive"],
    "Light Green": ["light green", "mint", "sage", "pistachio"],
    "Greenish Khaki": ["khaki", "military green", "army green"],
    "Red": ["red", "scarlet", "cherry", "bright red"],
    "Dark Red": ["dark red", "burgundy", "maroon", "wine", "oxblood", "bordeaux"],
    "Orange": ["orange", "rust", "terracotta", "burnt orange"],
    "Yellow": ["yellow", "mustard", "lemon"],
    "Light Yellow": ["light yellow", "pastel yellow", "butter yellow"],
    "Yellowish Brown": ["brown", "chocolate", "cognac", "caramel"],
    "Purple": ["purple", "violet", "plum", "aubergine"],
    "Light Purple": ["light purple", "lilac", "lavender", "mauve"],
    "Turquoise": ["turquoise", "teal", "aqua", "petrol"],
    "Gold": ["gold", "golden", "gold-tone"],
    "Silver": ["silver", "silvery", "metallic silver"],
}
PATTERN_SYNONYMS: Dict[str, List[str]] = {
    "Solid": ["solid", "plain", "block colour", "block color", "one colour", "single colour", "no print", "no pattern"],
    "Stripe": ["stripe", "stripes", "striped", "stripy", "stripey", "pinstripe", "pinstriped", "breton"],
    "Dot": ["dot", "dots", "polka dot", "polka dots", "polka-dot", "spotty", "spotted", "dotted", "spots"],
    "Check": ["check", "checked", "checks", "checkered", "chequered", "plaid", "tartan", "gingham", "houndstooth"],
    "All over pattern": ["floral", "flowery", "flowers", "flower print", "printed", "patterned", "all over print", "leopard", "leopard print", "animal print", "paisley", "tropical print", "print"],
    "Denim": ["denim", "chambray"],
    "Lace": ["lace", "lacy", "laced"],
    "Melange": ["melange", "marl", "marled", "heathered"],
    "Embroidery": ["embroidered", "embroidery"],
    "Sequin": ["sequin", "sequins", "sequinned", "sequined", "sparkly"],
    "Glittering/Metallic": ["glitter", "glittery", "metallic", "shimmer", "shimmery", "shiny"],
    "Colour blocking": ["colour block", "color block", "colour blocking", "color blocking"],
    "Front print": ["graphic", "graphic print", "slogan", "logo", "front print"],
    "Jacquard": ["jacquard"],
    "Mesh": ["mesh", "sheer"],
}
SECTION_SYNONYMS: Dict[str, List[str]] = {
    # who it is for, as the training data tags it: the person, without "my" or "for"
    "Ladieswear": ["women", "womens", "women's", "woman", "ladies", "lady", "ladieswear", "womenswear",
                   "female", "wife", "girlfriend", "mum", "mom", "mother", "sister", "auntie", "aunt",
                   "grandma", "nan", "gran", "gf", "her", "she", "wifey"],
    "Menswear": ["men", "mens", "men's", "man", "menswear", "male", "guys", "guy", "husband", "boyfriend",
                 "dad", "father", "brother", "bf", "grandpa", "grandad", "hubby", "uncle", "him", "he"],
    "Baby/Children": ["kids", "kid", "children", "child", "childrens", "children's", "kidswear", "baby", "babies",
                      "toddler", "newborn", "infant", "son", "daughter", "boy", "boys", "girl", "girls",
                      "little one", "nephew", "niece", "grandson", "granddaughter"],
    "Divided": ["teen", "teens", "teenager", "teenage", "divided", "youth"],
    "Sport": ["sport", "sports", "sportswear", "activewear", "athleisure", "gym wear", "gymwear", "workout clothes"],
}

# What it is for. No catalog column says this (H&M's section and department names carry it only
# loosely: "Womens Swimwear, beachwear", "Mens Sport"), so the vocabulary is built in: events,
# activities, places and seasons, and gifts; never a style word ("casual", "smart"), which is
# how the shopper says less_formal. The value goes to the recommender as words of the query,
# so the synonyms only spell a word out ("bday" -> "birthday"), they never merge two occasions.
OCCASIONS: Dict[str, List[str]] = {
    "wedding": ["wedding", "weddings", "beach wedding", "summer wedding", "winter wedding", "wedding guest",
                "wedding reception", "civil ceremony"],
    "party": ["party", "parties", "dinner party", "garden party", "cocktail party", "house party",
              "engagement party", "hen party", "hen do", "stag do", "bachelorette", "office party"],
    "birthday": ["birthday", "bday", "b-day", "birthday party", "21st", "18th", "30th"],
    "christmas": ["christmas", "xmas", "christmas party", "xmas party", "christmas day", "festive season"],
    "new year's eve": ["new year's eve", "new years eve", "nye", "new year's party", "new years party"],
    "ceremonies and holidays": ["baby shower", "christening", "baptism", "first communion", "communion", "bar mitzvah",
                    "eid", "diwali", "easter", "halloween", "st patrick's day", "valentine's day", "valentines",
                    "thanksgiving", "anniversary", "graduation", "prom", "gala", "races", "funeral"],
    "night out": ["night out", "date night", "date", "first date", "dinner", "clubbing", "rave", "festival",
                  "concert", "gig", "brunch", "drinks"],
    "work": ["work", "office", "job interview", "interview", "meeting", "court", "business trip"],
    "school": ["school", "back to school", "uni", "university", "college"],
    "sport": ["gym", "workout", "yoga", "pilates", "running", "hiking", "ski trip", "skiing", "golf", "tennis",
              "swimming", "cycling", "dance class", "camping"],
    "holiday": ["holiday", "holidays", "vacation", "beach", "beach holiday", "pool", "trip", "city break",
                "travel", "honeymoon"],
    "home": ["lounging", "weekend", "bedtime"],
    "season": ["summer", "winter", "autumn", "spring", "summer evenings", "rainy days", "cold weather"],
    "gift": ["gift", "present", "birthday present", "christmas present", "birthday gift", "christmas gift"],
}
OCCASION_SPELLINGS: Dict[str, List[str]] = {
    "birthday": ["bday", "b-day"], "christmas": ["xmas"], "christmas party": ["xmas party"],
    "new year's eve": ["new years eve", "nye"], "new year's party": ["new years party"],
    "valentine's day": ["valentines"], "hen party": ["hen do"], "holiday": ["holidays"],
}


def read_articles(path: Path) -> List[Dict[str, str]]:
    if path.is_dir():
        path = path / "articles.csv"
    if not path.is_file():
        sys.exit(f"make_lookups: no articles.csv at {path}")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        needed = {"product_type_name", "colour_group_name", "graphical_appearance_name", "index_group_name"}
        missing = needed - set(reader.fieldnames or [])
        if missing:
            sys.exit(f"make_lookups: {path} lacks the column(s) {', '.join(sorted(missing))}")
        return list(reader)


def usable(value: str) -> bool:
    return bool(value) and value.strip().lower() not in {"unknown", "undefined", "other", "", "nan"}


def words_for(value: str) -> Set[str]:
    """A catalog value as a shopper would type it: 'Hat/beanie' -> {'hat/beanie', 'hat', 'beanie'}."""
    low = value.strip().lower()
    out = {low}
    if "/" in low:
        out |= {part.strip() for part in low.split("/") if len(part.strip()) > 2}
    return {re.sub(r"\s+", " ", w) for w in out if w}


def build(rows: Iterable[Dict[str, str]]) -> Dict[str, Dict[str, Set[str]]]:
    """entity -> canonical value -> the words that mean it."""
    tables = {
        "product_type": ("product_type_name", with_misspellings(PRODUCT_TYPE_SYNONYMS)),
        "colour": ("colour_group_name", with_misspellings(COLOUR_SYNONYMS)),
        "pattern": ("graphical_appearance_name", with_misspellings(PATTERN_SYNONYMS)),
        "section": ("index_group_name", with_misspellings(SECTION_SYNONYMS)),
    }
    result: Dict[str, Dict[str, Set[str]]] = {}
    rows = list(rows)
    for entity, (column, synonyms) in tables.items():
        values: Dict[str, Set[str]] = defaultdict(set)
        for canonical, words in synonyms.items():
            values[canonical] |= {w.lower() for w in words}
        for row in rows:
            value = (row.get(column) or "").strip()
            if usable(value) and not (entity == "colour" and value.lower().startswith("other")):
                values[value] |= words_for(value)
        if entity == "colour":  # perceived colour masters ("Khaki green", "Lilac Purple") too
            for row in rows:
                master = (row.get("perceived_colour_master_name") or "").strip()
                if usable(master) and master not in values:
                    values[master] |= words_for(master)
        result[entity] = owned(dict(values), synonyms)
    result["occasion"] = occasion_values()
    return result


def with_misspellings(synonyms: Dict[str, List[str]]) -> Dict[str, List[str]]:
    """Each value's words, and the misspellings of them that the shopper may type
    (actions/words.py keeps them, to say the word back spelled right)."""
    return {
        canonical: words + [typo for typo, word in MISSPELLINGS.items() if word in words]
        for canonical, words in synonyms.items()
    }


def occasion_values() -> Dict[str, Set[str]]:
    """The occasion vocabulary: each word is its own value, but for the spellings of another."""
    spelled = {word: canonical for canonical, words in OCCASION_SPELLINGS.items() for word in words}
    values: Dict[str, Set[str]] = defaultdict(set)
    for words in OCCASIONS.values():
        for word in words:
            values[spelled.get(word, word)].add(word)
    for canonical, words in OCCASION_SPELLINGS.items():
        values[canonical] |= set(words) | {canonical}
    return dict(values)


def owned(values: Dict[str, Set[str]], builtin: Dict[str, List[str]]) -> Dict[str, Set[str]]:
    """Each word means one value: a catalog value's own name first, then the built-in synonym."""
    owner: Dict[str, str] = {}
    for canonical in values:
        owner[canonical.lower()] = canonical
    for canonical, words in builtin.items():
        for word in words:
            owner.setdefault(word.lower(), canonical)
    for canonical in sorted(values):
        for word in sorted(values[canonical]):
            owner.setdefault(word, canonical)
    result: Dict[str, Set[str]] = defaultdict(set)
    for word, canonical in owner.items():
        result[canonical].add(word)
    return dict(result)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(entity: str, values: Dict[str, Set[str]], source: str) -> str:
    lines = [
        f"# Generated by scripts/make_lookups.py from {source}: do not edit by hand.",
        'version: "3.1"',
        "nlu:",
        f"  - lookup: {entity}",
        "    examples: |",
    ]
    all_words = sorted({w for words in values.values() for w in words})
    lines += [f"      - {w}" for w in all_words]
    for canonical in sorted(values):
        synonyms = sorted(w for w in values[canonical] if w != canonical)
        if not synonyms:
            continue
        lines += [f"  - synonym: {_quote(canonical)}", "    examples: |"]
        lines += [f"      - {w}" for w in synonyms]
    return "\n".join(lines) + "\n"


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("catalog", type=Path, nargs="?", default=None,
                        help="a catalog folder in H&M's layout, or its articles.csv; "
                        "without it only the built-in vocabulary is written")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "lookups")
    parser.add_argument("--source-name", default=None, help="what the header says the files came from")
    args = parser.parse_args(argv)
    rows = read_articles(args.catalog) if args.catalog else []
    args.out.mkdir(parents=True, exist_ok=True)
    source = args.source_name or (args.catalog.name if args.catalog else "the built-in vocabulary")
    for entity, values in build(rows).items():
        target = args.out / f"{entity}.yml"
        target.write_text(render(entity, values, source), encoding="utf-8")
        print(f"{target}: {len(values)} values, {sum(len(v) for v in values.values())} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
