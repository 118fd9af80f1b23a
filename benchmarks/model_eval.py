"""Quality and speed of the packaged check-worthiness model, as recorded in its card.

    python benchmarks/model_eval.py [--threads 1] [--data-dir ../shared/data/checkworthiness]

Prints one JSON object: figures on dev, dev-test and test at the shipped threshold (bootstrap
95% intervals), sentences/second on ~250 news sentences (a 5,000-word article) with the given
ONNX thread count (for a gated blend, the share of them the later parts score too), load time,
and the peak resident memory of this process.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.cli.eval_cmd import evaluate, read_labelled_tsv  # noqa: E402
from bot.extraction.scoring import MODEL_DIR, BlendedModel, load_model  # noqa: E402

ARTICLE = ROOT.parent / "shared" / "examples" / "seed-article.txt"
ARTICLE_SENTENCES = 250


def article_sentences() -> list[str]:
    """The seed article's sentences, repeated (with a counter, so none is cached) to 250."""
    import pysbd

    text = ARTICLE.read_text(encoding="utf-8")
    segmenter = pysbd.Segmenter(language="en", clean=False)
    base = [s.strip() for s in segmenter.segment(text) if len(s.split()) >= 4]
    return [f"{base[i % len(base)]} ({i})" for i in range(ARTICLE_SENTENCES)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--data-dir", type=Path, default=ROOT.parent / "shared" / "data" / "checkworthiness"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    model = load_model(MODEL_DIR, intra_op_threads=args.threads)
    load_seconds = time.perf_counter() - started
    result: dict[str, object] = {"threads": args.threads, "load_seconds": round(load_seconds, 2)}
    sentences = article_sentences()
    model.score(sentences[:8])  # warm-up: first ONNX run allocates its arenas
    timings, cpu_timings = [], []
    for _ in range(3):
        started, cpu_started = time.perf_counter(), time.process_time()
        model.score(sentences)
        timings.append(time.perf_counter() - started)
        cpu_timings.append(time.process_time() - cpu_started)
    best = min(timings)
    result["article_250_sentences_seconds"] = round(best, 3)
    # CPU time is the better figure on a shared machine: wall time includes waiting for a core.
    result["article_250_sentences_cpu_seconds"] = round(min(cpu_timings), 3)
    result["article_sentences_per_second"] = round(len(sentences) / best, 1)
    if isinstance(model, BlendedModel) and model.gate is not None:
        # How much of the article the later parts score: what the gate saves is the rest.
        first = model.parts[0][0].score(sentences)
        asked = [model.gate.low <= score < model.gate.high for score in first]
        result["article_share_scored_by_every_part"] = round(sum(asked) / len(asked), 3)
    for split in ("dev", "dev-test", "test"):
        data = read_labelled_tsv(args.data_dir / f"{split}.tsv")
        figures = evaluate(model.score(data.texts), data.labels, model.default_threshold)
        result[split] = {k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()}
    # Linux reports ru_maxrss in KiB.
    result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
