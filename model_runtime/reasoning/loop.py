"""The pixel-grounded reasoning loop.

Prefill the prompt (image tokens in place), decode greedily on the KV cache, and at every `[SEG]`:
last-layer hidden state -> mask decoder -> mask at image resolution -> selected visual tokens ->
fed back as input embeddings that continue the cache (positions continue; the next token is read
from the last fed-back position). Events stream out as they happen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import torch

from .answer import read_answer
from .events import AnswerEvent, Event, MaskEvent, TextDelta
from .modality import choose_modality
from .prompt import build_prompt
from .routing import route_image
from .token_selection import feed_back_positions

PHRASE = re.compile(r"<p>(.*?)</p>", re.S)


@dataclass(frozen=True)
class GroundingRules:
    """The switches between the paper's method and the public checkpoint's behaviour."""

    token_selection: str = "paper"  # "paper" (> 50% cover) | "release" (nearest, <= 8 tokens)
    image_routing: str = "parse"  # "parse" (`Image: t_i`) | "round_robin"
    modality_query: str = "question"  # beta query: "question" tokens | all prompt "text" tokens
    feed_back: str = "mask"  # ablations: "mask" | "none" (text-only chain) | "box" | "random" (same count)


PAPER = GroundingRules()
RELEASE = GroundingRules(token_selection="release", image_routing="round_robin", modality_query="text")


@dataclass
class ImageInput:
    """One input image at the model's input size: (3, H, W) floats in [0, 1]."""

    pixels: torch.Tensor
    modality: str = "optical"  # "optical" | "sar"
    label: str | None = None  # a date for series items


def greedy(logits: torch.Tensor, generated: list[int]) -> int:
    return int(torch.argmax(logits))


class _Sequence:
    """The LLM's running sequence: on the KV cache, or re-run from scratch at every step."""

    def __init__(self, backend, use_cache: bool):
        self.backend, self.use_cache = backend, use_cache
        self.cache = backend.new_cache() if use_cache else None
        self.parts: list[torch.Tensor] = []
        self.length = 0

    def feed(self, embeds: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Append `embeds` (n, d); return their last-layer hidden states and logits."""
        n = embeds.shape[0]
        if self.use_cache:
            hidden, logits = self.backend.forward(embeds, self.length, self.cache)
        else:
            self.parts.append(embeds)
            hidden, logits = self.backend.forward(torch.cat(self.parts), 0, None)
            hidden, logits = hidden[-n:], logits[-n:]
        self.length += n
        return hidden, logits


def _check_images(images: list[ImageInput], size: tuple[int, int]) -> None:
    if not images:
        raise ValueError("at least one image is needed")
    kinds = [im.modality for im in images]
    if "sar" in kinds and kinds not in (["sar"], ["optical", "sar"]):
        raise ValueError(f"inputs {kinds}: SAR goes alone or as (optical, SAR), not inside a time series")
    if any(k not in ("optical", "sar") for k in kinds):
        raise ValueError(f"unknown modality in {kinds}; use 'optical' or 'sar'")
    for im in images:
        if tuple(im.pixels.shape) != (3, *size):
            raise ValueError(f"image of shape {tuple(im.pixels.shape)}; the model takes (3, {size[0]}, {size[1]})")


def _phrase(step_text: str) -> str:
    found = PHRASE.findall(step_text)
    if found:
        return found[-1].strip()
    words = re.sub(r"<[^>]+>|\[SEG\]", " ", step_text).split()
    return " ".join(words[-4:])


def reason(
    backend,
    images: list[ImageInput],
    question: str,
    choices: list[str] | None = None,
    rules: GroundingRules = PAPER,
    max_new_tokens: int = 256,
    next_token: Callable[[torch.Tensor, list[int]], int] = greedy,
    use_cache: bool = True,
    should_stop: Callable[[], bool] | None = None,
    context: str | None = None,
) -> Iterator[Event]:
    """Answer `question` about `images`, yielding `TextDelta`, `MaskEvent` and one `AnswerEvent`.

    `next_token` picks each token from the logits (greedy by default; tests script it);
    `use_cache=False` re-runs the whole sequence at every step (the reference the cache must match);
    `should_stop` is polled between tokens (a client that went away); `context` is the geometry
    line of the scene (pixel size and extent) that area and distance answers are read against.
    """
    cfg, tok, special = backend.config, backend.tokenizer, backend.special
    _check_images(images, cfg.image_size)
    features = [backend.encode(im.pixels) for im in images]
    layout = [(im.modality, im.label) for im in images]
    prompt = build_prompt(tok, special, layout, cfg.tokens_per_image, question, choices, context)

    embeds = backend.embed(prompt.ids)
    for (start, length), feats in zip(prompt.image_spans, features):
        embeds[start:start + length] = feats.visual
    joint = len(images) == 2 and images[1].modality == "sar"
    query_positions = prompt.question_positions if rules.modality_query == "question" else prompt.text_positions
    query = embeds[query_positions]

    seq = _Sequence(backend, use_cache)
    _, logits = seq.feed(embeds)
    last = logits[-1]
    generated: list[int] = []
    shown, step_start, seg_count, image_index = "", 0, 0, 0
    for _ in range(max_new_tokens):
        if should_stop is not None and should_stop():
            return
        token = next_token(last, generated)
        generated.append(token)
        if token == special.eos:
            break
        text = tok.decode(generated, skip_special_tokens=False)
        if not text.endswith("\ufffd") and len(text) > len(shown):
            yield TextDelta(text[len(shown):])
            shown = text
        hidden, logits = seq.feed(backend.embed([token]))
        last = logits[-1]
        if token == special.seg:
            step_text = text[step_start:]
            step_start = len(text)
            if not joint:
                image_index = route_image(rules.image_routing, step_text, seg_count, len(images), image_index)
            probs, score = backend.mask(hidden[-1], features[image_index])
            mask = probs > 0.5
            positions = feed_back_positions(mask, rules, cfg.tile_grid, cfg.tokens_per_tile_side, seg_count)
            if joint:
                fed, modalities = choose_modality(features[0].visual, features[1].visual, query, positions)
            else:
                fed = features[image_index].visual[positions]
                modalities = [images[image_index].modality] * len(positions)
            if len(positions):
                _, logits = seq.feed(fed.to(embeds.dtype))
                last = logits[-1]
            seg_count += 1
            yield MaskEvent(
                index=seg_count - 1, mask=mask.cpu().numpy().astype(np.bool_), image=image_index,
                phrase=_phrase(step_text), step_text=step_text, selected_tokens=len(positions),
                modalities=modalities, score=float(score),
            )
        if token == special.answer_end:
            break
    chain = tok.decode(generated, skip_special_tokens=False).replace(tok.eos_token or "", "")
    answer, choice, value, unit = read_answer(chain, choices)
    yield AnswerEvent(text=chain, answer=answer, choice=choice, value=value, unit=unit, tokens=len(generated))
