"""The GPT experiment: a small GPT against unigram and bigram baselines, on the bilingual
text corpus or on order-book event tokens, several seeds, perplexity on held-out tokens.

The data is the same for every seed (the corpus is fixed; the event stream uses seed 0); the
seed sets the model's initial weights and the order of the training windows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..data import (
    CharTokenizer,
    LOBEventTokenizer,
    load_corpus,
    split_text,
    synthetic_lob_events,
)
from ..i18n import tr
from ..models import GPT, GPTConfig
from .gpt import TRAIN, evaluate_lm, train_gpt
from .ngram import BigramModel, UnigramModel

MODEL = dict(n_layer=4, n_head=4, n_embd=64, block_size=128)
QUICK = dict(
    model=dict(n_layer=2, n_head=2, n_embd=32, block_size=64),
    train=dict(steps=200, batch_size=8, warmup=20, eval_every=100),
    val_tokens=3000,
)
LOB = dict(n_events=120_000, seed=0, val_fraction=0.1)
SMOOTHING = 0.1  # add-k of the n-gram baselines
PROMPTS = {"es": "Había una vez", "en": "Once there was"}


@dataclass
class LMData:
    """Token ids of both splits and how to read them."""

    name: str  # "text (es)", "lob events"
    train: np.ndarray  # (N_train,) int64
    val: np.ndarray  # (N_val,) int64
    vocab_size: int
    tokenizer: object  # CharTokenizer or LOBEventTokenizer
    kinds: np.ndarray | None = None  # (V,) event kind of each token (order-book events)


def text_data(lang: str) -> LMData:
    """The shipped corpus in ``lang`` ("es", "en" or "both"); the last 10% of each language's
    stories is the validation split. The tokenizer knows every character of the corpus."""
    langs = ("es", "en") if lang == "both" else (lang,)
    parts = [split_text(load_corpus(code)) for code in langs]
    tok = CharTokenizer().fit("".join(a + b for a, b in parts))
    train = np.concatenate([tok.encode(a) for a, _ in parts])
    val = np.concatenate([tok.encode(b) for _, b in parts])
    return LMData(f"text ({lang})", train, val, tok.vocab_size, tok)


def lob_data() -> LMData:
    """Synthetic order-book events as tokens; the last 10% (in time) is the validation split."""
    tok = LOBEventTokenizer()
    ids = tok.encode(synthetic_lob_events(LOB["n_events"], seed=LOB["seed"]))
    cut = int(len(ids) * (1 - LOB["val_fraction"]))
    kinds = tok.kind_of(np.arange(tok.vocab_size))
    return LMData("lob events", ids[:cut], ids[cut:], tok.vocab_size, tok, kinds)


def baselines(data: LMData, val: np.ndarray) -> dict:
    """Perplexity (and accuracies) of the count-based baselines on ``val``."""
    uni = UnigramModel(data.vocab_size, SMOOTHING).fit(data.train)
    bi = BigramModel(data.vocab_size, SMOOTHING).fit(data.train)
    out = dict(unigram=uni.perplexity(val), bigram=bi.perplexity(val))
    out["bigram_accuracy"] = float(np.mean(bi.predict(val[:-1]) == val[1:]))
    if data.kinds is not None:
        p = np.exp(bi.logp[val[:-1]])  # (N, V)
        by_kind = np.stack([p[:, data.kinds == k].sum(1) for k in range(3)], 1)  # (N, 3)
        out["bigram_kind_accuracy"] = float(np.mean(by_kind.argmax(1) == data.kinds[val[1:]]))
    return out


def sample_text(model, data: LMData, lang: str, seed: int, n: int = 300) -> str:
    """A continuation of the corpus's opening words (text) or of validation events (lob)."""
    rng = np.random.default_rng(seed)
    if data.kinds is None:
        prompt = PROMPTS["es" if lang == "both" else lang]
        ids = model.generate(data.tokenizer.encode(prompt)[None], n, temperature=0.8, rng=rng)
        return data.tokenizer.decode(ids[0])
    start = data.val[:32][None]
    impossible = np.flatnonzero(~data.tokenizer.is_possible(np.arange(data.vocab_size)))
    ids = model.generate(start, 12, temperature=0.8, rng=rng, suppress=impossible)[0, 32:]
    return "\n".join(data.tokenizer.describe(int(i)) for i in ids)


def run_seed(data, seed, *, quick=False, steps=None, threads=1, progress=True, log=print,
             lang=None) -> dict:  # fmt: skip
    """Train one GPT with ``seed`` and score it and the baselines on the validation split."""
    model_cfg = {**MODEL, **(QUICK["model"] if quick else {})}
    train_cfg = {**TRAIN, **(QUICK["train"] if quick else {})}
    if steps is not None:
        train_cfg["steps"] = steps
        train_cfg["eval_every"] = min(train_cfg["eval_every"], steps)
        train_cfg["warmup"] = min(train_cfg["warmup"], max(1, steps // 10))
    val = data.val[: QUICK["val_tokens"]] if quick else data.val
    config = GPTConfig(vocab_size=data.vocab_size, **model_cfg)
    model = GPT(config, rng=seed, dtype=np.float32)
    history = train_gpt(model, data.train, val, seed=seed, threads=threads, progress=progress,
                        log=log, lang=lang, **train_cfg)  # fmt: skip
    scores = evaluate_lm(model, val, kinds=data.kinds)
    row = dict(
        seed=seed,
        gpt=scores["perplexity"],
        gpt_loss=scores["loss"],
        accuracy=scores["accuracy"],
        **baselines(data, val),
        seconds=history.seconds,
        history=history.as_dict(),
        config=config.to_dict(),
        train=train_cfg,
        model=model,
    )
    if "kind_accuracy" in scores:
        row["kind_accuracy"] = scores["kind_accuracy"]
    return row


def results_table(rows: list[dict], lang=None) -> str:
    """A Markdown table of validation perplexity (lower is better) per seed, with the mean."""
    kinds = "kind_accuracy" in rows[0]
    head = tr(
        "| semilla | GPT | bigrama | unigrama | GPT / bigrama | exactitud GPT | exactitud "
        "bigrama |",
        "| seed | GPT | bigram | unigram | GPT / bigram | GPT accuracy | bigram accuracy |",
        lang,
    )
    extra = tr(" exactitud de tipo GPT | bigrama |", " GPT kind accuracy | bigram |", lang)
    head += extra if kinds else ""
    head += tr(" tiempo |", " time |", lang)
    cols = head.count("|") - 1
    lines = [head, "|" + "---:|" * cols]

    def line(name, r):
        s = (
            f"| {name} | {r['gpt']:.3f} | {r['bigram']:.3f} | {r['unigram']:.3f} | "
            f"{r['gpt'] / r['bigram']:.3f} | {r['accuracy']:.3f} | {r['bigram_accuracy']:.3f} |"
        )
        if kinds:
            s += f" {r['kind_accuracy']:.3f} | {r['bigram_kind_accuracy']:.3f} |"
        return s + f" {r['seconds']:.0f} s |"

    for r in rows:
        lines.append(line(r["seed"], r))
    if len(rows) > 1:
        keys = [k for k, v in rows[0].items() if isinstance(v, float)]
        mean = {k: float(np.mean([r[k] for r in rows])) for k in keys}
        lines.append(line(tr("media", "mean", lang), mean))
    return "\n".join(lines)


def save_run(row: dict, data: LMData, directory, name: str) -> None:
    """Write ``name``.npz (weights + config) and ``name``.json (tokenizer, training record)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    row["model"].save(directory / f"{name}.npz")
    info = dict(
        data=data.name,
        tokenizer=data.tokenizer.to_dict() if hasattr(data.tokenizer, "to_dict") else None,
        config=row["config"],
        train={k: list(v) if isinstance(v, tuple) else v for k, v in row["train"].items()},
        seed=row["seed"],
        history={k: v for k, v in row["history"].items() if k != "seconds"},  # deterministic
        val=dict(
            perplexity=row["gpt"],
            loss=row["gpt_loss"],
            accuracy=row["accuracy"],
            bigram=row["bigram"],
            unigram=row["unigram"],
        ),
        regenerate=f"attnlab train-gpt --data text --lang {name.rsplit('_', 1)[-1]} --seed "
        f"{row['seed']} --save-pretrained",
    )
    (directory / f"{name}.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n")
