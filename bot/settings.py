"""All configuration, read once from the environment (and an optional `.env` file).

This is the only module-level singleton of the project: everything else receives the
values it needs as arguments.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///claimbot.db"

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _split_ids(value: object) -> object:
    """Accept "1,2, 3" (as written in .env files) as well as a list."""
    if isinstance(value, str):
        return [int(part) for part in value.replace(" ", "").split(",") if part]
    return value


class Settings(BaseSettings):
    """Settings of the bot and of the command line; see `.env.example` for each one."""

    # Empty values (as in a copied .env.example) mean "use the default".
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    discord_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    log_level: str = "INFO"

    # Extraction: sentences scoring below this are not kept as claims. None means the
    # threshold shipped with the model (chosen on development data, see its model card).
    score_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    # Largest article the bot accepts, in characters; longer pastes are refused.
    max_article_chars: int = Field(default=200_000, gt=0)
    # Articles one member may have read per minute in a server (moderators: no limit); 0: no
    # limit. Extraction is CPU work: this keeps one member from keeping the bot busy.
    submissions_per_minute: int = Field(default=5, ge=0)

    # Scale-out: several processes can share one PostgreSQL, each running some shards.
    shard_count: int | None = Field(default=None, gt=0)
    shard_ids: Annotated[list[int] | None, NoDecode] = None

    # Guilds to sync slash commands to immediately (development); empty syncs globally.
    dev_guild_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)

    # Fetching articles by link: allow private/loopback addresses (intranet self-hosting).
    allow_private_urls: bool = False

    # Optional Google Fact Check Tools API key for looking up published fact-checks.
    factcheck_api_key: SecretStr | None = None

    @field_validator("shard_ids", "dev_guild_ids", mode="before")
    @classmethod
    def _parse_id_list(cls, value: object) -> object:
        return _split_ids(value)

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
        return level
