"""The fake's gateway: one websocket per shard, READY and GUILD_CREATE, then dispatches.

Plain JSON text frames: discord.py asks for zlib-stream but accepts uncompressed text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakediscord.world import World

HELLO, HEARTBEAT, IDENTIFY, RESUME, HEARTBEAT_ACK, INVALID_SESSION, DISPATCH = 10, 1, 2, 6, 11, 9, 0
AUTHENTICATION_FAILED = 4004

INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_MESSAGE_CONTENT = 1 << 15


@dataclass
class ShardSession:
    """One identified gateway connection."""

    ws: web.WebSocketResponse
    shard_id: int
    shard_count: int
    intents: int
    identify: dict[str, Any]
    sequence: int = 0

    def owns(self, guild_id: str) -> bool:
        return (int(guild_id) >> 22) % self.shard_count == self.shard_id

    async def send(self, event: str, data: dict[str, Any]) -> None:
        if self.ws.closed:
            return
        self.sequence += 1
        await self.ws.send_str(
            json.dumps({"op": DISPATCH, "t": event, "s": self.sequence, "d": data})
        )


@dataclass
class Gateway:
    world: World
    token: str
    url: str = ""  # set by the server once it knows its port
    heartbeat_interval_ms: int = 41_250
    sessions: list[ShardSession] = field(default_factory=list)
    identifies: list[dict[str, Any]] = field(default_factory=list)  # every IDENTIFY payload

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(
            json.dumps({"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
        )
        session: ShardSession | None = None
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                continue
            message = json.loads(frame.data)
            if message["op"] == HEARTBEAT:
                await ws.send_str(json.dumps({"op": HEARTBEAT_ACK}))
            elif message["op"] == IDENTIFY:
                session = await self._identify(ws, message["d"])
                if session is None:
                    break
            elif message["op"] == RESUME:
                # No session is ever resumable here: make the library identify afresh.
                await ws.send_str(json.dumps({"op": INVALID_SESSION, "d": False}))
        if session is not None and session in self.sessions:
            self.sessions.remove(session)
        return ws

    async def _identify(
        self, ws: web.WebSocketResponse, identify: dict[str, Any]
    ) -> ShardSession | None:
        self.identifies.append(identify)
        if identify.get("token") != self.token:
            await ws.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return None
        shard_id, shard_count = identify.get("shard") or (0, 1)
        session = ShardSession(ws, shard_id, shard_count, identify.get("intents", 0), identify)
        guilds = [g for g in self.world.guilds.values() if session.owns(g.id)]
        await session.send(
            "READY",
            {
                "v": 10,
                "user": self.world.bot.payload(),
                "guilds": [{"id": g.id, "unavailable": True} for g in guilds],
                "session_id": f"fake-session-{shard_id}",
                "resume_gateway_url": self.url,
                "shard": [shard_id, shard_count],
                "application": {"id": self.world.bot.id, "flags": 0},
                "private_channels": [],
                "relationships": [],
                "user_settings": {},
                "presences": [],
            },
        )
        for guild in guilds:
            all_members = bool(session.intents & INTENT_GUILD_MEMBERS)
            await session.send(
                "GUILD_CREATE", guild.create_payload(self.world.bot.id, all_members=all_members)
            )
        self.sessions.append(session)
        return session

    def session_for(self, guild_id: str) -> ShardSession:
        for session in self.sessions:
            if session.owns(guild_id) and not session.ws.closed:
                return session
        raise LookupError(f"no connected shard receives guild {guild_id}; is the bot running?")

    async def dispatch(self, event: str, data: dict[str, Any], *, guild_id: str) -> None:
        await self.session_for(guild_id).send(event, data)

    async def dispatch_message(self, event: str, message: dict[str, Any], *, guild_id: str) -> None:
        """MESSAGE_CREATE/UPDATE as Discord filters them: only with the GUILD_MESSAGES intent,
        and with content, embeds, attachments and components blanked unless the bot has the
        MESSAGE_CONTENT intent (or wrote the message)."""
        session = self.session_for(guild_id)
        if not session.intents & INTENT_GUILD_MESSAGES:
            return
        await session.send(event, self.as_seen_by_bot(message, session.intents))

    def as_seen_by_bot(self, message: dict[str, Any], intents: int) -> dict[str, Any]:
        """The message as the bot may read it (over the gateway or REST): another author's
        content, embeds, attachments and components are blank without MESSAGE_CONTENT."""
        own = message["author"]["id"] == self.world.bot.id
        if own or intents & INTENT_MESSAGE_CONTENT:
            return message
        return {**message, "content": "", "embeds": [], "attachments": [], "components": []}

    def intents_for(self, guild_id: str) -> int:
        """The intents of the connected shard that receives the guild (0: none connected)."""
        try:
            return self.session_for(guild_id).intents
        except LookupError:
            return 0

    async def close(self) -> None:
        for session in list(self.sessions):
            await session.ws.close()
        self.sessions.clear()
