"""`claimbot eval DATA.tsv`: one JSON object of figures, or one clear error line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.eval_cmd import bootstrap_f1_interval, positive_class_figures, read_labelled_tsv

HEADER = "Sentence_id\tText\tclass_label\n"
ROWS = [
    ("1", "Unemployment fell to 3.5 percent in 2019, the lowest rate in fifty years.", "Yes"),
    ("2", "We have cut taxes for 82 percent of middle-income families.", "Yes"),
    ("3", '"He said ""no"" to 40,000 new jobs in Ohio."', "Yes"),
    ("4", "Thank you very much, it's great to be here tonight.", "No"),
    ("5", "Let me finish, please.", "No"),
    ("6", "What do you want to do about it?", "No"),
]


@pytest.fixture(autouse=True)
def _no_threshold_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCORE_THRESHOLD", raising=False)


def write_tsv(path: Path, rows: list[tuple[str, str, str]], header: str = HEADER) -> Path:
    path.write_text(header + "".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    return path


def run_eval(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["eval", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_eval_prints_one_json_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_eval(capsys, str(write_tsv(tmp_path / "tiny.tsv", ROWS)))
    assert status == 0, err
    figures = json.loads(out)  # exactly one JSON document, nothing else on stdout
    assert figures["n"] == 6
    assert figures["positives"] == 3
    assert figures["sentences_per_second"] > 0
    for key in ("precision", "recall", "f1"):
        assert 0.0 <= figures[key] <= 1.0
    low, high = figures["f1_95ci"]
    assert 0.0 <= low <= figures["f1"] <= high <= 1.0
    # These six are easy: the shipped model must get them right at its own threshold.
    assert figures["f1"] == 1.0


def test_threshold_option_overrides_the_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(write_tsv(tmp_path / "tiny.tsv", ROWS))
    status, out, _ = run_eval(capsys, data, "--threshold", "0")
    assert status == 0
    keep_all = json.loads(out)
    assert keep_all["threshold"] == 0.0
    assert keep_all["recall"] == 1.0
    assert keep_all["precision"] == 0.5


def test_threshold_setting_is_the_fallback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCORE_THRESHOLD", "0.0")
    status, out, _ = run_eval(capsys, str(write_tsv(tmp_path / "tiny.tsv", ROWS)))
    assert status == 0
    assert json.loads(out)["threshold"] == 0.0


@pytest.mark.parametrize("bad", ["-0.1", "1.5", "half"])
def test_threshold_out_of_range_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["eval", str(write_tsv(tmp_path / "tiny.tsv", ROWS)), "--threshold", bad])
    assert exit_info.value.code == 2
    assert "threshold" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Sentence_id,Text,class_label\n1,Hello,Yes\n", "header"),
        ("Sentence_id\tText\n1\tHello\n", "class_label"),
        (HEADER + "1\tHello\tMaybe\n", "Yes or No"),
        (HEADER, "no labelled sentences"),
        ("", "header"),
    ],
)
def test_bad_tsv_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    status, out, err = run_eval(capsys, str(path))
    assert status == 1
    assert out == ""
    assert err.startswith("claimbot: error: ")
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_missing_and_binary_files_are_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_eval(capsys, str(tmp_path / "absent.tsv"))
    assert status == 1
    assert "no such file" in err
    binary = tmp_path / "binary.tsv"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 100)
    status, _, err = run_eval(capsys, str(binary))
    assert status == 1
    assert err.startswith("claimbot: error: ")


def test_reader_follows_csv_quoting(tmp_path: Path) -> None:
    data = read_labelled_tsv(write_tsv(tmp_path / "tiny.tsv", ROWS))
    assert data.texts[2] == 'He said "no" to 40,000 new jobs in Ohio.'
    assert data.labels == [True, True, True, False, False, False]


def test_positive_class_figures() -> None:
    gold = [True, True, False, False]
    assert positive_class_figures(gold, [True, False, True, False]) == {
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
    }
    assert positive_class_figures(gold, [False] * 4)["f1"] == 0.0


def test_bootstrap_interval_is_reproducible_and_brackets_f1() -> None:
    gold = [i % 3 == 0 for i in range(300)]
    predicted = [g if i % 7 else not g for i, g in enumerate(gold)]
    f1 = positive_class_figures(gold, predicted)["f1"]
    low, high = bootstrap_f1_interval(gold, predicted)
    assert (low, high) == bootstrap_f1_interval(gold, predicted)
    assert low < f1 < high
    assert high - low < 0.2
    assert bootstrap_f1_interval([True] * 10, [True] * 10) == (1.0, 1.0)
