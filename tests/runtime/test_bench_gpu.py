"""`make bench-gpu`: its script exits cleanly without a GPU, and its timing code runs (on the CPU here)."""

import torch

from model_runtime.bench import gpu


def test_without_a_gpu_it_says_so_and_exits_cleanly(capsys, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert gpu.main([]) == 0
    assert "no CUDA GPU" in capsys.readouterr().out


def test_the_timing_code_runs_on_a_small_configuration():
    rows = dict(gpu.time_model("tiny", "cpu", torch.bfloat16, repeats=1, question_tokens=8, decode_tokens=4))
    assert rows["tiny prefill, 72 positions"].endswith(" ms")
    assert "tokens fed back" in rows["tiny [SEG] step: mask decoder + selection + injection"]
    tiny = dict(gpu.time_tiny(items=4, device="cpu"))
    assert "same text on 4/4" in tiny["tiny, ONNX Runtime CPU EP (float32), per question"]
