"""Who a piece is for: the catalog's index groups (the `section` slot's values), how the bot
names them, and the kinds of piece that already say it. A dress is asked for without saying who
will wear it, and a salesperson shows women's dresses, not a baby's; nor does a card say
"Dress, for women"."""
from __future__ import annotations

from typing import Any, Optional

WOMEN = "Ladieswear"
# The question "who is it for?": each index group, as its button reads.
SECTIONS = {
    WOMEN: "Women", "Menswear": "Men", "Baby/Children": "Kids & baby",
    "Divided": "Teens (Divided)", "Sport": "Sportswear",
}
# ... and as a card says it.
FOR_WHOM = {
    WOMEN: "for women", "Menswear": "for men", "Baby/Children": "for kids",
    "Divided": "for teens", "Sport": "sportswear",
}
# Product types that already say who they are for.
WOMENSWEAR = {
    "Dress", "Skirt", "Blouse", "Bra", "Bikini top", "Swimsuit", "Heeled sandals", "Ballerinas",
    "Leggings/Tights", "Underwear Tights", "Earring", "Earrings", "Necklace", "Hair/alice band",
    "Hair clip", "Hair string", "Hair ties", "Night gown", "Bodysuit", "Pumps", "Wedge",
}


def says_who(product_type: Any) -> Optional[str]:
    """The section a kind of piece implies ("Dress" -> women's), or None."""
    return WOMEN if product_type in WOMENSWEAR else None


def for_whom_words(section: Any, product_type: Any) -> Optional[str]:
    """"for men" on a card; nothing where the piece says it already."""
    if section not in FOR_WHOM or says_who(product_type) == section:
        return None
    return FOR_WHOM[section]
