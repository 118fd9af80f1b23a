"""Who may moderate: the ordered privilege levels from permissions and moderator roles."""

from __future__ import annotations

import pytest

from bot.errors import PermissionDenied
from bot.moderation import MemberRights, Privilege, privilege_of, require

FACT_TEAM = 111


def rights(
    *, messages: bool = False, guild: bool = False, admin: bool = False, roles: tuple[int, ...] = ()
) -> MemberRights:
    return MemberRights(
        manage_messages=messages, manage_guild=guild, administrator=admin, role_ids=frozenset(roles)
    )


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        (rights(), Privilege.MEMBER),
        (rights(roles=(999,)), Privilege.MEMBER),
        (rights(messages=True), Privilege.MODERATOR),
        (rights(roles=(FACT_TEAM,)), Privilege.MODERATOR),
        (rights(guild=True), Privilege.MANAGER),
        (rights(admin=True), Privilege.MANAGER),
    ],
)
def test_privilege_of(member: MemberRights, expected: Privilege) -> None:
    assert privilege_of(member, [FACT_TEAM]) is expected


def test_privileges_are_ordered() -> None:
    assert Privilege.MEMBER < Privilege.MODERATOR < Privilege.MANAGER


def test_require_refuses_with_a_clear_message() -> None:
    with pytest.raises(PermissionDenied, match="Only moderators"):
        require(rights(), [FACT_TEAM], Privilege.MODERATOR)
    with pytest.raises(PermissionDenied, match="Manage Server"):
        require(rights(messages=True), [], Privilege.MANAGER)
    require(rights(roles=(FACT_TEAM,)), [FACT_TEAM], Privilege.MODERATOR)
    require(rights(guild=True), [], Privilege.MODERATOR)  # a manager is also a moderator
