"""The choices `python -m bot.extraction.train` makes on dev-test, on synthetic scores.

Training itself needs torch and is never run here; these choice functions are plain numpy.
"""

from __future__ import annotations

import argparse

import numpy as np
import pytest

from bot.cli.eval_cmd import LabelledSentences
from bot.extraction.train import (
    Member,
    average_precision,
    best_threshold,
    choose_gate,
    choose_transformer_blend,
    choose_weights,
    gated_scores,
    model_version,
    parse_members,
    simplex_grid,
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


def test_the_grid_splits_tenths_first_heavy_first() -> None:
    assert simplex_grid(2) == [(10 - i, i) for i in range(11)]
    three = simplex_grid(3)
    assert len(three) == 66
    assert three[0] == (10, 0, 0)
    assert all(sum(weights) == 10 for weights in three)


def test_a_useless_second_model_gets_little_weight() -> None:
    good = _noisy(1, 0.25)
    useless = np.random.default_rng(2).uniform(0.0, 1.0, len(LABELS))
    # A touch of noise can break the good model's ties, never more.
    assert choose_weights([good, useless], LABELS)[1] <= 0.2
    assert choose_weights([good, good], LABELS) == [1.0, 0.0]  # ties keep the first model


def test_a_better_second_model_gets_most_weight() -> None:
    weak, strong = _noisy(3, 0.6), _noisy(4, 0.05)
    assert choose_weights([weak, strong], LABELS)[1] >= 0.5
    assert choose_weights([strong, weak], LABELS)[1] <= 0.5


def test_independent_noisy_models_are_mixed() -> None:
    # Independent errors: averaging beats any one alone, so no corner of the grid wins.
    models = [_noisy(5, 0.45), _noisy(6, 0.45), _noisy(7, 0.45)]
    two = choose_weights(models[:2], LABELS)
    assert 0.0 < two[1] < 1.0
    three = choose_weights(models, LABELS)
    assert sum(three) == pytest.approx(1.0)
    assert max(three) < 1.0


def test_members_name_their_labels_seed_and_file() -> None:
    assert parse_members("binary, three-way,three-way@7") == [
        Member("binary"),
        Member("three-way"),
        Member("three-way", 7),
    ]
    assert Member("binary").onnx_file == "model.onnx"
    assert Member("three-way").onnx_file == "model-three-way.onnx"
    assert Member("three-way", 7).onnx_file == "model-three-way-7.onnx"
    assert Member("three-way", 7).name == "three-way@7"
    mean = Member.parse("three-way-mean@7")
    assert (mean.labels, mean.seed, mean.pooling) == ("three-way", 7, "mean")
    assert mean.onnx_file == "model-three-way-mean-7.onnx"
    mpnet = Member.parse("three-way:mpnet@7")
    assert (mpnet.labels, mpnet.seed, mpnet.encoder) == ("three-way", 7, "mpnet")
    assert mpnet.name == "three-way:mpnet@7"
    assert mpnet.onnx_file == "model-three-way-mpnet-7.onnx"
    assert Member.parse("three-way:minilm") == Member("three-way")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "binary,binary",
        "ternary",
        "three-way@x",
        "mean",
        "three-way-max",
        "three-way:bert",
        "three-way-mean:mpnet",
    ],
)
def test_bad_member_lists_are_refused(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_members(text)


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


def test_the_version_says_what_was_trained() -> None:
    both = parse_members("binary,three-way")
    assert model_version(both, linear_only=False) == "2026.11-minilm-blend"
    assert model_version(both[:1], linear_only=False) == "2026.11-minilm-binary"
    assert model_version(both, linear_only=True) == "2026.11-linear"
    wider = parse_members("binary,three-way:mpnet")
    assert model_version(wider, linear_only=False) == "2026.11-minilm-mpnet-blend"
    assert model_version(wider[1:], linear_only=False) == "2026.11-mpnet-three-way"


def test_the_cheap_encoder_reads_the_gate_even_when_outweighed() -> None:
    # Every sentence pays for the first part: MiniLM goes first, however the mix weighs it.
    built = []
    for encoder, noise in (("mpnet", 0.35), ("minilm", 0.5)):
        p = _noisy(3 if encoder == "mpnet" else 4, noise)
        logits = np.stack([np.log(1 - p + 1e-6), np.log(p + 1e-6)], axis=1)
        part = {"encoder": encoder, "temperature": 1.0, "class_weights": [0.0, 1.0]}
        built.append((None, part, logits))
    chosen, _ = choose_transformer_blend(
        built, [0.5] * len(LABELS), LabelledSentences(["x"] * len(LABELS), LABELS), {}
    )
    encoders = [part["encoder"] for part in chosen["parts"]]
    weights = [part["weight"] for part in chosen["parts"]]
    assert encoders == ["minilm", "mpnet"]
    assert weights[1] > weights[0]
