"""A cheap first pass that spares the model sentences which cannot be check-worthy claims.

Every rule here must cost no recall on the labelled articles (tests/extraction/articles):
questions, fragments, over-long chunks, and text that is not English prose.
"""

from __future__ import annotations

import re

from bot.extraction._words import word_set

MIN_WORDS = 4
MAX_WORDS = 110

_WORD = re.compile(r"[^\W_][\w'’-]*")
_TERMINAL = re.compile(r"[.!…][\"'”’)\]]*$")
_QUESTION = re.compile(r"\?[\"'”’)\]]*$")
# The model was trained on English only; other languages would get meaningless scores. A
# sentence is taken for another language when it has more of the other languages' function
# words than of English ones. Words shared between the lists' languages ("a", "in", "no",
# "on", "die") are in neither.
_ENGLISH_FUNCTION_WORDS = word_set(
    "the an of to at by for with from and or but not is are was were be been has have had "
    "do does did will would can could should may might it its he she they we you his her "
    "their our this that these those said says than who which what"
)
_FOREIGN_FUNCTION_WORDS = word_set(
    "el la los las que del y en un una por para con es se lo su sus al como más pero fue "
    "le les des et est une du au aux dans pour avec sur qui ne pas ce cette sont été "
    "der das und ist nicht mit den dem ein eine zu von sich auf für ist wird wurde auch "
    "il di che della per non sono gli nel alla è e o os em da não uma com foi são mais"
)
_FOREIGN_MIN_WORDS = 2
# A sentence with none of these has no finite verb a claim could hang on ("Photo gallery:
# Hamburg summit, day two"). Past tenses and third-person forms cover most news verbs.
_VERBISH = re.compile(
    r"\b(is|are|was|were|be|been|being|am|has|have|had|do|does|did|will|would|can|could|"
    r"shall|should|may|might|must|won't|can't|isn't|wasn't|aren't|weren't|hasn't|haven't|"
    r"didn't|doesn't|don't|said|says|told|made|met|won|lost|took|gave|got|went|came|saw|"
    r"found|left|held|led|ran|rose|fell|grew|paid|sold|spent|cut|hit|set|put|kept|became|"
    r"began|brought|built|bought|caught|chose|drew|drove|felt|fought|flew|knew|meant|shot|"
    r"sent|stood|struck|taught|thought|threw|wrote|become|need|show|warn|claim|say|"
    r"[a-z]{2,}ed|[a-z]{2,}s)\b",
    re.IGNORECASE,
)


def rejection_reason(sentence: str) -> str | None:
    """Why `sentence` (normalised) cannot be a claim, or None if the model should score it."""
    words = _WORD.findall(sentence)
    if len(words) < MIN_WORDS:
        return "too short"
    if len(words) > MAX_WORDS:
        return "too long"
    if _QUESTION.search(sentence):
        return "question"
    if not any(character.isalpha() for character in sentence):
        return "no letters"
    lowered = [word.lower() for word in words]
    english = sum(word in _ENGLISH_FUNCTION_WORDS for word in lowered)
    foreign = sum(word in _FOREIGN_FUNCTION_WORDS for word in lowered)
    if foreign >= _FOREIGN_MIN_WORDS and foreign > english:
        return "not English"
    if not _TERMINAL.search(sentence) and not _VERBISH.search(sentence):
        # Only for unpunctuated fragments (chunks, labels): plural present tenses ("officials
        # warn") and irregular pasts slip past any short verb list, so punctuated sentences
        # always reach the model.
        return "no verb"
    return None
