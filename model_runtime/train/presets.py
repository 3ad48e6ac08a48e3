"""Named training recipes. `default` is the shipped model's: 60 minutes on a 2-core CPU in all."""

from __future__ import annotations

from .trainer import RunConfig, StageConfig


def preset(name: str, init: str, out: str, minutes: float = 55.0, loss: str = "paper", seed: int = 0,
           model_name: str | None = None, model_version: str | None = None) -> RunConfig:
    """Stage budgets are shares of `minutes` (the scene bank takes the rest of the hour)."""
    if name == "default":
        # from scratch, masks need more weight than the paper's lambda = 0.5 (see the model card)
        stages = [StageConfig("pretrain", 0.65 * minutes, 2e-3, batch=16, referring_share=0.35, mask_weight=2.0),
                  StageConfig("stage1", 0.10 * minutes, 1e-3, batch=16),
                  StageConfig("stage2", 0.25 * minutes, 5e-4, batch=16)]
        return RunConfig(init, out, stages, loss=loss, seed=seed, model_name=model_name, model_version=model_version)
    if name == "text-only":
        stages = [StageConfig("pretrain", minutes, 1e-3, batch=16)]
        return RunConfig(init, out, stages, loss=loss, seed=seed, text_only=True, model_name=model_name,
                         model_version=model_version)
    if name == "smoke":
        stages = [StageConfig("pretrain", minutes, 1e-3, batch=4, max_steps=3),
                  StageConfig("stage1", minutes, 5e-4, batch=4, max_steps=2),
                  StageConfig("stage2", minutes, 5e-4, batch=4, max_steps=2)]
        return RunConfig(init, out, stages, loss=loss, seed=seed, log_every=1, model_name=model_name,
                         model_version=model_version)
    raise ValueError(f"unknown training preset {name!r}; known: default, text-only, smoke")
