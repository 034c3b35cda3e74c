"""Settings come from config/default.toml and environment variables; bad values name the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings


def test_defaults_come_from_the_config_file() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///data/colloquy.db"
    assert settings.embedding_model == "e5-small+use"


def test_environment_overrides_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLLOQUY_SEARCH_K", "7")
    monkeypatch.setenv("DISCORD_TOKEN", "abc.def")
    settings = load_settings()
    assert settings.search_k == 7
    assert settings.discord_token is not None and settings.discord_token.get_secret_value() == "abc.def"


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("COLLOQUY_SEARCH_K", "many", "COLLOQUY_SEARCH_K"),
        ("COLLOQUY_DATABASE_URL", "mysql://x", "COLLOQUY_DATABASE_URL"),
        ("COLLOQUY_LOG_LEVEL", "LOUD", "COLLOQUY_LOG_LEVEL"),
        ("COLLOQUY_MAX_FILE_BYTES", "-1", "COLLOQUY_MAX_FILE_BYTES"),
    ],
)
def test_bad_value_names_the_setting(monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=named):
        load_settings()


def test_another_config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "colloquy.toml"
    config.write_text('search_k = 9\nlog_level = "debug"\n', encoding="utf-8")
    monkeypatch.setenv("COLLOQUY_CONFIG", str(config))
    settings = load_settings()
    assert (settings.search_k, settings.log_level) == (9, "DEBUG")
