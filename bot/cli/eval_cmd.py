"""`claimbot eval`: measure the check-worthiness model on a labelled TSV.

The TSV is the CheckThat! format: a header with Sentence_id, Text and class_label (Yes/No),
tab-delimited with CSV quoting. The figures are for the positive class ("Yes"), as in the
shared task. `bot.extraction.train` reuses the reader and the metrics below.

numpy is imported inside the functions that use it, not at the top: this module is imported
whenever `claimbot` builds its parser, and `claimbot --help` must not load numpy.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli._arguments import probability
from bot.errors import InvalidInput

if TYPE_CHECKING:
    from bot.settings import Settings

REQUIRED_COLUMNS = ("Text", "class_label")
LABELS = {"yes": True, "no": False}
BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 20240


@dataclass(frozen=True, slots=True)
class LabelledSentences:
    texts: list[str]
    labels: list[bool]


def read_labelled_tsv(path: Path) -> LabelledSentences:
    """Read a CheckThat!-style TSV; any problem is an InvalidInput naming the file and line."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t")
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InvalidInput(
                    f"{path}: the header must name Sentence_id, Text and class_label "
                    f"(missing: {', '.join(missing)})"
                )
            texts: list[str] = []
            labels: list[bool] = []
            for row in reader:
                label = LABELS.get((row.get("class_label") or "").strip().lower())
                if label is None or row.get("Text") is None:
                    raise InvalidInput(
                        f"{path}, line {reader.line_num}: class_label must be Yes or No"
                    )
                texts.append(row["Text"])
                labels.append(label)
    except FileNotFoundError as exc:
        raise InvalidInput(f"{path}: no such file") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(f"{path}: not a UTF-8 tab-separated file ({exc})") from exc
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from exc
    if not texts:
        raise InvalidInput(f"{path}: no labelled sentences")
    return LabelledSentences(texts, labels)


def positive_class_figures(labels: Sequence[bool], predicted: Sequence[bool]) -> dict[str, float]:
    """Precision, recall and F1 of the positive class (0.0 where undefined)."""
    import numpy as np

    gold = np.asarray(labels, dtype=bool)
    pred = np.asarray(predicted, dtype=bool)
    true_pos = float(np.sum(gold & pred))
    precision = true_pos / float(pred.sum()) if pred.any() else 0.0
    recall = true_pos / float(gold.sum()) if gold.any() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def bootstrap_f1_interval(
    labels: Sequence[bool],
    predicted: Sequence[bool],
    *,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float]:
    """95% percentile interval of F1 over resamples of the sentences (fixed seed)."""
    import numpy as np

    gold = np.asarray(labels, dtype=bool)
    pred = np.asarray(predicted, dtype=bool)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(gold), size=(samples, len(gold)))
    g, p = gold[picks], pred[picks]
    true_pos = (g & p).sum(axis=1).astype(np.float64)
    # F1 = 2TP / (2TP + FP + FN) = 2TP / (|gold| + |pred|); define 0/0 as 0.
    denominator = g.sum(axis=1) + p.sum(axis=1)
    f1 = np.divide(2 * true_pos, denominator, out=np.zeros(samples), where=denominator > 0)
    low, high = np.percentile(f1, [2.5, 97.5])
    return float(low), float(high)


def evaluate(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> dict[str, Any]:
    """Figures of `scores >= threshold` against `labels`, with a bootstrap F1 interval."""
    predicted = [s >= threshold for s in scores]
    figures: dict[str, Any] = positive_class_figures(labels, predicted)
    low, high = bootstrap_f1_interval(labels, predicted)
    figures["f1_95ci"] = [round(low, 4), round(high, 4)]
    figures["n"] = len(labels)
    figures["positives"] = int(sum(labels))
    figures["threshold"] = threshold
    return figures


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.extraction.scoring import load_default_model

    data = read_labelled_tsv(Path(args.data))
    model = load_default_model()
    threshold = args.threshold
    if threshold is None:
        threshold = (
            settings.score_threshold
            if settings.score_threshold is not None
            else model.default_threshold
        )
    started = time.perf_counter()
    scores = model.score(data.texts)
    elapsed = time.perf_counter() - started
    figures = evaluate(scores, data.labels, threshold)
    for key in ("precision", "recall", "f1"):
        figures[key] = round(figures[key], 4)
    figures["sentences_per_second"] = round(len(data.texts) / max(elapsed, 1e-9), 1)
    print(json.dumps(figures))
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="measure the check-worthiness model on a labelled TSV",
        description=(
            "Score every sentence of DATA (TSV with Sentence_id, Text, class_label Yes/No) "
            "and print one JSON object: precision, recall and f1 of the positive class, a "
            "bootstrap 95% interval of f1, n, threshold and sentences_per_second."
        ),
    )
    parser.add_argument("data", metavar="DATA.tsv", help="labelled sentences")
    parser.add_argument(
        "--threshold",
        type=probability,
        default=None,
        help="keep scores at or above this (default: SCORE_THRESHOLD, else the model's own)",
    )
    parser.set_defaults(handler=run_eval)
