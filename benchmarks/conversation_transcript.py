"""A real conversation with the whole assistant, written down as a shopper would read it, with the
time each turn took and what each card really is (its catalog type and colour).

    .venv-rasa/bin/python benchmarks/conversation_transcript.py --var <RECOMMENDER_VAR> --model <rasa model>

--var holds an ingested, trained catalog (for the H&M sample: `RECOMMENDER_VAR=<dir> recommender
ingest ../shared/data/hm-sample && recommender train`); the Rasa model should be trained with that
catalog's lookups, as `make demo DATA=...` does. Writes var/reports/transcript.md.
"""
from __future__ import annotations

import argparse
import json
import urllib.request
import uuid
from pathlib import Path

from conversation_latency import REPORTS, cards, say
from stack import Stack

SCRIPT = [
    "hi",
    "I'm looking for a black dress for a party",
    "under 40 euros",
    "{like_first}",
    "show me more",
    "something cheaper",
    "{add_first}",
    "what's trending for men?",
    "can I talk to a person?",
    "thanks, bye",
]


def describe(recommender: str, card: dict) -> str:
    with urllib.request.urlopen(f"{recommender}/products/{card['article_id']}", timeout=10) as response:
        product = json.load(response)
    return (f"  - {card['title']}, {card['price']} ({product['product_type']}, {product['colour']}, "
            f"{product['section']}): \"{card['reason']}\"")


def converse(stack: Stack) -> list[str]:
    # a shopper of their own: the tracker store outlives runs, and a sender seen before would
    # carry its slots over
    sender = f"transcript-{uuid.uuid4().hex[:8]}"
    lines, last_cards = [], []
    for step in SCRIPT:
        text = step
        if step in ("{like_first}", "{add_first}") and last_cards:
            intent = "like" if step == "{like_first}" else "add_to_bag"
            text = '/%s{"article_id":"%s"}' % (intent, last_cards[0]["article_id"])
        ms, replies = say(stack.urls["rasa"], sender, text)
        lines.append(f"**Shopper:** {text}  _({ms:.0f} ms)_\n")
        for reply in replies:  # in the order the shopper saw them
            if reply.get("text"):
                lines.append(f"**Assistant:** {reply['text']}")
            if reply.get("buttons"):
                lines.append("  buttons: " + " · ".join(b["title"] for b in reply["buttons"]))
            lines += [describe(stack.urls["recommender"], card) for card in cards([reply])]
        last_cards = cards(replies) or last_cards
        lines.append("")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--var", type=Path, required=True)
    parser.add_argument("--model", type=Path, required=True)
    args = parser.parse_args()
    stack = Stack(args.var, args.model).start()
    try:
        say(stack.urls["rasa"], "warm-up", "hi")
        lines = converse(stack)
    finally:
        stack.stop()
    REPORTS.mkdir(parents=True, exist_ok=True)
    text = f"# A conversation on {args.var}\n\n" + "\n".join(lines) + "\n"
    (REPORTS / "transcript.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
