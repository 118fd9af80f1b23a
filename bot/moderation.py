"""Who may do what: an ordered privilege level computed from a member's permissions and roles.

Discord-free on purpose (the cogs pass plain flags and ids), so the rules are unit-tested
without a gateway. Moderators are members with Manage Messages, or with one of the guild's
moderator roles (kept in the guild's settings); managers have Manage Server (or are
administrators) and also count as moderators.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from bot.errors import PermissionDenied


class Privilege(IntEnum):
    """Ordered: a higher level may do everything a lower one may."""

    MEMBER = 0
    MODERATOR = 1
    MANAGER = 2


@dataclass(frozen=True, slots=True)
class MemberRights:
    """What Discord tells us about the member in the channel of the interaction."""

    manage_messages: bool
    manage_guild: bool
    administrator: bool
    role_ids: frozenset[int]


def privilege_of(rights: MemberRights, moderator_role_ids: Iterable[int]) -> Privilege:
    if rights.administrator or rights.manage_guild:
        return Privilege.MANAGER
    if rights.manage_messages or not rights.role_ids.isdisjoint(moderator_role_ids):
        return Privilege.MODERATOR
    return Privilege.MEMBER


def require(rights: MemberRights, moderator_role_ids: Iterable[int], needed: Privilege) -> None:
    """Refuse (PermissionDenied) unless the member has at least `needed`."""
    if privilege_of(rights, moderator_role_ids) >= needed:
        return
    if needed is Privilege.MANAGER:
        raise PermissionDenied("Only members with Manage Server can do that.")
    raise PermissionDenied(
        "Only moderators can do that: members with Manage Messages or a moderator role."
    )
