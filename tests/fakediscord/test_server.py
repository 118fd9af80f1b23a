"""The fake against a real discord.py bot: the protocol paths, and the rules it enforces."""

from __future__ import annotations

import asyncio
import logging
import time

import aiohttp
import discord
import pytest

from tests.fakediscord import CommandNotVisible, FakeDiscord
from tests.fakediscord.core import ApiCall
from tests.fakediscord.probe_bot import ProbeBot, start_probe


async def test_login_ready_and_every_guild_with_its_roles_channels_and_members(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    paths = [(c.method, c.path) for c in fake.calls]
    assert ("GET", "/users/@me") in paths
    assert ("GET", "/oauth2/applications/@me") in paths
    assert {g.name for g in probe.guilds} == {"Newsroom", "Book Club"}
    newsroom = discord.utils.get(probe.guilds, name="Newsroom")
    assert newsroom is not None
    assert {r.name for r in newsroom.roles} >= {"@everyone", "Moderator", "Admin"}
    assert {c.name for c in newsroom.text_channels} == {
        "general",
        "announcements",
        "mod-room",
        "quiet",
    }
    assert newsroom.member_count == 5
    assert [m.name for m in newsroom.members] == [
        "ClaimBot"
    ]  # no GUILD_MEMBERS intent: only itself
    announcements = discord.utils.get(newsroom.text_channels, name="announcements")
    assert announcements is not None
    assert announcements.overwrites


async def test_global_command_sync_is_stored_with_discords_defaults(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    synced = {c["name"]: c for c in fake.commands["global"]}
    assert synced["purge"]["default_member_permissions"] == str(1 << 13)
    assert synced["Quote this"]["type"] == 3
    assert synced["Quote this"]["description"] == ""
    assert all(c["application_id"] == fake.world.bot.id for c in synced.values())


async def test_per_guild_command_sync(fake: FakeDiscord) -> None:
    newsroom = fake.world.guild("Newsroom")
    bot, runner = await start_probe(fake, guild_ids=[int(newsroom.id)])
    try:
        assert "global" not in fake.commands
        assert {c["name"] for c in fake.commands[newsroom.id]} >= {"echo", "purge"}
        assert (await fake.slash("echo", text="guild-scoped")).content == "guild-scoped"
        with pytest.raises(LookupError):  # not synced to the other guild
            await fake.slash("echo", guild="Book Club", text="x")
    finally:
        await bot.close()
        await runner


async def test_slash_options_are_typed_and_checked_like_the_client_does(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    answer = await fake.slash("echo", text="ab", times=2)
    assert answer.content == "abab"
    assert answer.callback_type == 4
    assert not answer.ephemeral
    assert fake.bodies("POST", "/callback")[-1]["data"]["allowed_mentions"] == {"parse": []}
    with pytest.raises(ValueError, match="outside"):
        await fake.invoke_slash("echo", text="x", times=9)
    with pytest.raises(ValueError, match="required"):
        await fake.invoke_slash("echo")
    with pytest.raises(LookupError, match="no option"):
        await fake.invoke_slash("echo", text="x", volume=3)
    assert (await fake.slash("colour", colour="blue")).content == "colour blue"
    with pytest.raises(ValueError, match="choices"):
        await fake.invoke_slash("colour", colour="green")


async def test_autocomplete_is_answered_with_callback_type_8(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    choices = await fake.autocomplete("fruit", "name", name="ap")
    assert [c["value"] for c in choices] == ["apple", "apricot"]
    assert fake.bodies("POST", "/callback")[-1]["type"] == 8


async def test_default_member_permissions_decide_who_may_invoke(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    with pytest.raises(CommandNotVisible):
        await fake.invoke_slash("purge", user="reader")
    assert (await fake.slash("purge", user="moderator")).content == "purged"
    assert (await fake.slash("purge", user="admin")).ephemeral
    with pytest.raises(CommandNotVisible):  # nobody sees commands in a channel they cannot see
        await fake.invoke_slash("echo", user="reader", channel="mod-room", text="x")


async def test_channel_overwrites_reach_interaction_permissions(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    reader = await fake.slash("whoami", user="reader", channel="announcements")
    moderator = await fake.slash("whoami", user="moderator", channel="announcements")
    assert reader.content == "reader send=False manage=False"
    assert moderator.content == "moderator send=True manage=True"


async def test_message_context_menu(fake: FakeDiscord, probe: ProbeBot) -> None:
    posted = await fake.user_says("quotable words", user="reader")  # the probe replies "heard ..."
    assert posted["content"] == "heard 'quotable words'"
    target = fake.channel_messages("Newsroom", "general")[0]
    answer = await fake.message_menu("Quote this", target, user="moderator")
    assert answer.content == "> quotable words"


async def test_buttons_and_select_menus(fake: FakeDiscord, probe: ProbeBot) -> None:
    counter = await fake.slash("counter")
    clicked = await fake.click(counter.message, "counter:up", user="moderator")
    assert clicked.callback_type == 7
    assert clicked.content == "count: 1"
    assert fake.channel_messages("Newsroom", "general")[-1]["content"] == "count: 1"
    reset = await fake.click(counter.message, "counter:reset")
    assert reset.callback_type == 6
    assert reset.content == "count: 0 (reset)"
    assert fake.channel_messages("Newsroom", "general")[-1]["content"] == "count: 0 (reset)"
    picked = await fake.select(counter.message, "counter:pick", ["b"])
    assert picked.content == "picked ['b']"
    assert picked.ephemeral
    with pytest.raises(LookupError):
        await fake.invoke_component(counter.message, "no-such-button")
    with pytest.raises(ValueError, match="values"):
        await fake.invoke_component(counter.message, "counter:pick", values=["z"])


async def test_modals(fake: FakeDiscord, probe: ProbeBot) -> None:
    opened = await fake.slash("feedback", user="reader")
    assert opened.callback_type == 9
    with pytest.raises(ValueError, match="required"):
        await fake.submit_modal(opened, {})
    submitted = await fake.submit_modal(opened, {"feedback_text": "great"})
    assert submitted.content == "thanks: great"
    assert submitted.ephemeral


async def test_defer_then_follow_up_or_edit_the_original(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    later = await fake.slash("later", ephemeral=True)
    assert later.callback_type == 5
    assert later.content == "done later"
    assert later.ephemeral
    assert fake.channel_messages("Newsroom", "general") == []  # ephemeral: nobody else sees it
    edited = await fake.slash("edited")
    assert edited.content == "edited"
    assert edited.message["content"] == "edited"
    assert edited.message["flags"] == 0
    assert (
        "PATCH",
        f"/webhooks/{fake.world.bot.id}/{edited.interaction.token}/messages/@original",
    ) in [(c.method, c.path) for c in fake.calls]


async def test_uploaded_files_are_captured_and_user_files_can_be_read(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    uploaded = await fake.slash("upload")
    (png,) = uploaded.interaction.files
    assert png.filename == "chart.png"
    assert png.data.startswith(b"\x89PNG")
    assert uploaded.message["attachments"][0]["filename"] == "chart.png"
    document = fake.user_file("article.txt", b"twelve bytes")
    assert (await fake.slash("read", document=document)).content == "article.txt: 12 bytes"


async def test_channel_messages_threads_and_edits(fake: FakeDiscord, probe: ProbeBot) -> None:
    answer = await fake.slash("announce", user="moderator", text="news")
    (posted,) = fake.channel_messages("Newsroom", "general")
    assert answer.content == f"posted {posted['id']}"
    assert posted["content"] == "news (edited)"
    assert posted["edited_timestamp"]
    thread = fake.world.guild("Newsroom").channel(posted["id"])  # a thread takes its message's id
    assert thread.is_thread
    assert thread.name == "discussion"
    assert [m["content"] for m in fake.messages[thread.id]] == ["first!"]


async def test_a_thread_in_a_channel(fake: FakeDiscord, probe: ProbeBot) -> None:
    answer = await fake.slash("brainstorm")
    thread = next(c for c in fake.world.guild("Newsroom").channels.values() if c.is_thread)
    assert answer.content == f"thread {thread.id}"
    assert thread.name == "ideas"
    assert thread.parent_id == fake.world.guild("Newsroom").channel("general").id
    assert [m["content"] for m in fake.messages[thread.id]] == ["go"]


async def test_get_and_delete_the_original_response(fake: FakeDiscord, probe: ProbeBot) -> None:
    peeked = await fake.slash("peek")
    assert peeked.content == "was loading: True"
    assert (
        "GET",
        f"/webhooks/{fake.world.bot.id}/{peeked.interaction.token}/messages/@original",
    ) in [(c.method, c.path) for c in fake.calls]
    vanished = await fake.slash("vanish")
    record = vanished.interaction
    await record.wait_for(lambda: bool(record.followups), 3, "follow up")
    assert record.original_deleted
    contents = [m["content"] for m in fake.channel_messages("Newsroom", "general")]
    assert "now you see me" not in contents
    assert "gone" in contents


async def test_the_bot_cannot_post_where_an_overwrite_forbids_it(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    answer = await fake.slash(
        "announce", user="moderator", text="news", channel_name="announcements"
    )
    assert answer.content == "forbidden"
    assert fake.channel_messages("Newsroom", "announcements") == []


async def test_without_the_message_content_intent_content_arrives_blank(fake: FakeDiscord) -> None:
    bot, runner = await start_probe(fake, message_content=False)
    try:
        assert (await fake.user_says("secret", user="reader"))["content"] == "heard ''"
    finally:
        await bot.close()
        await runner


async def test_members_cannot_post_where_an_overwrite_forbids_it(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    with pytest.raises(PermissionError):
        await fake.post_as_user("hello", user="reader", channel="quiet")


async def test_every_response_carries_rate_limit_headers(fake: FakeDiscord) -> None:
    headers = {"Authorization": f"Bot {fake.token}"}
    async with aiohttp.ClientSession() as session:
        for path in ("/users/@me", "/channels/0/messages/0", "/no/such/route"):
            async with session.get(f"{fake.base_url}/api/v10{path}", headers=headers) as response:
                assert {
                    "X-RateLimit-Limit",
                    "X-RateLimit-Remaining",
                    "X-RateLimit-Reset",
                    "X-RateLimit-Reset-After",
                    "X-RateLimit-Bucket",
                } <= set(response.headers)
    violations = fake.take_violations()
    assert violations
    assert all("/no/such/route" in v for v in violations)


async def test_a_429_on_demand_is_waited_out_and_retried(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    rule = fake.rate_limit("/callback", retry_after=0.2)
    started = time.monotonic()
    assert (await fake.slash("echo", text="after a wait")).content == "after a wait"
    assert time.monotonic() - started >= 0.2
    statuses = [c.status for c in fake.calls if c.path.endswith("/callback")]
    assert statuses == [429, 200]
    assert rule.times == 0


async def test_answering_after_the_deadline_is_refused_with_10062(
    fake: FakeDiscord, probe: ProbeBot, caplog: pytest.LogCaptureFixture
) -> None:
    fake.response_deadline = 0.1  # Discord's is 3 s; the fake makes it configurable
    record = await fake.invoke_slash("slow", seconds=0.3)
    await record.wait_for(lambda: bool(record.refused), 3, "answer")
    assert record.refused == [(404, {"code": 10062, "message": "Unknown interaction"})]
    assert fake.take_violations() == ["Discord would refuse this: 404 10062 Unknown interaction"]
    await asyncio.sleep(0.05)
    assert any(r.levelno == logging.ERROR for r in caplog.records)  # the bot saw the failure


async def test_a_second_callback_is_refused_with_40060(fake: FakeDiscord, probe: ProbeBot) -> None:
    record = await fake.invoke_slash("twice")
    await record.wait_for(lambda: bool(record.refused), 3, "answer twice")
    assert record.refused[0][1]["code"] == 40060
    assert [c["data"]["content"] for c in record.callbacks] == ["one"]
    assert any("40060" in v for v in fake.take_violations())


async def test_content_over_2000_characters_is_refused_with_50035(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    # The spec allows 4000 characters in a channel message (a Nitro user's limit); a bot has 2000.
    await fake.invoke_slash("announce", user="moderator", text="x" * 2001)
    refused = await _first_call(fake, "POST", "/messages")
    assert (refused.status, refused.response["code"]) == (400, 50035)
    assert (
        refused.response["errors"]["content"]["_errors"][0]["message"]
        == "Must be 2000 or fewer in length."
    )
    assert fake.take_violations() == ["content: Must be 2000 or fewer in length."]
    # An interaction answer over 2000 characters is already outside the spec.
    record = await fake.invoke_slash("echo", text="x" * 1500, times=2)
    await record.wait_for(lambda: bool(record.refused), 3, "answer")
    assert record.refused[0][1]["code"] == 50035
    (violation,) = fake.take_violations()
    assert "data/content" in violation


async def _first_call(fake: FakeDiscord, method: str, path_contains: str) -> ApiCall:
    for _ in range(300):
        for call in fake.calls:
            if call.method == method and path_contains in call.path and call.status:
                return call
        await asyncio.sleep(0.01)
    raise TimeoutError(f"no {method} {path_contains}")


async def test_embed_limits_are_enforced(fake: FakeDiscord, probe: ProbeBot) -> None:
    assert len((await fake.slash("fields", n=25)).embed["fields"]) == 25
    record = await fake.invoke_slash("fields", n=26)
    await record.wait_for(lambda: bool(record.refused), 3, "answer")
    assert record.refused[0][1]["code"] == 50035
    (violation,) = fake.take_violations()
    assert "embeds/0/fields" in violation
    # The total of 6000 characters is one the spec does not know.
    record = await fake.invoke_slash("fields", n=24, title_length=256)  # ~ 256 + 24 * 3
    await record.answer()
    oversized = {
        "embeds": [{"title": "t" * 256, "description": "d" * 4096}, {"description": "d" * 2000}]
    }
    channel = fake.world.guild("Newsroom").channel("general").id
    with pytest.raises(discord.HTTPException) as refused:
        await probe.http.request(
            discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=channel),
            json=oversized,
        )
    assert refused.value.code == 50035
    assert fake.take_violations() == ["embeds: Embed size exceeds maximum size of 6000"]


async def test_a_wrong_token_cannot_log_in(fake: FakeDiscord) -> None:
    bot = ProbeBot()
    with pytest.raises(discord.LoginFailure):
        await bot.login("wrong-token")
    await bot.close()
    assert fake.calls[-1].status == 401


async def test_a_request_body_outside_the_spec_is_refused_and_recorded(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    channel = probe.get_channel(int(fake.world.guild("Newsroom").channel("general").id))
    assert isinstance(channel, discord.TextChannel)
    route = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=channel.id)
    with pytest.raises(discord.HTTPException) as refused:
        await probe.http.request(route, json={"content": "hi", "embeds": [{"title": 5}]})
    assert refused.value.status == 400
    assert refused.value.code == 50035
    (violation,) = fake.take_violations()
    assert "embeds/0/title" in violation


async def test_an_enforced_nonce_repeated_in_a_channel_returns_the_first_message(
    fake: FakeDiscord, probe: ProbeBot
) -> None:
    newsroom = fake.world.guild("Newsroom")
    general = probe.get_channel(int(newsroom.channel("general").id))
    quiet = probe.get_channel(int(newsroom.channel("quiet").id))
    assert isinstance(general, discord.TextChannel)
    assert isinstance(quiet, discord.TextChannel)
    first = await general.send("digest", nonce="week-47")  # discord.py enforces any nonce
    again = await general.send("digest", nonce="week-47")
    assert again.id == first.id
    assert fake.bodies("POST", "/messages")[-1]["enforce_nonce"] is True
    assert first.nonce == "week-47"  # echoed
    elsewhere = await quiet.send("digest", nonce="week-47")  # another channel
    assert elsewhere.id != first.id
    await general.send("chat")
    await general.send("chat")  # a fresh random nonce each time: both posted
    assert [m["content"] for m in fake.channel_messages("Newsroom", "general")] == [
        "digest",
        "chat",
        "chat",
    ]
    await first.delete()
    with pytest.raises(discord.NotFound):  # a repeat of a message deleted since
        await general.send("digest", nonce="week-47")
