"""Training: the tiny model's own pretraining, then the paper's two stages.

- `pretrain`: every module trains (the tiny model has no pretrained weights to start from) on
  Terra-CoT chains with the ground-truth features interleaved, plus referring expressions.
- `stage1`: the mask decoder and `text_hidden_fcs` alone, on referring expression -> mask pairs.
- `stage2`: projector + mask decoder + `text_hidden_fcs` + LoRA on the LLM (merged back into the
  weights when saved); the vision and grounding encoders stay frozen.
Runs are resumable (`--resume`), seeded, logged (`run.json`, `log.jsonl`) and show progress
with the loss. CUDA with bf16 autocast is used when present; the same code runs on the CPU.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from ..model.checkpoint import save_pretrained
from ..model.loading import load_model
from ..model.tokenizer import SpecialTokens
from .bank import BankScene
from .examples import random_example, referring_example
from .forward import PAPER_LOSS, RELEASE_LOSS, LossWeights, batch_loss
from .state import load_state, save_state

LOSSES = {"paper": PAPER_LOSS, "release": RELEASE_LOSS}


@dataclass
class StageConfig:
    name: str  # "pretrain" | "stage1" | "stage2"
    minutes: float  # wall-clock budget
    lr: float
    batch: int = 16
    max_steps: int | None = None
    referring_share: float = 0.2  # share of referring-expression examples (stage1: all)
    mask_weight: float | None = None  # overrides the loss setting's lambda for this stage
    lora_rank: int = 16
    lora_alpha: int = 32
    weight_decay: float = 0.05


@dataclass
class RunConfig:
    model: str  # the model folder to start from
    out: str
    stages: list[StageConfig] = field(default_factory=list)
    loss: str = "paper"
    seed: int = 0
    text_only: bool = False  # the ablation: chains without [SEG]
    log_every: int = 25
    model_name: str | None = None  # written into the saved config
    model_version: str | None = None


def _trainable(model, stage: StageConfig) -> None:
    for p in model.parameters():
        p.requires_grad = stage.name == "pretrain"
    if stage.name == "pretrain":
        return
    heads = [model.grounding.mask_decoder, model.text_hidden_fcs, getattr(model, "direct_mask_head", None)]
    for module in filter(None, heads):
        for p in module.parameters():
            p.requires_grad = True
    if stage.name == "stage2":
        for p in model.vlm.model.multi_modal_projector.parameters():
            p.requires_grad = True


def _add_lora(model, stage: StageConfig):
    from peft import LoraConfig, inject_adapter_in_model

    config = LoraConfig(r=stage.lora_rank, lora_alpha=stage.lora_alpha, lora_dropout=0.05,
                        target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    inject_adapter_in_model(config, model.vlm.model.language_model)


def _merge_lora(model) -> None:
    """Fold every LoRA adapter into its base linear layer and remove the adapter."""
    from peft.tuners.lora import LoraLayer

    lm = model.vlm.model.language_model
    for name, module in list(lm.named_modules()):
        if isinstance(module, LoraLayer):
            module.merge()
            parent = lm.get_submodule(name.rsplit(".", 1)[0]) if "." in name else lm
            setattr(parent, name.rsplit(".", 1)[-1], module.get_base_layer())


def _examples(tokenizer, special, config, bank, rng, stage: StageConfig, text_only: bool):
    batch = []
    while len(batch) < stage.batch:
        if not text_only and (stage.name == "stage1" or rng.random() < stage.referring_share):
            ex = referring_example(tokenizer, special, config, bank[int(rng.integers(len(bank)))], rng)
        else:
            ex = random_example(tokenizer, special, config, bank, rng, text_only)
        if ex is not None:
            batch.append(ex)
    return batch


def train(run: RunConfig, bank: list[BankScene], progress: bool = True) -> Path:
    out = Path(run.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "run.json").write_text(json.dumps(asdict(run), indent=2))
    torch.manual_seed(run.seed)
    rng = np.random.default_rng(run.seed)
    model, tokenizer = load_model(Path(run.model))
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model.to(device).train()
    special = SpecialTokens.from_tokenizer(tokenizer)
    weights: LossWeights = LOSSES[run.loss]
    log = (out / "log.jsonl").open("a")
    for stage in run.stages:
        if stage.name == "stage2" and not run.text_only:
            _add_lora(model, stage)
        _trainable(model, stage)
        if stage.name == "stage2":
            for n, p in model.named_parameters():
                if "lora_" in n:
                    p.requires_grad = True
        params = [p for p in model.parameters() if p.requires_grad]
        stage_weights = LossWeights(stage.mask_weight or weights.mask, weights.dice, weights.bce)
        optimizer = torch.optim.AdamW(params, lr=stage.lr, weight_decay=stage.weight_decay)
        step, state_dir = 0, out / f"state-{stage.name}"
        if (state_dir / "state.json").is_file():
            step = load_state(state_dir, model, optimizer)["step"]
        budget = stage.minutes * 60
        t0 = time.perf_counter()
        bar = tqdm(desc=stage.name, total=stage.max_steps, disable=not progress)
        running: dict[str, float] = {}
        while (stage.max_steps is None or step < stage.max_steps) and time.perf_counter() - t0 < budget:
            frac = min((time.perf_counter() - t0) / budget, 1.0)
            for group in optimizer.param_groups:  # warm-up, then cosine decay over the time budget
                group["lr"] = stage.lr * min(1.0, (step + 1) / 50) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
            batch = _examples(tokenizer, special, model.config, bank, rng, stage, run.text_only)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                loss, stats = batch_loss(model, batch, special, stage_weights)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            step += 1
            for k, v in stats.items():
                running[k] = 0.9 * running.get(k, v) + 0.1 * v
            bar.update()
            bar.set_postfix({k: f"{v:.3f}" for k, v in running.items()})
            if step % run.log_every == 0:
                log.write(json.dumps({"stage": stage.name, "step": step, "seconds": round(time.perf_counter() - t0, 1),
                                      "lr": optimizer.param_groups[0]["lr"], **running}) + "\n")
                log.flush()
            if step % 500 == 0:
                save_state(state_dir, model, optimizer, step, {"stage": stage.name})
        bar.close()
        save_state(state_dir, model, optimizer, step, {"stage": stage.name})
        if stage.name == "stage2" and not run.text_only:
            _merge_lora(model)
    model.eval()
    model.config.name = run.model_name or model.config.name
    model.config.version = run.model_version or model.config.version
    save_pretrained(model.cpu(), tokenizer, out / "model")
    return out / "model"
