"""``attnlab experiment induction``: train 2-layer attention-only GPTs until induction heads form.

Reproduces the best-known result about what attention heads learn (Olsson et al., 2022): on
sequences with a repeated segment, a *previous-token head* forms in layer 0 and an *induction
head* in layer 1, and the loss on the repeated tokens falls abruptly when they do. For each
seed it prints the losses, both scores of every head and the in-repeat loss with each head
ablated; ``--out DIR`` writes one JSON record per seed. ``--quick`` is a short smoke run (it
says so). ``--save-pretrained`` rewrites the shipped model lesson 12 and the gallery draw.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

from .._threads import MAX_THREADS

HELP = "induction heads: train 2-layer attention-only GPTs on repeated segments (Olsson et al.)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..i18n import LANGUAGES

    parser.add_argument(
        "--seeds",
        type=int,
        nargs="+",
        default=None,
        metavar="SEED",
        help="seeds to train (default: 0 1 2; with --quick: 0)",
    )
    parser.add_argument("--steps", type=int, help="training steps (default 2000; --quick: 600)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a short smoke run: 600 steps of one seed (under a minute; --seeds for more)",
    )
    parser.add_argument("--out", type=Path, metavar="DIR", help="write one JSON record per seed")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1)")
    parser.add_argument("--lang", choices=LANGUAGES, help="language of the messages")
    parser.add_argument(
        "--save-pretrained",
        action="store_true",
        help="write the first seed's model over the shipped one (attnlab/experiments/weights)",
    )


def _fail(message: str) -> int:
    print(f"attnlab experiment induction: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from ..i18n import default_language, tr
    from .induction_model import save_shipped
    from .induction_train import QUICK_STEPS, TRAIN, train_induction

    lang = args.lang or default_language()
    # --quick is a smoke run under a minute: one seed unless --seeds asks for more.
    seeds = args.seeds if args.seeds is not None else ([0] if args.quick else [0, 1, 2])
    steps = args.steps
    if steps is None:
        steps = QUICK_STEPS if args.quick else TRAIN["steps"]
    if steps < 1:
        return _fail(f"--steps must be >= 1, got {steps}")
    if not 1 <= args.threads <= MAX_THREADS:
        return _fail(f"--threads must be >= 1 and <= {MAX_THREADS}, got {args.threads}")
    if any(s < 0 for s in seeds) or len(set(seeds)) != len(seeds):
        return _fail(f"--seeds needs distinct seeds >= 0, got {seeds}")
    if args.out is not None:
        from ..commands._common import check_writable

        problem = check_writable(args.out)
        if problem:
            return _fail(f"--out: {problem}")
    if args.quick:
        message = tr(
            f"Modo rápido: {steps} pasos, una prueba de humo (las cabezas suelen formarse hacia "
            f"el paso 500; con menos pasos puede que aún no).",
            f"Quick mode: {steps} steps, a smoke test (the heads usually form around step 500; "
            f"with fewer steps they may not have yet).",
            lang,
        )
        print(message)
    records = []
    for seed in seeds:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(tr(f"semilla {seed}: {steps} pasos", f"seed {seed}: {steps} steps", lang))
        model, history = train_induction(seed, steps=steps, threads=args.threads, log=_log(lang))
        record = report(model, history, seed, load=load, lang=lang)
        records.append(record)
        if args.out is not None:
            path = args.out / f"induction_seed{seed}.json"
            path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
            print(tr(f"escrito {path}", f"wrote {path}", lang))
        if args.save_pretrained and seed == seeds[0]:
            for path in save_shipped(model, history, record):
                print(tr(f"escrito {path}", f"wrote {path}", lang))
    print(summary_table(records, lang))
    return 0


def _log(lang):
    from ..i18n import tr

    def log(h) -> None:
        step, rep, other = h.eval_steps[-1], h.loss_repeat[-1], h.loss_other[-1]
        prev, ind = np.max(h.previous_token[-1][0]), np.max(h.induction[-1][-1])
        line = tr(
            f"  paso {step:5d}  pérdida en repeticiones {rep:.3f}  en el resto {other:.3f}  "
            f"token anterior {prev:.2f}  inducción {ind:.2f}  ({h.seconds:.0f} s)",
            f"  step {step:5d}  in-repeat loss {rep:.3f}  other {other:.3f}  "
            f"previous-token {prev:.2f}  induction {ind:.2f}  ({h.seconds:.0f} s)",
            lang,
        )
        print(line, flush=True)

    return log


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (it reads in a terminal and pastes into a README)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---:|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def report(model, history, seed: int, *, load: float, lang: str) -> dict:
    """Measure the trained ``model``, print every head's numbers, return the JSON record."""
    from ..i18n import tr
    from .induction_model import task_of
    from .induction_scores import measure
    from .induction_train import eval_batch

    task = task_of(model)
    m = measure(model, eval_batch(task))
    prev, ind, abl = (np.asarray(m[k]) for k in ("previous_token", "induction", "ablation"))
    L, H = prev.shape
    rows = [
        [f"{layer}.{h}", f"{prev[layer, h]:.2f}", f"{ind[layer, h]:.2f}", f"{abl[layer, h]:.3f}"]
        for layer in range(L)
        for h in range(H)
    ]
    header = [
        tr("capa.cabeza", "layer.head", lang),
        tr("token anterior", "previous token", lang),
        tr("inducción", "induction", lang),
        tr("pérdida en repeticiones sin ella", "in-repeat loss without it", lang),
    ]
    print(format_table(header, rows))
    group = m["ablation_group"]
    shown = {k: "-" if v is None else f"{v:.3f}" for k, v in group.items()}
    print(
        tr(
            f"pérdida en repeticiones sin la capa 0 entera {m['ablation_layer'][0]:.3f}, sin la "
            f"capa 1 entera {m['ablation_layer'][-1]:.3f}; sin todas las cabezas de token "
            f"anterior (>= 0.5) {shown['previous_token']}, sin todas las de inducción "
            f"{shown['induction']}",
            f"in-repeat loss without the whole of layer 0 {m['ablation_layer'][0]:.3f}, of "
            f"layer 1 {m['ablation_layer'][-1]:.3f}; without every previous-token head "
            f"(>= 0.5) {shown['previous_token']}, every induction head {shown['induction']}",
            lang,
        )
    )
    ln_v = np.log(task.vocab_size)
    print(
        tr(
            f"pérdida en repeticiones {m['loss_repeat']:.3f}, en el resto {m['loss_other']:.3f} "
            f"(ln V = {ln_v:.3f}); {history.seconds:.0f} s, carga media {load:.1f}",
            f"in-repeat loss {m['loss_repeat']:.3f}, other tokens {m['loss_other']:.3f} "
            f"(ln V = {ln_v:.3f}); {history.seconds:.0f} s, load average {load:.1f}",
            lang,
        )
    )
    return dict(
        seed=seed,
        task=task.to_dict(),
        config=model.config.to_dict(),
        steps=history.eval_steps[-1],
        seconds=round(history.seconds, 1),
        load_average=round(load, 2),
        previous_token_head=[0, int(np.argmax(prev[0]))],
        induction_head=[L - 1, int(np.argmax(ind[L - 1]))],
        **m,
        history=history.as_dict(),
    )


def named_head(record: dict, kind: str, lang: str) -> tuple[tuple[int, int] | None, str]:
    """The best head of ``kind`` ("previous_token" or "induction") and its table cell: named
    only if its score reaches GROUP (0.5), else "none (best x)" (no such head formed)."""
    from ..i18n import tr
    from .induction_scores import GROUP

    layer, head = record[f"{kind}_head"]
    score = record[kind][layer][head]
    if score < GROUP:
        return None, tr(f"ninguna (la mejor, {score:.2f})", f"none (best {score:.2f})", lang)
    cell = tr(f"capa {layer} cabeza {head}", f"layer {layer} head {head}", lang)
    return (layer, head), f"{cell} ({score:.2f})"


def summary_table(records: list[dict], lang: str) -> str:
    """One row per seed, as in the README: each kind's head (only if it scores >= 0.5), the
    losses, the ablations, the time."""
    from ..i18n import tr

    def loss(value) -> str:
        return "—" if value is None else f"{value:.3f}"

    rows = []
    for r in records:
        prev, prev_cell = named_head(r, "previous_token", lang)
        ind, ind_cell = named_head(r, "induction", lang)
        rows.append(
            [
                str(r["seed"]),
                prev_cell,
                ind_cell,
                f"{r['loss_repeat']:.3f}",
                f"{r['loss_other']:.3f}",
                loss(None if prev is None else r["ablation"][prev[0]][prev[1]]),
                loss(None if ind is None else r["ablation"][ind[0]][ind[1]]),
                *(loss(v) for v in r["ablation_group"].values()),
                f"{r['seconds']:.0f} s ({r['load_average']:.1f})",
            ]
        )
    header = [
        tr("semilla", "seed", lang),
        tr("cabeza del token anterior (puntuación)", "previous-token head (score)", lang),
        tr("cabeza de inducción (puntuación)", "induction head (score)", lang),
        tr("pérdida en repeticiones", "in-repeat loss", lang),
        tr("pérdida en el resto", "other loss", lang),
        tr("sin la cabeza del token anterior", "without the previous-token head", lang),
        tr("sin la cabeza de inducción", "without the induction head", lang),
        tr(
            "sin todas las de token anterior (≥ 0.5)",
            "without every previous-token head (≥ 0.5)",
            lang,
        ),
        tr("sin todas las de inducción (≥ 0.5)", "without every induction head (≥ 0.5)", lang),
        tr("tiempo (carga media)", "time (load average)", lang),
    ]
    return format_table(header, rows)
