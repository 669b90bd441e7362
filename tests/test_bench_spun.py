"""``qa bench spun``: the command on a tiny fake data folder and thesaurus, and on the real data when present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import main
from qa.datasets.garbled_news import default_garbled_dir
from qa.errors import InputReadError
from qa.simulate.thesaurus import MYTHES

RULES_ONLY = ["--no-embeddings", "--no-learned", "--languagetool", "off"]
THESAURUS = "UTF-8\nroad|1\n(noun)|route|main road\nflood|1\n(verb)|inundate\ncity|1\n(noun)|metropolis|town (generic term)\n"


def _fake_data(root: Path) -> None:
    """One clean dev article (the only text damaged), one garbled one, the thesaurus and a JSON Lines file."""
    garbled, clean = root / "dev" / "garbled", root / "dev" / "clean"
    garbled.mkdir(parents=True)
    clean.mkdir(parents=True)
    (garbled / "g1.txt").write_text("Talks\n\nThe energy outages went on.\n", encoding="utf-8")
    (garbled / "SPANS.tsv").write_text("file\tphrase\tmeant\tcategory\ng1.txt\tenergy outages\tpower outages\tspun synonym\n", encoding="utf-8")
    (clean / "c1.txt").write_text("Rain floods roads\n\nRain flooded the city, and he said 1,200 homes lost power. She left early.\n", encoding="utf-8")
    (root / "th.dat").write_text(THESAURUS, encoding="utf-8")
    record = {"id": "n1", "title": "Rain floods roads", "body": "Rain flooded the roads of the city on Monday."}
    (root / "clean-news-en.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")


def _bench(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["bench", "spun", *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_the_command_on_a_fake_folder_prints_exact_numbers(tmp_path: Path) -> None:
    _fake_data(tmp_path)
    out = tmp_path / "out.json"
    code, text = _bench("--data", str(tmp_path), "--thesaurus", str(tmp_path / "th.dat"), "--rate", "1", "--seed", "1", *RULES_ONLY, "--json", str(out))
    assert code == 0, text
    assert "Simulated: dev clean, seed 1, rate 1, kinds spin,pronoun,boundary,number, thesaurus " in text
    data = json.loads(out.read_text())
    assert data["simulation"]["seed"] == 1 and len(data["simulation"]["thesaurus_sha256"]) == 64
    # damaged: floods, roads (title), flooded, city spun; "he" flipped; "power. She" run together ("She" is the boundary's,
    # so not flipped); "1, 200". Only the boundary is found (punctuation.missing-space-after, the run without a space)
    for line in [
        "| article triage AUC (penalty, garbled vs clean) | 1.000 | 0.500 |",
        "| garbled articles not passed | 1.000 | – |",
        "| clean articles passed | 1.000 | 1.000 ideal |",
        "| span recall (phrase occurrences overlapped) | 0.143 | – |",
        "| span precision (findings on a phrase) | 1.000 | – |",
        "| suggestion matches meant, top-1 | 1.000 | – |",
        "| spun synonym | 4 | 0 | 0.000 |",
        "| grammar/pronoun | 1 | 0 | 0.000 |",
        "| sentence boundary | 1 | 1 | 1.000 |",
        "| number | 1 | 0 | 0.000 |",
        "| punctuation.missing-space-after | 1 | 1 | 1.000 | 0 |",
    ]:
        assert line in text
    assert "spun dev clean: 1 garbled and 1 clean articles; 7 annotated phrases, 7 occurrences" in text


def test_the_same_seed_gives_the_same_table_and_kinds_are_checked(tmp_path: Path) -> None:
    _fake_data(tmp_path)
    args = ["--data", str(tmp_path), "--thesaurus", str(tmp_path / "th.dat"), "--seed", "7", "--rate", "0.5", *RULES_ONLY]
    first, again = _bench(*args), _bench(*args)
    assert first[0] == 0 and first[1].split("; ")[:-1] == again[1].split("; ")[:-1]
    code, text = _bench(*args, "--kinds", "spin,idiom")
    assert code == 2 and "unknown kind 'idiom'" in text


def test_clean_news_source_and_a_missing_thesaurus(tmp_path: Path) -> None:
    _fake_data(tmp_path)
    code, text = _bench("--source", "clean-news", "--data", str(tmp_path), "--thesaurus", str(tmp_path / "th.dat"), "--rate", "1", *RULES_ONLY)
    assert code == 0, text
    assert "spun clean-news: 1 garbled and 1 clean articles; 4 annotated phrases, 5 occurrences" in text  # "roads" twice
    assert "| spun synonym | 5 | 0 | 0.000 |" in text
    with pytest.raises(InputReadError, match="install Debian's mythes-en-us") as caught:  # qa's entry point prints it and exits 3
        _bench("--data", str(tmp_path), "--thesaurus", str(tmp_path / "none.dat"), *RULES_ONLY)
    assert caught.value.exit_code == 3
    code, text = _bench("--data", str(tmp_path), "--thesaurus", str(tmp_path / "none.dat"), "--kinds", "pronoun", *RULES_ONLY)
    assert code == 0 and "thesaurus" not in text.split("\n")[1]


def test_real_dev_clean_articles_rules_only(tmp_path: Path) -> None:
    try:
        root = default_garbled_dir()
    except InputReadError:
        pytest.skip("no ../shared/garbled-news here (set QA_GARBLED_DIR)")
    if not MYTHES.is_file():
        pytest.skip(f"no {MYTHES} (Debian's mythes-en-us is not installed)")
    out = tmp_path / "dev.json"
    code, text = _bench("--data", str(root), *RULES_ONLY, "--json", str(out))
    assert code == 0, text
    m = json.loads(out.read_text())["metrics"]
    assert m["garbled_articles"] == m["clean_articles"] == 9
    assert m["by_category"]["spun synonym"]["occurrences"] > 50 and 0 <= m["recall"] <= 1
