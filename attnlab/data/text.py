"""Characters as tokens: ``CharTokenizer`` maps each character of a text to an integer id.

    tok = CharTokenizer().fit(text)       # the vocabulary: the text's characters, sorted
    ids = tok.encode("hola")              # (4,) int64
    tok.decode(ids) == "hola"

A character outside the vocabulary is an error that names it and its position, unless the
tokenizer was built with ``unk="<unk>"``: then such characters map to one extra id, which
decodes as that marker.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


class CharTokenizer:
    """Character-level tokenizer: ``chars[i]`` has id ``i``; optional ``unk`` token last."""

    def __init__(self, chars=None, *, unk: str | None = None):
        if unk is not None and (not isinstance(unk, str) or not unk):
            raise TypeError(f"unk must be a non-empty string or None, got {unk!r}")
        self.unk = unk
        self.chars: list[str] = []
        if chars is not None:
            self._set_chars(list(chars))

    def _set_chars(self, chars: list[str]) -> None:
        bad = [c for c in chars if not isinstance(c, str) or len(c) != 1]
        if bad:
            raise ValueError(f"chars must be single characters, got {bad[:5]}")
        check_no_surrogates("".join(chars), "chars")
        if len(set(chars)) != len(chars):
            dup = sorted({c for c in chars if chars.count(c) > 1})
            raise ValueError(f"chars must not repeat, got {dup} more than once")
        if not chars and self.unk is None:
            raise ValueError("the vocabulary is empty: fit on a non-empty text")
        self.chars = chars
        codes = np.array([ord(c) for c in chars], dtype=np.int64)  # (V,)
        self._order = np.argsort(codes)  # (V,) lookup: sorted code points -> ids
        self._sorted = codes[self._order]  # (V,)

    def fit(self, text: str) -> CharTokenizer:
        """Use the distinct characters of ``text``, sorted, as the vocabulary; returns self."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        check_no_surrogates(text, "text")
        self._set_chars(sorted(set(text)))
        return self

    @property
    def vocab_size(self) -> int:
        """V: the characters, plus one for ``unk`` if declared."""
        return len(self.chars) + (self.unk is not None)

    @property
    def unk_id(self) -> int | None:
        return len(self.chars) if self.unk is not None else None

    def encode(self, text: str) -> np.ndarray:
        """Ids (len(text),) int64. Unknown characters: ValueError naming the first, or unk."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        if not self.chars and self.unk is None:
            raise RuntimeError("the tokenizer has no vocabulary yet: call fit(text) first")
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)  # (N,)
        if not self.chars:
            return np.full(len(codes), self.unk_id, dtype=np.int64)
        pos = np.searchsorted(self._sorted, codes).clip(max=len(self.chars) - 1)  # (N,)
        known = self._sorted[pos] == codes  # (N,)
        ids = self._order[pos]  # (N,)
        if not known.all():
            if self.unk is None:
                i = int(np.flatnonzero(~known)[0])
                raise ValueError(
                    f"character {text[i]!r} (U+{ord(text[i]):04X}) at position {i} is not in "
                    f"the vocabulary of {len(self.chars)} characters; fit on a text that has "
                    f"it, or build the tokenizer with unk='<unk>'"
                )
            ids = np.where(known, ids, self.unk_id)
        return ids.astype(np.int64)

    def decode(self, ids) -> str:
        """The text of ids (any shape is flattened); ``unk`` ids decode as the unk marker."""
        arr = np.asarray(ids)
        if arr.size and (arr.dtype == bool or arr.dtype.kind not in "iu"):
            raise TypeError(f"ids must be integers, got dtype {arr.dtype}")
        flat = arr.reshape(-1)
        if flat.size and (flat.min() < 0 or flat.max() >= self.vocab_size):
            bad = int(flat[(flat < 0) | (flat >= self.vocab_size)][0])
            raise ValueError(f"id {bad} is outside the vocabulary of size {self.vocab_size}")
        table = self.chars + ([self.unk] if self.unk is not None else [])
        return "".join(table[i] for i in flat.tolist())

    # -- saving and loading ----------------------------------------------------------------
    def to_dict(self) -> dict:
        return {"type": "CharTokenizer", "chars": "".join(self.chars), "unk": self.unk}

    @classmethod
    def from_dict(cls, data: dict) -> CharTokenizer:
        """The tokenizer :meth:`to_dict` describes; ValueError/TypeError for anything else."""
        if not isinstance(data, dict) or data.get("type") != "CharTokenizer":
            raise ValueError("not a CharTokenizer description (expected type: CharTokenizer)")
        if "chars" not in data:
            raise ValueError("the CharTokenizer description has no 'chars'")
        if not isinstance(data["chars"], str):
            raise TypeError(
                f"'chars' must be a string of the vocabulary's characters, got "
                f"{type(data['chars']).__name__}"
            )
        return cls(list(data["chars"]), unk=data.get("unk"))

    def save(self, path) -> None:
        """Write the vocabulary as JSON (UTF-8)."""
        Path(path).write_text(json.dumps(self.to_dict(), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path) -> CharTokenizer:
        """Read a tokenizer written by :meth:`save`.

        A file that is not UTF-8 JSON describing a tokenizer is a ValueError naming it.
        """
        raw = Path(path).read_bytes()
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as err:
            raise ValueError(
                f"{path} is not UTF-8 text, so not a CharTokenizer file: {err}"
            ) from None
        except json.JSONDecodeError as err:
            raise ValueError(f"{path} is not a CharTokenizer JSON file: {err}") from None
        try:
            return cls.from_dict(data)
        except (TypeError, ValueError) as err:
            raise ValueError(f"{path} is not a valid CharTokenizer file: {err}") from None

    def __eq__(self, other) -> bool:
        return isinstance(other, CharTokenizer) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"CharTokenizer(vocab_size={self.vocab_size}, unk={self.unk!r})"


def check_no_surrogates(text: str, name: str) -> None:
    """ValueError for a lone surrogate (U+D800..U+DFFF) in ``text``: half of a UTF-16 pair,
    which Python strings can hold but no UTF encoding can write (encode and save would fail)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        code = ord(text[err.start])
        raise ValueError(
            f"{name}: U+{code:04X} at position {err.start} is a lone surrogate (half of a "
            f"UTF-16 pair), not a character: it could not be encoded or saved"
        ) from None


def split_text(text: str, val_fraction: float = 0.1) -> tuple[str, str]:
    """``(train, val)``: the last ``val_fraction`` of the lines is the validation text."""
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction}")
    lines = text.splitlines(keepends=True)
    if len(lines) < 2:
        raise ValueError("the text needs at least two lines to split into train and val")
    cut = min(len(lines) - 1, max(1, round(len(lines) * (1 - val_fraction))))
    return "".join(lines[:cut]), "".join(lines[cut:])
