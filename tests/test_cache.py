"""The validation cache speeds up warm runs and never hides an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmkit.content.cache import ValidationCache
from pmkit.content.load import load_course
from pmkit.errors import ContentError


def test_warm_run_hits_and_returns_an_equal_course(tmp_path: Path, bundled_content: Path) -> None:
    cache = ValidationCache(tmp_path / "cache")
    cold = load_course(bundled_content, cache=cache)
    warm = load_course(bundled_content, cache=cache)
    assert (cold.from_cache, warm.from_cache) == (False, True)
    assert warm.course == cold.course
    assert (tmp_path / "cache" / ".gitignore").read_text() == "*\n"


def test_a_changed_file_is_validated_again(tmp_path: Path, bundled_content: Path) -> None:
    cache = ValidationCache(tmp_path / "cache")
    load_course(bundled_content, cache=cache)
    track = bundled_content / "tracks" / "ux-pm.yaml"
    track.write_text(
        track.read_text(encoding="utf-8").replace("short_title:", "short_titel:"), encoding="utf-8"
    )
    with pytest.raises(ContentError) as exc:
        load_course(bundled_content, cache=cache)
    assert any("short_titel" in i.message for i in exc.value.issues)
    # Errors are never cached: the next run finds them again.
    with pytest.raises(ContentError):
        load_course(bundled_content, cache=cache)


def test_other_plugins_or_versions_miss(tmp_path: Path, bundled_content: Path) -> None:
    load_course(bundled_content, cache=ValidationCache(tmp_path / "c", plugins="a==1"))
    again = load_course(bundled_content, cache=ValidationCache(tmp_path / "c", plugins="a==2"))
    assert not again.from_cache


@pytest.mark.parametrize(
    "garbage", [b"", b"{not json", b'{"format": 1, "key": "x"}', b"\xff\xfe", b'{"format": 1}']
)
def test_a_corrupt_entry_is_ignored_and_replaced(
    tmp_path: Path, bundled_content: Path, garbage: bytes
) -> None:
    cache = ValidationCache(tmp_path / "cache")
    load_course(bundled_content, cache=cache)
    (entry,) = (tmp_path / "cache").glob("*.json")
    entry.write_bytes(garbage)
    loaded = load_course(bundled_content, cache=cache)
    assert not loaded.from_cache
    assert load_course(bundled_content, cache=cache).from_cache


def test_a_tampered_entry_with_the_right_key_is_still_only_data(
    tmp_path: Path, bundled_content: Path
) -> None:
    """A valid-looking entry whose course does not fit the model is ignored, not trusted."""
    import json

    cache = ValidationCache(tmp_path / "cache")
    load_course(bundled_content, cache=cache)
    (entry,) = (tmp_path / "cache").glob("*.json")
    data = json.loads(entry.read_text(encoding="utf-8"))
    del data["course"]["tracks"]
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert not load_course(bundled_content, cache=cache).from_cache


def test_cli_uses_the_cache_in_the_working_directory(
    tmp_path: Path, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from pmkit.cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PMKIT_NO_CACHE", raising=False)
    runner = CliRunner()
    assert runner.invoke(cli, ["validate", "-c", str(bundled_content)]).exit_code == 0
    assert list((tmp_path / ".pmkit-cache").glob("*.json"))
    assert runner.invoke(cli, ["validate", "-c", str(bundled_content)]).exit_code == 0
    assert runner.invoke(cli, ["validate", "--no-cache", "-c", str(bundled_content)]).exit_code == 0
