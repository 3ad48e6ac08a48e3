"""Training: the interleaved teacher-forced sequence, the three stages, LoRA merged, resuming."""

import json

import numpy as np
import pytest
import torch
from safetensors import safe_open

from model_runtime.model.checkpoint import load_pretrained, save_pretrained
from model_runtime.model.tokenizer import SpecialTokens
from model_runtime.train.bank import synthetic_bank
from model_runtime.train.examples import random_example, strip_grounding
from model_runtime.train.forward import IGNORE, PAPER_LOSS, _sequence, batch_loss
from model_runtime.train.trainer import RunConfig, StageConfig, train


@pytest.fixture(scope="module")
def bank():
    return synthetic_bank(6, progress=False)


def test_fed_back_features_are_never_targets(model, tokenizer, bank):
    special = SpecialTokens.from_tokenizer(tokenizer)
    rng = np.random.default_rng(3)
    ex = next(e for e in (random_example(tokenizer, special, model.config, bank, rng) for _ in range(50))
              if any(len(p) for p in e.inject))
    with torch.no_grad():
        visual = model.visual_tokens(ex.images)
        embeds, labels, segs = _sequence(model, ex, visual, special)
    injected = sum(len(p) for p in ex.inject)
    assert len(labels) == len(ex.prompt.ids) + len(ex.chain) + injected == embeds.shape[0]
    assert len(segs) == ex.chain.count(special.seg) == len(ex.masks)
    # every chain token is predicted exactly once; nothing predicts a fed-back feature
    targets = [int(t) for t in labels if t != IGNORE]
    assert targets == ex.chain
    for pos in segs:
        k = segs.index(pos)
        if len(ex.inject[k]):
            assert labels[pos] == IGNORE  # [SEG] does not predict the feature after it
            assert labels[pos + len(ex.inject[k])] != IGNORE  # the last fed-back one predicts the text
    loss, stats = batch_loss(model, [ex], special, PAPER_LOSS)
    assert torch.isfinite(loss) and {"lm", "bce", "dice", "iou"} <= set(stats)


def test_text_only_chains_keep_the_words_and_drop_the_grounding():
    chain = "<think>The <p>water</p>[SEG] covers 29 percent.</think><answer>B</answer>"
    assert strip_grounding(chain) == "<think>The water covers 29 percent.</think><answer>B</answer>"


def test_stages_run_merge_lora_and_resume(model, tokenizer, bank, tmp_path):
    save_pretrained(model, tokenizer, tmp_path / "init")
    stages = [StageConfig("pretrain", 5, 1e-3, batch=2, max_steps=2), StageConfig("stage1", 5, 1e-3, batch=2,
              max_steps=1), StageConfig("stage2", 5, 1e-3, batch=2, max_steps=1)]
    run = RunConfig(str(tmp_path / "init"), str(tmp_path / "run"), stages, log_every=1, model_name="smoke",
                    model_version="9.9")
    folder = train(run, bank, progress=False)
    trained, _ = load_pretrained(folder)
    assert trained.config.name == "smoke" and trained.config.version == "9.9"
    with safe_open(str(folder / "model.safetensors"), "pt") as f:
        assert not any("lora" in k for k in f.keys())  # LoRA merged into the weights
    before = model.state_dict()
    changed = [k for k, v in trained.state_dict().items() if not torch.equal(v, before[k])]
    assert any(k.startswith("vlm.model.language_model.layers") for k in changed)  # the merged LoRA moved the LLM
    log = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    assert [e["stage"] for e in log] == ["pretrain", "pretrain", "stage1", "stage2"]
    assert json.loads((tmp_path / "run" / "run.json").read_text())["stages"][0]["max_steps"] == 2
    # resume: the same run with a longer pretraining continues from step 2
    run.stages = [StageConfig("pretrain", 5, 1e-3, batch=2, max_steps=3)]
    train(run, bank, progress=False)
    log = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    assert [e["step"] for e in log[4:]] == [3]
