"""Train short, test long (Press et al., 2022): the same small GPT trained with each position
scheme at block_size 64 on attnlab's story corpus, then scored on sequences of 64, 128, 256
and 512 characters.

    for each scheme in learned, sinusoidal, rope, alibi, none; for each seed:
        train GPT(block_size=64, position=scheme) on the training split
        for L in 64, 128, 256, 512:
            cut the first N validation characters into N / L windows of length L
            loss(scheme, L) = mean cross-entropy of every next character in those windows

Every length reads the same N = (a multiple of 512) validation characters, so the lengths
differ only in how much context each prediction may use. "learned" has no position past 63
and is scored at 64 only; "sinusoidal" computes its fixed table as far as needed. The loss at
every position of the 512-long windows (averaged in bins of 32) shows *where* a scheme breaks.

``attnlab experiment extrapolation`` runs it (``--quick``: a smoke test in seconds); the
results of ``--seeds 0 1 2 --lang es`` ship in ``results/extrapolation.json``
(:func:`shipped_extrapolation`), so figures and lessons need no training.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np

from .._threads import MAX_THREADS, blas_threads
from ..i18n import pick, tr
from ..position_schemes import CONTROL, SCHEME_NAMES, SCHEMES

# SCHEMES, CONTROL and the names tables and figures use live in attnlab.position_schemes.
# CONTROL is the sinusoidal table at a tenth of its amplitude. Added at full amplitude (values
# in [-1, 1]) to token vectors of nanoGPT's scale (std 0.02), the table drowns the tokens and
# the model trains badly even at length 64; at 0.1 it trains well, which separates
# "sinusoidal extrapolates badly" from "this table is too loud".
CONTROL_SCALE = 0.1
LENGTHS = (64, 128, 256, 512)
MODEL = dict(block_size=64, n_layer=2, n_head=4, n_embd=64)
TRAIN = dict(steps=800, batch_size=16, max_lr=3e-3, min_lr=3e-4, warmup=40, weight_decay=0.1)
QUICK = dict(
    model=dict(block_size=64, n_layer=1, n_head=2, n_embd=32),
    train=dict(steps=60, batch_size=8, warmup=6),
    windows=4,
)
# The live version of lesson 11: seconds per scheme, big enough to show the effects.
LIVE = dict(
    model=dict(block_size=64, n_layer=2, n_head=4, n_embd=32),
    train=dict(steps=500, batch_size=16, max_lr=6e-3, warmup=25),
    windows=8,
)
PRESETS = {"full": dict(model=MODEL, train={}, windows=None), "quick": QUICK, "live": LIVE}
BIN = 32  # positions per bin of the loss-by-position curve
SHIPPED = Path(__file__).with_name("results") / "extrapolation.json"


def eval_tokens(val: np.ndarray, longest: int, windows: int | None = None) -> np.ndarray:
    """The first N + 1 validation tokens, N a multiple of ``longest`` (``windows`` of them)."""
    most = (len(val) - 1) // longest
    n = most if windows is None else min(windows, most)
    if n < 1:
        raise ValueError(f"the validation split has {len(val)} tokens: fewer than {longest + 1}")
    return val[: n * longest + 1]


def losses_by_position(model, tokens: np.ndarray, length: int, batch: int = 8) -> np.ndarray:
    """Cross-entropy at each position of windows of ``length`` (W, L), in float64."""
    x = tokens[:-1].reshape(-1, length)  # (W, L)
    y = tokens[1:].reshape(-1, length)  # (W, L)
    out = np.empty(x.shape)  # (W, L)
    for i in range(0, len(x), batch):
        logits, _ = model(x[i : i + batch])  # (b, L, V)
        z = logits.astype(np.float64)
        z = z - z.max(-1, keepdims=True)  # (b, L, V)
        logp = z - np.log(np.exp(z).sum(-1, keepdims=True))  # (b, L, V)
        out[i : i + batch] = -np.take_along_axis(logp, y[i : i + batch, :, None], -1)[..., 0]
    return out


def can_run(model, length: int) -> bool:
    """Whether the model reads ``length`` tokens at once (learned positions: not past its table)."""
    return model.config.position != "learned" or length <= model.config.block_size


def evaluate(model, tokens: np.ndarray, lengths=LENGTHS) -> dict:
    """Mean loss per length (None where the model cannot run) and the binned loss by position
    of the longest length (or of the longest it can run)."""
    loss, curve = {}, None
    with blas_threads(1):
        for L in lengths:
            if not can_run(model, L):
                loss[str(L)] = None
                continue
            per = losses_by_position(model, tokens, L)  # (W, L)
            loss[str(L)] = float(per.mean())
            curve = per.mean(0).reshape(-1, min(BIN, L)).mean(1)  # (L / BIN,)
    return dict(loss=loss, by_position=[round(float(c), 5) for c in curve])


def _quiet_sinusoid_class():
    from ..models import GPT

    class QuietSinusoidGPT(GPT):
        """The control: a sinusoidal GPT whose table is multiplied by CONTROL_SCALE."""

        def _positions(self, start, T):
            return CONTROL_SCALE * super()._positions(start, T)  # (T, E)

    return QuietSinusoidGPT


def train_scheme(
    data,
    scheme: str,
    seed: int,
    *,
    preset="full",
    steps=None,
    threads=1,
    progress=False,
    log=None,
    lang=None,
):
    """A GPT with position ``scheme`` trained on ``data`` (see :mod:`attnlab.train.gpt`);
    ``preset`` "full", "quick" or "live" chooses the model and training sizes."""
    from ..models import GPT, GPTConfig
    from ..train.gpt import train_gpt

    QuietSinusoidGPT = _quiet_sinusoid_class()
    model_cfg = PRESETS[preset]["model"]
    train_cfg = {**TRAIN, **PRESETS[preset]["train"]}
    if steps is not None:
        train_cfg.update(steps=steps, warmup=min(train_cfg["warmup"], max(1, steps // 10)))
    position = "sinusoidal" if scheme == CONTROL else scheme
    config = GPTConfig(vocab_size=data.vocab_size, position=position, **model_cfg)
    model = (QuietSinusoidGPT if scheme == CONTROL else GPT)(config, rng=seed, dtype=np.float32)
    history = train_gpt(
        model,
        data.train,
        data.val[:2049],
        seed=seed,
        threads=threads,
        progress=progress,
        log=log,
        lang=lang,
        eval_every=train_cfg["steps"],
        **train_cfg,
    )
    return model, history, train_cfg


def run_extrapolation(
    lang="es",
    schemes=(*SCHEMES, CONTROL),
    seeds=(0, 1, 2),
    *,
    preset="full",
    steps=None,
    threads=1,
    progress=False,
    log=None,
    msg_lang=None,
) -> dict:
    """Train every scheme with every seed and score each at every length: a JSON-ready dict.

    ``preset``: "full" (the shipped experiment), "quick" (a smoke test) or "live" (lesson 11:
    a smaller model, seconds per scheme); ``steps`` overrides its number of training steps.
    """
    from ..train.gpt_experiment import text_data

    if preset not in PRESETS:
        raise ValueError(f"preset must be one of {list(PRESETS)}, got {preset!r}")
    data = text_data(lang)
    tokens = eval_tokens(data.val, max(LENGTHS), PRESETS[preset]["windows"])
    runs = []
    for scheme in schemes:
        for seed in seeds:
            start = time.perf_counter()
            model, history, train_cfg = train_scheme(
                data,
                scheme,
                seed,
                preset=preset,
                steps=steps,
                threads=threads,
                progress=progress,
                log=None,
                lang=msg_lang,
            )
            scores = evaluate(model, tokens)
            seconds = time.perf_counter() - start
            runs.append(
                dict(
                    scheme=scheme,
                    seed=seed,
                    **scores,
                    seconds=round(seconds, 1),
                    train_loss=round(float(np.mean(history.train_loss[-50:])), 5),
                    load=round(os.getloadavg()[0], 2),
                )
            )
            if log is not None:
                shown = "  ".join(
                    f"{L}: {v:.3f}" if v is not None else f"{L}: -"
                    for L, v in scores["loss"].items()
                )
                log(
                    tr(
                        f"{scheme:>10} semilla {seed}: {shown}   ({seconds:.0f} s)",
                        f"{scheme:>10} seed {seed}: {shown}   ({seconds:.0f} s)",
                        msg_lang,
                    )
                )
    return dict(
        corpus=lang,
        quick=preset == "quick",
        preset=preset,
        model=model.config.to_dict() | {"vocab_size": data.vocab_size},
        train=train_cfg,
        lengths=list(LENGTHS),
        eval_tokens=len(tokens) - 1,
        bin=BIN,
        runs=runs,
    )


def summary(results: dict) -> dict:
    """Mean, min and max over seeds: ``{scheme: {"mean": {L: x|None}, "min": ..., "max": ...,
    "by_position": (bins,) mean curve, "seconds": mean}}``."""
    out = {}
    for scheme in dict.fromkeys(r["scheme"] for r in results["runs"]):
        runs = [r for r in results["runs"] if r["scheme"] == scheme]
        stats = {"mean": {}, "min": {}, "max": {}}
        for L in results["lengths"]:
            values = [r["loss"][str(L)] for r in runs]
            ok = None not in values
            stats["mean"][L] = float(np.mean(values)) if ok else None
            stats["min"][L] = float(np.min(values)) if ok else None
            stats["max"][L] = float(np.max(values)) if ok else None
        stats["by_position"] = np.mean([r["by_position"] for r in runs], axis=0)
        stats["seconds"] = float(np.mean([r["seconds"] for r in runs]))
        stats["seeds"] = len(runs)
        out[scheme] = stats
    return out


def results_table(results: dict, lang=None) -> str:
    """A Markdown table: validation loss (nats per character) per scheme and evaluation
    length, mean over seeds with the spread (max - min) after ±/2; "—" where it cannot run."""
    lengths = results["lengths"]
    head = tr("| posiciones | ", "| positions | ", lang)
    head += " | ".join(f"L = {L}" for L in lengths)
    head += tr(" | tiempo por semilla |", " | time per seed |", lang)
    lines = [head, "|---|" + "---:|" * (len(lengths) + 1)]
    for scheme, s in summary(results).items():
        cells = []
        for L in lengths:
            m = s["mean"][L]
            if m is None:
                cells.append("—")
            else:
                half = (s["max"][L] - s["min"][L]) / 2
                cells.append(f"{m:.3f} ± {half:.3f}" if s["seeds"] > 1 else f"{m:.3f}")
        name = pick(SCHEME_NAMES[scheme], lang) if scheme in SCHEME_NAMES else scheme
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {s['seconds']:.0f} s |")
    return "\n".join(lines)


def shipped_extrapolation() -> dict:
    """The shipped results of ``attnlab experiment extrapolation --seeds 0 1 2 --lang es``."""
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def save_results(results: dict, directory) -> Path:
    """Write ``extrapolation.json`` (and ``extrapolation.md``, the table) into ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "extrapolation.json"
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (directory / "extrapolation.md").write_text(results_table(results, "en") + "\n", "utf-8")
    return path


# -- attnlab experiment extrapolation ------------------------------------------------------------
HELP = (
    "train a small GPT with each position scheme (learned, sinusoidal, rope, alibi, none) on "
    "64 characters and test it on 64 to 512 (Press et al., 2022)"
)


def add_arguments(parser) -> None:
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke test in seconds (tiny model, 60 steps, one seed): checks that everything "
        "runs, measures nothing",
    )
    parser.add_argument(
        "--seeds", type=int, nargs="+", default=None, help="seeds (default: 0 1 2; with --quick: 0)"
    )
    parser.add_argument(
        "--schemes",
        nargs="+",
        choices=(*SCHEMES, CONTROL),
        default=[*SCHEMES, CONTROL],
        help=f"position schemes to compare (default: the five and the control {CONTROL}, the "
        "sinusoidal table at a tenth of its amplitude)",
    )
    parser.add_argument(
        "--lang",
        choices=("es", "en", "both"),
        default=None,
        help="corpus language (both: the two corpora together) and language of the messages "
        "(default: ATTNLAB_LANG or the locale; the shipped results use es)",
    )
    parser.add_argument("--steps", type=int, default=None, help="training steps per run")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1)")
    parser.add_argument(
        "--out",
        metavar="DIR",
        default=None,
        help="write extrapolation.json and extrapolation.md here",
    )
    parser.add_argument("--progress", action="store_true", help="a progress bar per run")


def run(args) -> int:
    import sys

    from ..i18n import default_language

    lang = args.lang or default_language()
    msg = default_language() if lang == "both" else lang
    seeds = args.seeds if args.seeds is not None else ([0] if args.quick else [0, 1, 2])

    def fail(text):
        print(f"attnlab experiment extrapolation: error: {text}", file=sys.stderr)
        return 2

    if any(s < 0 for s in seeds) or len(set(seeds)) != len(seeds):
        return fail(f"--seeds needs distinct seeds >= 0, got {seeds}")
    if args.steps is not None and args.steps < 1:
        return fail(f"--steps must be >= 1, got {args.steps}")
    if not 1 <= args.threads <= MAX_THREADS:
        return fail(f"--threads must be >= 1 and <= {MAX_THREADS}, got {args.threads}")
    if args.out is not None:
        from ..commands._common import check_writable

        problem = check_writable(Path(args.out))
        if problem:
            return fail(problem)

    def log(line):
        print(line, flush=True)

    if args.quick:
        log(
            tr(
                "Prueba rápida (--quick): un modelo diminuto y 60 pasos; comprueba que todo "
                "funciona, no mide nada.",
                "Quick smoke test (--quick): a tiny model and 60 "
                "steps; checks that everything runs, measures nothing.",
                msg,
            )
        )
    cfg = QUICK["model"] if args.quick else MODEL
    log(
        tr(
            f"Corpus: {lang}. GPT de {cfg['n_layer']} capas, n_embd {cfg['n_embd']}, "
            f"entrenado con bloques de {cfg['block_size']} caracteres, evaluado con {LENGTHS}.",
            f"Corpus: {lang}. A {cfg['n_layer']}-layer GPT, n_embd {cfg['n_embd']}, trained on "
            f"blocks of {cfg['block_size']} characters, scored at lengths {LENGTHS}.",
            msg,
        )
    )
    start, load = time.perf_counter(), os.getloadavg()[0]
    results = run_extrapolation(
        lang,
        args.schemes,
        seeds,
        preset="quick" if args.quick else "full",
        steps=args.steps,
        threads=args.threads,
        progress=args.progress,
        log=log,
        msg_lang=msg,
    )
    seconds = time.perf_counter() - start
    results.update(seconds=round(seconds, 1), load=[round(load, 2), round(os.getloadavg()[0], 2)])
    log(
        tr(
            "\nPérdida de validación (nats por carácter; menor es mejor; media ± semirrango de "
            "las semillas):\n",
            "\nValidation loss (nats per character; lower is better; mean "
            "± half the range over seeds):\n",
            msg,
        )
    )
    log(results_table(results, msg))
    log(
        tr(
            f"\n{len(results['runs'])} entrenamientos en {seconds:.0f} s (carga media "
            f"{load:.1f} al empezar, {os.getloadavg()[0]:.1f} al acabar).",
            f"\n{len(results['runs'])} trainings in {seconds:.0f} s (load average {load:.1f} at "
            f"the start, {os.getloadavg()[0]:.1f} at the end).",
            msg,
        )
    )
    if args.out is not None:
        path = save_results(results, args.out)
        log(tr(f"Resultados en {path}", f"Results in {path}", msg))
    return 0
