"""Settings, read once: config/default.toml, overridden by COLLOQUY_* environment variables."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from bot import PROJECT_ROOT
from bot.library.database import ServerOptions

DEFAULT_CONFIG = PROJECT_ROOT / "config" / "default.toml"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(Exception):
    """A setting has a bad value; the message names the setting and what is wrong."""


class Settings(BaseSettings):
    """Everything configurable about Colloquy. See config/default.toml for what each key means."""

    model_config = SettingsConfigDict(env_prefix="COLLOQUY_", extra="forbid", populate_by_name=True)

    database_url: str = "sqlite+aiosqlite:///data/colloquy.db"
    discord_token: SecretStr | None = Field(default=None, validation_alias="DISCORD_TOKEN")
    speakers_file: Path = Path("config/speakers.toml")
    max_file_bytes: int = Field(default=20_000_000, gt=0)
    embedding_model: str = "e5-small+use"
    model_dir: Path = Path(".cache/models")
    embed_batch_size: int = Field(default=32, gt=0, le=1024)
    log_level: str = "INFO"
    search_k: int = Field(default=5, gt=0, le=50)
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: SecretStr | None = None
    llm_timeout_seconds: float = Field(default=20.0, gt=0)
    dev_guild_id: int = Field(default=0, ge=0)
    download_timeout_seconds: float = Field(default=60.0, gt=0)
    digest_grace_minutes: int = Field(default=720, ge=0)
    database_pool_size: int = Field(default=5, ge=1, le=100)
    database_max_overflow: int = Field(default=10, ge=0, le=100)
    database_pool_timeout: float = Field(default=30.0, gt=0)
    database_statement_timeout_ms: int = Field(default=30_000, ge=0)
    database_connect_timeout: float = Field(default=10.0, gt=0)
    shard_count: int = Field(default=0, ge=0)
    shard_ids: list[int] = Field(default_factory=list)

    @field_validator("shard_ids")
    @classmethod
    def _shards_within_count(cls, value: list[int], info: ValidationInfo) -> list[int]:
        count = info.data.get("shard_count", 0)
        if value and not count:
            raise ValueError("needs shard_count (the total number of shards across all processes)")
        if any(not 0 <= shard < count for shard in value) or len(set(value)) < len(value):
            raise ValueError(f"must be distinct shard numbers from 0 to shard_count - 1 ({count - 1})")
        return value

    def server_options(self) -> ServerOptions:
        """The database server settings as the engine takes them."""
        return ServerOptions(
            pool_size=self.database_pool_size,
            max_overflow=self.database_max_overflow,
            pool_timeout=self.database_pool_timeout,
            statement_timeout_ms=self.database_statement_timeout_ms,
            connect_timeout=self.database_connect_timeout,
        )

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://", "postgresql+psycopg://")):
            raise ValueError("must start with sqlite+aiosqlite://, postgresql+asyncpg:// or postgresql+psycopg://")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return value.upper()

    @field_validator("embedding_model")
    @classmethod
    def _known_model(cls, value: str) -> str:
        from bot.search.embedder import EMBEDDING_MODELS

        if value not in EMBEDDING_MODELS:
            raise ValueError(f"must be one of {', '.join(EMBEDDING_MODELS)}")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config_file = Path(os.environ.get("COLLOQUY_CONFIG", DEFAULT_CONFIG))
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=config_file))


def load_settings(**overrides: object) -> Settings:
    """Build the settings once at start; a bad value raises SettingsError naming the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]  # pydantic validates the values
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = ".".join(str(part) for part in error["loc"]) or "settings"
            env = "DISCORD_TOKEN" if name == "DISCORD_TOKEN" else f"COLLOQUY_{name.upper()}"
            problems.append(f"setting '{name}' ({env}): {error['msg']}")
        raise SettingsError("; ".join(problems)) from None
