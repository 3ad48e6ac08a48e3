"""The tokenizer: TerraScope's special tokens, a small byte-level BPE for the tiny model, loading.

Token ids are always looked up from the tokenizer (`SpecialTokens.from_tokenizer`); nothing in the
runtime hard-codes an id, so the same code runs the tiny model and the public release's Qwen2
tokenizer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

# The reasoning markers of the method (facts file) and the InternVL/Qwen chat markers.
REASONING_TOKENS = ["<think>", "</think>", "<answer>", "</answer>", "[SEG]", "<REGION>", "<p>", "</p>", "<vp>", "</vp>"]
IMAGE_TOKENS = ["<img>", "</img>", "<IMG_CONTEXT>"]
CHAT_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
PAD, EOS = "<|endoftext|>", "<|im_end|>"


@dataclass(frozen=True)
class SpecialTokens:
    """Ids of the tokens the reasoning loop acts on, read from a tokenizer."""

    seg: int
    image_context: int
    image_start: int
    image_end: int
    think_start: int
    think_end: int
    answer_start: int
    answer_end: int
    p_start: int
    p_end: int
    eos: int
    pad: int

    @classmethod
    def from_tokenizer(cls, tokenizer) -> SpecialTokens:
        def tid(token: str) -> int:
            ids = tokenizer.convert_tokens_to_ids([token])
            if not ids or ids[0] is None or ids[0] == tokenizer.unk_token_id:
                raise ValueError(f"tokenizer has no {token!r} token; is this a TerraScope tokenizer?")
            return int(ids[0])

        return cls(
            seg=tid("[SEG]"), image_context=tid("<IMG_CONTEXT>"), image_start=tid("<img>"),
            image_end=tid("</img>"), think_start=tid("<think>"), think_end=tid("</think>"),
            answer_start=tid("<answer>"), answer_end=tid("</answer>"), p_start=tid("<p>"),
            p_end=tid("</p>"), eos=tid(EOS), pad=tid(PAD),
        )


def build_tokenizer(corpus: list[str], vocab_size: int = 1024) -> PreTrainedTokenizerFast:
    """Train a byte-level BPE on `corpus`; digits are split one per token so numbers stay exact."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False)]
    )
    tok.decoder = decoders.ByteLevel()
    specials = CHAT_TOKENS + IMAGE_TOKENS + REASONING_TOKENS
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=specials, show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tok.train_from_iterator(corpus, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, eos_token=EOS, pad_token=PAD, unk_token=None,
        additional_special_tokens=IMAGE_TOKENS + REASONING_TOKENS + ["<|im_start|>"],
    )


def load_tokenizer(folder: Path) -> PreTrainedTokenizerFast:
    """Load a tokenizer saved beside a model; never reaches a hub."""
    return PreTrainedTokenizerFast.from_pretrained(str(folder), local_files_only=True)
