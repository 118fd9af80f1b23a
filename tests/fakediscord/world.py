"""The fake's guilds: users, roles, channels with permission overwrites, and members.

Permissions are computed the way Discord documents it (base from @everyone and the member's
roles; administrator or ownership grants everything; then channel overwrites for @everyone,
the member's roles together, and the member, each deny-then-allow), because the bot's runtime
checks and Discord's command gating both depend on the result.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from enum import IntFlag


class Perm(IntFlag):
    """The permission bits the fake's worlds use (values are Discord's)."""

    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    SEND_MESSAGES_IN_THREADS = 1 << 38


ALL_PERMISSIONS = (1 << 51) - 1
MEMBER_DEFAULT = (
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.USE_APPLICATION_COMMANDS
    | Perm.CREATE_PUBLIC_THREADS
    | Perm.SEND_MESSAGES_IN_THREADS
)

DISCORD_EPOCH_MS = 1_420_070_400_000
ROLE_OVERWRITE, MEMBER_OVERWRITE = 0, 1
TEXT_CHANNEL, ANNOUNCEMENT_CHANNEL, PUBLIC_THREAD = 0, 5, 11


class Snowflakes:
    """Unique, increasing ids; each also advances the timestamp part (which decides a guild's
    shard: (id >> 22) % shard_count) by one millisecond."""

    def __init__(self) -> None:
        self._start_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        self._counter = itertools.count(1)

    def next(self) -> str:
        n = next(self._counter)
        return str(((self._start_ms + n) << 22) | (n & 0xFFF))


def iso_timestamp(epoch_seconds: float | None = None) -> str:
    moment = time.time() if epoch_seconds is None else epoch_seconds
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00", time.gmtime(moment))


@dataclass
class User:
    id: str
    username: str
    bot: bool = False

    def payload(self) -> dict[str, object]:
        return {
            "id": self.id,
            "username": self.username,
            "discriminator": "0",
            "global_name": None if self.bot else self.username.title(),
            "avatar": None,
            "bot": self.bot,
            "flags": 0,
            "public_flags": 0,
            "primary_guild": None,
        }


@dataclass
class Role:
    id: str
    name: str
    permissions: int
    position: int

    def payload(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "icon": None,
            "unicode_emoji": None,
            "description": None,
            "flags": 0,
        }


@dataclass
class Overwrite:
    id: str
    type: int  # ROLE_OVERWRITE or MEMBER_OVERWRITE
    allow: int = 0
    deny: int = 0

    def payload(self) -> dict[str, object]:
        return {"id": self.id, "type": self.type, "allow": str(self.allow), "deny": str(self.deny)}


@dataclass
class Channel:
    id: str
    guild_id: str
    name: str
    type: int = TEXT_CHANNEL
    position: int = 0
    parent_id: str | None = None  # a thread's channel
    owner_id: str | None = None  # a thread's creator
    overwrites: list[Overwrite] = field(default_factory=list)

    @property
    def is_thread(self) -> bool:
        return self.type == PUBLIC_THREAD

    def payload(self) -> dict[str, object]:
        if self.is_thread:
            return self.thread_payload()
        return {
            "id": self.id,
            "type": self.type,
            "guild_id": self.guild_id,
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [o.payload() for o in self.overwrites],
            "nsfw": False,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": None,
            "flags": 0,
        }

    def thread_payload(self) -> dict[str, object]:
        return {
            "id": self.id,
            "type": self.type,
            "guild_id": self.guild_id,
            "name": self.name,
            "parent_id": self.parent_id,
            "owner_id": self.owner_id,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
            "message_count": 0,
            "member_count": 1,
            "total_message_sent": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": iso_timestamp(),
                "locked": False,
                "create_timestamp": iso_timestamp(),
            },
        }


@dataclass
class Member:
    user: User
    role_ids: list[str] = field(default_factory=list)
    joined_at: str = field(default_factory=iso_timestamp)

    def payload(self) -> dict[str, object]:
        return {
            "user": self.user.payload(),
            "roles": list(self.role_ids),
            "joined_at": self.joined_at,
            "nick": None,
            "avatar": None,
            "banner": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "premium_since": None,
            "communication_disabled_until": None,
        }


@dataclass
class Guild:
    id: str
    name: str
    owner_id: str
    roles: dict[str, Role] = field(default_factory=dict)  # by name; "@everyone" has the guild id
    channels: dict[str, Channel] = field(default_factory=dict)  # by name
    members: dict[str, Member] = field(default_factory=dict)  # by user id

    @property
    def everyone(self) -> Role:
        return self.roles["@everyone"]

    def channel(self, name_or_id: str) -> Channel:
        if name_or_id in self.channels:
            return self.channels[name_or_id]
        for channel in self.channels.values():
            if channel.id == name_or_id:
                return channel
        raise LookupError(f"guild {self.name!r} has no channel {name_or_id!r}")

    def has_channel(self, channel_id: str) -> bool:
        return any(channel.id == channel_id for channel in self.channels.values())

    def base_permissions(self, user_id: str) -> int:
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        member = self.members[user_id]
        by_id = {role.id: role for role in self.roles.values()}
        permissions = self.everyone.permissions
        for role_id in member.role_ids:
            permissions |= by_id[role_id].permissions
        if permissions & Perm.ADMINISTRATOR:
            return ALL_PERMISSIONS
        return permissions

    def permissions(self, user_id: str, channel_id: str | None = None) -> int:
        """What `user_id` may do, in `channel_id` when given (threads inherit their parent's)."""
        permissions = self.base_permissions(user_id)
        if channel_id is None or permissions == ALL_PERMISSIONS:
            return permissions
        channel = self.channel(channel_id)
        if channel.parent_id is not None:
            channel = self.channel(channel.parent_id)
        overwrites = {o.id: o for o in channel.overwrites}
        if everyone := overwrites.get(self.id):
            permissions = (permissions & ~everyone.deny) | everyone.allow
        role_ids = self.members[user_id].role_ids
        role_deny = role_allow = 0
        for overwrite in channel.overwrites:
            if overwrite.type == ROLE_OVERWRITE and overwrite.id in role_ids:
                role_deny |= overwrite.deny
                role_allow |= overwrite.allow
        permissions = (permissions & ~role_deny) | role_allow
        if personal := overwrites.get(user_id):
            permissions = (permissions & ~personal.deny) | personal.allow
        if not permissions & Perm.VIEW_CHANNEL:
            return 0  # a channel you cannot see grants nothing
        return permissions

    def create_payload(self, bot_id: str, *, all_members: bool) -> dict[str, object]:
        """The GUILD_CREATE event. Without the GUILD_MEMBERS intent Discord sends only the bot's
        own member; with it, all of them (member_count equals the members sent, else the bot
        asks for member chunks and waits for them)."""
        members = [m for m in self.members.values() if all_members or m.user.id == bot_id]
        return {
            "id": self.id,
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": self.owner_id,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": "en-US",
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "vanity_url_code": None,
            "features": [],
            "roles": [role.payload() for role in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "soundboard_sounds": [],
            "unavailable": False,
            "large": False,
            "joined_at": iso_timestamp(),
            "member_count": len(self.members),
            "members": [member.payload() for member in members],
            "channels": [c.payload() for c in self.channels.values() if not c.is_thread],
            "threads": [c.payload() for c in self.channels.values() if c.is_thread],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
        }


@dataclass
class World:
    """Everything the fake Discord knows: the bot, the people, and the guilds they share."""

    ids: Snowflakes
    bot: User
    users: dict[str, User] = field(default_factory=dict)  # by username
    guilds: dict[str, Guild] = field(default_factory=dict)  # by name

    def user(self, name: str) -> User:
        try:
            return self.users[name]
        except KeyError:
            raise LookupError(f"no user {name!r}; known: {sorted(self.users)}") from None

    def guild(self, name_or_id: str) -> Guild:
        if name_or_id in self.guilds:
            return self.guilds[name_or_id]
        for guild in self.guilds.values():
            if guild.id == name_or_id:
                return guild
        raise LookupError(f"no guild {name_or_id!r}; known: {sorted(self.guilds)}")

    def guild_of_channel(self, channel_id: str) -> Guild:
        for guild in self.guilds.values():
            if guild.has_channel(channel_id):
                return guild
        raise LookupError(f"no channel {channel_id}")

    def add_user(self, name: str) -> User:
        user = User(self.ids.next(), name)
        self.users[name] = user
        return user

    def add_guild(self, name: str, *, owner: str) -> Guild:
        # Alternate guilds between the shards of a two-shard bot, so sharding is observable.
        guild_id = self.ids.next()
        while (int(guild_id) >> 22) % 2 != len(self.guilds) % 2:
            guild_id = self.ids.next()
        guild = Guild(guild_id, name, owner_id=self.user(owner).id)
        guild.roles["@everyone"] = Role(guild_id, "@everyone", int(MEMBER_DEFAULT), 0)
        self.guilds[name] = guild
        return guild

    def add_role(self, guild: Guild, name: str, permissions: int) -> Role:
        role = Role(self.ids.next(), name, permissions, position=len(guild.roles))
        guild.roles[name] = role
        return role

    def add_channel(
        self, guild: Guild, name: str, *overwrites: Overwrite, kind: int = TEXT_CHANNEL
    ) -> Channel:
        channel = Channel(
            self.ids.next(),
            guild.id,
            name,
            type=kind,
            position=len(guild.channels),
            overwrites=list(overwrites),
        )
        guild.channels[name] = channel
        return channel

    def add_member(self, guild: Guild, user_name: str, *role_names: str) -> Member:
        user = self.bot if user_name == self.bot.username else self.user(user_name)
        member = Member(user, [guild.roles[name].id for name in role_names])
        guild.members[user.id] = member
        return member


BOT_NAME = "ClaimBot"


def default_world() -> World:
    """Two guilds, so that every test also proves per-guild isolation.

    People: `owner` owns both guilds; `admin` holds an Administrator role; `moderator` has
    Manage Messages; `reader` is an ordinary member of both; `outsider` only of the second.
    Channels of "Newsroom": `general`; `announcements` (only moderators may post: an @everyone
    overwrite denies Send Messages, a Moderator overwrite allows it); `mod-room` (hidden from
    @everyone, visible to moderators); `quiet` (a member overwrite denies `reader` sending).
    """
    ids = Snowflakes()
    world = World(ids, bot=User(ids.next(), BOT_NAME, bot=True))
    for name in ("owner", "admin", "moderator", "reader", "outsider"):
        world.add_user(name)

    newsroom = world.add_guild("Newsroom", owner="owner")
    world.add_role(newsroom, "Moderator", Perm.MANAGE_MESSAGES | Perm.MANAGE_THREADS)
    world.add_role(newsroom, "Admin", Perm.ADMINISTRATOR)
    world.add_role(newsroom, "ClaimBot", int(MEMBER_DEFAULT) | Perm.MANAGE_THREADS)
    moderators = newsroom.roles["Moderator"].id
    world.add_channel(newsroom, "general")
    world.add_channel(
        newsroom,
        "announcements",
        Overwrite(newsroom.id, ROLE_OVERWRITE, deny=Perm.SEND_MESSAGES),
        Overwrite(moderators, ROLE_OVERWRITE, allow=Perm.SEND_MESSAGES),
    )
    world.add_channel(
        newsroom,
        "mod-room",
        Overwrite(newsroom.id, ROLE_OVERWRITE, deny=Perm.VIEW_CHANNEL),
        Overwrite(moderators, ROLE_OVERWRITE, allow=Perm.VIEW_CHANNEL),
    )
    world.add_channel(
        newsroom,
        "quiet",
        Overwrite(world.user("reader").id, MEMBER_OVERWRITE, deny=Perm.SEND_MESSAGES),
    )
    for user_name, roles in (
        ("owner", ()),
        ("admin", ("Admin",)),
        ("moderator", ("Moderator",)),
        ("reader", ()),
        (BOT_NAME, ("ClaimBot",)),
    ):
        world.add_member(newsroom, user_name, *roles)

    club = world.add_guild("Book Club", owner="owner")
    world.add_role(club, "Moderator", Perm.MANAGE_MESSAGES)
    world.add_channel(club, "general")
    for user_name, roles in (
        ("owner", ()),
        ("reader", ()),
        ("outsider", ("Moderator",)),
        (BOT_NAME, ()),
    ):
        world.add_member(club, user_name, *roles)
    return world
