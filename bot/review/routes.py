"""The review app's pages, at /review: a sanic Blueprint the web server registers
(`app.blueprint(review_blueprint(config))`). Every page but the sign-in form needs a signed-in
reviewer. Database work runs in threads (SQLAlchemy is synchronous), never on the event loop."""
from __future__ import annotations

import asyncio
import logging
import re
import threading
from datetime import datetime, timezone
from functools import wraps
from pathlib import Path
from typing import Optional
from urllib.parse import urlencode

from sanic import Blueprint, Request, response
from sanic.exceptions import NotFound

from bot.config import WebConfig
from bot.review import accounts, dashboard, deletion, export, search
from bot.review.db import connect
from bot.review.flags import FLAGS
from bot.review.index import Index
from bot.review.sessions import COOKIE, Sessions, clear_cookie, secret, set_cookie
from bot.review.transcript import load_events, turns
from bot.templating import environment, render

logger = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
PREFIX = "/review"
SECURITY_HEADERS = {
    # no script at all; photos from the catalog's own server, wherever that is
    "Content-Security-Policy": "default-src 'none'; img-src 'self' http: https:; "
    "style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",  # conversations are personal data
}
EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def when(timestamp: Optional[float], pattern: str = "%Y-%m-%d %H:%M") -> str:
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime(pattern)


def link(path: str, params: Optional[dict] = None, **more) -> str:
    """A /review address with a query string (the template escapes it for HTML)."""
    query = urlencode({k: v for k, v in {**(params or {}), **more}.items() if v not in (None, "")})
    return f"{PREFIX}{path}" + (f"?{query}" if query else "")


def templates():
    env = environment(HERE / "templates")
    env.filters["when"] = when
    env.globals.update(link=link, FLAGS=FLAGS)
    return env


def safe_next(target: str) -> str:
    """Where to go after signing in: a page of this app only (no open redirect)."""
    return target if re.match(r"^/review(/[^/\\]|/?$|\?)", target or "") else f"{PREFIX}/"


def filename(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", text)[:80]


class Review:
    """What the pages share: the index on the tracker store's database (opened on first use, so
    the server starts even while the database is still coming up), sessions and accounts."""

    def __init__(self, config: WebConfig):
        self.config = config
        self.sessions = Sessions(secret(config.var_dir, config.web_secret))
        self.templates = templates()
        self._index: Optional[Index] = None
        self._opening = threading.Lock()
        self.indexing: Optional[asyncio.Task] = None

    def index(self) -> Index:
        with self._opening:
            if self._index is None:
                self._index = Index(connect(self.config.tracker_db_url))
            return self._index

    def reviewer(self, request: Request) -> Optional[str]:
        """Who is signed in: a valid session of an account that still exists (removing an
        account ends its sessions at once)."""
        name = self.sessions.reviewer(request.cookies.get(COOKIE))
        return name if name and name in accounts.load(self.config.review_accounts) else None

    def fresh(self) -> Index:
        """The index, brought up to date with what Rasa wrote since the last look."""
        index = self.index()
        index.refresh()
        return index

    def page(self, request: Request, template: str, status: int = 200, **context):
        cookie = request.cookies.get(COOKIE, "")
        return render(
            self.templates, template, status=status, section=template.removesuffix(".html"),
            reviewer=getattr(request.ctx, "reviewer", None),
            form_token=self.sessions.form_token(cookie) if cookie else "", **context,
        )


def review_blueprint(config: WebConfig) -> Blueprint:
    review = Review(config)
    blueprint = Blueprint("review", url_prefix=PREFIX)
    blueprint.static("/static", str(HERE / "static"), name="static")

    def signed_in(handler):
        @wraps(handler)
        async def guarded(request: Request, *args, **kwargs):
            reviewer = review.reviewer(request)
            if not reviewer:
                if request.method == "GET":
                    target = request.path + (f"?{request.query_string}" if request.query_string else "")
                    return response.redirect(link("/login", next=target))
                return response.text("Sign in first.", status=401)
            request.ctx.reviewer = reviewer
            return await handler(request, *args, **kwargs)

        return guarded

    def form_checked(request: Request) -> bool:
        cookie = request.cookies.get(COOKIE, "")
        return review.sessions.form_token_matches(cookie, request.form.get("token", ""))

    @blueprint.listener("after_server_start")
    async def index_in_background(_app, loop):
        """Summarise what is already stored while the first reviewer signs in."""
        async def initial():
            try:
                await asyncio.to_thread(review.fresh)
            except Exception:  # the database may be down still: pages retry on their own
                logger.exception("could not index the tracker store yet")

        review.indexing = loop.create_task(initial())  # held: the loop keeps only weak references

    @blueprint.on_response  # a blueprint's middleware runs for its own routes only
    async def security_headers(_request: Request, resp):
        for name, value in SECURITY_HEADERS.items():
            resp.headers.setdefault(name, value)

    @blueprint.get("/login")
    async def login_form(request: Request):
        if review.reviewer(request):
            return response.redirect(safe_next(request.args.get("next", "")))
        return review.page(request, "login.html", next=safe_next(request.args.get("next", "")), account="",
                           error="", no_accounts=not accounts.load(config.review_accounts))

    @blueprint.post("/login")
    async def login(request: Request):
        name, password = request.form.get("name", ""), request.form.get("password", "")
        target = safe_next(request.form.get("next", ""))
        if not await asyncio.to_thread(accounts.check, config.review_accounts, name, password):
            return review.page(request, "login.html", status=401, next=target, account=name,
                               error="Wrong name or password.", no_accounts=False)
        answer = response.redirect(target, status=303)
        set_cookie(answer, review.sessions.issue(name), secure=request.scheme == "https")
        return answer

    @blueprint.post("/logout")
    @signed_in
    async def logout(request: Request):
        answer = response.redirect(link("/login"), status=303)
        clear_cookie(answer)
        return answer

    @blueprint.get("/")
    @signed_in
    async def conversations(request: Request):
        filters = search.Filters.from_args(request.args)
        number = int(request.args.get("page", "1")) if request.args.get("page", "1").isdigit() else 1
        index = await asyncio.to_thread(review.fresh)
        found = await asyncio.to_thread(search.page, index.engine, filters, number)
        return review.page(request, "list.html", filters=filters, found=found)

    @blueprint.get("/conversation")
    @signed_in
    async def conversation(request: Request):
        sender_id = request.args.get("id", "")
        index = await asyncio.to_thread(review.fresh)
        summary = await asyncio.to_thread(search.summary, index.engine, sender_id)
        stored = await asyncio.to_thread(load_events, index.engine, [sender_id])
        if summary is None or not stored.get(sender_id):
            raise NotFound("No such conversation (it may have been deleted).")
        return review.page(request, "conversation.html", summary=summary, turns=turns(stored[sender_id]))

    @blueprint.get("/export.csv", name="export_csv")
    @blueprint.get("/export.json", name="export_json")
    @signed_in
    async def export_conversations(request: Request):
        """One conversation (?id=) or every one the filters select, streamed in batches."""
        fmt = request.path.rsplit(".", 1)[1]
        filters = search.Filters.from_args(request.args)
        sender_id = request.args.get("id", "")
        index = await asyncio.to_thread(review.fresh)
        ids = [sender_id] if sender_id else await asyncio.to_thread(search.matching_ids, index.engine, filters)
        name = f"conversation-{filename(sender_id)}" if sender_id else f"conversations-{when(datetime.now().timestamp(), '%Y%m%d-%H%M')}"
        document = export.Document(fmt, {"id": sender_id} if sender_id else filters.params())
        stream = await request.respond(
            content_type=EXPORT_TYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
        )
        await stream.send(document.opening())
        for start in range(0, len(ids), export.BATCH):
            await stream.send(await asyncio.to_thread(document.batch, index.engine, ids[start : start + export.BATCH]))
        await stream.send(document.closing())
        await stream.eof()

    @blueprint.get("/dashboard")
    @signed_in
    async def dashboard_page(request: Request):
        index = await asyncio.to_thread(review.fresh)
        filters = await asyncio.to_thread(dashboard.window, index.engine, search.Filters.from_args(request.args))
        days = await asyncio.to_thread(dashboard.daily, index.engine, filters)
        return review.page(request, "dashboard.html", filters=filters, days=days, total=dashboard.totals(days))

    @blueprint.get("/dashboard/<name:str>")
    @signed_in
    async def dashboard_chart(request: Request, name: str):
        draw = dashboard.CHARTS.get(name.removesuffix(".svg"))
        if not draw or not name.endswith(".svg"):
            raise NotFound("No such chart.")
        index = await asyncio.to_thread(review.fresh)
        filters = await asyncio.to_thread(dashboard.window, index.engine, search.Filters.from_args(request.args))
        days = await asyncio.to_thread(dashboard.daily, index.engine, filters)
        svg = await asyncio.to_thread(draw, days)
        return response.text(svg, content_type="image/svg+xml")

    @blueprint.get("/customers/delete")
    @signed_in
    async def confirm_deletion(request: Request):
        customer = request.args.get("customer", "").strip()
        found = await asyncio.to_thread(deletion.customer_conversations, review.index(), customer) if customer else []
        return review.page(request, "delete.html", customer=customer, found=found, error="")

    @blueprint.post("/customers/delete")
    @signed_in
    async def delete_customer(request: Request):
        customer = request.form.get("customer", "").strip()
        if not form_checked(request):
            return response.text("This form has expired: open it again.", status=403)
        if not customer or request.form.get("confirm", "").strip() != customer:
            found = await asyncio.to_thread(deletion.customer_conversations, review.index(), customer)
            return review.page(request, "delete.html", status=400, customer=customer, found=found,
                               error="Type the customer id exactly to confirm.")
        done = await asyncio.to_thread(deletion.delete_customer, review.index(), customer, request.ctx.reviewer)
        logger.info("%s deleted %d conversations of a customer", request.ctx.reviewer, done.conversations)
        return response.redirect(link("/deletions", customer=customer, deleted=done.conversations), status=303)

    @blueprint.get("/deletions")
    @signed_in
    async def deletions(request: Request):
        rows = await asyncio.to_thread(deletion.log, review.index().engine)
        return review.page(request, "deletions.html", rows=rows, customer=request.args.get("customer", ""),
                           deleted=request.args.get("deleted", ""))

    return blueprint
