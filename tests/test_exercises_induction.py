"""Lesson 12's checkers: the right answers pass, plausible wrong ones fail with a specific hint,
in the lesson's language."""

from __future__ import annotations

import numpy as np
import pytest

from attnlab.exercises import induction as ex
from attnlab.experiments import load_induction_model
from attnlab.experiments.induction_scores import token_losses


@pytest.fixture(autouse=True)
def english_by_default():
    ex.set_language("en")
    yield
    ex.set_language("en")


@pytest.fixture(scope="module")
def model():
    return load_induction_model()[0]


def prev_score(w):
    return np.diagonal(w, offset=-1, axis1=2, axis2=3).mean(axis=(0, 2))


def keys(idx):
    T = len(idx)
    t, j = np.arange(T)[:, None], np.arange(T)[None, :]
    earlier = (idx[:, None] == idx[None, :]) & (j < t)
    out = np.zeros((T, T), dtype=bool)
    out[:, 1:] = earlier[:, :-1]
    return out


def ablated(model, batch, layer, head, *, whole_layer=False, every_token=False, no_mask=False):
    mask = np.ones((model.config.n_layer, model.config.n_head))
    if whole_layer:
        mask[layer] = 0.0
    else:
        mask[layer, head] = 0.0
    logits, _ = model(batch.idx, head_mask=None if no_mask else mask)
    losses = token_losses(logits, batch.targets)
    return float(losses.mean() if every_token else losses[batch.in_repeat].mean())


def test_the_right_answers_pass(model):
    assert ex.check_previous_token_score(prev_score)
    assert ex.check_induction_keys(keys)
    assert ex.check_ablation(ablated, model)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda w: np.diagonal(w, axis1=2, axis2=3).mean(axis=(0, 2)), "the token itself"),
        (lambda w: np.diagonal(w, offset=1, axis1=2, axis2=3).mean(axis=(0, 2)), "future keys"),
        (
            lambda w: np.concatenate(
                [w[:, :, :1, 0], np.diagonal(w, offset=-1, axis1=2, axis2=3)], axis=-1
            ).mean(axis=(0, 2)),
            "query 0 has no previous token",
        ),
        (lambda w: np.diagonal(w, offset=-1, axis1=2, axis2=3).mean(axis=2), "one score per head"),
    ],
)
def test_plausible_wrong_previous_token_scores_get_their_hint(answer, hint):
    feedback = ex.check_previous_token_score(answer)
    assert not feedback
    assert hint in str(feedback)


def test_marking_the_earlier_occurrence_itself_is_caught():
    def itself(idx):
        T = len(idx)
        return (idx[:, None] == idx[None, :]) & (np.arange(T)[None, :] < np.arange(T)[:, None])

    feedback = ex.check_induction_keys(itself)
    assert not feedback and "j + 1" in str(feedback)


def test_counting_the_query_itself_as_an_earlier_occurrence_is_caught():
    def loose(idx):
        T = len(idx)
        same = (idx[:, None] == idx[None, :]) & (np.arange(T)[None, :] <= np.arange(T)[:, None])
        out = np.zeros((T, T), dtype=bool)
        out[:, 1:] = same[:, :-1]
        return out

    feedback = ex.check_induction_keys(loose)
    assert not feedback and "j < t" in str(feedback)


def test_a_mask_of_the_wrong_type_or_shape_is_named():
    feedback = ex.check_induction_keys(lambda idx: keys(idx).astype(int))
    assert not feedback and "boolean mask of shape (9, 9)" in str(feedback)


@pytest.mark.parametrize(
    ("flag", "hint"),
    [
        ("whole_layer", "whole layer"),
        ("every_token", "every token"),
        ("no_mask", "nothing ablated"),
    ],
)
def test_plausible_wrong_ablations_get_their_hint(model, flag, hint):
    def answer(model, batch, layer, head):
        return ablated(model, batch, layer, head, **{flag: True})

    feedback = ex.check_ablation(answer, model)
    assert not feedback
    assert hint in str(feedback)


def test_the_feedback_speaks_spanish_in_the_spanish_lesson(model):
    ex.set_language("es")
    assert "¿falta el return?" in str(ex.check_induction_keys(lambda idx: None))
    assert "capa entera" in str(
        ex.check_ablation(lambda m, b, l, h: ablated(m, b, l, h, whole_layer=True), model)
    )
