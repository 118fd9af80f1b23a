"""The packaged check-worthiness model and its building blocks (no torch, no network)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.errors import ConfigurationError
from bot.extraction.scoring import (
    MODEL_DIR,
    BlendedModel,
    CheckworthinessModel,
    Gate,
    HashedFeaturizer,
    LinearModel,
    load_default_model,
    load_model,
)

ROOT = Path(__file__).resolve().parents[2]

CHECKABLE = [
    "Unemployment fell to 3.5 percent in 2019, the lowest rate in fifty years.",
    "We have cut taxes for 82 percent of middle-income families.",
    "Crime in our cities went up by 30 percent last year.",
    "I voted against the Iraq war in 2002.",
]
NOT_CHECKABLE = [
    "Thank you very much, it's great to be here tonight.",
    "Let me finish, please.",
    "I think we need to come together as a country.",
    "What do you want to do about it?",
]


@pytest.fixture(scope="module")
def model() -> CheckworthinessModel:
    return load_default_model()


def test_default_model_is_loaded_once(model: CheckworthinessModel) -> None:
    assert load_default_model() is model


def test_scores_are_probabilities_in_input_order(model: CheckworthinessModel) -> None:
    sentences = CHECKABLE + NOT_CHECKABLE + ["", "   ", "x" * 5000, "Últimas noticias"]
    scores = model.score(sentences)
    assert len(scores) == len(sentences)
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in scores)


def test_empty_batch_scores_nothing(model: CheckworthinessModel) -> None:
    assert model.score([]) == []


def test_batch_scores_match_single_scores(model: CheckworthinessModel) -> None:
    sentences = CHECKABLE + NOT_CHECKABLE
    batched = model.score(sentences)
    single = [model.score([s])[0] for s in sentences]
    # A sentence's score must not depend on the company it keeps in a batch.
    assert batched == pytest.approx(single, abs=1e-6)


def test_claims_outscore_chatter(model: CheckworthinessModel) -> None:
    checkable = model.score(CHECKABLE)
    chatter = model.score(NOT_CHECKABLE)
    assert min(checkable) > max(chatter)
    threshold = model.default_threshold
    assert all(s >= threshold for s in checkable)
    assert all(s < threshold for s in chatter)


def test_default_threshold_is_sane_and_recorded(model: CheckworthinessModel) -> None:
    config = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))
    assert 0.1 <= model.default_threshold <= 0.9
    assert model.default_threshold == config["threshold"]


def test_packaged_model_is_small_and_has_a_card() -> None:
    total = sum(p.stat().st_size for p in MODEL_DIR.iterdir() if p.is_file())
    # Two int8 MiniLMs (22 MB each) and their tokenizer: a third would need a reason.
    assert total < 50 * 1024 * 1024
    card = (MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    for must in ("Arslan", "Meng", "Apache-2.0", "test.tsv", "threshold"):
        assert must in card


def test_model_loads_and_scores_without_torch_or_pickle() -> None:
    # A fresh interpreter: what the bot imports at run time, and nothing it must not.
    code = (
        "import sys, pickle\n"
        "pickle.load = pickle.loads = None\n"
        "from bot.extraction.scoring import load_default_model\n"
        "print(load_default_model().score(['Taxes rose 5 percent in 2019.'])[0])\n"
        "banned = [m for m in ('torch', 'transformers', 'sklearn', 'scipy') if m in sys.modules]\n"
        "assert not banned, banned\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert 0.0 <= float(done.stdout) <= 1.0


def test_featurizer_is_stable_and_folds_digits() -> None:
    featurizer = HashedFeaturizer(n_buckets=1 << 18)
    first = featurizer.counts("Taxes rose 5 percent in 2019.")
    assert first == HashedFeaturizer(n_buckets=1 << 18).counts("Taxes rose 5 percent in 2019.")
    assert first == featurizer.counts("taxes ROSE 7 percent in 1988.")
    assert all(0 <= column < 1 << 18 for column in first)
    assert featurizer.counts("") == {}


def test_linear_model_round_trips_through_npz(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    weights = rng.normal(size=1 << 10).astype(np.float32)
    idf = rng.uniform(1, 3, size=1 << 10).astype(np.float32)
    original = LinearModel(weights, idf, -0.25)
    original.save(tmp_path / "linear.npz")
    loaded = LinearModel.load(tmp_path / "linear.npz")
    sentences = ["The deficit doubled.", "Hello there.", ""]
    assert loaded.score(sentences) == pytest.approx(original.score(sentences))
    # An empty sentence has no features: its score is the bias alone.
    assert loaded.score([""])[0] == pytest.approx(1 / (1 + np.exp(0.25)))


def test_linear_model_refuses_mismatched_arrays() -> None:
    with pytest.raises(ConfigurationError):
        LinearModel(np.zeros(8, np.float32), np.zeros(4, np.float32), 0.0)


class _Constant:
    def __init__(self, value: float) -> None:
        self.value = value
        self.default_threshold = 0.5

    def score(self, sentences: list[str]) -> list[float]:
        return [self.value] * len(sentences)


def test_blend_is_a_weighted_mean_of_its_parts() -> None:
    blend = BlendedModel([(_Constant(1.0), 3.0), (_Constant(0.0), 1.0)], default_threshold=0.4)
    assert blend.score(["a", "b"]) == pytest.approx([0.75, 0.75])
    assert blend.default_threshold == 0.4
    with pytest.raises(ConfigurationError):
        BlendedModel([], default_threshold=0.5)


class _Counting:
    """Scores from a table, remembering which sentences it was asked about."""

    def __init__(self, table: dict[str, float]) -> None:
        self.table = table
        self.asked: list[str] = []
        self.default_threshold = 0.5

    def score(self, sentences: list[str]) -> list[float]:
        self.asked += sentences
        return [self.table[s] for s in sentences]


def test_gated_blend_asks_the_other_parts_only_about_uncertain_sentences() -> None:
    first = _Counting({"clear no": 0.01, "unsure": 0.3, "clear yes": 0.95})
    second = _Counting({"clear no": 0.9, "unsure": 0.9, "clear yes": 0.0})
    blend = BlendedModel([(first, 1.0), (second, 1.0)], default_threshold=0.2, gate=Gate(0.05, 0.8))
    scores = blend.score(["clear no", "unsure", "clear yes"])
    # Outside the gate the first part's score stands; inside, the weighted mean.
    assert scores == pytest.approx([0.01, 0.6, 0.95])
    assert second.asked == ["unsure"]
    assert blend.score([]) == []


@pytest.mark.parametrize(("low", "high"), [(0.5, 0.5), (-0.1, 0.5), (0.2, 1.5), (0.6, 0.4)])
def test_a_gate_outside_zero_one_is_a_configuration_error(low: float, high: float) -> None:
    with pytest.raises(ConfigurationError):
        Gate(low, high)


def test_load_model_reads_a_gated_blend(tmp_path: Path) -> None:
    for name, bias in (("a.npz", 2.0), ("b.npz", -2.0)):
        LinearModel(np.zeros(16, np.float32), np.ones(16, np.float32), bias).save(tmp_path / name)
    config = {
        "threshold": 0.3,
        "gate": {"low": 0.1, "high": 0.99},
        "parts": [
            {"kind": "linear", "file": "a.npz", "weight": 0.5},
            {"kind": "linear", "file": "b.npz", "weight": 0.5},
        ],
    }
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    loaded = load_model(tmp_path)
    assert isinstance(loaded, BlendedModel)
    assert loaded.gate == Gate(0.1, 0.99)
    # sigmoid(2) = 0.881 is inside the gate, so it is mixed with sigmoid(-2) = 0.119.
    assert loaded.score(["anything"]) == pytest.approx([0.5])


def test_load_model_reads_its_config(tmp_path: Path) -> None:
    LinearModel(np.zeros(16, np.float32), np.ones(16, np.float32), 0.0).save(tmp_path / "lin.npz")
    config = {"threshold": 0.3, "parts": [{"kind": "linear", "file": "lin.npz"}]}
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    loaded = load_model(tmp_path)
    assert loaded.default_threshold == 0.3
    assert loaded.score(["anything"]) == pytest.approx([0.5])


@pytest.mark.parametrize(
    "config",
    [None, "{not json", json.dumps({"threshold": 0.5, "parts": [{"kind": "magic"}]})],
)
def test_load_model_reports_a_broken_model_dir(tmp_path: Path, config: str | None) -> None:
    if config is not None:
        (tmp_path / "config.json").write_text(config, encoding="utf-8")
    with pytest.raises(ConfigurationError):
        load_model(tmp_path)


def test_onnx_threads_are_configurable() -> None:
    config = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))
    if not any(part["kind"] == "transformer" for part in config["parts"]):
        pytest.skip("the packaged model has no ONNX part")
    two_threads = load_model(MODEL_DIR, intra_op_threads=2)
    assert two_threads.score(CHECKABLE[:1])[0] == pytest.approx(
        load_default_model().score(CHECKABLE[:1])[0], abs=1e-4
    )


def test_the_package_ships_exactly_the_model_files_its_config_uses() -> None:
    config = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))
    used = {part["file"] for part in config["parts"]}
    used |= {part["tokenizer"] for part in config["parts"] if "tokenizer" in part}
    shipped = {path.name for path in MODEL_DIR.iterdir() if path.suffix in {".onnx", ".npz"}}
    shipped |= {path.name for path in MODEL_DIR.glob("tokenizer*.json")}
    # Every part is there; no unused model file weighs down the package (the linear model is
    # kept as the numpy-only alternative the card describes, used or not).
    assert used <= shipped
    assert shipped - used <= {"linear.npz"}
