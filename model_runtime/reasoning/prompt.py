"""The prompt: images, question and candidates laid out as token ids, with the places that matter.

One layout serves training and inference (chat markers as InternVL/Qwen2 write them):

    <|im_start|>user
    Image t_1 (2020-05-18): <img><IMG_CONTEXT>...</img>      (or "Optical image:", "SAR image:")
    Scene: 128 x 128 pixels of 30 m (3.84 x 3.84 km, 14.75 km2).   (the geometry line, optional)
    <question>
    Options: (A) ... (B) ...
    <|im_end|>
    <|im_start|>assistant
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .answer import choice_letters

USER, ASSISTANT, END = "<|im_start|>user\n", "<|im_start|>assistant\n", "<|im_end|>\n"


@dataclass
class Prompt:
    ids: list[int] = field(default_factory=list)
    image_spans: list[tuple[int, int]] = field(default_factory=list)  # (start, length) per image
    question_positions: list[int] = field(default_factory=list)  # the question's own tokens
    text_positions: list[int] = field(default_factory=list)  # every token outside the images

    def add(self, ids: list[int], *, question: bool = False) -> None:
        start = len(self.ids)
        self.ids.extend(ids)
        positions = list(range(start, len(self.ids)))
        self.text_positions.extend(positions)
        if question:
            self.question_positions.extend(positions)

    def add_image(self, start_id: int, context_id: int, end_id: int, n_tokens: int) -> None:
        self.add([start_id])
        self.image_spans.append((len(self.ids), n_tokens))
        self.ids.extend([context_id] * n_tokens)
        self.add([end_id])


def image_caption(modality: str, index: int, count: int, label: str | None) -> str:
    """How an image is introduced: the series' `Image t_i`, or its modality for a single/joint input."""
    if count > 1 and modality == "optical" and label is not None:
        return f"Image t_{index + 1} ({label}): "
    if count > 1 and modality == "optical":
        return f"Image t_{index + 1}: "
    return "SAR image: " if modality == "sar" else "Optical image: "


def format_choices(choices: list[str]) -> str:
    return "Options: " + " ".join(f"({letter}) {text}" for letter, text in zip(choice_letters(len(choices)), choices))


def build_prompt(tokenizer, special, images: list[tuple[str, str | None]], tokens_per_image: int,
                 question: str, choices: list[str] | None = None, context: str | None = None) -> Prompt:
    """`images` are (modality, label) pairs in input order; `context` is the scene's geometry line."""
    encode = lambda text: tokenizer.encode(text, add_special_tokens=False)  # noqa: E731
    prompt = Prompt()
    prompt.add(encode(USER))
    series = sum(1 for modality, _ in images if modality == "optical")
    for i, (modality, label) in enumerate(images):
        prompt.add(encode(image_caption(modality, i, series, label)))
        prompt.add_image(special.image_start, special.image_context, special.image_end, tokens_per_image)
        prompt.add(encode("\n"))
    if context:
        prompt.add(encode(context.strip() + "\n"))
    prompt.add(encode(question.strip()), question=True)
    if choices:
        prompt.add(encode("\n" + format_choices(choices)))
    prompt.add(encode("\n" + END + ASSISTANT))
    return prompt
