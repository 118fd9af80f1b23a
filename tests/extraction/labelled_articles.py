"""The labelled test articles in tests/extraction/articles, and scoring extraction against them.

Each `NAME.txt` (an article as pasted, read byte-exact) has a `NAME.labels.tsv`: one
`label<TAB>sentence` per prose sentence, Y when a fact-checker would check it, N when not.
Lines the pipeline must drop as boilerplate are not listed. Labels were written before the
pipeline was run on the articles, and are not to be edited to fit its output.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.extraction import Extractor

ARTICLES_DIR = Path(__file__).parent / "articles"


@dataclass(frozen=True)
class LabelledArticle:
    name: str
    text: str
    claims: frozenset[str]
    non_claims: frozenset[str]


@dataclass(frozen=True)
class Tally:
    true_positives: int
    false_positives: list[str]
    missed: list[str]

    @property
    def precision(self) -> float:
        kept = self.true_positives + len(self.false_positives)
        return self.true_positives / kept if kept else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + len(self.missed)
        return self.true_positives / wanted if wanted else 1.0


def _read_exact(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def load_articles() -> list[LabelledArticle]:
    articles = []
    for labels_path in sorted(ARTICLES_DIR.glob("*.labels.tsv")):
        name = labels_path.name.removesuffix(".labels.tsv")
        claims: set[str] = set()
        non_claims: set[str] = set()
        for line in _read_exact(labels_path).splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            label, sentence = line.split("\t", 1)
            {"Y": claims, "N": non_claims}[label].add(sentence)
        text = _read_exact(ARTICLES_DIR / f"{name}.txt")
        articles.append(LabelledArticle(name, text, frozenset(claims), frozenset(non_claims)))
    return articles


def tally(extractor: Extractor, articles: list[LabelledArticle]) -> Tally:
    true_positives = 0
    false_positives: list[str] = []
    missed: list[str] = []
    for article in articles:
        found = {c.sentence for c in extractor.extract(article.text).candidates}
        true_positives += len(found & article.claims)
        false_positives += [f"{article.name}: {s}" for s in sorted(found - article.claims)]
        missed += [f"{article.name}: {s}" for s in sorted(article.claims - found)]
    return Tally(true_positives, false_positives, missed)


def long_article(min_words: int) -> str:
    """A realistic article of at least `min_words` words, built from the labelled ones.

    Each copy's prose lines get a distinct ending, so that merging repeated sentences does
    not shrink the work: every sentence still reaches the model.
    """
    articles = [article.text.replace("\r\n", "\n") for article in load_articles()]
    parts: list[str] = []
    words = 0
    copy = 0
    while True:
        copy += 1
        for text in articles:
            for line in text.split("\n"):
                if line.endswith("."):
                    line = f"{line[:-1]}, in report {copy}."
                parts.append(line)
                words += len(line.split())
                if words >= min_words:
                    return "\n".join(parts)
