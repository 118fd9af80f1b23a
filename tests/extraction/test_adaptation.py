"""The pure parts of training stage 2b (adaptation to dev-test): folds and rows.

The adaptation itself needs torch and is never run here.
"""

from __future__ import annotations

from bot.extraction.adaptation import (
    NOT_CHECK_WORTHY,
    REPLAY_PER_ROW,
    Rows,
    adaptation_targets,
    stratified_folds,
    subset,
    with_replay,
)

LABELS = [True] * 23 + [False] * 52


def test_folds_cover_every_row_once_with_their_share_of_positives() -> None:
    folds = stratified_folds(LABELS, 5, seed=7)
    assert sorted(i for fold in folds for i in fold) == list(range(len(LABELS)))
    for fold in folds:
        assert sum(LABELS[i] for i in fold) in (4, 5)  # 23 positives over 5 folds
        assert len(fold) == 15


def test_folds_are_seeded() -> None:
    assert stratified_folds(LABELS, 5, seed=7) == stratified_folds(LABELS, 5, seed=7)
    assert stratified_folds(LABELS, 5, seed=7) != stratified_folds(LABELS, 5, seed=8)


def test_a_three_way_no_is_only_known_as_not_check_worthy() -> None:
    assert adaptation_targets([True, False], three_way=True) == [2, NOT_CHECK_WORTHY]
    assert adaptation_targets([True, False], three_way=False) == [1, 0]


def test_replay_adds_distinct_rows_of_the_pool_after_the_adapted_ones() -> None:
    adapt_on = Rows(["a", "b"], [1, 0])
    pool = Rows([f"old {i}" for i in range(100)], [i % 2 for i in range(100)])
    rows = with_replay(adapt_on, pool, seed=3)
    assert rows.texts[:2] == ["a", "b"]
    assert rows.targets[:2] == [1, 0]
    replayed = rows.texts[2:]
    assert len(replayed) == REPLAY_PER_ROW * 2 == len(set(replayed))
    for text, target in zip(replayed, rows.targets[2:], strict=True):
        assert target == int(text.split()[1]) % 2  # each replayed row keeps its own target
    assert with_replay(adapt_on, pool, seed=3) == rows


def test_replay_from_a_small_pool_takes_all_of_it() -> None:
    rows = with_replay(Rows(["a"] * 10, [1] * 10), Rows(["x", "y"], [0, 0]), seed=1)
    assert sorted(rows.texts[10:]) == ["x", "y"]


def test_subset_keeps_texts_and_targets_together() -> None:
    rows = Rows(["a", "b", "c"], [0, 1, 2])
    assert subset(rows, [2, 0]) == Rows(["c", "a"], [2, 0])
