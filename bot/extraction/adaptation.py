"""Training stage 2b (`python -m bot.extraction.train --adapt`): adapt fine-tuned models to
2020-era debates, choosing everything on out-of-fold scores.

Why: train.tsv and dev.tsv are debates from 1960-2016; test.tsv and dev-test.tsv are 2020-era,
and the models score dev-test far better than test (0.92 vs 0.69 F1), so the shift is not only
a threshold. dev-test is the only 2020-era labelled data the rules let us learn from, but it is
also where every choice is made. Cross-fitting keeps both: each fold of dev-test is scored by a
model adapted on the other folds, so the out-of-fold (OOF) scores are as honest as a held-out
set, and the choices (learning rate, calibration, mix, gate, threshold) are made on them. The
shipped model is then adapted on all of dev-test the same way.

Adapting = continuing to train a fine-tuned checkpoint on the dev-test rows mixed with a replay
sample of its own training data (so that it does not forget the older debates), at a small
learning rate. A three-way model learns from a dev-test "No" without knowing whether it is
non-factual or unimportant: its loss there is -log(1 - p(check-worthy)).

Pure helpers (folds, rows) are plain Python; the training needs the `train` extra.
"""

from __future__ import annotations

import random
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FOLDS = 5
# Replay rows of the original training data per dev-test row.
REPLAY_PER_ROW = 3
EPOCHS = 2
LEARNING_RATES = (1e-5, 3e-5)
WARMUP_FRACTION = 0.1
# Target of a three-way "No" whose ClaimBuster class (non-factual or unimportant) is unknown.
NOT_CHECK_WORTHY = -1


@dataclass(frozen=True)
class Rows:
    """Sentences and their class targets (NOT_CHECK_WORTHY where only "No" is known)."""

    texts: list[str]
    targets: list[int]


def stratified_folds(labels: Sequence[bool], folds: int, seed: int) -> list[list[int]]:
    """`folds` disjoint index lists covering every row, each with its share of positives."""
    rng = random.Random(seed)
    assigned: list[list[int]] = [[] for _ in range(folds)]
    dealt = 0  # one deal across both classes, so that fold sizes differ by one at most
    for label in (True, False):
        rows = [i for i, y in enumerate(labels) if y == label]
        rng.shuffle(rows)
        for i in rows:
            assigned[dealt % folds].append(i)
            dealt += 1
    return [sorted(fold) for fold in assigned]


def adaptation_targets(labels: Sequence[bool], three_way: bool) -> list[int]:
    """Class targets of dev-test rows: the check-worthy class is the last one."""
    if three_way:
        return [2 if y else NOT_CHECK_WORTHY for y in labels]
    return [1 if y else 0 for y in labels]


def with_replay(adapt_on: Rows, replay_pool: Rows, seed: int) -> Rows:
    """`adapt_on` plus REPLAY_PER_ROW rows per row drawn from `replay_pool` (seeded)."""
    rng = random.Random(seed)
    count = min(len(replay_pool.texts), REPLAY_PER_ROW * len(adapt_on.texts))
    picked = rng.sample(range(len(replay_pool.texts)), count)
    return Rows(
        adapt_on.texts + [replay_pool.texts[i] for i in picked],
        adapt_on.targets + [replay_pool.targets[i] for i in picked],
    )


def subset(rows: Rows, indices: Sequence[int]) -> Rows:
    return Rows([rows.texts[i] for i in indices], [rows.targets[i] for i in indices])


# --- torch --------------------------------------------------------------------------------


def adaptation_loss(logits: Any, targets: Any) -> Any:
    """Cross-entropy on known classes; -log(1 - p(last class)) on NOT_CHECK_WORTHY rows."""
    import torch

    log_p = torch.log_softmax(logits, dim=1)
    known = targets >= 0
    losses = torch.zeros(len(targets), dtype=log_p.dtype)
    if known.any():
        losses[known] = -log_p[known].gather(1, targets[known].unsqueeze(1)).squeeze(1)
    if (~known).any():
        p_last = log_p[~known, -1].exp().clamp(max=1 - 1e-6)
        losses[~known] = -torch.log1p(-p_last)
    return losses.mean()


def adapt(checkpoint: Path, rows: Rows, learning_rate: float, seed: int) -> Any:
    """A copy of the checkpoint trained on `rows` for EPOCHS epochs; returns the module."""
    import torch
    from transformers import AutoTokenizer

    from bot.extraction.train import (
        BATCH_SIZE,
        MAX_LENGTH,
        WEIGHT_DECAY,
        length_bucketed_batches,
        load_classifier,
    )

    torch.manual_seed(seed)
    rng = random.Random(seed)
    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    model = load_classifier(checkpoint)
    model.train()
    encoded = tokenizer(rows.texts, truncation=True, max_length=MAX_LENGTH)["input_ids"]
    targets = torch.tensor(rows.targets)
    steps = EPOCHS * -(-len(encoded) // BATCH_SIZE)
    warmup = max(1, int(steps * WARMUP_FRACTION))
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=WEIGHT_DECAY)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / warmup)
    )
    for _ in range(EPOCHS):
        for batch in length_bucketed_batches([len(ids) for ids in encoded], rng):
            padded = tokenizer.pad({"input_ids": [encoded[i] for i in batch]}, return_tensors="pt")
            result = model(**padded)
            logits = getattr(result, "logits", result)
            adaptation_loss(logits, targets[batch]).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
    model.eval()
    return model


def out_of_fold_logits(
    checkpoint: Path,
    adapt_on: Rows,
    labels: Sequence[bool],
    replay_pool: Rows,
    learning_rate: float,
    seed: int,
) -> npt.NDArray[np.float64]:
    """Every `adapt_on` row scored (logits) by a model adapted on the other folds."""
    from transformers import AutoTokenizer

    from bot.extraction.train import torch_logits

    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    logits: npt.NDArray[np.float64] | None = None
    for k, held_out in enumerate(stratified_folds(labels, FOLDS, seed)):
        started = time.perf_counter()
        kept = sorted(set(range(len(labels))) - set(held_out))
        rows = with_replay(subset(adapt_on, kept), replay_pool, seed + k)
        model = adapt(checkpoint, rows, learning_rate, seed + k)
        fold = torch_logits(model, tokenizer, [adapt_on.texts[i] for i in held_out])
        if logits is None:
            logits = np.zeros((len(labels), fold.shape[1]))
        logits[held_out] = fold
        print(
            f"  adapt lr {learning_rate:g} fold {k + 1}/{FOLDS}: "
            f"{time.perf_counter() - started:.0f}s",
            flush=True,
        )
    assert logits is not None
    return logits


def adapt_and_save(
    checkpoint: Path,
    adapt_on: Rows,
    replay_pool: Rows,
    learning_rate: float,
    seed: int,
    out_dir: Path,
) -> Path:
    """The shipped adaptation: on all of `adapt_on`, saved where `export_onnx` reads it."""
    from transformers import AutoTokenizer

    model = adapt(checkpoint, with_replay(adapt_on, replay_pool, seed), learning_rate, seed)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    model.save_pretrained(out_dir)
    AutoTokenizer.from_pretrained(checkpoint).save_pretrained(out_dir)
    return out_dir
