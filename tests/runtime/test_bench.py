"""The benchmark: held-out generation, scoring on hand-made predictions, end-to-end runs."""

import io
import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from PIL import Image
from rasterio.transform import from_origin

from model_runtime.backends.torch_backend import TorchBackend
from model_runtime.bench.dataset import load_benchmark, make_benchmark
from model_runtime.bench.evaluate import run_items, run_parquet
from model_runtime.bench.report import write_report
from model_runtime.bench.scoring import ItemResult, mask_ious, measured_value, nearest_choice, summarise
from model_runtime.data import seeds
from model_runtime.data.tasks import BENCH_TASKS
from model_runtime.reasoning.loop import PAPER


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    return make_benchmark(tmp_path_factory.mktemp("bench"), per_task=3, progress=False)


def test_benchmark_is_reproducible_held_out_and_balanced(bench, tmp_path):
    items = load_benchmark(bench)
    assert [i.sample.task for i in items].count("coverage") == 3 and {i.sample.task for i in items} == set(BENCH_TASKS)
    again = make_benchmark(tmp_path, per_task=3, progress=False)
    assert (again / "items.jsonl").read_text() == (bench / "items.jsonl").read_text()
    seeds.check_disjoint()
    assert all(i.seed in seeds.BENCH_SEEDS and i.seed not in seeds.TRAIN_SEEDS for i in items)
    assert {i.sample.variant for i in items} >= {"optical", "joint", "temporal"}


def test_scorer_on_hand_made_predictions():
    results = [
        ItemResult("a", "coverage", "optical", True, "A", "A", [1.0], True),
        ItemResult("b", "coverage", "sar", False, "B", "B", [0.5], True),
        ItemResult("c", "area", "optical", False, None, "", [0.0, 0.25], False),
        ItemResult("d", "area", "joint", True, "C", "C", [0.75], None),
    ]
    s = summarise(results)
    assert s["accuracy"] == 50.0 and s["task_average"] == 50.0
    assert s["per_task"]["coverage"]["accuracy"] == 50.0
    assert s["per_task"]["coverage"]["mask_measured_accuracy"] == 100.0
    assert s["per_task"]["area"]["mask_measured_accuracy"] == 0.0
    assert s["mean_iou"] == pytest.approx((1.0 + 0.5 + 0.0 + 0.25 + 0.75) / 5)
    assert s["mean_iou_correct"] == pytest.approx((1.0 + 0.75) / 2)
    assert s["mean_iou_wrong"] == pytest.approx((0.5 + 0.0 + 0.25) / 3)
    assert s["per_variant"] == {"joint": 100.0, "optical": 50.0, "sar": 0.0}


def test_mask_ious_and_the_mask_measured_answer():
    a = np.zeros((10, 10), bool)
    a[:5] = True
    b = np.zeros((10, 10), bool)
    b[:, :5] = True
    assert mask_ious([a], [a, b]) == [1.0, 0.0]  # a missing second mask scores 0
    assert mask_ious([a, b], [b, b]) == [pytest.approx(25 / 75), 1.0]
    # masks pair with the reference of the same phrase, wherever the chain names them
    assert mask_ious([b, a], [a, b], ["y", "x"], ["x", "y"]) == [1.0, 1.0]
    assert mask_ious([b], [a, b], ["y"], ["x", "y"]) == [0.0, 1.0]
    t = from_origin(0, 0, 30, 30)
    assert measured_value("coverage", [a], t, "%") == 50.0
    assert nearest_choice("coverage", 50.0, ["10%", "47%", "80%", "95%"]) == "B"
    assert measured_value("area", [a], t, "km2") == 0.04  # 50 px x 900 m2
    assert nearest_choice("boundary", measured_value("boundary", [a, ~a], t, None), ["Yes", "No"]) == "A"
    y, z = np.zeros_like(a), np.zeros_like(a)
    y[5:7], z[7:10] = True, True  # 20 and 30 pixels against the 50 of a
    ranking = measured_value("comparison", [a, y, z], t, None)
    assert nearest_choice("comparison", ranking, ["x > y > z", "x > z > y"], ["x", "y", "z"]) == "B"


def test_bench_runs_end_to_end_with_any_weights(bench, model, tokenizer, tmp_path):
    backend = TorchBackend(model, tokenizer, device="cpu")
    results = run_items(backend, bench, PAPER, "full", limit=6, progress=False)
    assert len(results) == 6 and all(len(r.ious) >= 1 for r in results)
    runs = {"full": summarise(results), "text-only": summarise(run_items(backend, bench, PAPER, "text-only",
                                                                         limit=6, progress=False))}
    out = write_report(runs, tmp_path / "report", "test")
    md = (out / "report.md").read_text()
    assert "Coverage Analysis" in md and "73.2" in md  # the paper's number beside ours
    assert json.loads((out / "report.json").read_text())["runs"]["full"]["items"] == 6
    assert (out / "report.png").read_bytes()[:4] == b"\x89PNG"


def test_public_parquet_format(model, tokenizer, tmp_path):
    buf = io.BytesIO()
    Image.fromarray(np.full((64, 64, 3), 120, np.uint8)).save(buf, format="PNG")
    rows = [{"image": {"bytes": buf.getvalue(), "path": None}, "task_type": t, "question": "What share is water?",
             "candidates": ["10%", "20%", "30%", "40%"], "gt_answer": g}
            for t, g in [("Coverage Analysis", "A"), ("Coverage Analysis", "20%"), ("Distance Measurement", "D")]]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "bench.parquet")
    backend = TorchBackend(model, tokenizer, device="cpu")
    results = run_parquet(backend, tmp_path / "bench.parquet", PAPER, progress=False)
    assert [r.task for r in results] == ["Coverage Analysis", "Coverage Analysis", "Distance Measurement"]
    assert summarise(results)["per_task"]["Coverage Analysis"]["items"] == 2
