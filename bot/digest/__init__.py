"""The weekly digest: what came in, what was settled, what still waits.

Pure parts: `periods` (ISO weeks in a guild's zone, "is it due" from an injected clock),
`build` (the digest data from the store's aggregates), `render` (embed and text), `chart`
(the PNG). `runner` drives them through the ClaimStore with a `send` callable, so the
Discord side (cogs/digest.py) stays a thin loop.
"""

from bot.digest.build import Digest, build_digest
from bot.digest.periods import IsoWeek, Schedule, due_digest
from bot.digest.runner import DeliveryError, DigestMessage, DigestService, RunOutcome

__all__ = [
    "DeliveryError",
    "Digest",
    "DigestMessage",
    "DigestService",
    "IsoWeek",
    "RunOutcome",
    "Schedule",
    "build_digest",
    "due_digest",
]
