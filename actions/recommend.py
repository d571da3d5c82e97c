"""The recommendation actions: greeting, showing cards, and every refinement of them.

Each action reads what the shopper asked for (slots), what they liked, disliked and were already
shown in this conversation (list slots sent to the recommender as `session`), calls the
recommender, renders cards for the channel, and returns the slot events that remember what was
shown. If the recommender is slow or down the shopper gets an apology and the cached trending
list, never silence.
"""
from __future__ import annotations

import abc
import logging
import re
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Text, Union

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import client
from actions.cards import CARD_CHANNELS, item_title, search_words, send_cards
from actions.for_whom import says_who
from actions.prices import budget_to_max_price, cheaper_than, format_amount, price_scale
from actions.words import WORDED_SLOTS, shoppers_words

logger = logging.getLogger(__name__)

FILTER_SLOTS = ("product_type", "colour", "pattern", "section")
SEARCH_SLOTS = FILTER_SLOTS + ("occasion", "budget")
MAX_REMEMBERED = 200
MAX_QUERY_CHARS = 300
# Words that ask without saying for what: a query of these alone matches nothing in particular.
FILLER_WORDS = frozenset("""
    a an the some any me my i i'm im you your can could would will please pls plz just
    show see find get give want need like looking look for to of in on with and or
    something anything stuff things thing items item nice good cool lovely great new
    what do does recommend suggest think about have got hi hello hey there help shop shopping buy
""".split())
PRODUCT_CODE_DIGITS = 7  # an H&M article id is its product code, then three digits for the colour
LOOSEN_OFFER = "loosen"
CLOSEST = "I don't have exactly that, but here's the closest I have:"
# A new detail that only pieces already shown fit: say so rather than call them an update.
ONLY_SEEN_FIT = "Nothing new fits that, so here are the ones you've already seen that do:"
CARRY_ON = "Great! Tell me what you'd like to see, or use the buttons on a card to refine."
# What a salesperson lets go of first when nothing fits, in the shopper's words: how a piece
# looks, then the budget, then the kind of piece, then who it is for.
LOOSENING_ORDER = {"pattern": "the pattern", "colour": "the colour", "max_price": "the budget",
                   "product_type": "the kind of piece", "section": "who it's for"}
# The filter each slot of a search sets: a loosened search clears the slots of what it let go of.
FILTER_OF_SLOT = {**{slot: slot for slot in FILTER_SLOTS}, "budget": "max_price", "max_price": "max_price"}
ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
            "fifth": 4, "5th": 4, "sixth": 5, "6th": 5, "last": -1}
ORDINAL = re.compile(rf"\b(?:the|that|this)\s+({'|'.join(ORDINALS)})\b", re.I)
PRICE_WORDS = re.compile(r"\b(budget|price|prices|money|spend|cost|costs|expensive|pricey|cheap)\b", re.I)
CUSTOMER_ID = re.compile(r"\b([0-9a-f]{64}|[0-9a-z]*\d[0-9a-z]{5,})\b", re.I)

SHOPPING_BUTTONS = [
    {"title": "Dresses", "payload": '/shop{"product_type":"Dress"}'},
    {"title": "Tops", "payload": '/shop{"product_type":"Top"}'},
    {"title": "Jeans & trousers", "payload": '/shop{"product_type":"Trousers"}'},
    {"title": "Shoes", "payload": '/shop{"product_type":"Sneakers"}'},
    {"title": "Surprise me", "payload": "/no_preference"},
]
GONE = "I can't find that piece in our catalogue any more; it may have sold out. Shall I find you something else?"
GONE_BUTTONS = [
    {"title": "What's trending?", "payload": "/trending"},
    {"title": "Help me find something", "payload": "/no_preference"},
]
FALLBACK_BUTTONS = [
    {"title": "Try again", "payload": "/trending"},
    {"title": "Dresses", "payload": '/shop{"product_type":"Dress"}'},
    {"title": "Talk to a person", "payload": "/human_handoff"},
]


# --- what the conversation knows --------------------------------------------------------------

def first_value(value: Any) -> Any:
    """A slot's value; of a list (two entities of one kind in one message), the first."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def slot_value(tracker: Tracker, name: str) -> Any:
    return first_value(tracker.get_slot(name))


def real(value: Any) -> bool:
    return value not in (None, "", "any", [])


def id_list(tracker: Tracker, name: str) -> List[str]:
    value = tracker.get_slot(name) or []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def remember(ids: List[str], new: List[str]) -> List[str]:
    merged = [i for i in ids if i not in new] + list(new)
    return merged[-MAX_REMEMBERED:]


def metadata_customer_id(tracker: Tracker) -> Optional[str]:
    """The customer the website says this is (message or session-start metadata)."""
    for metadata in (
        (tracker.latest_message or {}).get("metadata") or {},
        tracker.get_slot("session_started_metadata") or {},
    ):
        if isinstance(metadata, dict) and metadata.get("customer_id"):
            return str(metadata["customer_id"])[:128]
    return None


def customer_id(tracker: Tracker) -> Optional[str]:
    return tracker.get_slot("customer_id") or metadata_customer_id(tracker)


def latest_entities(tracker: Tracker) -> Dict[str, str]:
    """The entities of the latest message, the first value of each."""
    said: Dict[str, str] = {}
    for item in (tracker.latest_message or {}).get("entities") or []:
        name, value = item.get("entity"), item.get("value")
        if name and value and name not in said:
            said[name] = str(value)
    return said


def latest_entity(tracker: Tracker, entity: str) -> Optional[str]:
    return latest_entities(tracker).get(entity)


def user_text(tracker: Tracker) -> str:
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    return "" if text.startswith("/") else text[:MAX_QUERY_CHARS]


def last_items(tracker: Tracker) -> List[Dict[str, Any]]:
    value = tracker.get_slot("last_items") or []
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def named_by_place(tracker: Tracker) -> Optional[str]:
    """The card the shopper's words point at by its place among those just shown: "add the
    second one", "I like that 3rd one", "what goes with the last one?"."""
    said = ORDINAL.search(user_text(tracker))
    shown = last_items(tracker)
    if not said or not shown:
        return None
    place = ORDINALS[said.group(1).lower()]
    return str(shown[place]["article_id"]) if place < len(shown) else None


def focus_article(tracker: Tracker) -> Optional[str]:
    """The piece the shopper means: the one on the button they tapped, else the card they named
    by its place, else the one in focus unless they turned it down ("what goes with it?" after
    "Not for me" is not about that piece), else the last they liked, else the first card shown."""
    tapped = latest_entity(tracker, "article_id") or named_by_place(tracker)
    if tapped:
        return str(tapped)
    in_focus = tracker.get_slot("article_id")
    if in_focus and str(in_focus) not in id_list(tracker, "disliked"):
        return str(in_focus)
    liked = id_list(tracker, "liked")
    if liked:
        return liked[-1]
    shown = last_items(tracker)
    return str(shown[0]["article_id"]) if shown else None


def shown_item(tracker: Tracker, article_id: str) -> Optional[Dict[str, Any]]:
    """The piece among the cards just shown, if it is there."""
    return next((item for item in last_items(tracker) if str(item.get("article_id")) == str(article_id)), None)


async def card_or_product(tracker: Tracker, article_id: str) -> Dict[str, Any]:
    """The piece as the cards just shown describe it, else as the catalog does (client errors
    pass: NotFound when the catalog lacks it)."""
    return shown_item(tracker, article_id) or await client.product(article_id)


def title_of(tracker: Tracker, article_id: str) -> str:
    item = shown_item(tracker, article_id)
    return str(item.get("title") or "that piece") if item else "that piece"


def filters_from(tracker: Tracker) -> Dict[str, Any]:
    filters = {name: slot_value(tracker, name) for name in FILTER_SLOTS}
    # a dress is for a woman unless the shopper says whom: not a baby's dress in a wedding search
    filters["section"] = filters["section"] or says_who(filters["product_type"])
    max_price = tracker.get_slot("max_price")
    if max_price is None and real(slot_value(tracker, "budget")):
        max_price = budget_to_max_price(slot_value(tracker, "budget"))
    filters["max_price"] = max_price
    return {k: v for k, v in filters.items() if real(v)}


def query_from(tracker: Tracker) -> Optional[str]:
    """The shopper's words for the search and its occasion, or None when they say nothing to
    match ("show me something nice"): the known customer's taste and what sells lead then,
    and no card quotes the words back."""
    parts = [tracker.get_slot("query") or ""]
    occasion = slot_value(tracker, "occasion")
    if real(occasion) and str(occasion).lower() not in parts[0].lower():
        parts.append(f"for {occasion}")
    query = " ".join(p for p in parts if p).strip()
    return query[:MAX_QUERY_CHARS] if says_something(query) else None


def says_something(text: str) -> bool:
    return any(word not in FILLER_WORDS for word in re.findall(r"[a-z0-9']+", text.lower()))


def card_count(tracker: Tracker) -> int:
    return 6 if tracker.get_latest_input_channel() in CARD_CHANNELS else 3


def summary(item: Dict[str, Any]) -> Dict[str, Any]:
    return {key: item.get(key) for key in ("article_id", "title", "price", "colour", "product_type")}


# --- showing cards ----------------------------------------------------------------------------

def shown_events(tracker: Tracker, items: List[Dict[str, Any]]) -> List[EventType]:
    ids = [str(item["article_id"]) for item in items]
    return [
        SlotSet("shown", remember(id_list(tracker, "shown"), ids)),
        SlotSet("last_items", [summary(item) for item in items]),
    ]


def show(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    items: List[Dict[str, Any]],
    intro: Optional[str],
    filters: Optional[Dict[str, Any]] = None,
    query: Optional[str] = None,
    occasion: Optional[str] = None,
) -> List[EventType]:
    """Cards for `items`; `filters`, `query` and `occasion` (else the slot's) are the search
    they answer, if any."""
    said = None
    if filters is not None:
        words = shoppers_words(tracker.events, {slot: filters.get(slot) for slot in WORDED_SLOTS})
        said = search_words(filters, occasion or slot_value(tracker, "occasion"), query, words)
    send_cards(dispatcher, tracker, items, intro, said)
    return shown_events(tracker, items)


def apologise_with_fallback(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """The recommender is slow or down: say so, and show the cached trending list or, when this
    process never saw one, suggestions to carry on with. The apology carries the
    `recommender_unavailable` mark (kept in the bot event's metadata) that the review app flags."""
    items = client.fallback_items(slot_value(tracker, "section"))
    if items:
        dispatcher.utter_message(
            text="Sorry, I'm having trouble fetching fresh picks right now. "
            "Meanwhile, here's what's popular at the moment:",
            recommender_unavailable=True,
        )
        return show(dispatcher, tracker, items[: card_count(tracker)], intro=None)
    dispatcher.utter_message(
        text="Sorry, I can't reach our product catalogue right now. Please try again in a "
        "moment, or browse the shop's categories meanwhile.",
        buttons=FALLBACK_BUTTONS,
        recommender_unavailable=True,
    )
    return []


async def in_catalog(tracker: Tracker, article: str) -> bool:
    """Whether the catalog still has the piece: surely when this conversation showed it; else
    asked (a stale button from an old conversation, a typed payload). A recommender that does
    not answer is no proof that it is gone: the call that follows says what is wrong."""
    if article in id_list(tracker, "shown"):
        return True
    try:
        await client.product(article)
    except client.NotFound:
        return False
    except client.RecommenderUnavailable:
        return True
    return True


def piece_gone(dispatcher: CollectingDispatcher) -> List[EventType]:
    """The piece the shopper means is not in the catalog (any more): say so, and offer a way on."""
    dispatcher.utter_message(text=GONE, buttons=GONE_BUTTONS)
    return []


def nothing_found(dispatcher: CollectingDispatcher) -> List[EventType]:
    """No card fits: offer to loosen the search. The offer is marked in the bot event's
    metadata (`offer`), so that a "yes" next (action_affirm) knows what it agrees to."""
    dispatcher.utter_message(
        text="I couldn't find anything that matches all of that. Shall I loosen it up a little?",
        buttons=[
            {"title": "Yes, loosen it up", "payload": "/affirm"},
            {"title": "What's trending?", "payload": "/trending"},
        ],
        offer=LOOSEN_OFFER,
    )
    return []


def events_before_message(tracker: Tracker) -> Iterator[Dict[str, Any]]:
    """The events that came before the shopper's latest message, newest first, back to the
    start of the session."""
    seen_user = False
    for event in reversed(tracker.events or []):
        if not seen_user:
            seen_user = event.get("event") == "user"
            continue
        if event.get("event") in ("session_started", "restart"):
            return
        yield event


def last_offer(tracker: Tracker) -> Optional[str]:
    """The offer the bot's last message before the shopper's latest one made, if any."""
    for event in events_before_message(tracker):
        if event.get("event") == "user":
            return None
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("offer")
    return None


def loosened(filters: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Ever looser versions of `filters`, one more filter let go of at each step, in
    `LOOSENING_ORDER`: the budget holds while a colour can give."""
    order = list(LOOSENING_ORDER)
    steps = [{k: v for k, v in filters.items() if k not in order[:n]} for n in range(1, len(order) + 1)]
    unique: List[Dict[str, Any]] = []
    for step in steps:
        if step != filters and step not in unique:
            unique.append(step)
    return unique


def let_go_of(before: Dict[str, Any], after: Dict[str, Any]) -> str:
    """The filters `before` has and `after` has not, as the shopper would name them."""
    names = [name for key, name in LOOSENING_ORDER.items() if key in before and key not in after]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class Found(NamedTuple):
    items: List[Dict[str, Any]]
    filters: Dict[str, Any]  # the filters the items answer
    query: Optional[str]  # and the query, holding the words of any filter let go of


async def find_items(
    tracker: Tracker,
    filters: Dict[str, Any],
    query: Optional[str],
    *,
    liked: Optional[List[str]] = None,
    disliked: Optional[List[str]] = None,
    shown: Optional[List[str]] = None,
    k: int,
) -> Found:
    """/recommend with the conversation's session, each part overridable. A filter value this
    catalog does not know ("Hoodie" in a shop without hoodies, a kind of piece the NLU read into
    "dressier") is let go of and its words join the query, so the cards never claim it; pieces
    of the session it no longer has (the catalog changed under a long conversation) are left
    out (raises RecommenderUnavailable)."""
    request = dict(
        customer_id=customer_id(tracker),
        liked=liked if liked is not None else id_list(tracker, "liked"),
        disliked=disliked if disliked is not None else id_list(tracker, "disliked"),
        shown=shown if shown is not None else id_list(tracker, "shown"),
        k=k,
    )
    while True:
        try:
            return Found(await client.recommend(query=query, filters=filters, **request), filters, query)
        except client.BadRequest as error:
            gone = set(error.unknown_articles)
            known = {part: [a for a in request[part] if a not in gone] for part in ("liked", "disliked", "shown")}
            if any(known[part] != request[part] for part in known):
                request.update(known)
                continue
            refused = refused_filters(error, filters)
            if not refused:
                raise
            logger.info("recommender refused %s, retrying as text: %s", refused, error)
            query = " ".join([query or "", *(str(filters[name]) for name in refused)]).strip() or None
            filters = {name: value for name, value in filters.items() if name not in refused}


def refused_filters(error: client.BadRequest, filters: Dict[str, Any]) -> List[str]:
    """The filters to let go of after a refusal: the one the recommender names (none when it
    names another part of the request), else every one but the price limit (which the
    shopper's budget set, and which the catalog always knows)."""
    if error.field is None:
        return [name for name in filters if name != "max_price"]
    named = error.field.replace(" ", "_")
    return [named] if named in filters and named != "max_price" else []


async def recommend_and_show(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    intro: Union[str, Callable[[List[Dict[str, Any]]], str]],
    *,
    filters: Optional[Dict[str, Any]] = None,
    query: Optional[str] = None,
    liked: Optional[List[str]] = None,
    disliked: Optional[List[str]] = None,
    keep: Optional[Any] = None,
    first: Optional[Callable[[Dict[str, Any]], bool]] = None,
    occasion: Optional[str] = None,
    extra_events: Optional[List[EventType]] = None,
    request_changed: bool = False,
    if_nothing: Optional[Callable[[], List[EventType]]] = None,
) -> List[EventType]:
    """/recommend with the conversation's state (overridable), shown as cards, never one shown
    before, except where the request changed (a new search, "under 40", "in blue"): the pieces
    already seen that fit it anew then fill up what the unseen ones leave, after them, rather
    than "nothing matches" when the shopper just saw some that do. "Show me more" and "more like
    this" keep to unseen pieces. Cards that are `first` lead; `intro` may depend on the cards.
    A new `occasion` is set, and the cards say it. When nothing fits, the request stands and a
    looser search is offered, unless `if_nothing` says otherwise (it then answers alone, and
    the request's events are dropped)."""
    k = card_count(tracker)
    wanted = k * 3 if keep else k
    events = list(extra_events or []) + ([SlotSet("occasion", occasion)] if occasion else [])
    query = query if query is not None else query_from(tracker)
    filters = filters if filters is not None else filters_from(tracker)
    try:
        found = await find_items(tracker, filters, query, liked=liked, disliked=disliked, k=wanted)
        items = found.items
        if request_changed and len(items) < wanted and id_list(tracker, "shown"):
            again = await find_items(tracker, found.filters, found.query, liked=liked, disliked=disliked, shown=[],
                                     k=wanted)
            new = {str(item["article_id"]) for item in items}
            items += [item for item in again.items if str(item["article_id"]) not in new]
    except client.RecommenderUnavailable as error:
        logger.warning("recommender unavailable: %s", error)
        return events + apologise_with_fallback(dispatcher, tracker)
    if keep:
        items = [item for item in items if keep(item)]
    if first:
        items.sort(key=lambda item: not first(item))
    items = items[:k]
    if not items:
        return if_nothing() if if_nothing else events + nothing_found(dispatcher)
    intro = intro(items) if callable(intro) else intro
    if found.filters != filters and request_changed:
        # the catalog knows no such thing: say these are the nearest, once ("show me more" of
        # them is not told again)
        intro = CLOSEST
    elif request_changed and {str(item["article_id"]) for item in items} <= set(id_list(tracker, "shown")):
        intro = ONLY_SEEN_FIT
    return events + show(dispatcher, tracker, items, intro, found.filters, query, occasion)


async def loosen_and_show(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """The search found nothing and the shopper agreed to loosen it: the first looser version
    that finds something is shown, and the slots it let go of are cleared."""
    query, wanted = query_from(tracker), filters_from(tracker)
    try:
        for filters in loosened(wanted):
            found = await find_items(tracker, filters, query, k=card_count(tracker))
            if found.items:
                dropped = [
                    SlotSet(slot, None) for slot, key in FILTER_OF_SLOT.items()
                    if key not in found.filters and tracker.get_slot(slot) is not None
                ]
                intro = f"I've let go of {let_go_of(wanted, found.filters)} — here's the closest I have:"
                return dropped + show(dispatcher, tracker, found.items, intro, found.filters, query)
    except client.RecommenderUnavailable as error:
        logger.warning("recommender unavailable: %s", error)
        return apologise_with_fallback(dispatcher, tracker)
    dispatcher.utter_message(
        text="Even loosened up, I've already shown you everything close to that. Try something "
        "else, or see what's trending?",
        buttons=[{"title": "What's trending?", "payload": "/trending"}],
    )
    return []


class RecommendationAction(Action, abc.ABC):
    """Shared guard: whatever goes wrong, the shopper hears something."""

    @abc.abstractmethod
    def name(self) -> Text:
        ...

    @abc.abstractmethod
    async def respond(self, dispatcher, tracker, domain) -> List[EventType]:
        ...

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        try:
            events = await self.respond(dispatcher, tracker, domain)
        except Exception:  # never silent, never a crashed turn
            logger.exception("%s failed", self.name())
            events = apologise_with_fallback(dispatcher, tracker)
        known = metadata_customer_id(tracker)
        if known and not tracker.get_slot("customer_id"):
            events = [SlotSet("customer_id", known)] + list(events)
        return events


# --- the actions ------------------------------------------------------------------------------

class ActionGreet(RecommendationAction):
    """A new shopper: welcome, trending cards, what are you shopping for. A known customer:
    welcome back and picks from their learned taste."""

    def name(self) -> Text:
        return "action_greet"

    async def respond(self, dispatcher, tracker, domain):
        known = customer_id(tracker)
        k = card_count(tracker)
        try:
            if known:
                items = await client.recommend(customer_id=known, k=k, shown=id_list(tracker, "shown"))
                intro = "Welcome back! 👋 Lovely to see you again. Here are a few picks I think you'll love, based on your taste:"
            else:
                items = await client.trending(section=slot_value(tracker, "section"), k=k)
                intro = "Hi, welcome to the shop! 👋 Here's what everyone's loving right now:"
        except client.RecommenderUnavailable as error:
            logger.warning("recommender unavailable: %s", error)
            dispatcher.utter_message(text="Hi, welcome to the shop! 👋")
            events = apologise_with_fallback(dispatcher, tracker)
        else:
            events = show(dispatcher, tracker, items, intro) if items else []
            if not items:
                dispatcher.utter_message(text="Hi, welcome to the shop! 👋")
        dispatcher.utter_message(
            text="What are you shopping for today? Tell me in your own words, like "
            "“something flowy for a beach wedding”.",
            buttons=SHOPPING_BUTTONS,
        )
        return events


class ActionIdentifyCustomer(RecommendationAction):
    """A shopper on a messaging app gives their member number."""

    def name(self) -> Text:
        return "action_identify_customer"

    async def respond(self, dispatcher, tracker, domain):
        text = ((tracker.latest_message or {}).get("text") or "")[:2000]
        match = CUSTOMER_ID.search(latest_entity(tracker, "customer_id") or text)
        if not match:
            dispatcher.utter_message(
                text="I couldn't spot a member number in that. It's on your member card or in "
                "the app, for example: “my member number is 12345678”."
            )
            return []
        found = match.group(1)
        events: List[EventType] = [SlotSet("customer_id", found)]
        try:
            items = await client.recommend(customer_id=found, k=card_count(tracker), shown=id_list(tracker, "shown"))
        except client.RecommenderUnavailable:
            dispatcher.utter_message(text="Thanks, you're signed in! 🙌")
            return events + apologise_with_fallback(dispatcher, tracker)
        return events + show(
            dispatcher, tracker, items,
            "Thanks, welcome back! 🙌 Here are some picks based on what you've loved before:",
        )


def new_search_events(tracker: Tracker) -> List[EventType]:
    """A new request ("a black dress for a wedding"): keep the shopper's words as the query and
    forget the filters of the previous search that this message does not repeat (who it is for
    stays unless the message says otherwise)."""
    said = latest_entities(tracker)
    events: List[EventType] = [
        SlotSet(slot, None) for slot in SEARCH_SLOTS if slot not in said and slot != "section"
    ]
    if "budget" not in said:
        events.append(SlotSet("max_price", None))
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    text = "" if intent == "no_preference" else user_text(tracker)
    return events + [SlotSet("query", text or None), SlotSet("questions_asked", [])]


class ActionStartSearch(Action):
    """"Surprise me" outside the form: a new search with nothing but the shopper's section;
    but "no budget" or "price doesn't matter" while a search is on lifts its price limit only."""

    def name(self) -> Text:
        return "action_start_search"

    async def run(self, dispatcher, tracker, domain):
        if PRICE_WORDS.search(user_text(tracker)) and (filters_from(tracker) or query_from(tracker)):
            return [SlotSet("budget", "any"), SlotSet("max_price", None)]
        return new_search_events(tracker)


class ActionRecommend(RecommendationAction):
    """Show cards for what the shopper asked for (after the shopping form, or "surprise me")."""

    def name(self) -> Text:
        return "action_recommend"

    async def respond(self, dispatcher, tracker, domain):
        filters = filters_from(tracker)
        intro = "Here's what I found for you:" if filters or query_from(tracker) else "Here are a few things I think you'll like:"
        return await recommend_and_show(dispatcher, tracker, intro, filters=filters, request_changed=True)


class ActionAffirm(RecommendationAction):
    """"Yes": to the offer to loosen a search that found nothing, the looser search's cards;
    to anything else, an invitation to carry on."""

    def name(self) -> Text:
        return "action_affirm"

    async def respond(self, dispatcher, tracker, domain):
        if last_offer(tracker) == LOOSEN_OFFER:
            return await loosen_and_show(dispatcher, tracker)
        dispatcher.utter_message(text=CARRY_ON)
        return []


class ActionRefine(RecommendationAction):
    """A new detail for the cards shown ("in red", "under 30", "for a wedding"; action_shop found
    it does not start another search): show again with it."""

    def name(self) -> Text:
        return "action_refine"

    async def respond(self, dispatcher, tracker, domain):
        events: List[EventType] = []
        budget = latest_entity(tracker, "budget")
        if budget:
            events.append(SlotSet("max_price", budget_to_max_price(budget)))
        text = user_text(tracker)
        query = query_from(tracker)
        if text and not latest_entities(tracker):
            query = f"{query or ''} {text}".strip()[:MAX_QUERY_CHARS]
            events.append(SlotSet("query", query))
        filters = filters_from(tracker)
        if budget:
            filters["max_price"] = budget_to_max_price(budget)
            filters = {k: v for k, v in filters.items() if real(v)}
        return await recommend_and_show(
            dispatcher, tracker, "Got it — here's an updated selection:", filters=filters, query=query,
            extra_events=events, request_changed=True,
        )


class ActionShowMore(RecommendationAction):
    def name(self) -> Text:
        return "action_show_more"

    async def respond(self, dispatcher, tracker, domain):
        return await recommend_and_show(dispatcher, tracker, "Here are some more:")


class ActionLike(RecommendationAction):
    """"More like this": the piece goes to `liked`, and the next cards move towards it."""

    def name(self) -> Text:
        return "action_like"

    async def respond(self, dispatcher, tracker, domain):
        article = focus_article(tracker)
        if not article:
            dispatcher.utter_message(text="Which one caught your eye? Tap “More like this” on its card.")
            return []
        if not await in_catalog(tracker, article):
            return piece_gone(dispatcher)
        liked = remember(id_list(tracker, "liked"), [article])
        disliked = [i for i in id_list(tracker, "disliked") if i != article]
        return await recommend_and_show(
            dispatcher, tracker, "Good eye! Here's more in that spirit:", liked=liked, disliked=disliked,
            extra_events=[SlotSet("liked", liked), SlotSet("disliked", disliked), SlotSet("article_id", article)],
        )


class ActionDislike(RecommendationAction):
    """"Not for me": the piece (tapped, or named by its place), else all the cards just shown, goes
    to `disliked`."""

    def name(self) -> Text:
        return "action_dislike"

    async def respond(self, dispatcher, tracker, domain):
        article = latest_entity(tracker, "article_id") or named_by_place(tracker)
        if article and not await in_catalog(tracker, article):
            return piece_gone(dispatcher)
        rejected = [article] if article else [str(i["article_id"]) for i in last_items(tracker)]
        disliked = remember(id_list(tracker, "disliked"), rejected)
        liked = [i for i in id_list(tracker, "liked") if i not in rejected]
        return await recommend_and_show(
            dispatcher, tracker, "No problem, let's try something different:", liked=liked, disliked=disliked,
            extra_events=[SlotSet("disliked", disliked), SlotSet("liked", liked)],
        )


class ActionCheaper(RecommendationAction):
    """"Cheaper": a max price below what was just shown."""

    def name(self) -> Text:
        return "action_cheaper"

    async def respond(self, dispatcher, tracker, domain):
        prices = [item.get("price") for item in last_items(tracker)]
        current = tracker.get_slot("max_price")
        max_price = cheaper_than(prices)
        if max_price is None:
            max_price = round(current * 0.75, 6) if current else budget_to_max_price("cheap")
        elif current:
            max_price = min(max_price, round(current * 0.75, 6))
        filters = dict(filters_from(tracker), max_price=max_price)
        limit = format_amount(max_price * price_scale())
        return await recommend_and_show(
            dispatcher, tracker, f"Sure — here are some options under {limit}:", filters=filters,
            extra_events=[SlotSet("max_price", max_price), SlotSet("budget", limit)], request_changed=True,
            if_nothing=lambda: nothing_cheaper(dispatcher, limit),
        )


def nothing_cheaper(dispatcher: CollectingDispatcher, limit: str) -> List[EventType]:
    """Nothing under the lower price: the budget stays as it was (a lower one nothing meets
    would empty every search after it, "in blue" too), and the shopper hears why."""
    dispatcher.utter_message(
        text=f"Those are the most affordable I have for that right now: nothing under {limit}. "
        "Shall I show you more at these prices, or what's trending?",
        buttons=[{"title": "Show me more", "payload": "/more_results"},
                 {"title": "What's trending?", "payload": "/trending"}],
    )
    return []


class ActionOtherColour(RecommendationAction):
    """"Do you have it in green?", "does it come in other colours?"."""

    def name(self) -> Text:
        return "action_other_colour"

    async def respond(self, dispatcher, tracker, domain):
        return await piece_in_colour(dispatcher, tracker, latest_entity(tracker, "colour"))


async def piece_in_colour(dispatcher: CollectingDispatcher, tracker: Tracker, colour: Optional[str]) -> List[EventType]:
    """The piece in focus in `colour`, or in other colours than its own and the search's when
    none is named: other colours of its product first, then pieces like it (its name joins the
    query); the search's pieces in that colour (or others) when no piece is in focus."""
    filters = {k: v for k, v in filters_from(tracker).items() if k != "colour"}
    if colour:
        filters["colour"] = colour
    piece = focus_article(tracker)
    try:
        item = await card_or_product(tracker, piece) if piece else None
    except client.RecommenderUnavailable:  # a piece gone, or no answer: the search still can
        item = None
    # other colours: neither the search's nor the piece's own
    avoid = set() if colour else {
        str(c).lower() for c in (slot_value(tracker, "colour"), (item or {}).get("colour")) if real(c)}
    shade = colour.lower() if colour else "other colours"
    events = [SlotSet("colour", colour)]
    keep = (lambda card: str(card.get("colour") or "").lower() not in avoid) if avoid else None
    if not item:
        intro = f"Here's what I have in {shade}:" if colour else "Here are some other colours:"
        return await recommend_and_show(dispatcher, tracker, intro, filters=filters, keep=keep,
                                        extra_events=events, request_changed=True)
    product = str(piece)[:PRODUCT_CODE_DIGITS]
    title = item_title(item)

    def same_product(card: Dict[str, Any]) -> bool:
        return str(card["article_id"]).startswith(product)

    def intro(items: List[Dict[str, Any]]) -> str:
        if same_product(items[0]):
            return f"Here it is in {shade}:"
        pieces = f"{shade} pieces like it" if colour else "pieces like it in other colours"
        return f"I don't have the {title} in {shade}, but here are {pieces}:"

    query = " ".join(p for p in (title, query_from(tracker)) if p)
    return await recommend_and_show(dispatcher, tracker, intro, filters=filters, query=query, first=same_product,
                                    keep=keep, extra_events=events, request_changed=True)


# What a search leans on for each way of dressing: words the text encoder reads (the query), the
# words to take out of it when turning the other way, and the kinds of piece that belong to the
# other way only (a blazer is not made casual, nor a hoodie dressy, by a word).
CASUAL = ("casual", "relaxed", "everyday")
DRESSY = ("elegant", "dressy", "formal")
FORMAL_WORDS = ("formal", "elegant", "smart", "dressy", "evening", "wedding", "office")
CASUAL_WORDS = ("casual", "relaxed", "everyday", "comfy", "sporty", "lounge")
TAILORED_TYPES = {"Blazer", "Suit", "Tie", "Tailored Waistcoat"}
SPORTY_TYPES = {"Hoodie", "Sneakers", "Leggings/Tights"}


async def restyle(dispatcher, tracker, intro: str, *, away_from, towards, occasion: str, other_way_types):
    """The same search, turned towards another way of dressing: the query loses the words of
    the one it leaves and gains those of the one it goes to, the occasion follows."""
    base = tracker.get_slot("query") or ""
    for word in away_from:  # "for the office" goes whole: a "for the" left over reads as an occasion
        base = re.sub(rf"\b(?:for (?:a |an |the |my |your |our )?)?{word}\b", "", base, flags=re.I)
    query = re.sub(r"\s+", " ", f"{base} {' '.join(towards)}").strip()
    filters = filters_from(tracker)
    if filters.get("product_type") in other_way_types:
        filters.pop("product_type")
    return await recommend_and_show(
        dispatcher, tracker, intro, filters=filters, query=query,
        occasion=occasion, extra_events=[SlotSet("query", query)], request_changed=True,
    )


class ActionLessFormal(RecommendationAction):
    """"Something less formal": the query leans casual, the occasion follows."""

    def name(self) -> Text:
        return "action_less_formal"

    async def respond(self, dispatcher, tracker, domain):
        return await restyle(dispatcher, tracker, "Let's keep it more relaxed:", away_from=FORMAL_WORDS,
                             towards=CASUAL, occasion="casual", other_way_types=TAILORED_TYPES)


class ActionMoreFormal(RecommendationAction):
    """"Something dressier": the query leans elegant, the occasion follows."""

    def name(self) -> Text:
        return "action_more_formal"

    async def respond(self, dispatcher, tracker, domain):
        return await restyle(dispatcher, tracker, "Let's dress it up a little:", away_from=CASUAL_WORDS,
                             towards=DRESSY, occasion="formal", other_way_types=SPORTY_TYPES)


class ActionTrending(RecommendationAction):
    def name(self) -> Text:
        return "action_trending"

    async def respond(self, dispatcher, tracker, domain):
        section = latest_entity(tracker, "section") or slot_value(tracker, "section")
        metadata = (tracker.latest_message or {}).get("metadata") or {}
        age = metadata.get("age") if isinstance(metadata, dict) else None
        try:
            items = await client.trending(section=section if real(section) else None, age=age, k=card_count(tracker))
        except client.RecommenderUnavailable as error:
            logger.warning("recommender unavailable: %s", error)
            return apologise_with_fallback(dispatcher, tracker)
        if not items:
            return nothing_found(dispatcher)
        return show(dispatcher, tracker, items, "Here's what's trending right now 🔥")


async def complete_look(
    dispatcher: CollectingDispatcher, tracker: Tracker, article: str, intro: str, complementary_only: bool = False,
    focus: bool = False,
) -> List[EventType]:
    """What goes with the piece; with `focus`, the piece becomes the one in focus, unless the
    catalog no longer has it."""
    events = [SlotSet("article_id", article)] if focus else []
    try:
        items = await client.complete_the_look(
            article, k=min(4, card_count(tracker)), complementary_only=complementary_only
        )
    except client.NotFound:
        return piece_gone(dispatcher)
    except client.RecommenderUnavailable as error:
        logger.warning("recommender unavailable: %s", error)
        return events + apologise_with_fallback(dispatcher, tracker)
    if not items:
        dispatcher.utter_message(text="I don't have a perfect match to pair with that one yet — it works beautifully on its own!")
        return events
    return events + show(dispatcher, tracker, items, intro)


class ActionCompleteLook(RecommendationAction):
    """"What goes with this?"."""

    def name(self) -> Text:
        return "action_complete_look"

    async def respond(self, dispatcher, tracker, domain):
        article = focus_article(tracker)
        if not article:
            dispatcher.utter_message(text="Which piece would you like to style? Tap “What goes with it?” on its card.")
            return []
        intro = f"These would go beautifully with {title_of(tracker, article)}:"
        return await complete_look(dispatcher, tracker, article, intro, focus=True)
