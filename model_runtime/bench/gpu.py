"""Timings on a CUDA GPU: the `terrascope-8b` configuration (random weights, bf16) on PyTorch, and the
tiny default model on PyTorch CUDA and on ONNX Runtime's CUDA execution provider.

8B parts, each the median of `--repeats` runs after a warm-up, with CUDA synchronised:
- image encoders: a 4-tile image (2 x 2 tiles of 448 px, 1024 visual tokens) and the 1024 px
  grounding encoder;
- prefill of that image and a 64-token question (about 1100 positions);
- per-token decode on the KV cache (mean over 64 tokens);
- one `[SEG]` step: mask decoder, token selection (the paper's rule) and the injection of the
  selected visual tokens into the cache.
Tiny model: time per question over benchmark items, on PyTorch CUDA and on the CUDA execution
provider (with I/O binding), and whether both give the same text.

On a machine without a CUDA GPU it says so and exits with status 0.

    python -m model_runtime.bench.gpu [--repeats 5] [--items 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def _timed(fn, device: str) -> float:
    _sync(device)
    t0 = time.perf_counter()
    fn()
    _sync(device)
    return time.perf_counter() - t0


@torch.no_grad()
def time_model(config: str, device: str, dtype: torch.dtype, repeats: int, question_tokens: int = 64,
               decode_tokens: int = 64) -> list[tuple[str, str]]:
    """Random-weight timings of a named configuration (the 8B one on the GPU)."""
    from transformers import DynamicCache

    from ..model.configs import get_config
    from ..model.terrascope import TerraScopeModel
    from ..reasoning.loop import PAPER
    from ..reasoning.token_selection import feed_back_positions

    cfg = get_config(config)
    torch.manual_seed(0)
    t0 = time.perf_counter()
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)  # built in its final dtype, on the device: no float32 copy of 8B weights
    try:
        with torch.device(device):
            model = TerraScopeModel(cfg).to(dtype).eval()
    finally:
        torch.set_default_dtype(previous)
    built = time.perf_counter() - t0
    text_config = model.vlm.config.text_config
    image = torch.rand(1, 3, *cfg.image_size, device=device, dtype=dtype)
    tokens = cfg.tokens_per_image + question_tokens
    ids = torch.randint(0, text_config.vocab_size, (tokens,), device=device)

    def encoders():
        return model.visual_tokens(image), model.grounding_features(image)

    visual, grounding = encoders()
    embeds = model.embed_tokens(ids)[None]
    embeds[0, : cfg.tokens_per_image] = visual[0]
    positions = torch.arange(tokens, device=device)[None]

    def prefill():
        cache = DynamicCache(config=text_config)
        hidden, _, cache = model.language_forward(embeds, positions, cache)
        return hidden, cache

    def decode():
        _, cache = prefill()
        token = embeds[:, -1:]
        return _timed(lambda: [model.language_forward(token, torch.tensor([[tokens + k]], device=device), cache)
                               for k in range(decode_tokens)], device) / decode_tokens

    hidden, _ = prefill()
    seg_hidden = hidden[:, -1]
    selected = []

    def seg_step(cache):
        logits, _ = model.mask_logits(seg_hidden, grounding)
        mask = (torch.sigmoid(logits[0].float()) > 0.5).cpu()
        positions_fed = feed_back_positions(mask, PAPER, cfg.tile_grid, cfg.tokens_per_tile_side, 0)
        fed = visual[0][positions_fed.to(device)][None]
        if fed.shape[1]:
            start = cache.get_seq_length()
            model.language_forward(fed, torch.arange(start, start + fed.shape[1], device=device)[None], cache)
        selected.append(int(fed.shape[1]))

    def seg():
        _, cache = prefill()
        return _timed(lambda: seg_step(cache), device)

    def median(measure) -> float:
        measure()  # warm-up
        return statistics.median(measure() for _ in range(repeats))

    dtype_name = str(dtype).removeprefix("torch.")
    rows = [
        (f"{config} build on {device} (random weights, {dtype_name})",
         f"{built:.1f} s, {model.num_parameters() / 1e9:.2f} B parameters"),
        (f"{config} image encoders: {cfg.tile_grid[0] * cfg.tile_grid[1]} tiles + grounding encoder",
         f"{1000 * median(lambda: _timed(encoders, device)):.1f} ms"),
        (f"{config} prefill, {tokens} positions", f"{1000 * median(lambda: _timed(prefill, device)):.1f} ms"),
        (f"{config} decode, per token on the KV cache", f"{1000 * median(decode):.2f} ms"),
        (f"{config} [SEG] step: mask decoder + selection + injection",
         f"{1000 * median(seg):.1f} ms ({selected[-1]} tokens fed back)"),
    ]
    if device.startswith("cuda"):
        rows.append((f"{config} peak GPU memory", f"{torch.cuda.max_memory_allocated() / 2**30:.1f} GiB"))
    return rows


def time_tiny(items: int, device: str = "cuda") -> list[tuple[str, str]]:
    """The default model per question on PyTorch and on ONNX Runtime, both on `device`."""
    with tempfile.TemporaryDirectory(prefix="terrascope-gpu-bench-") as tmp:
        return _time_tiny(Path(tmp), items, device)


def _time_tiny(work: Path, items: int, device: str) -> list[tuple[str, str]]:
    import onnxruntime

    from ..backends.onnx_backend import OnnxBackend, cuda_usable
    from ..backends.torch_backend import TorchBackend
    from ..bench.dataset import item_images, load_benchmark, make_benchmark
    from ..bench.evaluate import answer_item
    from ..model.loading import load_model
    from ..model.onnx_export import export_onnx
    from ..reasoning.loop import PAPER

    model, tokenizer = load_model(None)
    export_onnx(model, tokenizer, work / "onnx")
    root = make_benchmark(work / "bench", per_task=max(1, items // 6 + 1), progress=False)
    bench = load_benchmark(root)[:items]
    gpu = device.startswith("cuda")
    eager_name = f"PyTorch {device} (float32)"
    backends = {eager_name: TorchBackend(model, tokenizer, device=device, dtype=torch.float32)}
    if not gpu or cuda_usable(torch.device(device).index or 0):
        backends[f"ONNX Runtime {'CUDA' if gpu else 'CPU'} EP (float32)"] = OnnxBackend(work / "onnx", device=device)
    texts: dict[str, list[str]] = {name: [] for name in backends}
    seconds: dict[str, list[float]] = {name: [] for name in backends}
    for k, item in enumerate([bench[0], *bench]):  # the first answer warms every backend up
        images = item_images(root, item)
        for name, backend in backends.items():
            t0 = time.perf_counter()
            answer, _ = answer_item(backend, images, item.sample.question, item.sample.choices, PAPER, item.context)
            if k:
                seconds[name].append(time.perf_counter() - t0)
                texts[name].append(answer.text)
    rows = []
    eager = statistics.mean(seconds[eager_name])
    for name in backends:
        mean = statistics.mean(seconds[name])
        same = sum(a == b for a, b in zip(texts[name], texts[eager_name]))
        rows.append((f"tiny, {name}, per question", f"{1000 * mean:.1f} ms ({eager / mean:.2f}x of PyTorch; same "
                                                     f"text on {same}/{len(texts[name])})"))
    if len(backends) == 1:
        rows.append(("tiny, ONNX Runtime CUDA EP", f"not timed: onnxruntime {onnxruntime.__version__}'s CUDA "
                                                   "execution provider does not start here (make setup-gpu installs "
                                                   "onnxruntime-gpu)"))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--items", type=int, default=30, help="benchmark items for the tiny model")
    args = ap.parse_args(argv)
    if not torch.cuda.is_available():
        print("bench-gpu: no CUDA GPU on this machine (torch.cuda.is_available() is False); nothing to time.")
        return 0
    name = torch.cuda.get_device_name(0)
    rows = time_model("terrascope-8b", "cuda", torch.bfloat16, args.repeats)
    torch.cuda.empty_cache()  # the 8B model's memory back to the device before ONNX Runtime allocates
    rows += time_tiny(args.items)
    print(f"GPU: {name}, torch {torch.__version__}, CUDA {torch.version.cuda}, median of {args.repeats}")
    print("| measurement | value |")
    print("|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
