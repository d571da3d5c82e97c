"""Conversations exported as CSV (one row per message) or JSON (one object per conversation),
written a batch of conversations at a time so that a large export streams."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List

from sqlalchemy.engine import Engine

from bot.review.flags import FLAG_NAMES
from bot.review.search import summaries
from bot.review.transcript import Turn, load_events, turns

BATCH = 200  # conversations per chunk of output
COLUMNS = ["conversation", "time", "speaker", "text", "tapped", "intent", "confidence", "entities", "cards"]
# A cell starting like this is a formula to a spreadsheet (CSV injection): prefixed with '.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="seconds")


def message(turn: Turn) -> Dict[str, Any]:
    """One shopper or bot message, in plain data."""
    return {
        "time": iso(turn.time),
        "speaker": turn.kind,
        "text": turn.text,
        "tapped": turn.tapped,
        "intent": turn.intent,
        "confidence": turn.confidence,
        "entities": [{"entity": name, "value": value} for name, value in turn.entities],
        "buttons": [title for title, _ in turn.buttons],
        "cards": [
            {"article_id": c.article_id, "title": c.title, "detail": c.detail, "image_url": c.image_url}
            for c in turn.cards
        ],
    }


def messages(events: List[Dict]) -> List[Dict[str, Any]]:
    return [message(turn) for turn in turns(events) if turn.kind != "session"]


def safe_cell(value: Any) -> Any:
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def csv_row(sender_id: str, item: Dict[str, Any]) -> List[Any]:
    return [safe_cell(value) for value in (
        sender_id, item["time"], item["speaker"], item["text"], item["tapped"], item["intent"],
        "" if item["confidence"] is None else round(item["confidence"], 4),
        "; ".join(f"{e['entity']}={e['value']}" for e in item["entities"]),
        "; ".join(f"{c['article_id']} {c['title']}".strip() for c in item["cards"]),
    )]


def csv_text(rows: Iterable[List[Any]], header: bool) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if header:
        writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()


def conversation_json(summary: Any, events: List[Dict]) -> Dict[str, Any]:
    return {
        "conversation": summary.sender_id,
        "started_at": iso(summary.started_at),
        "channel": summary.channel,
        "customer_id": summary.customer_id,
        "turns": summary.turns,
        "flags": [name for name in FLAG_NAMES if getattr(summary, name)],
        "messages": messages(events),
    }


class Document:
    """One export being written, a piece at a time: opening(), batch() per list of conversations,
    closing(). The route sends each piece as it comes."""

    def __init__(self, fmt: str, filters: Dict[str, str]):
        self.fmt, self.filters = fmt, filters
        self.written = 0  # conversations in the document so far

    def opening(self) -> str:
        if self.fmt == "csv":
            return csv_text([], header=True)
        head = {"exported_at": iso(datetime.now(timezone.utc).timestamp()), "filters": self.filters}
        return json.dumps(head, ensure_ascii=False)[:-1] + ', "conversations": [\n'

    def batch(self, engine: Engine, sender_ids: List[str]) -> str:
        events = load_events(engine, sender_ids)
        if self.fmt == "csv":
            self.written += len(sender_ids)
            return csv_text((csv_row(s, item) for s in sender_ids for item in messages(events.get(s, []))), header=False)
        found = summaries(engine, sender_ids)
        objects = [json.dumps(conversation_json(found[s], events.get(s, [])), ensure_ascii=False)
                   for s in sender_ids if s in found]
        separator = ",\n" if self.written and objects else ""
        self.written += len(objects)
        return separator + ",\n".join(objects)

    def closing(self) -> str:
        return "" if self.fmt == "csv" else "\n]}\n"
