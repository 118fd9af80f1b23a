"""Display text, claimant and kind of a kept sentence."""

from __future__ import annotations

import pytest

from bot.extraction._candidates import classify_kind, display_text, find_claimant


@pytest.mark.parametrize(
    ("sentence", "shown"),
    [
        (
            "Yet Putin said Saturday that Trump seemed satisfied.",
            "Putin said Saturday that Trump seemed satisfied.",
        ),
        ("But at a press conference, Tillerson spoke.", "At a press conference, Tillerson spoke."),
        ("And, in 2008, McCain ran.", "In 2008, McCain ran."),
        ('"The deal will save lives.', "The deal will save lives."),
        ('The deal will save lives".', "The deal will save lives."),
        ('"The deal will save lives," he said.', '"The deal will save lives," he said.'),
        ("The bill passed\n on Friday.More", "The bill passed on Friday."),
        ("Butter prices rose 4%.", "Butter prices rose 4%."),
    ],
)
def test_display_text(sentence: str, shown: str) -> None:
    assert display_text(sentence) == shown


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        ("In his early Sunday morning tweets, Trump said that Putin denied it.", "Trump"),
        ("Yet Putin said Saturday that Trump seemed satisfied.", "Putin"),
        ("According to Russian officials, Trump believed Putin.", "Russian officials"),
        (
            "Wind made 30% of power, according to the National Energy System Operator.",
            "National Energy System Operator",
        ),
        ('Trump tweeted that the deal "will save lives".', "Trump"),
        (
            "Moscow's stance will never be defined by U.S. sanctions, RIA Novosti news agency "
            "quoted Konstantin Kosachev, chairman of the committee, as saying.",
            "Konstantin Kosachev",
        ),
        (
            "Marco Rubio (R-Fla.), who competed with Trump for the GOP nomination, tweeted.",
            "Marco Rubio",
        ),
        (
            "Prices rose 2.9%, the Office for National Statistics said on Wednesday.",
            "Office for National Statistics",
        ),
        ('"We cannot keep governing from cliff to cliff," said Sarah Coleman.', "Sarah Coleman"),
        ("Police said about £900,000 had been recovered so far.", "Police"),
        (
            "Detective Inspector Mark Hale told the BBC that fraud had doubled.",
            "Detective Inspector Mark Hale",
        ),
        ('"I have waited my whole life," said manager Ana Ferreira.', "Ana Ferreira"),
        ('"It rose," he said on Monday.', None),
        ("A post on Facebook claims that birds died.", None),
        ("McCain was the Republican candidate for president in 2008.", None),
        ("It was the Kremlin's alleged meddling in the 2016 election.", None),
        ('"Problem is with Putin", he added.', None),
        # About someone's words, not their claim: the subject is what makes the claim.
        ("Ms Haley's position appeared in contrast to what Mr Trump said after meeting.", None),
        ("The figure is higher than officials said last year.", None),
        (
            "No test took place, a spokesperson for the Dutch telecoms regulator told us.",
            "Dutch telecoms regulator",
        ),
    ],
)
def test_claimant(sentence: str, claimant: str | None) -> None:
    assert find_claimant(sentence) == claimant


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Consumer prices rose 2.9% in the year to January.", "statistic"),
        ("The bill includes $4.2 billion in disaster relief.", "statistic"),
        ("Measles cases have risen to 143 this year.", "statistic"),
        ("Fraud against older people had doubled in the region since 2019.", "comparison"),
        ("It was the longest shutdown in history.", "comparison"),
        ('Trump tweeted that the deal "will save lives".', "quote"),
        ("Putin and Trump met for more than two hours Friday in Hamburg.", "event"),
        ("McCain was the Republican candidate for president in 2008.", "event"),
        ("Researchers have found no evidence that 5G signals harm birds.", "other"),
    ],
)
def test_kind(sentence: str, kind: str) -> None:
    assert classify_kind(sentence, find_claimant(sentence)) == kind


@pytest.mark.parametrize(
    ("sentence", "claimant", "kind"),
    [
        (
            "Police in Carlisle said about 350 homes had been evacuated.",
            "Police in Carlisle",
            "statistic",
        ),
        (
            "The energy minister said the target is for 95% clean power by 2030.",
            "energy minister",
            "statistic",
        ),
        ("The Environment Agency has issued 47 flood warnings.", None, "statistic"),
        ("Martin Greaves, 54, of Leeds, pleaded guilty on Monday.", None, "event"),
    ],
)
def test_groups_roles_and_counts(sentence: str, claimant: str | None, kind: str) -> None:
    found = find_claimant(sentence)
    assert found == claimant
    assert classify_kind(sentence, found) == kind
