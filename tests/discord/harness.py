"""A fake Discord API on 127.0.0.1 that the unmodified discord.py client talks to: REST routes and the gateway.

What it does, in Discord's words:

- the gateway: HELLO, heartbeat ACKs, IDENTIFY → READY and one GUILD_CREATE per guild; then any dispatch the
  test asks for, above all INTERACTION_CREATE for slash commands (with options, resolved channels and
  attachments), autocomplete and component clicks (buttons, selects);
- REST: log in, application info, command sync (kept, and used to build invocations the way Discord's client
  would), interaction callbacks, webhook followups and edits of the original response, channel posts
  (with `enforce_nonce` deduplication), DM channels, and a CDN serving the attachments a test uploads;
- it rejects what Discord rejects, with Discord's error codes: message and embed limits, more than 10 embeds,
  component limits, an interaction answered after 3 s or twice, unknown interaction or webhook tokens, an
  autocomplete answered with a message or with more than 25 choices, a post to a missing channel or without
  permission. Every rejection is also a *violation* that fails the test unless the test expects it.

Every request the bot makes is recorded (`FakeDiscord.requests`). Tests drive it with `invoke`, `autocomplete`
and `Exchange.click`/`Exchange.choose`, which return once the bot's handler tasks have finished.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import yarl
from aiohttp import web
from discord.gateway import DiscordWebSocket
from discord.http import Route

API = "/api/v10"
DEADLINE = 3.0  # seconds Discord gives a bot to send the initial response
SETTLE_TIMEOUT = 120.0  # seconds a handler may keep working after its initial response (the real model is slow)

ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_HISTORY = 1 << 16
USE_COMMANDS = 1 << 31
MEMBER_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_HISTORY | USE_COMMANDS
ADMIN_PERMISSIONS = MEMBER_PERMISSIONS | MANAGE_GUILD | MANAGE_CHANNELS

EPHEMERAL = 1 << 6
LOADING = 1 << 7

# interaction types and callback types
PING, COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
PONG, MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE, CHOICES, MODAL = 1, 4, 5, 6, 7, 8, 9
ALLOWED_CALLBACKS = {
    COMMAND: {MESSAGE, DEFERRED_MESSAGE, MODAL},
    COMPONENT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE, MODAL},
    AUTOCOMPLETE: {CHOICES},
    MODAL_SUBMIT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE},
}
STRING, INTEGER, BOOLEAN, CHANNEL, NUMBER, ATTACHMENT = 3, 4, 5, 7, 10, 11
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2

_ids = itertools.count(1)


def snowflake() -> int:
    """A fresh Discord id that sorts by creation time like the real ones."""
    millis = int(datetime.now(UTC).timestamp() * 1000) - 1420070400000
    return (millis << 22) + next(_ids) % (1 << 22)


def _now() -> str:
    return datetime.now(UTC).isoformat()


class DiscordError(Exception):
    """An error response, shaped as Discord's: HTTP status, JSON code and message, optional field errors."""

    def __init__(self, status: int, code: int, message: str, errors: dict | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status, self.code, self.message, self.errors = status, code, message, errors

    def describe(self) -> str:
        """'400 50035 Invalid Form Body: embeds.0.description: Must be 4096 or fewer in length.'"""
        found = []

        def walk(node: dict[str, Any], path: list[str]) -> None:
            for key, value in node.items():
                if key == "_errors":
                    found.extend(f"{'.'.join(path)}: {e['message']}" for e in value)
                else:
                    walk(value, [*path, key])

        walk(self.errors or {}, [])
        return "; ".join([str(self), *found])

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors:
            body["errors"] = self.errors
        return body


def _form_error(path: str, message: str, code: str = "BASE_TYPE_MAX_LENGTH") -> DiscordError:
    """400 Invalid Form Body with the offending field nested like Discord does (embeds.0.description)."""
    errors: dict[str, Any] = {"_errors": [{"code": code, "message": message}]}
    for part in reversed(path.split(".")):
        errors = {part: errors}
    return DiscordError(400, 50035, "Invalid Form Body", errors)


# ---- what Discord accepts ---------------------------------------------------------------------------------

EMBED_LIMITS = {"title": 256, "description": 4096}


def _check_length(value: object, limit: int, path: str, *, required: bool = False) -> None:
    text = "" if value is None else str(value)
    if required and not text.strip():
        raise _form_error(path, "This field is required", "BASE_TYPE_REQUIRED")
    if len(text) > limit:
        raise _form_error(path, f"Must be {limit} or fewer in length.")


def embed_size(embed: dict[str, Any]) -> int:
    """Characters Discord counts toward an embed's and a message's 6,000 (computed here independently)."""
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    size += len((embed.get("footer") or {}).get("text") or "") + len((embed.get("author") or {}).get("name") or "")
    return size + sum(len(f.get("name") or "") + len(f.get("value") or "") for f in embed.get("fields") or [])


def validate_embeds(embeds: list[dict[str, Any]]) -> None:
    """Discord's embed limits: 10 per message, title 256, description 4096, 25 fields, 6000 in all."""
    if len(embeds) > 10:
        raise _form_error("embeds", "Must be 10 or fewer in length.")
    for n, embed in enumerate(embeds):
        for key, limit in EMBED_LIMITS.items():
            _check_length(embed.get(key), limit, f"embeds.{n}.{key}")
        fields = embed.get("fields") or []
        if len(fields) > 25:
            raise _form_error(f"embeds.{n}.fields", "Must be 25 or fewer in length.")
        for i, item in enumerate(fields):
            _check_length(item.get("name"), 256, f"embeds.{n}.fields.{i}.name", required=True)
            _check_length(item.get("value"), 1024, f"embeds.{n}.fields.{i}.value", required=True)
        _check_length((embed.get("footer") or {}).get("text"), 2048, f"embeds.{n}.footer.text")
        _check_length((embed.get("author") or {}).get("name"), 256, f"embeds.{n}.author.name")
        url = embed.get("url")
        if url and not re.match(r"https?://", url):
            raise _form_error(f"embeds.{n}.url", "Not a well formed URL.", "URL_TYPE_INVALID_URL")
    if sum(embed_size(e) for e in embeds) > 6000:
        raise _form_error("embeds", "Embed size exceeds maximum size of 6000", "MAX_EMBED_SIZE_EXCEEDED")


def validate_components(rows: list[dict[str, Any]]) -> None:
    """Up to 5 action rows of up to 5 buttons or one select; labels 80, custom ids 100 and unique."""
    if len(rows) > 5:
        raise _form_error("components", "Must be 5 or fewer in length.")
    seen: set[str] = set()
    for r, row in enumerate(rows):
        if row.get("type") != 1:
            raise _form_error(f"components.{r}.type", "Expected an action row", "COMPONENT_TYPE_INVALID")
        items = row.get("components") or []
        selects = [c for c in items if c.get("type") in (3, 5, 6, 7, 8)]
        if not items or len(items) > 5 or (selects and len(items) > 1):
            raise _form_error(f"components.{r}.components", "Must be between 1 and 5 in length.")
        for c, item in enumerate(items):
            path = f"components.{r}.components.{c}"
            custom_id = item.get("custom_id")
            if item.get("type") == 2 and item.get("style") == 5:
                if not item.get("url"):
                    raise _form_error(f"{path}.url", "This field is required", "BASE_TYPE_REQUIRED")
            else:
                _check_length(custom_id, 100, f"{path}.custom_id", required=True)
                if custom_id in seen:
                    raise _form_error(f"{path}.custom_id", "Component custom id cannot be duplicated", "DUPLICATE")
                seen.add(custom_id)
            _check_length(item.get("label"), 80, f"{path}.label")
            _check_length(item.get("placeholder"), 150, f"{path}.placeholder")
            options = item.get("options")
            if item.get("type") == 3 and not 1 <= len(options or []) <= 25:
                raise _form_error(f"{path}.options", "Must be between 1 and 25 in length.")
            for o, option in enumerate(options or []):
                _check_length(option.get("label"), 100, f"{path}.options.{o}.label", required=True)
                _check_length(option.get("value"), 100, f"{path}.options.{o}.value", required=True)
                _check_length(option.get("description"), 100, f"{path}.options.{o}.description")


def validate_message(body: dict[str, Any], *, files: int = 0, edit: bool = False) -> None:
    """A message create or edit body as Discord checks it."""
    _check_length(body.get("content"), 2000, "content")
    validate_embeds(body.get("embeds") or [])
    validate_components(body.get("components") or [])
    if not edit and not (body.get("content") or body.get("embeds") or body.get("components") or files):
        raise DiscordError(400, 50006, "Cannot send an empty message")


def validate_choices(choices: list[dict[str, Any]]) -> None:
    """Autocomplete: at most 25 choices, names 1-100 characters, string values up to 100."""
    if len(choices) > 25:
        raise _form_error("data.choices", "Must be 25 or fewer in length.")
    for n, choice in enumerate(choices):
        _check_length(choice.get("name"), 100, f"data.choices.{n}.name", required=True)
        if isinstance(choice.get("value"), str):
            _check_length(choice["value"], 100, f"data.choices.{n}.value")


def pings(message: dict[str, Any]) -> list[str]:
    """Who a message would notify, given its content and allowed_mentions (embeds never ping)."""
    content = message.get("content") or ""
    allowed = message.get("allowed_mentions")
    parse = {"everyone", "users", "roles"} if allowed is None else set(allowed.get("parse") or [])
    users = set(allowed.get("users") or []) if allowed else set()
    found = []
    if "everyone" in parse:
        found += re.findall(r"@(?:everyone|here)", content)
    for kind, pattern in (("users", r"<@!?(\d+)>"), ("roles", r"<@&(\d+)>")):
        for target in re.findall(pattern, content):
            if kind in parse or target in users:
                found.append(f"{kind}:{target}")
    return found


def message_text(message: dict[str, Any]) -> str:
    """Everything a reader sees in a message: content, then each embed's author, title, description, fields, footer."""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [
            (embed.get("author") or {}).get("name") or "",
            embed.get("title") or "",
            embed.get("description") or "",
        ]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
        parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(p for p in parts if p)


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Every component of a message, in reading order."""
    return [item for row in message.get("components") or [] for item in row.get("components") or []]


# ---- the world the bot lives in ---------------------------------------------------------------------------


@dataclass
class User:
    id: int
    name: str
    permissions: int = MEMBER_PERMISSIONS
    accepts_dms: bool = True

    def payload(self) -> dict[str, Any]:
        return {"id": str(self.id), "username": self.name, "global_name": self.name, "discriminator": "0",
                "avatar": None, "bot": False, "public_flags": 0}  # fmt: skip


@dataclass
class Channel:
    id: int
    name: str
    guild_id: int | None
    type: int = 0  # 0 text, 1 DM
    bot_can_post: bool = True
    recipient_id: int | None = None  # DM channels
    bot_can_read_history: bool = True  # False: GET messages is refused (no Read Message History)

    def payload(self, bot_id: int = 0) -> dict[str, Any]:
        """The channel object; a channel closed to the bot denies it Send Messages by a member overwrite, as a
        server admin would, so the bot can tell from its cache (`permissions_for`)."""
        overwrites = [] if self.bot_can_post or not bot_id else [
            {"id": str(bot_id), "type": 1, "allow": "0", "deny": str(SEND_MESSAGES)}]  # fmt: skip
        data: dict[str, Any] = {"id": str(self.id), "type": self.type, "name": self.name, "position": 0,
                                "permission_overwrites": overwrites, "nsfw": False, "parent_id": None}  # fmt: skip
        if self.guild_id:
            data["guild_id"] = str(self.guild_id)
        return data


@dataclass
class Guild:
    id: int
    name: str
    channels: dict[str, Channel] = field(default_factory=dict)

    def payload(self, owner_id: int, bot: User) -> dict[str, Any]:
        """GUILD_CREATE: the guild, its channels, the @everyone role and the bot's own member (Discord always
        sends that one)."""
        me = {"user": {**bot.payload(), "bot": True}, "roles": [], "joined_at": _now(), "deaf": False, "mute": False,
              "flags": 0}  # fmt: skip
        everyone = {"id": str(self.id), "name": "@everyone", "permissions": str(MEMBER_PERMISSIONS), "position": 0,
                    "color": 0, "hoist": False, "managed": False, "mentionable": False, "flags": 0}  # fmt: skip
        return {
            "id": str(self.id), "name": self.name, "owner_id": str(owner_id), "roles": [everyone],
            "channels": [c.payload(bot.id) for c in self.channels.values()], "members": [me], "member_count": 3,
            "features": [], "emojis": [], "stickers": [], "threads": [], "stage_instances": [],
            "guild_scheduled_events": [], "soundboard_sounds": [], "voice_states": [], "presences": [],
            "large": False, "unavailable": False, "joined_at": _now(), "preferred_locale": "en-US",
            "premium_tier": 0, "mfa_level": 0, "verification_level": 0, "default_message_notifications": 0,
        }  # fmt: skip


@dataclass
class Attachment:
    """A file a user attached; the CDN serves it, or answers `cdn_fault` (an HTTP status, or "hang": never)."""

    id: int
    filename: str
    data: bytes
    content_type: str
    url: str
    cdn_fault: int | str | None = None

    def payload(self) -> dict[str, Any]:
        return {"id": str(self.id), "filename": self.filename, "size": len(self.data), "url": self.url,
                "proxy_url": self.url, "content_type": self.content_type}  # fmt: skip


@dataclass
class Request:
    """One HTTP request the bot made, and the status the fake answered."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int = 0


@dataclass
class Failure:
    """An error the test wants the next matching request(s) to get; `after_create` answers the error although
    the message was created (what a 5xx can mean at Discord)."""

    method: str
    path: re.Pattern[str]
    error: DiscordError
    times: int = 1
    after_create: bool = False
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class InteractionState:
    id: int
    token: str
    type: int
    payload: dict[str, Any]
    user: User
    created: float
    clicked_message_id: int | None = None
    response_type: int | None = None
    original_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    choices: list[dict[str, Any]] | None = None
    acknowledged: asyncio.Event = field(default_factory=asyncio.Event)
    attempted: bool = False  # the bot sent an initial response, accepted or not
    expired: bool = False


RECORD = web.RequestKey("record", Request)
FILES = web.RequestKey("files", int)


class FakeDiscord:
    """The fake API server and its state. Start with `await start()`; point discord.py at `base_url`/`gateway_url`."""

    def __init__(self, token: str = "fake-token") -> None:
        self.token = token
        self.app_id = snowflake()
        self.bot = User(self.app_id, "Colloquy")
        self.owner = User(snowflake(), "operator")
        self.guilds: dict[int, Guild] = {}
        self.users: dict[int, User] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        self.history: dict[int, list[dict[str, Any]]] = {}  # message id → every version, oldest first
        self.attachments: dict[int, Attachment] = {}
        self.interactions: dict[str, InteractionState] = {}
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.requests: list[Request] = []
        self.violations: list[str] = []
        self.failures: list[Failure] = []
        self.sockets: list[web.WebSocketResponse] = []
        self.identified = asyncio.Event()
        self.sequence = 0
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._expected: list[re.Pattern[str]] = []
        self._closing = asyncio.Event()
        self.cdn_requests: list[str] = []  # paths of every download from the CDN
        self.expired_nonces: set[int] = set()  # messages whose nonce no longer deduplicates (see expire_nonces)

    # ---- lifecycle ------------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        app = web.Application(middlewares=[self._record], client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/cdn/{attachment_id}/{filename}", self._cdn)
        app.router.add_route("*", API + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # port 0: ask the OS

    async def close(self) -> None:
        self._closing.set()
        for ws in list(self.sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """What `discord.http.Route.BASE` must be."""
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        """What `discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY` must be."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    # ---- the world ------------------------------------------------------------------------------------------

    def add_guild(self, name: str, channels: tuple[str, ...] = ("general", "digest")) -> Guild:
        """A guild the bot is in (announced at IDENTIFY, or with `announce` once connected)."""
        guild = Guild(snowflake(), name)
        for channel_name in channels:
            channel = Channel(snowflake(), channel_name, guild.id)
            guild.channels[channel_name] = channel
            self.channels[channel.id] = channel
        self.guilds[guild.id] = guild
        return guild

    async def announce(self, guild: Guild) -> None:
        """GUILD_CREATE: the bot joins a guild while connected."""
        await self.dispatch("GUILD_CREATE", guild.payload(self.owner.id, self.bot))

    async def set_bot_can_post(self, channel: Channel, allowed: bool) -> None:
        """A server admin opens or closes a channel to the bot: posts there are refused (403) and CHANNEL_UPDATE
        tells the bot, as Discord does."""
        channel.bot_can_post = allowed
        await self.dispatch("CHANNEL_UPDATE", channel.payload(self.bot.id))

    def user(self, name: str, permissions: int = MEMBER_PERMISSIONS) -> User:
        """A Discord user (a member with these permissions in any guild)."""
        user = User(snowflake(), name, permissions)
        self.users[user.id] = user
        return user

    def upload(
        self, filename: str, data: bytes, content_type: str = "text/plain; charset=utf-8", *,
        cdn_fault: int | str | None = None,
    ) -> Attachment:  # fmt: skip
        """A file a user attached to a command; served by the fake CDN, or not: `cdn_fault=404` (the file expired
        or was deleted), any other status, or "hang" (the CDN never answers)."""
        attachment_id = snowflake()
        url = f"http://127.0.0.1:{self.port}/cdn/{attachment_id}/{filename}"
        attachment = Attachment(attachment_id, filename, data, content_type, url, cdn_fault)
        self.attachments[attachment_id] = attachment
        return attachment

    def fail(
        self, method: str, path: str, status: int, *, code: int = 0, message: str = "", times: int = 1,
        after_create: bool = False, retry_after: float = 0.05,
    ) -> None:  # fmt: skip
        """Make the next `times` requests matching method and path (a regex on the path after /api/v10) fail."""
        headers = {}
        text = message or {403: "Missing Permissions", 404: "Unknown Channel", 429: "You are being rate limited."}.get(
            status, "Internal Server Error"
        )
        error = DiscordError(status, code, text)
        if status == 429:  # Discord's 429s come through Google's front end, with a JSON retry_after
            headers = {"Via": "1.1 google", "Retry-After": str(retry_after), "X-RateLimit-Scope": "user"}
            error.errors = None
            error.retry_after = retry_after  # type: ignore[attr-defined]  # carried to the body below
        self.failures.append(Failure(method, re.compile(path), error, times, after_create, headers))

    # ---- the gateway ----------------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None}))
        try:
            async for msg in ws:
                data = json.loads(msg.data)
                if data["op"] == 1:
                    await ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
                elif data["op"] == 2:
                    await self._identify(ws, data["d"])
        finally:
            self.sockets.remove(ws)
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if data.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        ready = {
            "v": 10, "user": {**self.bot.payload(), "bot": True, "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
            "session_id": secrets.token_hex(16), "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.app_id), "flags": 0},
        }  # fmt: skip
        await self.dispatch("READY", ready)
        for guild in self.guilds.values():
            await self.announce(guild)
        self.identified.set()

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway event to every connected client."""
        self.sequence += 1
        frame = json.dumps({"op": 0, "t": event, "s": self.sequence, "d": data})
        for ws in self.sockets:
            await ws.send_str(frame)

    # ---- REST -----------------------------------------------------------------------------------------------

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path.startswith("/cdn/") or request.path == "/gateway":
            return await handler(request)
        body: Any = None
        files = 0
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            body = json.loads(str(form.get("payload_json", "{}")))
            files = sum(1 for key in form if key.startswith("files["))
        elif request.can_read_body:
            body = await request.json()
        record = Request(request.method, request.path.removeprefix(API), dict(request.query), body)
        self.requests.append(record)
        request[RECORD], request[FILES] = record, files
        response = await handler(request)
        record.status = response.status
        return response

    @staticmethod
    def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
        # discord.py compares the content type with == 'application/json': no charset parameter
        return web.Response(
            body=json.dumps(data).encode(),
            status=status,
            headers={"Content-Type": "application/json", **(headers or {})},
        )

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        record = request[RECORD]
        failure = self._failure_for(record)
        try:
            if failure is not None and not failure.after_create:
                raise failure.error
            response = await self._route(record, request[FILES], request.headers.get("Authorization"))
            if failure is not None:
                raise failure.error
            return response
        except DiscordError as exc:
            if failure is None or exc is not failure.error:
                self.violation(f"{record.method} {record.path} rejected: {exc.describe()}")
            body = exc.body()
            if exc.status == 429:
                body = {"message": exc.message, "retry_after": exc.retry_after, "global": False}  # type: ignore[attr-defined]
            return self._json(body, exc.status, failure.headers if failure and exc is failure.error else None)

    def _failure_for(self, record: Request) -> Failure | None:
        for failure in self.failures:
            if failure.method == record.method and failure.path.fullmatch(record.path):
                failure.times -= 1
                if failure.times <= 0:
                    self.failures.remove(failure)
                return failure
        return None

    async def _route(self, record: Request, files: int, auth: str | None) -> web.Response:
        method, parts, body = record.method, record.path.strip("/").split("/"), record.body or {}
        if parts[0] == "interactions" and len(parts) == 4 and method == "POST":
            return self._json(self._callback(int(parts[1]), parts[2], body, files))
        if parts[0] == "webhooks":
            return self._webhook(method, parts, body, files, record.query)
        if auth != f"Bot {self.token}":
            raise DiscordError(401, 0, "401: Unauthorized")
        if parts == ["users", "@me"] and method == "GET":
            return self._json({**self.bot.payload(), "bot": True})
        if parts == ["oauth2", "applications", "@me"]:
            return self._json(self._application())
        if parts[0] == "gateway":
            return self._json({"url": self.gateway_url, "shards": 1, "session_start_limit": {
                "total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}})  # fmt: skip
        if parts[0] == "applications" and parts[-1] == "commands" and method in ("PUT", "GET"):
            guild = int(parts[3]) if len(parts) == 5 else None
            if method == "PUT":
                self._sync(body, guild)
            return self._json(self.guild_commands.get(guild, []) if guild else self.global_commands)
        if parts[0] == "channels" and len(parts) == 3 and parts[2] == "messages" and method == "POST":
            return self._json(self._post(int(parts[1]), body, files))
        if parts[0] == "channels" and len(parts) == 3 and parts[2] == "messages" and method == "GET":
            return self._json(self._channel_history(int(parts[1]), record.query))
        if parts[0] == "channels" and len(parts) == 2 and method == "GET":
            return self._json(self._channel(int(parts[1])).payload(self.bot.id))
        if parts == ["users", "@me", "channels"] and method == "POST":
            return self._json(self._dm_channel(int(body["recipient_id"])).payload())
        raise DiscordError(404, 0, f"404: Not Found (the fake has no route for {method} {record.path})")

    async def _cdn(self, request: web.Request) -> web.Response:
        attachment = self.attachments.get(int(request.match_info["attachment_id"]))
        self.cdn_requests.append(request.path)
        if attachment is None:
            return web.Response(status=404)
        if attachment.cdn_fault == "hang":  # never answers (until the fake closes): the client must give up
            await self._closing.wait()
            return web.Response(status=504)
        if attachment.cdn_fault is not None:
            return web.Response(status=attachment.cdn_fault, text="404: Not Found")
        return web.Response(body=attachment.data, content_type="application/octet-stream")

    def _application(self) -> dict[str, Any]:
        return {"id": str(self.app_id), "name": "Colloquy", "icon": None, "description": "", "bot_public": True,
                "bot_require_code_grant": False, "owner": self.owner.payload(), "team": None, "verify_key": "0" * 64,
                "flags": 0, "rpc_origins": [], "interactions_endpoint_url": None}  # fmt: skip

    def _sync(self, commands: list[dict[str, Any]], guild: int | None) -> None:
        """Bulk overwrite, with the checks Discord makes on names, descriptions and option counts."""
        stored = []
        for n, command in enumerate(commands):
            if not re.fullmatch(r"[-_\w]{1,32}", command["name"]) or command["name"] != command["name"].lower():
                raise _form_error(f"{n}.name", "Command name is invalid", "APPLICATION_COMMAND_INVALID_NAME")
            _check_length(command.get("description"), 100, f"{n}.description", required=command.get("type", 1) == 1)
            for path, options in _walk_options(command.get("options") or [], str(n)):
                if len(options) > 25:
                    raise _form_error(f"{path}.options", "Must be 25 or fewer in length.")
            stored.append({**command, "id": str(snowflake()), "application_id": str(self.app_id), "version": "1",
                           "guild_id": str(guild) if guild else None})  # fmt: skip
        if guild is None:
            self.global_commands = stored
        else:
            self.guild_commands[guild] = stored

    # ---- messages -------------------------------------------------------------------------------------------

    def _store(self, message: dict[str, Any]) -> dict[str, Any]:
        self.messages[int(message["id"])] = message
        self.history.setdefault(int(message["id"]), []).append(json.loads(json.dumps(message)))
        return message

    def _new_message(self, channel_id: int, body: dict[str, Any], **extra: Any) -> dict[str, Any]:
        message = {
            "id": str(snowflake()), "channel_id": str(channel_id), "type": 0, "author": {**self.bot.payload(),
            "bot": True}, "content": body.get("content") or "", "embeds": body.get("embeds") or [],
            "components": body.get("components") or [], "attachments": [], "mentions": [], "mention_roles": [],
            "mention_everyone": False, "pinned": False, "tts": False, "timestamp": _now(), "edited_timestamp": None,
            "flags": body.get("flags") or 0, "allowed_mentions": body.get("allowed_mentions"),
            "nonce": body.get("nonce"), **extra,
        }  # fmt: skip
        return self._store(message)

    def _edit(self, message: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        for key in ("content", "embeds", "components", "allowed_mentions"):
            if key in body:
                message[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
        message["flags"] = message["flags"] & ~LOADING
        message["edited_timestamp"] = _now()
        return self._store(message)

    def _channel(self, channel_id: int) -> Channel:
        channel = self.channels.get(channel_id)
        if channel is None:
            raise DiscordError(404, 10003, "Unknown Channel")
        return channel

    def _post(self, channel_id: int, body: dict[str, Any], files: int) -> dict[str, Any]:
        channel = self._channel(channel_id)
        if not channel.bot_can_post:
            raise DiscordError(403, 50013, "Missing Permissions")
        recipient = self.users.get(channel.recipient_id or 0)
        if recipient is not None and not recipient.accepts_dms:
            raise DiscordError(403, 50007, "Cannot send messages to this user")
        validate_message(body, files=files)
        if body.get("enforce_nonce") and body.get("nonce"):
            for message in self.messages.values():
                if (
                    message["channel_id"] == str(channel_id)
                    and message.get("nonce") == body["nonce"]
                    and int(message["id"]) not in self.expired_nonces
                ):
                    return message  # Discord returns the message created with that nonce instead of a second one
        return self._new_message(channel_id, body, guild_id=str(channel.guild_id) if channel.guild_id else None)

    def expire_nonces(self) -> None:
        """Let Discord's nonce deduplication window (a few minutes) pass for every message created so far."""
        self.expired_nonces.update(self.messages)

    def _channel_history(self, channel_id: int, query: dict[str, str]) -> list[dict[str, Any]]:
        """GET /channels/{id}/messages: newest first, `limit` (1-100) of those `before` or `after` a message id;
        like Discord, without the nonce the message was created with."""
        channel = self._channel(channel_id)
        if not channel.bot_can_read_history:
            raise DiscordError(403, 50001, "Missing Access")
        limit = int(query.get("limit", 50))
        if not 1 <= limit <= 100:
            raise _form_error("limit", "int value should be less than or equal to 100.", "NUMBER_TYPE_MAX")
        ids = sorted(int(m["id"]) for m in self.channel_messages(channel_id))
        if "after" in query:
            ids = [i for i in ids if i > int(query["after"])][:limit]
        else:
            ids = [i for i in ids if "before" not in query or i < int(query["before"])][-limit:]
        return [{k: v for k, v in self.messages[i].items() if k != "nonce"} for i in reversed(ids)]

    def _dm_channel(self, user_id: int) -> Channel:
        for channel in self.channels.values():
            if channel.recipient_id == user_id:
                return channel
        channel = Channel(snowflake(), "dm", None, type=1, recipient_id=user_id)
        self.channels[channel.id] = channel
        return channel

    def channel_messages(self, channel_id: int) -> list[dict[str, Any]]:
        """Messages in a channel (channel posts, and interaction replies made there), oldest first."""
        return [m for m in self.messages.values() if m["channel_id"] == str(channel_id)]

    def dm_messages(self, user: User) -> list[dict[str, Any]]:
        """Direct messages the bot sent to a user."""
        return [m for c in self.channels.values() if c.recipient_id == user.id for m in self.channel_messages(c.id)]

    # ---- interactions ---------------------------------------------------------------------------------------

    def _interaction(self, interaction_id: int, token: str) -> InteractionState:
        state = self.interactions.get(token)
        if state is None or state.id != interaction_id:
            raise DiscordError(404, 10062, "Unknown interaction")
        return state

    def _callback(self, interaction_id: int, token: str, body: dict[str, Any], files: int) -> dict[str, Any]:
        state = self._interaction(interaction_id, token)
        state.attempted = True
        loop_time = asyncio.get_running_loop().time()
        if state.response_type is not None:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        if state.expired or loop_time - state.created > DEADLINE:
            state.expired = True
            raise DiscordError(404, 10062, "Unknown interaction")
        kind, data = body.get("type"), body.get("data") or {}
        if kind not in ALLOWED_CALLBACKS[state.type]:
            raise _form_error("type", f"Interaction response type {kind} is invalid here", "INTERACTION_TYPE_INVALID")
        message = None
        if kind == CHOICES:
            validate_choices(data.get("choices") or [])
            state.choices = data.get("choices") or []
        elif kind in (MESSAGE, DEFERRED_MESSAGE):
            if kind == MESSAGE:
                validate_message(data, files=files)
            else:
                data = {"flags": (data.get("flags") or 0) & EPHEMERAL | LOADING}
            message = self._interaction_message(state, data)
            state.original_id = int(message["id"])
        elif kind == UPDATE:
            validate_message(data, files=files, edit=True)
            message = self._edit(self.messages[state.clicked_message_id], data)  # type: ignore[index]
            state.original_id = state.clicked_message_id
        elif kind == DEFERRED_UPDATE:
            state.original_id = state.clicked_message_id
        state.response_type = kind
        state.acknowledged.set()
        response: dict[str, Any] = {"interaction": {"id": str(state.id), "type": state.type}}
        if message is not None:
            response["interaction"]["response_message_id"] = message["id"]
            response["interaction"]["response_message_loading"] = bool(message["flags"] & LOADING)
            response["interaction"]["response_message_ephemeral"] = bool(message["flags"] & EPHEMERAL)
            response["resource"] = {"type": kind, "message": message}
        return response

    def _interaction_message(self, state: InteractionState, body: dict[str, Any]) -> dict[str, Any]:
        metadata = {"id": str(state.id), "type": state.type, "user": state.user.payload()}
        channel_id = int(state.payload["channel_id"])
        return self._new_message(channel_id, body, type=20 if state.type == COMMAND else 19,
                                 webhook_id=str(self.app_id), application_id=str(self.app_id),
                                 interaction_metadata=metadata)  # fmt: skip

    def _webhook(
        self, method: str, parts: list[str], body: dict[str, Any], files: int, query: dict[str, str]
    ) -> web.Response:
        if len(parts) < 3 or int(parts[1]) != self.app_id:
            raise DiscordError(404, 10015, "Unknown Webhook")
        state = self.interactions.get(parts[2])
        if state is None or state.response_type is None:
            raise DiscordError(404, 10015, "Unknown Webhook")
        if len(parts) == 3 and method == "POST":
            validate_message(body, files=files)
            original = self.messages.get(state.original_id or 0)
            if original is not None and original["flags"] & LOADING:
                # the first followup after a deferred reply replaces the "thinking…" message, keeping its flags
                return self._json(self._edit(original, body))
            message = self._interaction_message(state, body)
            state.followup_ids.append(int(message["id"]))
            return self._json(message)
        if len(parts) == 5 and parts[3] == "messages":
            message_id = state.original_id if parts[4] == "@original" else int(parts[4])
            mine = {state.original_id, *state.followup_ids}
            message = self.messages.get(message_id or 0)
            if message is None or message_id not in mine:
                raise DiscordError(404, 10008, "Unknown Message")
            if method == "GET":
                return self._json(message)
            if method == "PATCH":
                validate_message(body, files=files, edit=True)
                return self._json(self._edit(message, body))
            if method == "DELETE":
                del self.messages[int(message["id"])]
                return web.Response(status=204)
        raise DiscordError(404, 0, f"404: Not Found (no webhook route {method} {'/'.join(parts)})")

    # ---- driving the bot ------------------------------------------------------------------------------------

    def command(self, name: str, guild: Guild | None) -> dict[str, Any]:
        """A synced command by top-level name: the guild's own first, then the global ones."""
        for command in [*self.guild_commands.get(guild.id if guild else 0, []), *self.global_commands]:
            if command["name"] == name and command.get("type", 1) == 1:
                return command
        raise LookupError(f"no synced command /{name} (was the tree synced?)")

    async def invoke(
        self, command: str, *, user: User, guild: Guild | None, in_channel: Channel | None = None,
        crafted: bool = False, **options: Any,
    ) -> Exchange:  # fmt: skip
        """Run a slash command ('quote', 'digest subscribe') as `user` would from Discord's client, in
        `in_channel` (default: the guild's first channel, or a DM without a guild).

        The options are checked against the synced schema. Discord's client hides a command from members
        without its default permissions, and a server-only command in direct messages; `crafted=True` sends it
        anyway, as a hand-made request could.
        """
        schema = self.command(command.split()[0], guild)
        if guild is None and not crafted and 1 not in (schema.get("contexts") or [0, 1, 2]):
            raise PermissionError(f"Discord does not offer /{command} in direct messages")
        required = int(schema.get("default_member_permissions") or 0)
        if not crafted and required and (user.permissions & required) != required:
            raise PermissionError(f"Discord would not show /{command} to {user.name}")
        data = self._command_data(schema, command.split()[1:], options, focused=None)
        return await self._interact(COMMAND, data, user, guild, in_channel)

    async def autocomplete(
        self, command: str, focused: str, typed: str, *, user: User, guild: Guild | None, **options: Any
    ) -> list[dict[str, Any]]:
        """What the user sees while typing `typed` into option `focused`: the bot's choices."""
        schema = self.command(command.split()[0], guild)
        data = self._command_data(schema, command.split()[1:], {**options, focused: typed}, focused=focused)
        exchange = await self._interact(AUTOCOMPLETE, data, user, guild, None)
        assert exchange.state.choices is not None, "the bot did not answer the autocomplete"
        return exchange.state.choices

    def _command_data(
        self, schema: dict[str, Any], path: list[str], given: dict[str, Any], focused: str | None
    ) -> dict[str, Any]:
        resolved: dict[str, dict[str, Any]] = {}
        options_schema = schema.get("options") or []
        top: list[dict[str, Any]] = []
        holder = top
        for name in path:
            sub = next((o for o in options_schema if o["name"] == name and o["type"] in (1, 2)), None)
            if sub is None:
                raise LookupError(f"/{schema['name']} has no subcommand {name!r}")
            entry: dict[str, Any] = {"name": name, "type": sub["type"], "options": []}
            holder.append(entry)
            holder, options_schema = entry["options"], sub.get("options") or []
        unknown = set(given) - {o["name"] for o in options_schema}
        if unknown:
            raise LookupError(f"unknown options {sorted(unknown)} for /{schema['name']} {' '.join(path)}")
        for option in options_schema:
            name = option["name"]
            if name not in given or given[name] is None:
                if option.get("required") and focused is None:
                    raise ValueError(f"Discord's client requires option {name!r}")
                continue
            if name == focused:
                if not option.get("autocomplete"):
                    raise ValueError(f"option {name!r} has no autocomplete")
                holder.append({"name": name, "type": option["type"], "value": str(given[name]), "focused": True})
                continue
            holder.append({"name": name, "type": option["type"], "value": self._value(option, given[name], resolved)})
        data = {"id": schema["id"], "name": schema["name"], "type": 1, "options": top}
        if resolved:
            data["resolved"] = resolved
        if schema.get("guild_id"):
            data["guild_id"] = schema["guild_id"]
        return data

    def _value(self, option: dict[str, Any], value: Any, resolved: dict[str, dict[str, Any]]) -> Any:
        kind, name = option["type"], option["name"]
        if option.get("choices") and value not in [c["value"] for c in option["choices"]]:
            raise ValueError(f"{value!r} is not one of the choices Discord offers for {name!r}")
        if kind == STRING:
            text = str(value)
            if not option.get("min_length", 0) <= len(text) <= option.get("max_length", 6000):
                raise ValueError(f"Discord's client refuses {len(text)} characters for {name!r}")
            return text
        if kind in (INTEGER, NUMBER):
            number = int(value) if kind == INTEGER else float(value)
            low, high = option.get("min_value"), option.get("max_value")
            if (low is not None and number < low) or (high is not None and number > high):
                raise ValueError(f"Discord's client refuses {number} for {name!r} ({low}..{high})")
            return number
        if kind == BOOLEAN:
            return bool(value)
        if kind == CHANNEL:
            channel = value if isinstance(value, Channel) else self._channel(int(value))
            if option.get("channel_types") and channel.type not in option["channel_types"]:
                raise ValueError(f"Discord's client does not offer channel {channel.name} for {name!r}")
            resolved.setdefault("channels", {})[str(channel.id)] = {
                **channel.payload(self.bot.id), "permissions": str(ADMIN_PERMISSIONS)}  # fmt: skip
            return str(channel.id)
        if kind == ATTACHMENT:
            resolved.setdefault("attachments", {})[str(value.id)] = value.payload()
            return str(value.id)
        raise NotImplementedError(f"option type {kind} is not supported by the harness yet")

    async def _interact(
        self, kind: int, data: dict[str, Any], user: User, guild: Guild | None, channel: Channel | None,
        message: dict[str, Any] | None = None,
    ) -> Exchange:  # fmt: skip
        """Dispatch INTERACTION_CREATE, hold the bot to the 3 s deadline, and wait for its handler to finish."""
        if channel is None:
            channel = next(iter(guild.channels.values())) if guild else self._dm_channel(user.id)
        state = InteractionState(snowflake(), f"tok-{secrets.token_urlsafe(24)}", kind, {}, user,
                                 asyncio.get_running_loop().time())  # fmt: skip
        payload: dict[str, Any] = {
            "id": str(state.id), "application_id": str(self.app_id), "type": kind, "token": state.token,
            "version": 1, "data": data, "channel_id": str(channel.id), "channel": channel.payload(self.bot.id),
            "app_permissions": str(ADMIN_PERMISSIONS), "locale": "en-US", "entitlements": [],
            "attachment_size_limit": 26214400, "context": 0 if guild else 1,
        }  # fmt: skip
        if guild is not None:
            payload.update(guild_id=str(guild.id), guild_locale="en-US", member={
                "user": user.payload(), "roles": [], "joined_at": _now(), "deaf": False, "mute": False,
                "flags": 0, "pending": False, "nick": None, "avatar": None, "premium_since": None,
                "permissions": str(user.permissions)})  # fmt: skip
            payload["authorizing_integration_owners"] = {"0": str(guild.id)}
        else:
            payload["user"] = user.payload()
            payload["authorizing_integration_owners"] = {"1": str(user.id)}
        if message is not None:
            payload["message"] = message
            state.clicked_message_id = int(message["id"])
        state.payload = payload
        self.interactions[state.token] = state
        before = asyncio.all_tasks()
        await self.dispatch("INTERACTION_CREATE", payload)
        await self._await_initial_response(state, before)
        await self._settle(before)
        return Exchange(self, state)

    async def _await_initial_response(self, state: InteractionState, before: set[asyncio.Task[Any]]) -> None:
        """Wait for the initial response; Discord gives up after 3 s (we stop early once a rejected bot is done)."""
        loop = asyncio.get_running_loop()
        while not state.acknowledged.is_set():
            if state.attempted and not _handler_tasks(before):
                self.violation(
                    f"the handler ended without an initial response to {_describe(state.type, state.payload['data'])}"
                )
                return
            if loop.time() - state.created > DEADLINE:
                state.expired = True
                self.violation(
                    f"no initial response within {DEADLINE:.0f} s to {_describe(state.type, state.payload['data'])}"
                )
                return
            await asyncio.sleep(0.005)

    async def _settle(self, before: set[asyncio.Task[Any]]) -> None:
        """Wait for the handler tasks discord.py started for this interaction (tree, views, events)."""
        deadline = asyncio.get_running_loop().time() + SETTLE_TIMEOUT
        while True:
            pending = _handler_tasks(before)
            if not pending:
                return
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                self.violation(f"handler still running after {SETTLE_TIMEOUT:.0f} s: {pending}")
                return
            await asyncio.wait(pending, timeout=remaining)

    # ---- test bookkeeping -----------------------------------------------------------------------------------

    def violation(self, text: str) -> None:
        """Something Discord would have rejected; fails the test unless expected."""
        if any(p.search(text) for p in self._expected):
            return
        self.violations.append(text)

    @contextmanager
    def expect_rejection(self, pattern: str) -> Iterator[list[str]]:
        """Within the block, rejections matching `pattern` are expected (tests of the harness and of failures)."""
        compiled = re.compile(pattern)
        self._expected.append(compiled)
        seen: list[str] = []
        start = len(self.requests)
        try:
            yield seen
        finally:
            self._expected.remove(compiled)
            seen += [f"{r.method} {r.path} {r.status}" for r in self.requests[start:] if r.status >= 400]

    def take_violations(self) -> list[str]:
        found, self.violations = self.violations, []
        return found


HANDLER_TASKS = (
    "CommandTree-invoker",
    "discord-ui-view-dispatch",
    "discord-ui-dynamic-item",
    "discord-ui-modal",
    "discord.py: on_interaction",
)


def _handler_tasks(before: set[asyncio.Task[Any]]) -> list[asyncio.Task[Any]]:
    """The tasks discord.py started since `before` to handle an interaction, still running."""
    return [t for t in asyncio.all_tasks() - before if not t.done() and t.get_name().startswith(HANDLER_TASKS)]


def _walk_options(options: list[dict[str, Any]], path: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    yield path, options
    for n, option in enumerate(options):
        if option.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
            yield from _walk_options(option.get("options") or [], f"{path}.options.{n}")


def _describe(kind: int, data: dict[str, Any]) -> str:
    if kind == COMPONENT:
        return f"a click on {data.get('custom_id')!r}"
    names = [data.get("name", "")]
    options = data.get("options") or []
    while options and options[0].get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
        names.append(options[0]["name"])
        options = options[0].get("options") or []
    return ("autocomplete of /" if kind == AUTOCOMPLETE else "/") + " ".join(names)


class Exchange:
    """One interaction as the user sees it: the reply (after every edit), followups, autocomplete choices."""

    def __init__(self, fake: FakeDiscord, state: InteractionState) -> None:
        self.fake, self.state = fake, state

    @property
    def original(self) -> dict[str, Any] | None:
        """The original response message, as it reads now (None if the bot never made one)."""
        return self.fake.messages.get(self.state.original_id or 0)

    @property
    def followups(self) -> list[dict[str, Any]]:
        return [self.fake.messages[i] for i in self.state.followup_ids if i in self.fake.messages]

    @property
    def messages(self) -> list[dict[str, Any]]:
        """Every message this interaction produced, in order."""
        return [m for m in (self.original, *self.followups) if m is not None]

    @property
    def versions(self) -> list[dict[str, Any]]:
        """Every state the original response went through (the deferral, progress edits, the final reply)."""
        return self.fake.history.get(self.state.original_id or 0, [])

    @property
    def ephemeral(self) -> bool:
        """True when only the invoking user sees what this interaction produced."""
        return bool(self.messages) and all(m["flags"] & EPHEMERAL for m in self.messages)

    @property
    def text(self) -> str:
        """All the text the user sees across the messages."""
        return "\n".join(message_text(m) for m in self.messages)

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return [e for m in self.messages for e in m.get("embeds") or []]

    def component(self, label: str, message: dict[str, Any] | None = None) -> dict[str, Any]:
        """A button (by label) or select (by placeholder) on the reply."""
        for item in buttons(message or self.original or {}):
            if label in (item.get("label"), item.get("placeholder"), item.get("custom_id")):
                return item
        shown = [i.get("label") or i.get("placeholder") for i in buttons(message or self.original or {})]
        raise LookupError(f"no component {label!r} on the message; it has {shown}")

    async def click(self, label: str, *, user: User | None = None, message: dict[str, Any] | None = None) -> Exchange:
        """Click a button as the user (default: whoever ran the command)."""
        message = message or self.original
        assert message is not None, "no message to click on"
        item = self.component(label, message)
        if item.get("disabled"):
            raise PermissionError(f"button {label!r} is disabled; Discord's client cannot click it")
        data = {"custom_id": item["custom_id"], "component_type": item["type"]}
        return await self._component(data, message, user)

    async def choose(self, placeholder: str, *values: str, user: User | None = None) -> Exchange:
        """Pick values in a select menu."""
        message = self.original
        assert message is not None
        item = self.component(placeholder, message)
        offered = [o["value"] for o in item.get("options") or []]
        if any(v not in offered for v in values):
            raise ValueError(f"{values} are not all among the options {offered}")
        data = {"custom_id": item["custom_id"], "component_type": item["type"], "values": list(values)}
        return await self._component(data, message, user)

    async def _component(self, data: dict[str, Any], message: dict[str, Any], user: User | None) -> Exchange:
        guild_id = self.state.payload.get("guild_id")
        guild = self.fake.guilds.get(int(guild_id)) if guild_id else None
        channel = self.fake.channels[int(message["channel_id"])]
        return await self.fake._interact(COMPONENT, data, user or self.state.user, guild, channel, message)


@asynccontextmanager
async def serve_fake() -> AsyncIterator[FakeDiscord]:
    """A started fake with discord.py pointed at it; the two class attributes are restored on exit."""
    server = FakeDiscord()
    await server.start()
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = server.base_url  # REST, interaction callbacks, webhooks and followups
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(server.gateway_url)
    try:
        yield server
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway
        await server.close()


class ErrorLog(logging.Handler):
    """Collects ERROR records from every logger: discord.py's CommandTree and views only log handler exceptions."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def take(self) -> list[str]:
        found = [f"{r.name}: {r.getMessage()}" + (f" ({r.exc_info[1]!r})" if r.exc_info else "") for r in self.records]
        self.records = []
        return found
