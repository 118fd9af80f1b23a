"""FakeDiscord: Discord's REST API and gateway on 127.0.0.1, for the real discord.py.

Every request body the bot sends and every JSON body the fake answers is checked against
Discord's OpenAPI description (tests/fakediscord/spec.py) and against the rules the spec does not
encode (tests/fakediscord/rules.py). Whatever Discord would refuse is answered with Discord's own
error AND recorded in `violations`, which the test fixtures assert empty at teardown.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import yarl
from aiohttp import BodyPartReader, web

from tests.fakediscord import rules
from tests.fakediscord.channels import ChannelEndpoints
from tests.fakediscord.core import (
    INVALID_FORM_BODY,
    UNAUTHORIZED,
    ApiCall,
    DiscordError,
    Reply,
    UploadedFile,
    json_response,
)
from tests.fakediscord.gateway import Gateway
from tests.fakediscord.interactions import InteractionRecord
from tests.fakediscord.spec import API_PREFIX, OpenApiSpec, load_spec
from tests.fakediscord.users import UserActions
from tests.fakediscord.webhooks import InteractionEndpoints
from tests.fakediscord.world import World, default_world

DEFAULT_TOKEN = "fake-token"
RESPONSE_DEADLINE_S = 3.0  # Discord drops an interaction not answered within 3 seconds
Handler = Callable[[ApiCall, dict[str, str]], Awaitable[Reply]]


@dataclass
class RateLimitRule:
    """Answer the next `times` matching requests with a 429 (a test hook)."""

    method: str | None
    path_contains: str
    retry_after: float
    times: int
    scope: str = "user"

    def matches(self, call: ApiCall) -> bool:
        return (
            self.times > 0
            and (self.method is None or self.method == call.method)
            and self.path_contains in call.path
        )


class FakeDiscord(ChannelEndpoints, InteractionEndpoints, UserActions):
    """The server. Start it with `await fake.start()`, point discord.py at it with
    `fake.patch_discord()` (or the fixtures), and drive it as users with the UserActions."""

    def __init__(
        self,
        world: World | None = None,
        *,
        token: str = DEFAULT_TOKEN,
        response_deadline: float = RESPONSE_DEADLINE_S,
        spec: OpenApiSpec | None = None,
    ) -> None:
        self.world = world or default_world()
        self.token = token
        self.response_deadline = response_deadline
        self.spec = spec or load_spec()
        self.gateway = Gateway(self.world, token)
        self.calls: list[ApiCall] = []
        self.violations: list[str] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}  # "global" or guild id -> synced
        self.messages: dict[str, list[dict[str, Any]]] = {}  # channel id -> visible messages
        self.message_index: dict[str, dict[str, Any]] = {}  # id -> any message, incl. ephemeral
        self.uploads: dict[str, UploadedFile] = {}  # attachment id -> bytes
        # (channel id, author id, nonce) -> (message id, when): enforced nonces
        self.nonces: dict[tuple[str, str, str], tuple[str, float]] = {}
        self.interactions: dict[str, InteractionRecord] = {}  # by interaction id
        self.rate_limits: list[RateLimitRule] = []
        self.base_url = ""
        self._runner: web.AppRunner | None = None
        self._restore_discord: Callable[[], None] = lambda: None

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/attachments/{channel}/{attachment}/{filename}", self._serve_upload)
        for method, path, handler, bot_auth in self._routes():
            app.router.add_route(method, API_PREFIX + path, self._endpoint(handler, bot_auth))
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._endpoint(self._unhandled, False))
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        self.gateway.url = f"ws://127.0.0.1:{port}/gateway"

    async def stop(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeDiscord:
        """Start, and point discord.py here until the block ends."""
        await self.start()
        self._restore_discord = self.patch_discord()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._restore_discord()
        await self.stop()

    def patch_discord(self) -> Callable[[], None]:
        """Point discord.py at this server; returns the function that undoes it."""
        import discord.http
        from discord.gateway import DiscordWebSocket

        saved = (discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
        discord.http.Route.BASE = self.base_url + API_PREFIX
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway.url)

        def restore() -> None:
            discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved

        return restore

    # ------------------------------------------------------------------ test hooks
    def rate_limit(
        self,
        path_contains: str,
        *,
        method: str | None = None,
        retry_after: float = 0.1,
        times: int = 1,
    ) -> RateLimitRule:
        rule = RateLimitRule(method, path_contains, retry_after, times)
        self.rate_limits.append(rule)
        return rule

    def take_violations(self) -> list[str]:
        """Return and forget the violations (for a test that provokes them on purpose)."""
        taken, self.violations = self.violations, []
        return taken

    def bodies(self, method: str, path_contains: str) -> list[Any]:
        return [c.body for c in self.calls if c.method == method and path_contains in c.path]

    def channel_messages(self, guild: str, channel: str) -> list[dict[str, Any]]:
        return self.messages.get(self.world.guild(guild).channel(channel).id, [])

    # ------------------------------------------------------------------ plumbing
    def _routes(self) -> list[tuple[str, str, Handler, bool]]:
        """(method, path, handler, needs the bot token): webhook and callback routes are
        authorised by the interaction token in their path instead."""
        app, channel = "/applications/{app}", "/channels/{channel}"
        message, webhook = "/channels/{channel}/messages/{message}", "/webhooks/{app}/{token}"
        with_bot_token: list[tuple[str, str, Handler]] = [
            ("GET", "/users/@me", self._me),
            ("GET", "/oauth2/applications/@me", self._application),
            ("GET", "/gateway/bot", self._gateway_bot),
            ("GET", f"{app}/commands", self._list_commands),
            ("PUT", f"{app}/commands", self._sync_commands),
            ("GET", f"{app}/guilds/{{guild}}/commands", self._list_commands),
            ("PUT", f"{app}/guilds/{{guild}}/commands", self._sync_commands),
            ("GET", channel, self._get_channel),
            ("GET", f"{channel}/messages", self._list_messages),
            ("POST", f"{channel}/messages", self._create_message),
            ("GET", message, self._get_message),
            ("PATCH", message, self._edit_message),
            ("DELETE", message, self._delete_message),
            ("POST", f"{message}/threads", self._thread_from_message),
            ("POST", f"{channel}/threads", self._thread_in_channel),
        ]
        without: list[tuple[str, str, Handler]] = [
            ("GET", "/gateway", self._gateway_url),
            ("POST", "/interactions/{interaction}/{token}/callback", self._callback),
            ("POST", webhook, self._followup),
            ("GET", f"{webhook}/messages/{{message}}", self._get_webhook_message),
            ("PATCH", f"{webhook}/messages/{{message}}", self._edit_webhook_message),
            ("DELETE", f"{webhook}/messages/{{message}}", self._delete_webhook_message),
        ]
        return [(m, p, h, True) for m, p, h in with_bot_token] + [
            (m, p, h, False) for m, p, h in without
        ]

    def _endpoint(
        self, handler: Handler, bot_auth: bool
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def serve(request: web.Request) -> web.Response:
            call = await self._read_call(request)
            self.calls.append(call)
            reply, headers = await self._process(request, call, handler, bot_auth)
            call.status, call.response = reply.status, reply.body
            self._note_refused_callback(call)
            self._check(self.spec.response_errors(call.method, call.path, reply.status, reply.body))
            return json_response(reply, {**self._rate_limit_headers(call), **headers})

        return serve

    async def _process(
        self, request: web.Request, call: ApiCall, handler: Handler, bot_auth: bool
    ) -> tuple[Reply, dict[str, str]]:
        for rule in self.rate_limits:
            if rule.matches(call):
                rule.times -= 1
                return self._too_many_requests(rule)
        authorization = request.headers.get("Authorization")
        if (bot_auth or authorization is not None) and authorization != f"Bot {self.token}":
            return Reply(401, {"code": UNAUTHORIZED, "message": "401: Unauthorized"}), {}
        problems = self.spec.request_errors(call.method, call.path, call.body)
        if problems:
            self._check(problems)
            return Reply(400, rules.invalid_form_body({"_spec": problems[0]})), {}
        try:
            return await handler(call, dict(request.match_info)), {}
        except DiscordError as error:
            return Reply(error.status, error.body), {}
        except Exception as error:  # a bug of the fake: fail the test, not just this request
            self.violations.append(f"the fake crashed on {call.method} {call.path}: {error!r}")
            return Reply(500, {"code": 0, "message": "500: Internal Server Error"}), {}

    def _note_refused_callback(self, call: ApiCall) -> None:
        if call.status < 400 or call.status == 429 or not call.path.startswith("/interactions/"):
            return
        record = self.interactions.get(call.path.split("/")[2])
        if record is not None:
            record.refused.append((call.status, call.response))
            record.changed()

    def _too_many_requests(self, rule: RateLimitRule) -> tuple[Reply, dict[str, str]]:
        body = {
            "code": 0,
            "message": "You are being rate limited.",
            "retry_after": rule.retry_after,
            "global": False,
        }
        headers = {
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": f"{rule.retry_after:.3f}",
            "X-RateLimit-Scope": rule.scope,
            "Retry-After": str(max(1, round(rule.retry_after))),
            "Via": "1.1 google",  # discord.py takes a 429 without it for a Cloudflare ban
        }
        return Reply(429, body), headers

    @staticmethod
    def _rate_limit_headers(call: ApiCall) -> dict[str, str]:
        bucket = hashlib.sha1(f"{call.method} {call.path}".encode()).hexdigest()[:16]
        return {
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "4",
            "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
            "X-RateLimit-Reset-After": "1.000",
            "X-RateLimit-Bucket": bucket,
        }

    @staticmethod
    async def _read_call(request: web.Request) -> ApiCall:
        body: Any = None
        files: list[UploadedFile] = []
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader) or part.name is None:
                    continue
                data = await part.read()
                if part.name == "payload_json":
                    body = json.loads(data)
                else:
                    files.append(
                        UploadedFile(
                            part.name,
                            part.filename or part.name,
                            part.headers.get("Content-Type", "application/octet-stream"),
                            bytes(data),
                        )
                    )
        elif request.can_read_body:
            raw = await request.read()
            body = json.loads(raw) if raw else None
        path = request.path.removeprefix(API_PREFIX)
        return ApiCall(request.method, path, dict(request.query), body, files)

    def _check(self, problems: list[str] | dict[str, str]) -> None:
        if isinstance(problems, dict):
            problems = [f"{path}: {text}" for path, text in problems.items()]
        self.violations.extend(problems)

    def _refuse(
        self, status: int, code: int, message: str, errors: dict[str, Any] | None = None
    ) -> DiscordError:
        """A refusal that is the bot's fault: recorded as a violation too."""
        self.violations.append(f"Discord would refuse this: {status} {code} {message}")
        return DiscordError(status, code, message, errors)

    def _check_message_body(self, body: dict[str, Any] | None) -> None:
        problems = rules.message_problems(body)
        if problems:
            self._check(problems)
            raise DiscordError(
                400,
                INVALID_FORM_BODY,
                "Invalid Form Body",
                rules.invalid_form_body(problems)["errors"],
            )

    async def _unhandled(self, call: ApiCall, params: dict[str, str]) -> Reply:
        self.violations.append(f"the fake does not implement {call.method} {call.path}")
        raise DiscordError(404, 0, f"404: Not Found ({call.method} {call.path} is not faked)")

    async def _serve_upload(self, request: web.Request) -> web.Response:
        upload = self.uploads.get(request.match_info["attachment"])
        if upload is None:
            raise web.HTTPNotFound()
        return web.Response(body=upload.data, content_type=upload.content_type)

    # ------------------------------------------------------------------ login
    async def _me(self, call: ApiCall, params: dict[str, str]) -> Reply:
        return Reply(
            200,
            {**self.world.bot.payload(), "mfa_enabled": False, "locale": "en-US", "verified": True},
        )

    async def _application(self, call: ApiCall, params: dict[str, str]) -> Reply:
        owner = self.world.user("owner").payload()
        return Reply(
            200,
            {
                "id": self.world.bot.id,
                "name": self.world.bot.username,
                "icon": None,
                "description": "",
                "type": None,
                "bot": self.world.bot.payload(),
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "00" * 32,
                "flags": 0,
                "flags_new": "0",
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "role_connections_verification_url": None,
                "owner": owner,
                "team": None,
                "approximate_guild_count": len(self.world.guilds),
                "approximate_user_install_count": 0,
                "approximate_user_authorization_count": 0,
                "explicit_content_filter": 0,
                "eligible_oauth2_scopes": [],
            },
        )

    async def _gateway_url(self, call: ApiCall, params: dict[str, str]) -> Reply:
        return Reply(200, {"url": self.gateway.url})

    async def _gateway_bot(self, call: ApiCall, params: dict[str, str]) -> Reply:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return Reply(200, {"url": self.gateway.url, "shards": 1, "session_start_limit": limit})

    # ------------------------------------------------------------------ commands
    def _check_application(self, params: dict[str, str]) -> str:
        if params["app"] != self.world.bot.id:
            raise DiscordError(403, 50001, "Missing Access")
        guild_id = params.get("guild")
        if guild_id is None:
            return "global"
        self.world.guild(guild_id)
        return guild_id

    async def _list_commands(self, call: ApiCall, params: dict[str, str]) -> Reply:
        return Reply(200, self.commands.get(self._check_application(params), []))

    async def _sync_commands(self, call: ApiCall, params: dict[str, str]) -> Reply:
        scope = self._check_application(params)
        problems = rules.command_problems(call.body or [])
        if problems:
            self._check(problems)
            raise DiscordError(
                400,
                INVALID_FORM_BODY,
                "Invalid Form Body",
                rules.invalid_form_body(problems)["errors"],
            )
        synced = [self._stored_command(command, scope) for command in call.body or []]
        self.commands[scope] = synced
        return Reply(200, synced)

    def _stored_command(self, command: dict[str, Any], scope: str) -> dict[str, Any]:
        stored: dict[str, Any] = {
            "description": "",  # discord.py omits it for context menus; Discord returns ""
            "default_member_permissions": None,
            "type": 1,
            "nsfw": False,
            **command,
            "id": self.world.ids.next(),
            "application_id": self.world.bot.id,
            "version": self.world.ids.next(),
        }
        if scope != "global":
            stored["guild_id"] = scope
        # Discord answers with its defaults where the bot sent null.
        if stored.get("integration_types") is None:
            stored["integration_types"] = [0]  # guild install
        if stored.get("contexts") is None:
            stored.pop("contexts", None)
        if stored["default_member_permissions"] is not None:  # sent as int, stored as string
            stored["default_member_permissions"] = str(stored["default_member_permissions"])
        return stored
