"""Check-worthiness scoring: sentences in, probabilities in [0, 1] out.

The shipped model lives in `bot/extraction/model/` (see its MODEL_CARD.md) and is rebuilt by
`python -m bot.extraction.train`. Nothing here needs torch, pickle or the network: a linear
model over hashed n-gram features is plain numpy (.npz), and the fine-tuned MiniLM is ONNX run
by onnxruntime with a `tokenizers` tokenizer. `config.json` says which parts the shipped model
uses, how their probabilities are mixed, and the default threshold chosen on development data.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from bot.errors import ConfigurationError

MODEL_DIR = Path(__file__).parent / "model"
CONFIG_FILE = "config.json"
LINEAR_FILE = "linear.npz"

# One thread: extraction runs off the bot's event loop on one core, and the bot has other work.
DEFAULT_INTRA_OP_THREADS = 1

FloatArray = npt.NDArray[np.float32]


class CheckworthinessModel(Protocol):
    """Anything that scores sentences; the extraction pipeline codes against this."""

    default_threshold: float

    def score(self, sentences: Sequence[str]) -> list[float]:
        """One probability-like score in [0, 1] per sentence, in order."""
        ...


# --- hashed n-gram features (shared with training, so the two can never disagree) ---------

_WORD = re.compile(r"[a-z0-9]+(?:['’.,][a-z0-9]+)*|[%$€£]", re.IGNORECASE)
_DIGIT_RUN = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class HashedFeaturizer:
    """Word 1-2-grams and in-word character 2-5-grams, hashed into `n_buckets` columns.

    Digits are folded to "0" so that "1998" and "2016" share features: which number a speaker
    quotes never decides whether the sentence is checkable. crc32 (not `hash`) keeps the
    bucket of a feature stable across processes, so the trained weights stay valid.
    """

    n_buckets: int = 1 << 18

    def tokens(self, sentence: str) -> list[str]:
        folded = _DIGIT_RUN.sub("0", sentence.lower())
        return _WORD.findall(folded)

    def counts(self, sentence: str) -> Counter[int]:
        words = self.tokens(sentence)
        grams: list[str] = [f"w:{w}" for w in words]
        grams += [f"b:{a} {b}" for a, b in itertools.pairwise(words)]
        for word in words:
            padded = f" {word} "
            for size in range(2, 6):
                grams += [f"c:{padded[i : i + size]}" for i in range(len(padded) - size + 1)]
        n = self.n_buckets
        return Counter(zlib.crc32(g.encode()) % n for g in grams)

    def rows(self, sentences: Sequence[str], idf: FloatArray) -> list[tuple[list[int], FloatArray]]:
        """Per sentence: its nonzero columns and L2-normalised sublinear tf-idf values."""
        out: list[tuple[list[int], FloatArray]] = []
        for sentence in sentences:
            counts = self.counts(sentence)
            columns = list(counts)
            tf = np.array([1.0 + math.log(counts[c]) for c in columns], dtype=np.float32)
            values = tf * idf[columns] if columns else tf
            norm = float(np.linalg.norm(values))
            out.append((columns, values / norm if norm > 0 else values))
        return out


class LinearModel:
    """Logistic regression over `HashedFeaturizer` features: weights, idf and bias in an .npz."""

    def __init__(
        self,
        weights: FloatArray,
        idf: FloatArray,
        bias: float,
        *,
        default_threshold: float = 0.5,
    ) -> None:
        if weights.shape != idf.shape:
            raise ConfigurationError("linear model: weights and idf differ in size")
        self.weights = weights
        self.idf = idf
        self.bias = bias
        self.featurizer = HashedFeaturizer(n_buckets=int(weights.shape[0]))
        self.default_threshold = default_threshold

    @classmethod
    def load(cls, path: Path, *, default_threshold: float = 0.5) -> LinearModel:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                data["weights"].astype(np.float32),
                data["idf"].astype(np.float32),
                float(data["bias"]),
                default_threshold=default_threshold,
            )

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path, weights=self.weights, idf=self.idf, bias=np.array(self.bias, dtype=np.float32)
        )

    def logits(self, sentences: Sequence[str]) -> FloatArray:
        rows = self.featurizer.rows(sentences, self.idf)
        out = np.array(
            [float(self.weights[cols] @ vals) if cols else 0.0 for cols, vals in rows],
            dtype=np.float32,
        )
        return out + np.float32(self.bias)

    def score(self, sentences: Sequence[str]) -> list[float]:
        return [float(p) for p in _sigmoid(self.logits(sentences))]


# --- fine-tuned MiniLM, exported to ONNX --------------------------------------------------


class TransformerModel:
    """A sequence classifier in ONNX: score = softmax(logits / temperature) . class_weights.

    Two classes (not, check-worthy) with weights (0, 1) give sigmoid(margin / temperature).
    A three-way model (non-factual, unimportant factual, check-worthy factual, as ClaimBuster
    labels them) can give the middle class a partial weight. The temperature and the weights
    are fitted on development data by the training script.
    """

    def __init__(
        self,
        onnx_path: Path,
        tokenizer_path: Path,
        *,
        max_length: int,
        temperature: float = 1.0,
        class_weights: Sequence[float] | None = None,
        default_threshold: float = 0.5,
        intra_op_threads: int = DEFAULT_INTRA_OP_THREADS,
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = intra_op_threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(onnx_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.input_names = {i.name for i in self.session.get_inputs()}
        n_classes = int(self.session.get_outputs()[0].shape[-1])
        weights = class_weights if class_weights is not None else [0.0] * (n_classes - 1) + [1.0]
        if len(weights) != n_classes:
            raise ConfigurationError(f"transformer: {n_classes} classes, {len(weights)} weights")
        self.class_weights = np.asarray(weights, dtype=np.float64)
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.enable_truncation(max_length=max_length)
        self.tokenizer.no_padding()
        self.temperature = temperature
        self.default_threshold = default_threshold

    def logits(self, sentences: Sequence[str]) -> FloatArray:
        """Raw class logits, one row per sentence (uncalibrated).

        One sentence per run, on purpose: int8 dynamic quantisation scales activations per
        input tensor, so in a padded batch a sentence's score would shift (by up to ~0.06)
        with its neighbours. Alone, each sentence always gets the same score, without padding,
        for ~15% more time than the best batch size.
        """
        out = np.zeros((len(sentences), len(self.class_weights)), dtype=np.float32)
        if not sentences:
            return out
        for row, encoding in enumerate(self.tokenizer.encode_batch(list(sentences))):
            ids = np.asarray([encoding.ids], dtype=np.int64)
            feeds: dict[str, Any] = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
            if "token_type_ids" in self.input_names:
                feeds["token_type_ids"] = np.zeros_like(ids)
            out[row] = self.session.run(None, feeds)[0][0]
        return out

    def score(self, sentences: Sequence[str]) -> list[float]:
        probabilities = weighted_probability(
            self.logits(sentences), self.temperature, self.class_weights
        )
        return [float(p) for p in probabilities]


def weighted_probability(
    logits: npt.ArrayLike, temperature: float, class_weights: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """softmax(logits / temperature) . class_weights, clipped to [0, 1]."""
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    scaled -= scaled.max(axis=1, keepdims=True)  # keeps exp from overflowing
    exp = np.exp(scaled)
    mixed = (exp / exp.sum(axis=1, keepdims=True)) @ np.asarray(class_weights, dtype=np.float64)
    clipped: npt.NDArray[np.float64] = np.clip(mixed, 0.0, 1.0)
    return clipped


@dataclass(frozen=True, slots=True)
class Gate:
    """Where a blend's first part is unsure enough for the others to be asked too.

    Two transformers cost twice one, and extraction has a time budget (a 5,000-word article
    in under a second on one core). Most sentences of an article are clear cases for the first
    part: far above or far below any useful threshold, where a second opinion cannot change
    whether they are kept. Only sentences whose first score lies in [low, high) are scored by
    every part; the others keep the first part's score. The bounds are chosen on development
    data by the training script.
    """

    low: float
    high: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.low < self.high <= 1.0:
            raise ConfigurationError(f"blend gate [{self.low}, {self.high}) is not within [0, 1]")


class BlendedModel:
    """A weighted mean of the parts' probabilities (weights chosen on development data).

    With a `gate`, the first part scores every sentence and the rest only the uncertain ones.
    """

    def __init__(
        self,
        parts: Sequence[tuple[CheckworthinessModel, float]],
        *,
        default_threshold: float,
        gate: Gate | None = None,
    ) -> None:
        total = sum(weight for _, weight in parts)
        if not parts or total <= 0:
            raise ConfigurationError("blended model: needs parts with positive weights")
        self.parts = [(model, weight / total) for model, weight in parts]
        self.default_threshold = default_threshold
        self.gate = gate

    def score(self, sentences: Sequence[str]) -> list[float]:
        (first, first_weight), rest = self.parts[0], self.parts[1:]
        first_scores = np.asarray(first.score(sentences), dtype=np.float64)
        if self.gate is None:
            asked = np.ones(len(sentences), dtype=bool)
        else:
            asked = (first_scores >= self.gate.low) & (first_scores < self.gate.high)
        mixed = first_scores.copy()
        if asked.any() and rest:
            chosen = [sentence for sentence, ask in zip(sentences, asked, strict=True) if ask]
            blend = first_weight * first_scores[asked]
            for model, weight in rest:
                blend += weight * np.asarray(model.score(chosen), dtype=np.float64)
            mixed[asked] = blend
        return [float(min(max(p, 0.0), 1.0)) for p in mixed]


def _sigmoid(x: FloatArray) -> FloatArray:
    # Clipped so that exp never overflows on extreme margins.
    clipped = np.clip(x, -30.0, 30.0)
    return (1.0 / (1.0 + np.exp(-clipped))).astype(np.float32)


# --- loading ------------------------------------------------------------------------------


def load_model(
    directory: Path = MODEL_DIR, *, intra_op_threads: int = DEFAULT_INTRA_OP_THREADS
) -> CheckworthinessModel:
    """Build the model that `directory/config.json` describes."""
    config_path = directory / CONFIG_FILE
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"cannot read the model config {config_path}: {exc}") from exc
    threshold = float(config["threshold"])
    parts: list[tuple[CheckworthinessModel, float]] = []
    for part in config["parts"]:
        model: CheckworthinessModel
        if part["kind"] == "linear":
            model = LinearModel.load(directory / part["file"])
        elif part["kind"] == "transformer":
            model = TransformerModel(
                directory / part["file"],
                directory / part["tokenizer"],
                max_length=int(part["max_length"]),
                temperature=float(part.get("temperature", 1.0)),
                class_weights=part.get("class_weights"),
                intra_op_threads=intra_op_threads,
            )
        else:
            raise ConfigurationError(f"unknown model part {part['kind']!r} in {config_path}")
        parts.append((model, float(part.get("weight", 1.0))))
    if len(parts) == 1:
        only = parts[0][0]
        only.default_threshold = threshold
        return only
    gate = config.get("gate")
    return BlendedModel(
        parts,
        default_threshold=threshold,
        gate=Gate(float(gate["low"]), float(gate["high"])) if gate else None,
    )


@functools.cache
def load_default_model() -> CheckworthinessModel:
    """The packaged model, loaded once per process."""
    return load_model(MODEL_DIR)
