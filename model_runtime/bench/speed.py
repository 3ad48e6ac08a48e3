"""Speed of the reasoning loop on this machine, measured side by side in one run.

- one question with two `[SEG]` steps (image encoders included), tiny configuration;
- KV-cache reinjection against re-running the whole sequence at every step, at 256 generated
  tokens with two `[SEG]` steps (the target: reinjection at least 3x faster).

Chains are scripted so both variants do exactly the same work whatever the weights.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from ..backends.torch_backend import TorchBackend
from ..model.configs import get_config
from ..model.terrascope import TerraScopeModel
from ..model.tokenizer import build_tokenizer
from ..reasoning.loop import ImageInput, reason

PHRASES = [
    "The <p>water</p>[SEG] covers 29 percent of the area, so the answer is B.",
    "Image: t_1 shows the <p>buildings</p>[SEG] and the <p>cropland</p>[SEG] next to the road.",
]


def scripted(ids: list[int], eos: int):
    def next_token(logits, generated):
        return ids[len(generated)] if len(generated) < len(ids) else eos

    return next_token


def chain_ids(tokenizer, seg_id: int, length: int, segs: int) -> list[int]:
    """`length` tokens of plain text with `segs` `[SEG]` tokens spread evenly through it."""
    filler = tokenizer.encode(" the area next to the road", add_special_tokens=False)
    ids = (filler * (length // len(filler) + 1))[:length]
    for k in range(1, segs + 1):
        ids[k * length // (segs + 1)] = seg_id
    return ids


def timed(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--tokens", type=int, default=256)
    args = ap.parse_args(argv)

    torch.manual_seed(0)
    tokenizer = build_tokenizer(PHRASES * 10, vocab_size=400)
    model = TerraScopeModel(get_config("tiny").with_vocab(len(tokenizer)))
    backend = TorchBackend(model, tokenizer, device="cpu")
    seg, eos = backend.special.seg, backend.special.eos
    image = [ImageInput(torch.rand(3, *model.config.image_size))]

    def ask(ids, use_cache=True, fresh_images=False):
        if fresh_images:
            backend.images.clear()
        list(reason(backend, image, "What share of this area is water?", ["10%", "29%"],
                    next_token=scripted(ids, eos), use_cache=use_cache, max_new_tokens=len(ids) + 1))

    question = tokenizer.encode("<think>" + PHRASES[0] + " The <p>trees</p>[SEG] cover 40 percent.</think>"
                                "<answer>B</answer>", add_special_tokens=False)
    long = chain_ids(tokenizer, seg, args.tokens, 2)
    ask(question)  # warm-up
    t_question = timed(lambda: ask(question, fresh_images=True), args.repeats)
    t_cached = timed(lambda: ask(long, use_cache=True), args.repeats)
    t_rerun = timed(lambda: ask(long, use_cache=False), args.repeats)

    print(f"TerraScope tiny ({model.num_parameters() / 1e6:.2f} M parameters), torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads, median of {args.repeats}")
    print("| measurement | value |")
    print("|---|---|")
    print(f"| one question, {len(question)} tokens, two [SEG] steps (encoders included) | {t_question * 1000:.0f} ms |")
    print(f"| {args.tokens} tokens, two [SEG], KV-cache reinjection | {t_cached * 1000:.0f} ms |")
    print(f"| {args.tokens} tokens, two [SEG], full sequence re-run each step | {t_rerun * 1000:.0f} ms |")
    print(f"| reinjection speed-up (target >= 3x) | {t_rerun / t_cached:.1f}x |")


if __name__ == "__main__":
    main()
