"""User, channel, role and mentionable option values, sent the way Discord sends them.

A test names the thing the user picks (`role="Moderator"`, `channel="announcements"`,
`member="reader"`, or an id); the interaction carries its id as a string and `data.resolved`
carries the objects: users (with their guild member, minus `user`/`deaf`/`mute`, plus the
member's `permissions` in the channel of the command), roles, and channels (with the INVOKING
member's permissions there: Discord computes them for the user, not for the bot, so a bot must
check its own permissions itself). The picker only offers what the Discord client would: guild
roles, members and channels the invoking user can see, of the option's `channel_types`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.fakediscord.world import Guild, Perm, Role, User, World

USER, CHANNEL, ROLE, MENTIONABLE = 6, 7, 8, 9
PICKER_TYPES = frozenset({USER, CHANNEL, ROLE, MENTIONABLE})


@dataclass
class Picker:
    """Resolves the picked things of one interaction into `resolved` (data.resolved)."""

    world: World
    guild: Guild
    invoker: User
    channel_id: str  # where the command runs (members' permissions are computed there)
    resolved: dict[str, dict[str, Any]] = field(default_factory=dict)

    def pick(self, definition: dict[str, Any], reference: Any, where: str) -> str:
        """The option value (an id as a string) for `reference` picked in `definition`."""
        if not isinstance(reference, str | int):
            raise TypeError(f"{where}: name the {_KIND_NAMES[definition['type']]} or give its id")
        reference = str(reference)
        kind = definition["type"]
        if kind == USER:
            return self.user(reference, where)
        if kind == ROLE:
            return self.role(reference, where)
        if kind == CHANNEL:
            return self.channel(reference, definition.get("channel_types"), where)
        # Mentionable: a role or a user, whichever the name or id is.
        if self._find_role(reference) is not None:
            return self.role(reference, where)
        return self.user(reference, where)

    def user(self, reference: str, where: str) -> str:
        user = self._find_user(reference)
        if user is None:
            raise LookupError(f"{where}: no user {reference!r}")
        self.resolved.setdefault("users", {})[user.id] = user.payload()
        member = self.guild.members.get(user.id)
        if member is not None:  # a user picked outside the guild comes without a member
            partial = member.payload()
            for absent in ("user", "deaf", "mute"):
                del partial[absent]
            partial["permissions"] = str(self.guild.permissions(user.id, self.channel_id))
            self.resolved.setdefault("members", {})[user.id] = partial
        return user.id

    def role(self, reference: str, where: str) -> str:
        role = self._find_role(reference)
        if role is None:
            raise LookupError(f"{where}: guild {self.guild.name!r} has no role {reference!r}")
        self.resolved.setdefault("roles", {})[role.id] = role.payload()
        return role.id

    def channel(self, reference: str, channel_types: list[int] | None, where: str) -> str:
        try:
            channel = self.guild.channel(reference)
        except LookupError:
            raise LookupError(
                f"{where}: guild {self.guild.name!r} has no channel {reference!r}"
            ) from None
        if channel_types and channel.type not in channel_types:
            raise ValueError(
                f"{where}: #{channel.name} is a type-{channel.type} channel; the picker only "
                f"offers types {sorted(channel_types)}"
            )
        permissions = self.guild.permissions(self.invoker.id, channel.id)
        if not permissions & Perm.VIEW_CHANNEL:
            raise LookupError(
                f"{where}: {self.invoker.username} cannot see #{channel.name}, so the picker "
                "does not offer it"
            )
        payload = {**channel.payload(), "permissions": str(permissions)}
        self.resolved.setdefault("channels", {})[channel.id] = payload
        return channel.id

    def _find_user(self, reference: str) -> User | None:
        people = [*self.world.users.values(), self.world.bot]
        return next((u for u in people if reference in (u.username, u.id)), None)

    def _find_role(self, reference: str) -> Role | None:
        if reference in self.guild.roles:
            return self.guild.roles[reference]
        return next((r for r in self.guild.roles.values() if r.id == reference), None)


_KIND_NAMES = {USER: "user", CHANNEL: "channel", ROLE: "role", MENTIONABLE: "user or role"}
