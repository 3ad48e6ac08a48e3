"""The reasoning loop on a real tiny model (random weights, scripted chains)."""

import pytest
import torch

from model_runtime.reasoning.events import AnswerEvent, MaskEvent, TextDelta
from model_runtime.reasoning.loop import PAPER, RELEASE, GroundingRules, ImageInput, reason
from model_runtime.reasoning.modality import modality_scores
from model_runtime.reasoning.token_selection import select_tokens

from .conftest import random_images

CHAIN = ("<think>The <p>water</p>[SEG] covers 29 percent; the <p>tree cover</p>[SEG] covers 40 percent."
         "</think><answer>B</answer>")
# float32 logits of the cached and the re-run sequence agree to this absolute tolerance
LOGIT_ATOL = 1e-4


def run(backend, images, script_fn, **kw):
    return list(reason(backend, images, "What share of this area is water?", ["10%", "29%"],
                       next_token=script_fn, **kw))


@pytest.mark.parametrize("rules", [PAPER, RELEASE], ids=["paper", "release"])
def test_cached_reinjection_matches_recomputing_the_sequence(backend, script, rules):
    images = [ImageInput(p) for p in random_images(1)]
    cached, rerun = script(CHAIN), script(CHAIN)
    ev_cached = run(backend, images, cached, rules=rules, use_cache=True)
    ev_rerun = run(backend, images, rerun, rules=rules, use_cache=False)
    masks = [e for e in ev_cached if isinstance(e, MaskEvent)]
    assert len(masks) == 2
    if rules is RELEASE:
        assert all(m.selected_tokens >= 1 for m in masks)  # tokens really were fed back
    assert sum(m.selected_tokens for m in masks) > 0
    assert len(cached.logits) == len(rerun.logits) >= 20
    for a, b in zip(cached.logits, rerun.logits):
        assert torch.allclose(a, b, atol=LOGIT_ATOL), float((a - b).abs().max())
    for a, b in zip(masks, [e for e in ev_rerun if isinstance(e, MaskEvent)]):
        assert (a.mask == b.mask).all() and a.selected_tokens == b.selected_tokens


def test_fed_back_tokens_change_what_follows(backend, script):
    """The logits after `[SEG]` are read from the last injected token, not from `[SEG]` itself."""
    images = [ImageInput(p) for p in random_images(1)]
    with_feedback, without = script(CHAIN), script(CHAIN)
    masks = [e for e in run(backend, images, with_feedback, rules=RELEASE) if isinstance(e, MaskEvent)]
    assert masks[0].selected_tokens > 0
    backend_tokens = backend.special.seg
    seg_step = backend.tokenizer.encode(CHAIN, add_special_tokens=False).index(backend_tokens) + 1
    # re-run the same chain with nothing fed back: an empty mask selects no token
    backend.mask = lambda hidden, feats: (torch.zeros(128, 128), 0.0)
    run(backend, images, without, rules=RELEASE)
    assert not torch.allclose(with_feedback.logits[seg_step], without.logits[seg_step])
    assert torch.allclose(with_feedback.logits[seg_step - 1], without.logits[seg_step - 1])


def test_events_stream_text_masks_and_answer(backend, script):
    events = run(backend, [ImageInput(p) for p in random_images(1)], script(CHAIN))
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert text == CHAIN
    masks = [e for e in events if isinstance(e, MaskEvent)]
    assert [m.phrase for m in masks] == ["water", "tree cover"]
    assert [m.index for m in masks] == [0, 1]
    for m in masks:
        assert m.mask.shape == (128, 128) and m.mask.dtype == bool and m.pixels == int(m.mask.sum())
        expected = select_tokens(torch.from_numpy(m.mask), "paper", (2, 2), 4)
        assert m.selected_tokens == len(expected)
    answer = events[-1]
    assert isinstance(answer, AnswerEvent)
    assert (answer.answer, answer.choice, answer.value, answer.unit) == ("B", "B", 29.0, "%")
    # a mask event follows the text delta of its [SEG]
    first_mask = events.index(masks[0])
    assert events[first_mask - 1].text == "[SEG]"


def test_images_are_encoded_once(backend, script):
    images = [ImageInput(p) for p in random_images(1)]
    run(backend, images, script(CHAIN))
    run(backend, images, script(CHAIN))
    assert backend.images.encoder_runs == 1


def spy_on(backend):
    """Record which image's features each mask call and each fed-back chunk came from."""
    calls = {"mask": [], "fed": []}
    real_mask, real_forward = backend.mask, backend.forward

    def mask(hidden, features):
        calls["mask"].append(features)
        return real_mask(hidden, features)

    def forward(embeds, start, cache):
        calls["fed"].append(embeds.clone())
        return real_forward(embeds, start, cache)

    backend.mask, backend.forward = mask, forward
    return calls


SERIES_CHAIN = ("<think>Image: t_3 <p>buildings</p>[SEG] Image: t_1 <p>buildings</p>[SEG] "
                "Image: t_2 <p>new buildings</p>[SEG]</think><answer>A</answer>")


@pytest.mark.parametrize("rules,expected", [(PAPER, [2, 0, 1]), (RELEASE, [0, 1, 2])], ids=["parse", "round_robin"])
def test_image_t_i_routes_mask_and_features(backend, script, rules, expected):
    pixels = random_images(3, seed=3)
    images = [ImageInput(p, label=d) for p, d in zip(pixels, ["2020-01-01", "2021-01-01", "2022-01-01"])]
    features = [backend.encode(p) for p in pixels]
    calls = spy_on(backend)
    events = list(reason(backend, images, "How many buildings appeared?", None, rules=rules,
                         next_token=script(SERIES_CHAIN)))
    masks = [e for e in events if isinstance(e, MaskEvent)]
    assert [m.image for m in masks] == expected
    assert [next(i for i, f in enumerate(features) if f is used) for used in calls["mask"]] == expected
    fed = [e for e in calls["fed"] if e.shape[0] > 1][1:]  # skip the prefill
    for m, chunk in zip([m for m in masks if m.selected_tokens], fed):
        positions = select_tokens(torch.from_numpy(m.mask), rules.token_selection, (2, 2), 4)
        assert torch.equal(chunk, features[m.image].visual[positions])


def test_joint_optical_sar_feeds_back_the_modality_beta_prefers(backend, script, tokenizer):
    optical, sar = random_images(2, seed=5)
    images = [ImageInput(optical, "optical"), ImageInput(sar, "sar")]
    calls = spy_on(backend)
    rules = GroundingRules(token_selection="release", modality_query="question")
    events = list(reason(backend, images, "What share of this area is water?", None, rules=rules,
                         next_token=script(CHAIN)))
    masks = [e for e in events if isinstance(e, MaskEvent)]
    assert sum(m.selected_tokens for m in masks) >= 2
    f_opt, f_sar = backend.encode(optical), backend.encode(sar)
    prefill = calls["fed"][0]
    q_ids = tokenizer.encode("What share of this area is water?", add_special_tokens=False)
    # the question's embeddings sit in the prompt as one run of tokens
    query = backend.embed(q_ids)
    b_opt, b_sar = modality_scores(f_opt.visual, query), modality_scores(f_sar.visual, query)
    fed = [e for e in calls["fed"] if e.shape[0] > 1 and e is not prefill]
    for m, chunk in zip(masks, fed):
        assert m.image == 0 and m.selected_tokens == len(m.modalities) == chunk.shape[0]
        positions = select_tokens(torch.from_numpy(m.mask), "release", (2, 2), 4)
        for row, pos, chosen in zip(chunk, positions, m.modalities):
            assert chosen == ("optical" if b_opt[pos] > b_sar[pos] else "sar")
            assert torch.equal(row, (f_opt if chosen == "optical" else f_sar).visual[pos])


def test_bad_inputs_are_refused_with_a_reason(backend):
    good = random_images(2)
    with pytest.raises(ValueError, match="the model takes"):
        list(reason(backend, [ImageInput(torch.rand(3, 64, 64))], "q"))
    with pytest.raises(ValueError, match="SAR"):
        list(reason(backend, [ImageInput(good[0], "sar"), ImageInput(good[1], "optical")], "q"))
    with pytest.raises(ValueError, match="at least one image"):
        list(reason(backend, [], "q"))
