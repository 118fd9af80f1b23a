"""`claimbot extract`, driven through bot.cli.main."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.extraction.labelled_articles import ARTICLES_DIR

SEED = ARTICLES_DIR / "seed-article.txt"


def test_text_output_lists_claims_with_score_kind_and_claimant(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["extract", str(SEED)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any(
        line.endswith("McCain was the Republican candidate for president in 2008.")
        and " event " in line
        for line in out
    )
    assert any(line.endswith("[Russian officials]") for line in out)
    assert out[-2].startswith(f"{len(out) - 2} claims from 18 sentences (threshold ")
    assert out[-1].startswith("note: 4 non-article lines skipped")


def test_jsonl_output_has_one_object_per_claim_with_offsets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = SEED.read_text(encoding="utf-8")
    assert main(["extract", "--format", "jsonl", str(SEED)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records
    for record in records:
        assert set(record) == {"text", "sentence", "start", "end", "score", "claimant", "kind"}
        assert text[record["start"] : record["end"]] == record["sentence"]


def test_threshold_option_overrides_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--format", "jsonl", "--threshold", "0", str(SEED)]) == 0
    everything = capsys.readouterr().out.splitlines()
    assert main(["extract", "--format", "jsonl", "--threshold", "1", str(SEED)]) == 0
    assert capsys.readouterr().out.splitlines() == []
    assert len(everything) == 18  # every prose sentence of the seed passes the prefilter


def test_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    text = "The Senate voted 68-31 on Thursday night."
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    assert main(["extract", "--threshold", "0", "-"]) == 0
    assert "The Senate voted 68-31 on Thursday night." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("   \n", "claimbot: error: {path} is empty\n"),
        (
            "x" * 200_001,
            "claimbot: error: {path} is too long (the limit is 200,000 characters)\n",
        ),
    ],
)
def test_bad_input_is_one_line_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    source = tmp_path / "article.txt"
    source.write_text(content, encoding="utf-8")
    assert main(["extract", str(source)]) == 1
    captured = capsys.readouterr()
    assert captured.err == message.format(path=source)
    assert captured.out == ""


def test_binary_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "photo.jpg"
    source.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" * 100)
    assert main(["extract", str(source)]) == 1
    assert "binary file" in capsys.readouterr().err


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "/no/such/article.txt"]) == 1
    assert capsys.readouterr().err == "claimbot: error: no such file: /no/such/article.txt\n"


def test_max_article_chars_setting_applies(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MAX_ARTICLE_CHARS", "100")
    assert main(["extract", str(SEED)]) == 1
    assert "limit is 100 characters" in capsys.readouterr().err


def test_threshold_out_of_range_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", "--threshold", "1.5", str(SEED)])
    assert exit_info.value.code == 2
    assert "must be between 0 and 1" in capsys.readouterr().err
