"""The choices `python -m bot.extraction.train` makes on dev-test, on synthetic scores.

Training itself needs torch and is never run here; these choice functions are plain numpy.
"""

from __future__ import annotations

import numpy as np
import pytest

from bot.extraction.train import (
    average_precision,
    best_threshold,
    choose_gate,
    choose_mix,
    gated_scores,
)

LABELS = [True] * 40 + [False] * 60


def _noisy(seed: int, noise: float) -> np.ndarray:
    """Scores that rank LABELS with some noise (a different noise for each seed)."""
    rng = np.random.default_rng(seed)
    signal = np.asarray(LABELS, dtype=np.float64)
    return np.clip(0.2 + 0.6 * signal + rng.normal(0.0, noise, len(LABELS)), 0.0, 1.0)


def test_average_precision_of_a_perfect_and_a_reversed_ranking() -> None:
    perfect = [1.0 if label else 0.0 for label in LABELS]
    assert average_precision(perfect, LABELS) == pytest.approx(1.0)
    assert average_precision([1.0 - s for s in perfect], LABELS) < 0.5


def test_a_useless_second_model_gets_little_weight() -> None:
    good = _noisy(1, 0.25)
    useless = np.random.default_rng(2).uniform(0.0, 1.0, len(LABELS))
    # A touch of noise can break the good model's ties, never more.
    assert choose_mix(good, useless, LABELS) <= 0.2
    assert choose_mix(good, good, LABELS) == 0.0  # ties keep the first model


def test_a_better_second_model_gets_most_weight() -> None:
    weak, strong = _noisy(3, 0.6), _noisy(4, 0.05)
    assert choose_mix(weak, strong, LABELS) >= 0.5
    assert choose_mix(strong, weak, LABELS) <= 0.5


def test_two_independent_noisy_models_are_mixed() -> None:
    # Independent errors: averaging beats either alone, so neither end of the grid wins.
    first, second = _noisy(5, 0.45), _noisy(6, 0.45)
    mix = choose_mix(first, second, LABELS)
    assert 0.0 < mix < 1.0


def test_the_gate_leaves_clear_cases_to_the_first_model() -> None:
    first = np.array([0.0, 0.01, 0.3, 0.35, 0.9, 0.99] * 20)
    # The second opinion only ever moves the uncertain middle across the threshold.
    blend = np.where((first > 0.05) & (first < 0.8), 1.0 - first, first)
    gate = choose_gate(first, blend, threshold=0.5)
    assert gate is not None
    low, high = gate
    assert low <= 0.3
    assert high > 0.35
    # ...and the gated scores make the full blend's decisions.
    gated = gated_scores(first, blend, gate)
    assert np.array_equal(gated >= 0.5, blend >= 0.5)


def test_no_gate_when_the_second_model_overturns_clear_cases() -> None:
    first = np.repeat([0.0, 0.999], 100)
    blend = 1.0 - first  # overturns every decision, the clearest cases included
    assert choose_gate(first, blend, threshold=0.5) is None


def test_best_threshold_sits_between_the_classes() -> None:
    scores = [0.7 if label else 0.2 for label in LABELS]
    assert 0.2 < best_threshold(scores, LABELS) <= 0.7
