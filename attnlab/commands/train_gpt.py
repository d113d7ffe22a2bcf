"""``attnlab train-gpt``: train a small GPT on the bilingual corpus or on order-book events,
compare it with unigram and bigram baselines, print the table of validation perplexity."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HELP = "train a small GPT (text or order-book events) and compare it with n-gram baselines"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", choices=("text", "lob"), default="text",
        help="text: attnlab's bilingual story corpus (characters); lob: synthetic order-book "
        "events (default: text)",
    )  # fmt: skip
    parser.add_argument(
        "--lang", choices=("es", "en", "both"), default=None,
        help="corpus language for --data text (both: the two corpora together) and language of "
        "the messages (default: ATTNLAB_LANG or the locale)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, nargs="+", default=[0], help="seeds (default: 0)")
    parser.add_argument("--steps", type=int, default=None, help="training steps per seed")
    parser.add_argument(
        "--quick", action="store_true",
        help="a smoke test (tiny model, 200 steps, under 30 s): checks that everything runs, "
        "does not train a useful model",
    )  # fmt: skip
    parser.add_argument(
        "--out", metavar="DIR", default=None,
        help="write checkpoints (.npz), records (.json) and the table here",
    )  # fmt: skip
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS threads in the training loop (default 1: fastest for small "
                        "models on a shared machine)")  # fmt: skip
    parser.add_argument(
        "--save-pretrained", action="store_true",
        help="save the first seed's text model as the shipped pretrained GPT "
        "(attnlab/models/weights/gpt_text_LANG.*)",
    )  # fmt: skip
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def fail(message: str) -> int:
    print(f"attnlab train-gpt: error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from attnlab.i18n import default_language, tr

    lang = args.lang or default_language()
    msg_lang = default_language() if lang == "both" else lang
    # Every argument is checked before any work starts.
    if args.threads < 1:
        return fail(f"--threads must be >= 1, got {args.threads}")
    if args.steps is not None and args.steps < 1:
        return fail(f"--steps must be >= 1, got {args.steps}")
    if any(s < 0 for s in args.seed) or len(set(args.seed)) != len(args.seed):
        return fail(f"--seed needs distinct seeds >= 0, got {args.seed}")
    if args.save_pretrained and (args.data != "text" or lang == "both" or args.quick):
        return fail("--save-pretrained needs --data text, --lang es or en, and no --quick")
    if args.data == "lob" and args.lang == "both":
        return fail("--lang both only applies to --data text")
    out = Path(args.out) if args.out else None
    if out is not None:
        from ._common import check_writable

        problem = check_writable(out)
        if problem:
            return fail(f"--out: {problem}")

    from attnlab.models.pretrained import WEIGHTS_DIR
    from attnlab.train.gpt_experiment import (
        QUICK,
        lob_data,
        results_table,
        run_seed,
        sample_text,
        save_run,
        text_data,
    )

    def log(line):
        print(line, flush=True)

    if args.quick:
        n = args.steps or QUICK["train"]["steps"]
        log(tr(f"Prueba rápida (--quick): un modelo diminuto y {n} pasos, solo para comprobar "
               "que todo funciona; no es un modelo entrenado.",
               f"Quick smoke test (--quick): a tiny model and {n} steps, only to check that "
               "everything runs; not a trained model.", msg_lang))  # fmt: skip
    data = text_data(lang if args.data == "text" else "es") if args.data == "text" else lob_data()
    if args.data == "text":
        what = tr(f"texto ({lang})", f"text ({lang})", msg_lang)
    else:
        what = tr("eventos del libro de órdenes", "order-book events", msg_lang)
    log(tr(f"Datos: {what}, {len(data.train)} tokens de entrenamiento, {len(data.val)} de "
           f"validación, vocabulario de {data.vocab_size}.",
           f"Data: {what}, {len(data.train)} training tokens, {len(data.val)} validation "
           f"tokens, vocabulary of {data.vocab_size}.", msg_lang))  # fmt: skip
    rows = []
    start = time.perf_counter()
    for seed in args.seed:
        log(tr(f"-- semilla {seed}", f"-- seed {seed}", msg_lang))
        row = run_seed(data, seed, quick=args.quick, steps=args.steps, threads=args.threads,
                       progress=not args.no_progress, log=log, lang=msg_lang)  # fmt: skip
        rows.append(row)
        name = (
            f"gpt_{args.data}_{lang}_seed{seed}" if args.data == "text" else f"gpt_lob_seed{seed}"
        )
        if out is not None:
            save_run(row, data, out, name)
    seconds = time.perf_counter() - start
    table = results_table(rows, msg_lang)
    log(tr(f"\nPerplejidad de validación ({what}; menor es mejor):\n",
           f"\nValidation perplexity ({what}; lower is better):\n", msg_lang))  # fmt: skip
    log(table)
    log(tr(f"\n{len(rows)} semilla(s) en {seconds:.0f} s", f"\n{len(rows)} seed(s) in "
           f"{seconds:.0f} s", msg_lang))  # fmt: skip
    log(tr("\nMuestra generada (temperatura 0,8):\n", "\nGenerated sample (temperature 0.8):\n",
           msg_lang))  # fmt: skip
    log(sample_text(rows[0]["model"], data, lang, rows[0]["seed"]))
    if out is not None:
        (out / f"results_{args.data}.md").write_text(table + "\n", encoding="utf-8")
    if args.save_pretrained:
        save_run(rows[0], data, WEIGHTS_DIR, f"gpt_text_{lang}")
        log(tr(f"Modelo preentrenado guardado en {WEIGHTS_DIR}",
               f"Pretrained model saved to {WEIGHTS_DIR}", msg_lang))  # fmt: skip
    return 0
