"""What people do in the fake Discord: run commands, click, fill in modals, post messages.

Each action checks what the Discord client itself would check before sending anything (the
command exists and the user can see it; options are valid; the button is on the message), so a
test cannot ask for something no real user could do. `slash`, `click`, ... wait for and return the
bot's Answer; `invoke_*` only send and return the InteractionRecord (for timing tests).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from tests.fakediscord.core import UploadedFile
from tests.fakediscord.interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL,
    MODAL_SUBMIT,
    Answer,
    InteractionRecord,
    interaction_payload,
)
from tests.fakediscord.messages import attachment_payload
from tests.fakediscord.options import PICKER_TYPES, Picker
from tests.fakediscord.world import Channel, Guild, Perm, User

if TYPE_CHECKING:
    from tests.fakediscord.server import FakeDiscord

SLASH, MESSAGE_MENU = 1, 3  # command types
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, NUMBER, ATTACHMENT = 3, 4, 5, 10, 11
BUTTON, STRING_SELECT, TEXT_INPUT, LABEL, ACTION_ROW = 2, 3, 4, 18, 1
ANSWER_TIMEOUT_S = 5.0


class CommandNotVisible(PermissionError):
    """Discord would not show this command to this user, so they cannot invoke it."""


class UserActions:
    """Mixed into FakeDiscord: the user side of the fake."""

    default_guild = "Newsroom"
    default_channel = "general"
    default_user = "reader"

    # ------------------------------------------------------------------ commands
    def find_command(self: FakeDiscord, name: str, kind: int, guild: Guild) -> dict[str, Any]:
        for scope in (guild.id, "global"):
            for command in self.commands.get(scope, []):
                if command["name"] == name and command.get("type", SLASH) == kind:
                    return command
        raise LookupError(f"command {name!r} (type {kind}) was never synced for {guild.name!r}")

    def _check_visible(
        self: FakeDiscord, command: dict[str, Any], guild: Guild, user: User, channel: Channel
    ) -> None:
        in_channel = guild.permissions(user.id, channel.id)
        if in_channel & (Perm.VIEW_CHANNEL | Perm.USE_APPLICATION_COMMANDS) != (
            Perm.VIEW_CHANNEL | Perm.USE_APPLICATION_COMMANDS
        ):
            raise CommandNotVisible(f"{user.username} cannot use commands in #{channel.name}")
        required = command.get("default_member_permissions")
        if required is None:
            return
        # "0" hides the command from everyone but administrators.
        needed = int(required) or Perm.ADMINISTRATOR
        if guild.base_permissions(user.id) & needed != needed:
            raise CommandNotVisible(
                f"{user.username} cannot see /{command['name']} (it needs permissions {required})"
            )

    def _context(
        self: FakeDiscord, user: str | None, guild: str | None, channel: str | None
    ) -> tuple[User, Guild, Channel]:
        the_guild = self.world.guild(guild or self.default_guild)
        the_user = self.world.user(user or self.default_user)
        if the_user.id not in the_guild.members:
            raise LookupError(f"{the_user.username} is not a member of {the_guild.name!r}")
        return the_user, the_guild, the_guild.channel(channel or self.default_channel)

    async def _send_interaction(
        self: FakeDiscord,
        user: User,
        guild: Guild,
        channel: Channel,
        kind: int,
        data: dict[str, Any],
        **extra: Any,
    ) -> InteractionRecord:
        payload = interaction_payload(
            self.world, guild, channel.id, user, kind, data, self.world.ids.next(), **extra
        )
        record = InteractionRecord(payload, guild, channel.id, user)
        self.interactions[record.id] = record
        await self.gateway.dispatch("INTERACTION_CREATE", payload, guild_id=guild.id)
        return record

    def _command_data(
        self: FakeDiscord,
        command_line: str,
        guild: Guild,
        options: dict[str, Any],
        focused: str | None = None,
        *,
        user: User | None = None,
        channel: Channel | None = None,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """(command, interaction data) for "name [group] [subcommand]" and its option values,
        as `user` sends it from `channel` (default: the default user and channel)."""
        name, *path = command_line.split()
        command = self.find_command(name, SLASH, guild)
        definitions = command.get("options") or []
        nested: list[dict[str, Any]] = []
        top = nested
        for part in path:
            definition = next(
                (
                    o
                    for o in definitions
                    if o["name"] == part and o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)
                ),
                None,
            )
            if definition is None:
                raise LookupError(f"/{command_line}: no subcommand {part!r}")
            child: list[dict[str, Any]] = []
            nested.append({"name": part, "type": definition["type"], "options": child})
            nested, definitions = child, definition.get("options") or []
        if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in definitions):
            raise LookupError(f"/{command_line} is a group: name one of its subcommands")
        invoker = user or self.world.user(self.default_user)
        channel_id = (channel or guild.channel(self.default_channel)).id
        picker = Picker(self.world, guild, invoker, channel_id)
        nested.extend(self._option_values(command_line, definitions, options, picker, focused))
        data: dict[str, Any] = {"id": command["id"], "name": name, "type": SLASH, "options": top}
        if "guild_id" in command:
            data["guild_id"] = command["guild_id"]
        if picker.resolved:
            # The fake's own half of the contract: resolved objects as the spec describes them.
            self.violations.extend(
                f"the fake's interaction data breaks the spec: {problem}"
                for problem in self.spec.schema_errors("ResolvedObjectsResponse", picker.resolved)
            )
            data["resolved"] = picker.resolved
        return command, data

    def _option_values(
        self: FakeDiscord,
        command_line: str,
        definitions: list[dict[str, Any]],
        values: dict[str, Any],
        picker: Picker,
        focused: str | None,
    ) -> Iterator[dict[str, Any]]:
        by_name = {d["name"]: d for d in definitions}
        unknown = set(values) - set(by_name)
        if unknown:
            raise LookupError(
                f"/{command_line} has no option(s) {sorted(unknown)}; it has {sorted(by_name)}"
            )
        for definition in definitions:
            name = definition["name"]
            if name not in values:
                if definition.get("required") and name != focused:
                    raise ValueError(f"/{command_line}: option {name!r} is required")
                continue
            option: dict[str, Any] = {"name": name, "type": definition["type"]}
            if name == focused:  # autocomplete: the partial text typed so far
                option.update(value=str(values[name]), focused=True)
            else:
                option["value"] = self._option_value(command_line, definition, values[name], picker)
            yield option

    def _option_value(
        self: FakeDiscord,
        command_line: str,
        definition: dict[str, Any],
        value: Any,
        picker: Picker,
    ) -> Any:
        kind, name = definition["type"], definition["name"]
        where = f"/{command_line} {name}"
        if kind in PICKER_TYPES:
            return picker.pick(definition, value, where)
        if kind == STRING:
            value = str(value)
            if (
                not definition.get("min_length", 0)
                <= len(value)
                <= definition.get("max_length", 6000)
            ):
                raise ValueError(f"{where}: length out of range")
        elif kind in (INTEGER, NUMBER):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"{where}: a number is expected")
            if kind == INTEGER and not isinstance(value, int):
                raise TypeError(f"{where}: an integer is expected")
            low, high = definition.get("min_value"), definition.get("max_value")
            if (low is not None and value < low) or (high is not None and value > high):
                raise ValueError(f"{where}: {value} is outside [{low}, {high}]")
        elif kind == BOOLEAN:
            value = bool(value)
        elif kind == ATTACHMENT:
            attachment = value if isinstance(value, dict) else None
            if attachment is None:
                raise TypeError(f"{where}: pass fake.user_file(...)")
            picker.resolved.setdefault("attachments", {})[attachment["id"]] = attachment
            return attachment["id"]
        else:
            raise NotImplementedError(f"{where}: option type {kind} is not faked yet")
        choices = definition.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise ValueError(f"{where}: {value!r} is not one of the choices")
        return value

    async def invoke_slash(
        self: FakeDiscord,
        command_line: str,
        *,
        user: str | None = None,
        guild: str | None = None,
        channel: str | None = None,
        options: Mapping[str, Any] | None = None,
        **more_options: Any,
    ) -> InteractionRecord:
        the_user, the_guild, the_channel = self._context(user, guild, channel)
        values = _merged(options, more_options)
        command, data = self._command_data(
            command_line, the_guild, values, user=the_user, channel=the_channel
        )
        self._check_visible(command, the_guild, the_user, the_channel)
        return await self._send_interaction(
            the_user, the_guild, the_channel, APPLICATION_COMMAND, data
        )

    async def slash(
        self: FakeDiscord,
        command_line: str,
        *,
        user: str | None = None,
        guild: str | None = None,
        channel: str | None = None,
        wait_s: float = ANSWER_TIMEOUT_S,
        options: Mapping[str, Any] | None = None,
        **more_options: Any,
    ) -> Answer:
        """Run `/command_line` as `user` in `channel` with the option values given; returns the
        bot's answer. Options whose names clash with these keywords (an option called
        `channel`, say) go in `options={...}`; pickers take a name or an id."""
        record = await self.invoke_slash(
            command_line, user=user, guild=guild, channel=channel, options=options, **more_options
        )
        return await record.answer(wait_s)

    async def autocomplete(
        self: FakeDiscord,
        command_line: str,
        focused: str,
        *,
        user: str | None = None,
        guild: str | None = None,
        channel: str | None = None,
        wait_s: float = ANSWER_TIMEOUT_S,
        options: Mapping[str, Any] | None = None,
        **more_options: Any,
    ) -> list[dict[str, Any]]:
        """Type into option `focused`; returns the choices the bot suggested."""
        the_user, the_guild, the_channel = self._context(user, guild, channel)
        values = _merged(options, more_options)
        values.setdefault(focused, "")
        command, data = self._command_data(
            command_line, the_guild, values, focused, user=the_user, channel=the_channel
        )
        self._check_visible(command, the_guild, the_user, the_channel)
        record = await self._send_interaction(the_user, the_guild, the_channel, AUTOCOMPLETE, data)
        return (await record.answer(wait_s)).choices

    async def message_menu(
        self: FakeDiscord,
        name: str,
        message: dict[str, Any],
        *,
        user: str | None = None,
        wait_s: float = ANSWER_TIMEOUT_S,
    ) -> Answer:
        """Right-click `message` > Apps > `name`."""
        guild = self.world.guild_of_channel(message["channel_id"])
        the_user, the_guild, the_channel = self._context(user, guild.name, message["channel_id"])
        command = self.find_command(name, MESSAGE_MENU, the_guild)
        self._check_visible(command, the_guild, the_user, the_channel)
        data = {
            "id": command["id"],
            "name": name,
            "type": MESSAGE_MENU,
            "target_id": message["id"],
            "resolved": {"messages": {message["id"]: message}},
        }
        record = await self._send_interaction(
            the_user, the_guild, the_channel, APPLICATION_COMMAND, data
        )
        return await record.answer(wait_s)

    # ------------------------------------------------------------------ components
    async def invoke_component(
        self: FakeDiscord,
        message: dict[str, Any],
        custom_id: str,
        *,
        values: list[str] | None = None,
        user: str | None = None,
    ) -> InteractionRecord:
        message = self.message_index.get(message["id"], message)
        component = _find_component(message["components"], custom_id)
        if component is None:
            raise LookupError(f"message {message['id']} has no component {custom_id!r}")
        if component.get("disabled"):
            raise PermissionError(f"component {custom_id!r} is disabled")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component["type"]}
        if component["type"] == STRING_SELECT:
            allowed = {o["value"] for o in component.get("options", [])}
            if values is None or not set(values) <= allowed:
                raise ValueError(f"select {custom_id!r} takes values among {sorted(allowed)}")
            data["values"] = values
        guild = self.world.guild_of_channel(message["channel_id"])
        the_user, the_guild, the_channel = self._context(user, guild.name, message["channel_id"])
        return await self._send_interaction(
            the_user, the_guild, the_channel, MESSAGE_COMPONENT, data, message=message
        )

    async def click(
        self: FakeDiscord,
        message: dict[str, Any],
        custom_id: str,
        *,
        user: str | None = None,
        wait_s: float = ANSWER_TIMEOUT_S,
    ) -> Answer:
        """Press the button `custom_id` on `message`."""
        return await (await self.invoke_component(message, custom_id, user=user)).answer(wait_s)

    async def select(
        self: FakeDiscord,
        message: dict[str, Any],
        custom_id: str,
        values: list[str],
        *,
        user: str | None = None,
        wait_s: float = ANSWER_TIMEOUT_S,
    ) -> Answer:
        """Choose `values` in the select menu `custom_id` on `message`."""
        return await (
            await self.invoke_component(message, custom_id, values=values, user=user)
        ).answer(wait_s)

    async def submit_modal(
        self: FakeDiscord,
        opened: Answer,
        values: dict[str, str],
        *,
        wait_s: float = ANSWER_TIMEOUT_S,
    ) -> Answer:
        """Fill in and submit the modal the bot opened (`opened` is its type-9 answer), as the
        same user in the same channel."""
        if opened.callback_type != MODAL:
            raise LookupError(
                f"the bot answered with callback type {opened.callback_type}, not a modal"
            )
        modal = opened.data
        inputs = dict(_text_inputs(modal["components"]))
        unknown = set(values) - set(inputs)
        if unknown:
            raise LookupError(f"modal {modal['custom_id']!r} has no input(s) {sorted(unknown)}")
        rows: list[dict[str, Any]] = []
        for custom_id, (wrapper, text_input) in inputs.items():
            value = values.get(custom_id, "")
            if text_input.get("required", True) and not value:
                raise ValueError(f"modal input {custom_id!r} is required")
            if len(value) > text_input.get("max_length", 4000):
                raise ValueError(f"modal input {custom_id!r} is too long")
            submitted = {"type": TEXT_INPUT, "custom_id": custom_id, "value": value}
            if wrapper == LABEL:
                rows.append({"type": LABEL, "component": submitted})
            else:
                rows.append({"type": ACTION_ROW, "components": [submitted]})
        record = opened.interaction
        channel = record.guild.channel(record.channel_id)
        data = {"custom_id": modal["custom_id"], "components": rows}
        # A modal opened from a button carries that button's message (it may be updated).
        extra = {"message": record.payload["message"]} if "message" in record.payload else {}
        submission = await self._send_interaction(
            record.user, record.guild, channel, MODAL_SUBMIT, data, **extra
        )
        return await submission.answer(wait_s)

    # ------------------------------------------------------------------ messages
    def user_file(
        self: FakeDiscord, filename: str, data: bytes, content_type: str = "text/plain"
    ) -> dict[str, Any]:
        """An attachment a user uploaded (for attachment options); the bot can download it."""
        attachment_id = self.world.ids.next()
        upload = UploadedFile("file", filename, content_type, data)
        self.uploads[attachment_id] = upload
        return attachment_payload(attachment_id, "0", upload, self.base_url)

    async def post_as_user(
        self: FakeDiscord,
        content: str,
        *,
        user: str | None = None,
        guild: str | None = None,
        channel: str | None = None,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A member posts a message (MESSAGE_CREATE); returns it."""
        message = self._member_message(content, user, guild, channel, attachments)
        await self.gateway.dispatch_message("MESSAGE_CREATE", message, guild_id=message["guild_id"])
        return message

    def post_while_offline(
        self: FakeDiscord,
        content: str,
        *,
        user: str | None = None,
        guild: str | None = None,
        channel: str | None = None,
    ) -> dict[str, Any]:
        """A member posts a message while no shard of the bot that receives the guild is
        connected: it is only in the channel history (GET /channels/{id}/messages)."""
        the_guild = self.world.guild(guild or self.default_guild)
        if any(s.owns(the_guild.id) and not s.ws.closed for s in self.gateway.sessions):
            raise RuntimeError("the bot is connected: use post_as_user")
        return self._member_message(content, user, guild, channel, None)

    def _member_message(
        self: FakeDiscord,
        content: str,
        user: str | None,
        guild: str | None,
        channel: str | None,
        attachments: list[dict[str, Any]] | None,
    ) -> dict[str, Any]:
        the_user, the_guild, the_channel = self._context(user, guild, channel)
        needed = Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES
        if the_guild.permissions(the_user.id, the_channel.id) & needed != needed:
            raise PermissionError(f"{the_user.username} may not post in #{the_channel.name}")
        member = the_guild.members[the_user.id].payload()
        del member["user"]
        return self.new_message(
            the_channel,
            {"content": content},
            author=the_user.payload(),
            attachments=attachments or [],
            member=member,
        )

    async def delete_channel(self: FakeDiscord, channel: str, *, guild: str | None = None) -> None:
        """An admin deletes a channel: it leaves the world and CHANNEL_DELETE is dispatched."""
        the_guild = self.world.guild(guild or self.default_guild)
        the_channel = the_guild.channel(channel)
        payload = the_channel.payload()
        del the_guild.channels[the_channel.name]
        await self.gateway.dispatch("CHANNEL_DELETE", payload, guild_id=the_guild.id)

    async def user_says(
        self: FakeDiscord,
        content: str,
        *,
        user: str | None = None,
        guild: str | None = None,
        channel: str | None = None,
        wait_s: float = ANSWER_TIMEOUT_S,
    ) -> dict[str, Any]:
        """A member posts a message; returns the bot's next message in that channel."""
        posted = await self.post_as_user(content, user=user, guild=guild, channel=channel)
        return await self.wait_for_bot_message(
            posted["channel_id"], after=posted["id"], wait_s=wait_s
        )

    async def wait_for_bot_message(
        self: FakeDiscord, channel_id: str, *, after: str = "0", wait_s: float = ANSWER_TIMEOUT_S
    ) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_s
        while loop.time() < deadline:
            for message in self.messages.get(channel_id, []):
                if message["author"]["id"] == self.world.bot.id and int(message["id"]) > int(after):
                    return message
            await asyncio.sleep(0.01)
        raise TimeoutError(f"the bot posted nothing in channel {channel_id} within {wait_s} s")


def _merged(options: Mapping[str, Any] | None, more_options: dict[str, Any]) -> dict[str, Any]:
    clash = set(options or {}) & set(more_options)
    if clash:
        raise TypeError(f"option(s) {sorted(clash)} given twice")
    return {**(options or {}), **more_options}


def _find_component(components: list[dict[str, Any]], custom_id: str) -> dict[str, Any] | None:
    for component in components:
        if component.get("custom_id") == custom_id:
            return component
        children = list(component.get("components") or [])
        if "component" in component:
            children.append(component["component"])
        found = _find_component(children, custom_id)
        if found is not None:
            return found
    return None


def _text_inputs(
    components: list[dict[str, Any]],
) -> Iterator[tuple[str, tuple[int, dict[str, Any]]]]:
    """(custom_id, (wrapper type, text input)) for each text input of a modal."""
    for component in components:
        if component["type"] == LABEL and component["component"]["type"] == TEXT_INPUT:
            yield component["component"]["custom_id"], (LABEL, component["component"])
        for child in component.get("components") or []:
            if child["type"] == TEXT_INPUT:
                yield child["custom_id"], (ACTION_ROW, child)
