"""The submit service: input checks, uploads, HTML, and extraction in a worker thread."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.errors import InvalidInput
from bot.extraction import Extractor
from bot.extraction.types import ExtractionResult
from bot.store import ClaimStore, open_store
from bot.submission import (
    MAX_UPLOAD_BYTES,
    Submitter,
    check_text,
    submit_article,
    text_from_html,
    text_from_upload,
)

GUILD = 42
ARTICLE = (Path(__file__).parent / "extraction" / "articles" / "economy-inflation.txt").read_text()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[ClaimStore]:
    opened = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
    yield opened
    await opened.close()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.pdf", b"%PDF", "attach a .txt, .md or .html"),
        ("noext", b"text", "without an extension"),
        ("a.txt", b"x" * (MAX_UPLOAD_BYTES + 1), "the limit is 1 MB"),
        ("a.md", b"ab\x00cd", "binary"),
        ("a.txt", b"\xff\xfe\xfa", "not UTF-8"),
    ],
)
def test_bad_uploads_are_refused(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        text_from_upload(name, data)


def test_uploads_are_read_as_text() -> None:
    assert text_from_upload("A.TXT", "\ufeffcafé".encode()) == "café"
    assert text_from_upload("a.md", b"# Title\n\nBody") == "# Title\n\nBody"
    assert text_from_upload("x.txt", b"y" * MAX_UPLOAD_BYTES) == "y" * MAX_UPLOAD_BYTES


def test_html_keeps_paragraphs_and_drops_scripts() -> None:
    markup = (
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<p>First  para &amp; more.</p><script>var x = 1;</script><div>Second<br>line</div>"
        "</body></html>"
    )
    assert text_from_html(markup) == "First para & more.\n\nSecond\n\nline"


@pytest.mark.parametrize(
    ("text", "reason"), [("  \n ", "empty"), ("a" * 11, "limit is 10"), ("a\x00b", "binary")]
)
def test_check_text(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        check_text(text, max_chars=10)


class RecordingExtractor(Extractor):
    """The real extractor, noting which thread ran it."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[str] = []
        self.thresholds: list[float | None] = []

    def extract(self, text: str, *, threshold: float | None = None) -> ExtractionResult:
        self.threads.append(threading.current_thread().name)
        self.thresholds.append(threshold)
        return super().extract(text, threshold=threshold)


async def test_submit_extracts_off_the_loop_and_stores(store: ClaimStore) -> None:
    extractor = RecordingExtractor()
    submitter = Submitter(guild_id=GUILD, user_id=7, name="Ada", channel_id=1, message_id=2)
    result = await submit_article(store, extractor, submitter, text=ARTICLE, source="paste")
    assert extractor.threads != [threading.main_thread().name]
    assert result.outcome is not None
    assert len(result.distinct_claims) == len(result.extraction.candidates) > 0
    again = await submit_article(store, extractor, submitter, text=ARTICLE, source="paste")
    assert all(not item.is_new for item in again.claims)
    assert [i.claim.number for i in again.distinct_claims] == [
        i.claim.number for i in result.distinct_claims
    ]


async def test_the_guild_threshold_is_used_and_no_claims_stores_nothing(
    store: ClaimStore,
) -> None:
    await store.update_guild_settings(guild_id=GUILD, score_threshold=1.0)
    extractor = RecordingExtractor()
    submitter = Submitter(guild_id=GUILD, user_id=7, name="Ada")
    result = await submit_article(store, extractor, submitter, text=ARTICLE, source="paste")
    assert extractor.thresholds == [1.0]
    assert result.outcome is None
    assert result.extraction.threshold == 1.0
    assert result.extraction.sentences_read > 0
    assert await store.count_claims(guild_id=GUILD) == 0
