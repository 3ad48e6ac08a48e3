"""PyTorch eager against ONNX Runtime (float32, and with the int8-quantised decoder), side by side.

Every benchmark item is answered by each backend in turn (the order rotates per item, so a slow
moment of the machine costs all of them alike). Per backend it prints the time per question (the
model's time: image encoders, prefill, decode, masks and injections; raster reading excluded), the
benchmark accuracy and mask IoU, and how closely it follows eager PyTorch: the share of questions
with the very same generated text and, on those, the IoU of its masks against eager's and the
largest difference of any logit at any step.

    python -m model_runtime.bench.backends --data build/bench [--limit N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import numpy as np
import onnxruntime
import torch
from tqdm import tqdm

from ..backends.onnx_backend import OnnxBackend
from ..backends.torch_backend import TorchBackend
from ..geo.measure import iou
from ..model.loading import load_model
from ..model.onnx_export import export_onnx
from ..reasoning.loop import PAPER, greedy
from .dataset import item_images, load_benchmark
from .evaluate import answer_item, score_answer
from .scoring import summarise


def compare(backends: dict, root: Path, limit: int | None = None, progress: bool = True) -> dict:
    """Per backend: item results, and agreement with the first backend (same text; on those, mask
    IoU and the largest logit difference at any step)."""
    items = load_benchmark(root)[:limit]
    names = list(backends)
    out = {name: {"results": [], "same_text": [], "mask_iou": [], "logit_diff": 0.0} for name in names}
    for k, item in enumerate(tqdm(items, desc="backends", disable=not progress)):
        images = item_images(root, item)
        answers = {}
        for name in names[k % len(names):] + names[:k % len(names)]:
            shown = []

            def recorded(logits, generated, shown=shown):
                shown.append(logits)
                return greedy(logits, generated)

            t0 = time.perf_counter()
            answer, masks = answer_item(backends[name], images, item.sample.question, item.sample.choices, PAPER,
                                        item.context, next_token=recorded)
            seconds = time.perf_counter() - t0
            answers[name] = (answer, masks, shown)
            out[name]["results"].append(score_answer(root, item, answer, masks, seconds))
        ref_answer, ref_masks, ref_logits = answers[names[0]]
        for name in names[1:]:
            answer, masks, logits = answers[name]
            same = answer.text == ref_answer.text
            out[name]["same_text"].append(same)
            if same:  # a diverged chain grounds other phrases: its masks and logits are not comparable
                out[name]["mask_iou"] += [iou(a.mask, b.mask) for a, b in zip(masks, ref_masks)]
                out[name]["logit_diff"] = max([out[name]["logit_diff"],
                                               *(float((a - b).abs().max()) for a, b in zip(logits, ref_logits))])
    return out


def table(out: dict) -> str:
    names = list(out)
    seconds = {name: [r.seconds for r in out[name]["results"]] for name in names}
    eager = statistics.mean(seconds[names[0]])
    rows = ["| backend | ms per question (mean) | median | speed-up vs eager | accuracy | chain-stated | "
            "mean mask IoU | same text as eager | on the same text: mask IoU vs eager (mean / min) | "
            "max logit difference |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for name in names:
        o = out[name]
        s = summarise(o["results"])
        mean = statistics.mean(seconds[name])
        same = f"{100 * np.mean(o['same_text']):.1f}%" if o["same_text"] else "—"
        ious = f"{np.mean(o['mask_iou']):.4f} / {np.min(o['mask_iou']):.4f}" if o["mask_iou"] else "—"
        diff = f"{o['logit_diff']:.1e}" if o["same_text"] else "—"
        rows.append(f"| {name} | {1000 * mean:.1f} | {1000 * statistics.median(seconds[name]):.1f} | "
                    f"{eager / mean:.2f}x | {s['accuracy']:.1f}% | {s['chain_accuracy']:.1f}% | "
                    f"{s['mean_iou']:.3f} | {same} | {ious} | {diff} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("build/bench"), help="a folder made by make-bench")
    ap.add_argument("--model", type=Path, default=None, help="model folder (default: the shipped default model)")
    ap.add_argument("--onnx", type=Path, default=Path("build/onnx/default"), help="where to export it")
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)

    model, tokenizer = load_model(args.model)
    t0 = time.perf_counter()
    export_onnx(model, tokenizer, args.onnx, source=str(args.model or "default model"), quantize=True)
    exported = time.perf_counter() - t0
    backends = {"PyTorch eager": TorchBackend(model, tokenizer, device="cpu"),
                "ONNX Runtime fp32": OnnxBackend(args.onnx, device="cpu"),
                "ONNX Runtime int8 decoder": OnnxBackend(args.onnx, device="cpu", int8=True)}
    out = compare(backends, args.data, args.limit)
    items = len(out["PyTorch eager"]["results"])
    print(f"\n{model.config.name} {model.config.version}: {items} benchmark items from {args.data}, CPU, "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, torch {torch.__version__}, "
          f"onnxruntime {onnxruntime.__version__}; export with int8 took {exported:.1f} s")
    print(table(out))


if __name__ == "__main__":
    main()
