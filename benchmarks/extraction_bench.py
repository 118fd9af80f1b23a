"""Speed and memory of the extraction pipeline, beside plain pysbd, measured in one run.

    python benchmarks/extraction_bench.py [--words 5000] [--repeat 5] [--all-cores]

On a realistic ~5,000-word scraped article (the labelled test articles, each copy's sentences
made distinct so that merging repeats does not shrink the work), prints:
- our sentence splitting (normalise + boilerplate + split) in sentences/second, beside
  pysbd.Segmenter(clean=False, char_span=True) on the same text;
- the whole pipeline end to end with the shipped model (warm): wall and CPU seconds (CPU time
  is what it costs on one core, whatever else the machine runs), and sentences/second;
- the model's load time and this process's resident memory (RSS) with the model loaded.
Pinned to one core unless --all-cores. The last line is the same figures as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.extraction import Extractor  # noqa: E402
from bot.extraction._normalise import normalise  # noqa: E402
from bot.extraction._prefilter import rejection_reason  # noqa: E402
from bot.extraction._sentences import split_block  # noqa: E402
from bot.extraction.pipeline import _read_sentences, default_scorer  # noqa: E402
from bot.extraction.scoring import BlendedModel  # noqa: E402
from tests.extraction.labelled_articles import load_articles, long_article  # noqa: E402


def median_seconds(
    repeat: int, work: Callable[[], object], clock: Callable[[], float] = time.perf_counter
) -> float:
    """The median time of `repeat` runs (the median resists a noisy shared machine): wall
    seconds by default, CPU seconds with `clock=time.process_time`."""
    timings = []
    for _ in range(repeat):
        started = clock()
        work()
        timings.append(clock() - started)
    return statistics.median(timings)


def split_every_line(text: str) -> int:
    """Our splitter alone on every line, furniture included: like for like with pysbd."""
    normalised = normalise(text).text
    count = 0
    position = 0
    for line in normalised.split("\n"):
        if line.strip():
            count += sum(1 for _ in split_block(normalised, position, position + len(line)))
        position += len(line) + 1
    return count


def labelled_sentences_found(segment: Callable[[str], list[str]]) -> tuple[int, int]:
    """How many labelled sentences (claims and non-claims) a splitter returns exactly."""
    found = total = 0
    for article in load_articles():
        sentences = {sentence.strip() for sentence in segment(article.text)}
        labelled = article.claims | article.non_claims
        found += len(labelled & sentences)
        total += len(labelled)
    return found, total


def our_sentences(text: str) -> list[str]:
    normalised = normalise(text)
    spans = (normalised.original_span(s.start, s.end) for s in _read_sentences(normalised)[0])
    return [text[start:end] for start, end in spans]


def rss_mb() -> float:
    """Current resident memory of this process, from /proc (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--all-cores", action="store_true", help="do not pin to one core")
    args = parser.parse_args()
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    import pysbd  # a test/benchmark dependency only

    article = long_article(args.words)
    words = len(article.split())
    rss_before_model = rss_mb()

    prose = _read_sentences(normalise(article))[0]
    ours_sentences = len(prose)
    prefiltered = sum(rejection_reason(sentence.text) is not None for sentence in prose)
    ours_seconds = median_seconds(args.repeat, lambda: _read_sentences(normalise(article)))

    splitter_sentences = split_every_line(article)
    splitter_seconds = median_seconds(args.repeat, lambda: split_every_line(article))

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    pysbd_sentences = len(segmenter.segment(article))
    pysbd_seconds = median_seconds(max(1, args.repeat // 2), lambda: segmenter.segment(article))

    ours_found, labelled = labelled_sentences_found(our_sentences)
    plain_pysbd = pysbd.Segmenter(language="en", clean=False)
    pysbd_found, _ = labelled_sentences_found(plain_pysbd.segment)

    started = time.perf_counter()
    scorer = default_scorer()
    load_seconds = time.perf_counter() - started
    extractor = Extractor(scorer=scorer)
    extractor.extract(article[:2_000])  # warm up
    result = extractor.extract(article)
    pipeline_seconds = median_seconds(args.repeat, lambda: extractor.extract(article))
    cpu_started = time.process_time()
    extractor.extract(article)
    pipeline_cpu_seconds = time.process_time() - cpu_started
    rss_with_model = rss_mb()
    # What the blend costs over its first part alone (the gate sends the rest only the unsure
    # sentences): CPU medians of the same article in the same run.
    first_part_cpu_seconds = None
    if isinstance(scorer, BlendedModel):
        blend_cpu = median_seconds(
            args.repeat, lambda: extractor.extract(article), time.process_time
        )
        alone = Extractor(scorer=scorer.parts[0][0], threshold=extractor.threshold)
        first_part_cpu_seconds = median_seconds(
            args.repeat, lambda: alone.extract(article), time.process_time
        )

    figures = {
        "words": words,
        "chars": len(article),
        "cores": 1 if not args.all_cores else os.cpu_count(),
        "splitter_sentences": splitter_sentences,
        "splitter_sentences_per_second": round(splitter_sentences / splitter_seconds),
        "prose_sentences": ours_sentences,
        "prose_sentences_per_second": round(ours_sentences / ours_seconds),
        "pysbd_sentences": pysbd_sentences,
        "pysbd_sentences_per_second": round(pysbd_sentences / pysbd_seconds),
        "labelled_sentences": labelled,
        "labelled_found_ours": ours_found,
        "labelled_found_pysbd": pysbd_found,
        "pipeline_seconds": round(pipeline_seconds, 3),
        "pipeline_cpu_seconds": round(pipeline_cpu_seconds, 3),
        "pipeline_sentences_per_second": round(result.sentences_read / pipeline_seconds),
        "prefiltered": prefiltered,
        "claims": len(result.candidates),
        "scorer": type(scorer).__name__,
        "model_load_seconds": round(load_seconds, 2),
        "rss_mb_before_model": round(rss_before_model, 1),
        "rss_mb_with_model": round(rss_with_model, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if first_part_cpu_seconds is not None:
        figures["blend_cpu_seconds_median"] = round(blend_cpu, 3)
        figures["first_part_alone_cpu_seconds_median"] = round(first_part_cpu_seconds, 3)
        figures["blend_over_first_part"] = round(blend_cpu / first_part_cpu_seconds, 2)
    print(f"article: {words} words, {len(article)} characters; {figures['cores']} core(s)")
    print(
        f"splitting  ours : {splitter_sentences} sentences in {splitter_seconds * 1000:.1f} ms "
        f"= {figures['splitter_sentences_per_second']:,} sentences/s (normalise + split, "
        "every line)"
    )
    print(
        f"prose      ours : {ours_sentences} sentences in {ours_seconds * 1000:.1f} ms "
        f"= {figures['prose_sentences_per_second']:,} sentences/s (normalise + drop "
        "boilerplate + split)"
    )
    print(
        f"splitting pysbd : {pysbd_sentences} sentences in {pysbd_seconds * 1000:.1f} ms "
        f"= {figures['pysbd_sentences_per_second']:,} sentences/s"
    )
    print(
        f"accuracy        : of {labelled} labelled sentences, ours returns {ours_found} exactly, "
        f"pysbd {pysbd_found}"
    )
    print(
        f"pipeline        : {result.sentences_read} sentences, {len(result.candidates)} claims "
        f"in {pipeline_seconds * 1000:.0f} ms wall, {pipeline_cpu_seconds * 1000:.0f} ms CPU = "
        f"{figures['pipeline_sentences_per_second']:,} "
        f"sentences/s end to end ({figures['scorer']}; the prefilter spared it {prefiltered})"
    )
    print(
        f"memory          : model loaded in {load_seconds:.2f} s; RSS {rss_before_model:.0f} MB "
        f"before the model, {rss_with_model:.0f} MB with it (peak {figures['peak_rss_mb']} MB)"
    )
    if first_part_cpu_seconds is not None:
        print(
            f"blend vs one part: median CPU {blend_cpu * 1000:.0f} ms against "
            f"{first_part_cpu_seconds * 1000:.0f} ms for its first part alone "
            f"(x{figures['blend_over_first_part']})"
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
