"""Typed events streamed by `reason(...)`: text as it is written, a mask per `[SEG]`, the answer."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class TextDelta:
    text: str
    kind: str = "text"

    def to_dict(self) -> dict:
        return {"type": self.kind, "text": self.text}


@dataclass
class MaskEvent:
    """One `[SEG]`: the mask on the model's input grid and what it was asked to ground."""

    index: int  # 0-based order of this [SEG] in the chain
    mask: np.ndarray  # bool (H, W) at the model input grid
    image: int  # which input image it segments (0-based)
    phrase: str  # the region phrase the mask grounds
    step_text: str  # the reasoning text of the step up to [SEG]
    selected_tokens: int  # visual tokens fed back into the LLM
    modalities: list[str] = field(default_factory=list)  # per fed-back token: "optical" / "sar"
    score: float = 0.0  # the decoder's predicted IoU
    kind: str = "mask"

    @property
    def pixels(self) -> int:
        return int(self.mask.sum())

    def to_dict(self) -> dict:
        return {
            "type": self.kind, "index": self.index, "image": self.image, "phrase": self.phrase,
            "text": self.step_text, "selected_tokens": self.selected_tokens, "pixels": self.pixels,
            "modalities": self.modalities, "score": round(self.score, 4),
        }


@dataclass
class AnswerEvent:
    text: str  # the whole generated chain
    answer: str  # the text inside <answer>...</answer> (or the tail when it is missing)
    choice: str | None  # the multiple-choice letter, when candidates were given
    value: float | None  # a parsed quantity
    unit: str | None
    tokens: int  # generated tokens
    kind: str = "answer"

    def to_dict(self) -> dict:
        return {
            "type": self.kind, "text": self.text, "answer": self.answer, "choice": self.choice,
            "value": self.value, "unit": self.unit, "tokens": self.tokens,
        }


Event = TextDelta | MaskEvent | AnswerEvent
