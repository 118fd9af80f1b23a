"""The store half of the command line, end to end on a fresh SQLite file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from bot.cli import main

SEED_ARTICLE = Path(__file__).resolve().parents[3] / "shared" / "examples" / "seed-article.txt"
GUILD = "123456789012345678"
OTHER_GUILD = "876543210987654321"
JSONL_KEYS = {"number", "status", "text", "sentence", "start", "end", "score", "claimant", "kind"}


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """Run `claimbot --database-url <tmp> ARGS...`; returns (exit status, stdout, stderr)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"

    def run_cli(*args: str) -> tuple[int, str, str]:
        status = main(["--database-url", url, *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run_cli


def jsonl(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


@pytest.mark.skipif(not SEED_ARTICLE.exists(), reason=f"{SEED_ARTICLE} is not there")
def test_round_trip_on_the_seed_article(run) -> None:
    article = SEED_ARTICLE.read_text(encoding="utf-8")

    status, out, err = run("submit", str(SEED_ARTICLE), "--guild", GUILD, "--format", "jsonl")
    assert (status, err) == (0, "")
    submitted = jsonl(out)
    assert submitted, "the seed article should yield claims"
    assert [claim["number"] for claim in submitted] == list(range(1, len(submitted) + 1))
    for claim in submitted:
        assert claim.keys() >= JSONL_KEYS
        assert claim["is_new"] is True
        assert article[claim["start"] : claim["end"]] == claim["sentence"]

    # Submitting it again stores nothing new: every claim is recognised.
    status, out, _ = run("submit", str(SEED_ARTICLE), "--guild", GUILD, "--by", "Ada")
    assert status == 0
    assert f"0 new claims, {len(submitted)} already in the store" in out

    status, out, _ = run("claims", "list", "--guild", GUILD, "--limit", "3", "--format", "jsonl")
    listed = jsonl(out)
    assert [c["number"] for c in listed] == [len(submitted), len(submitted) - 1, len(submitted) - 2]
    assert all(c["times_submitted"] == 2 for c in listed)
    status, out, _ = run("claims", "list", "--guild", GUILD)
    assert status == 0
    assert f"({len(submitted)} of {len(submitted)} shown, newest first)" in out

    status, out, err = run(
        "claims",
        "set-status",
        "--guild",
        GUILD,
        "1",
        "disputed",
        "--by",
        "Grace",
        "--note",
        "Other sources disagree",
        "--evidence",
        "https://example.org/check",
    )
    assert (status, err) == (0, "")
    assert "#1 is now disputed" in out
    run("claims", "set-status", "--guild", GUILD, "#1", "verified", "--by", "Linus")

    status, out, _ = run("claims", "show", "--guild", GUILD, "1", "--format", "json")
    shown = json.loads(out)
    assert shown["status"] == "verified"
    assert [(h["from"], h["to"], h["by"]) for h in shown["history"]] == [
        ("pending", "disputed", "Grace"),
        ("disputed", "verified", "Linus"),
    ]
    assert shown["history"][0]["note"] == "Other sources disagree"
    assert shown["history"][0]["evidence"] == "https://example.org/check"
    status, out, _ = run("claims", "show", "--guild", GUILD, "1")
    assert "pending -> disputed  by Grace" in out

    word = next(w for w in str(submitted[0]["sentence"]).split() if w.isalpha() and len(w) > 4)
    status, out, _ = run("claims", "search", "--guild", GUILD, word, "--format", "jsonl")
    assert status == 0
    assert 1 in [c["number"] for c in jsonl(out)]
    status, out, _ = run("claims", "search", "--guild", OTHER_GUILD, word)
    assert out.startswith("No claims contain")

    status, out, _ = run("export", "--guild", GUILD, "--format", "jsonl")
    exported = jsonl(out)
    assert [c["number"] for c in exported] == list(range(1, len(submitted) + 1))
    assert exported[0]["status"] == "verified"
    status, out, _ = run("export", "--guild", GUILD, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [int(row["number"]) for row in rows] == list(range(1, len(submitted) + 1))
    assert rows[0]["sentence"] == submitted[0]["sentence"]


def test_submit_from_stdin(run, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "The unemployment rate fell to 3.9 percent in March, the ministry said.\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    status, out, _ = run("submit", "-", "--guild", GUILD, "--format", "jsonl")
    assert status == 0
    for claim in jsonl(out):
        assert text[claim["start"] : claim["end"]] == claim["sentence"]
    status, out, _ = run("export", "--guild", GUILD, "--format", "jsonl")
    assert all(claim["source"] == "paste" for claim in jsonl(out))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("claims", "show", "--guild", GUILD, "99"), "No claim #99 in this server."),
        (("claims", "set-status", "--guild", GUILD, "1", "true", "--by", "M"), "Unknown status"),
        (
            (
                "claims",
                "set-status",
                "--guild",
                GUILD,
                "1",
                "verified",
                "--by",
                "M",
                "--evidence",
                "not a link",
            ),
            "http(s) link",
        ),
        (("claims", "list", "--guild", GUILD, "--status", "nope"), "Unknown status"),
        (("claims", "search", "--guild", GUILD, "???"), "at least one word"),
        (("submit", "/no/such/article.txt", "--guild", GUILD), "no such file"),
    ],
)
def test_errors_exit_non_zero_with_one_line(run, args: tuple[str, ...], message: str) -> None:
    run("db", "upgrade")
    status, out, err = run(*args)
    assert status != 0
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("claimbot: error: ")
    assert message in err


def test_binary_empty_and_undecodable_sources_are_refused(run, tmp_path: Path) -> None:
    samples = {"binary.bin": b"\x7fELF\x00\x01", "empty.txt": b"  \n", "latin1.txt": b"caf\xe9"}
    messages = {"binary.bin": "binary", "empty.txt": "empty", "latin1.txt": "not UTF-8"}
    for name, data in samples.items():
        path = tmp_path / name
        path.write_bytes(data)
        status, _, err = run("submit", str(path), "--guild", GUILD)
        assert status == 1
        assert messages[name] in err


def test_db_upgrade_is_repeatable(run) -> None:
    for _ in range(2):
        status, out, err = run("db", "upgrade")
        assert (status, err) == (0, "")
        assert "newest schema" in out


def test_unreachable_database_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["--database-url", "postgresql+asyncpg://u@127.0.0.1:1/none", "db", "upgrade"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("claimbot: error: cannot use the database")
    assert len(err.splitlines()) == 1
