"""The ONNX export and the onnx backend: parity with PyTorch on benchmark items, the int8 decoder,
the exported metadata, serving and the command line, and the errors a user can meet."""

import json

import httpx
import numpy as np
import onnx
import onnxruntime
import pytest
import torch

from model_runtime.backends.loading import open_backend
from model_runtime.backends.onnx_backend import OnnxBackend
from model_runtime.backends.torch_backend import TorchBackend
from model_runtime.bench.dataset import item_images, load_benchmark, make_benchmark
from model_runtime.cli import main
from model_runtime.geo.measure import iou
from model_runtime.model import onnx_layout as layout
from model_runtime.model.checkpoint import CheckpointError
from model_runtime.model.loading import DEFAULT_MODEL, load_model
from model_runtime.model.onnx_export import export_onnx
from model_runtime.reasoning.events import AnswerEvent, MaskEvent
from model_runtime.reasoning.loop import RELEASE, reason
from model_runtime.serve.app import Settings, create_app

from .conftest import Running, free_port

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL.is_dir(), reason="the default model is not built")
LOGIT_TOLERANCE = 1e-4  # absolute, on logits of magnitude ~10; float32 on both sides


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("onnx")
    export_onnx(*load_model(None), out, source="default model", quantize=True)
    return out


@pytest.fixture(scope="module")
def backends(exported):
    return TorchBackend(*load_model(None), device="cpu"), OnnxBackend(exported, device="cpu")


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    root = make_benchmark(tmp_path_factory.mktemp("bench"), per_task=4, progress=False)
    return root, load_benchmark(root)[:20]


def answered(backend, images, item):
    """(answer event, mask events, logits shown at every step) of a greedy answer."""
    shown = []

    def greedy(logits, generated):
        shown.append(logits.clone())
        return int(torch.argmax(logits))

    events = list(reason(backend, images, item.sample.question, item.sample.choices, next_token=greedy,
                         context=item.context))
    return events[-1], [e for e in events if isinstance(e, MaskEvent)], shown


def test_export_writes_the_graphs_with_the_models_config_and_version(exported):
    manifest = json.loads((exported / layout.MANIFEST).read_text())
    config = json.loads((exported / "config.json").read_text())
    assert manifest["name"] == "terrascope-tiny-onnx" and manifest["version"] == config["version"] == "0.1.0"
    assert manifest["graphs"] == ["vision.onnx", "grounding.onnx", "seg_projection.onnx", "mask_decoder.onnx",
                                  "decoder.onnx", "decoder.int8.onnx"]
    for graph in manifest["graphs"]:
        meta = {p.key: p.value for p in onnx.load(str(exported / graph), load_external_data=False).metadata_props}
        assert meta["terrascope.version"] == "0.1.0" and json.loads(meta["terrascope.config"]) == config
    decoder = onnx.load(str(exported / "decoder.onnx"))
    inputs = {i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in decoder.graph.input}
    assert inputs["inputs_embeds"] == [1, "sequence", 128] and inputs["attention_mask"] == [1, "total"]
    assert inputs["position_ids"] == [1, "sequence"]
    assert inputs["past_key_values.3.value"] == [1, 2, "past", 32] and len(inputs) == 3 + 2 * 4
    mask = onnx.load(str(exported / "mask_decoder.onnx"))
    assert mask.graph.input[0].name == "seg_embedding"  # the [SEG] embedding after text_hidden_fcs
    assert [d.dim_value for d in mask.graph.input[0].type.tensor_type.shape.dim] == [1, 64]


def test_same_tokens_and_masks_as_pytorch_on_twenty_benchmark_items(backends, bench):
    eager, ort = backends
    root, items = bench
    steps, worst_logit = 0, 0.0
    for item in items:
        images = item_images(root, item)
        a, masks_a, logits_a = answered(eager, images, item)
        b, masks_b, logits_b = answered(ort, images, item)
        assert b.text == a.text and b.choice == a.choice, item.id
        assert len(masks_b) == len(masks_a), item.id
        for ma, mb in zip(masks_a, masks_b):
            assert iou(ma.mask, mb.mask) > 0.99 and mb.selected_tokens == ma.selected_tokens
            assert mb.modalities == ma.modalities and abs(mb.score - ma.score) < 1e-4
        worst_logit = max([worst_logit, *(float((x - y).abs().max()) for x, y in zip(logits_a, logits_b))])
        steps += len(masks_a)
    assert steps >= 20  # the chains really went through masks and injections
    assert worst_logit < LOGIT_TOLERANCE


def test_the_cache_bookkeeping_matches_a_full_rerun(backends, bench):
    _, ort = backends
    root, items = bench
    chain = ort.tokenizer.encode("<think>The <p>water</p>[SEG] covers 29 percent; the <p>trees</p>[SEG] cover 40 "
                                 "percent.</think>", add_special_tokens=False)
    runs = []
    for use_cache in (True, False):
        shown = []

        def scripted(logits, generated, shown=shown):
            shown.append(logits.clone())
            return chain[len(generated)] if len(generated) < len(chain) else ort.special.eos

        events = list(reason(ort, item_images(root, items[0]), "What share is water?", rules=RELEASE,
                             next_token=scripted, use_cache=use_cache))
        runs.append((shown, [e.selected_tokens for e in events if isinstance(e, MaskEvent)]))
    (cached, fed), (rerun, fed_rerun) = runs
    assert fed == fed_rerun and len(fed) == 2 and sum(fed) > 0
    assert len(cached) == len(chain) + 1
    assert max(float((x - y).abs().max()) for x, y in zip(cached, rerun)) < LOGIT_TOLERANCE


def test_the_int8_decoder_stays_close_to_float32(exported, backends, bench):
    _, ort = backends
    int8 = OnnxBackend(exported, device="cpu", int8=True)
    assert int8.info()["dtype"] == "float32, int8 decoder" and int8.info()["name"] == "terrascope-tiny-onnx-int8"
    root, items = bench
    same, ious = 0, []
    for item in items:
        images = item_images(root, item)
        a, masks_a, _ = answered(ort, images, item)
        b, masks_b, _ = answered(int8, images, item)
        if a.text == b.text:  # masks of the same chain; a diverged chain grounds other phrases
            same += 1
            ious += [iou(x.mask, y.mask) for x, y in zip(masks_a, masks_b)]
        assert isinstance(b, AnswerEvent) and b.tokens > 0
    assert same >= 0.7 * len(items) and np.mean(ious) > 0.97


def test_open_backend_picks_by_folder_and_reports_the_provider(exported):
    backend = open_backend(exported)
    assert backend.info()["backend"] == "onnx" and backend.info()["provider"] in onnxruntime.get_available_providers()
    assert open_backend(None, device="cpu").info()["backend"] == "torch"


def test_bad_folders_and_devices_get_specific_errors(exported, tmp_path):
    with pytest.raises(ValueError, match="none of the served models is one"):
        create_app(Settings(models=[DEFAULT_MODEL], int8=True, workdir=tmp_path))
    with pytest.raises(ValueError, match="needs a folder written by export-onnx"):
        open_backend(None, int8=True)
    for device in ("tpu", "cuda:x"):
        with pytest.raises(ValueError, match=f"unknown device '{device}'"):
            OnnxBackend(exported, device=device)
    if "CUDAExecutionProvider" not in onnxruntime.get_available_providers():
        with pytest.raises(ValueError, match="install onnxruntime-gpu"):
            OnnxBackend(exported, device="cuda")
    partial = tmp_path / "partial"
    partial.mkdir()
    for f in exported.iterdir():
        if f.name not in ("decoder.onnx", "decoder.int8.onnx"):
            (partial / f.name).write_bytes(f.read_bytes())
    with pytest.raises(CheckpointError, match="lacks decoder.onnx"):
        OnnxBackend(partial)
    with pytest.raises(CheckpointError, match="export with --int8"):
        OnnxBackend(partial, int8=True)
    manifest = json.loads((partial / layout.MANIFEST).read_text())
    for broken in ({**manifest, "format": 99}, {**manifest, "decoder": {}}, "not json"):
        (partial / layout.MANIFEST).write_text(broken if isinstance(broken, str) else json.dumps(broken))
        with pytest.raises(CheckpointError, match="export the model again"):
            OnnxBackend(partial)


def test_a_server_with_both_backends_gives_the_same_answer(exported, bench, tmp_path):
    root, items = bench
    optical = root / items[0].scene / "optical_t0.tif"
    settings = Settings(port=free_port(), allowed_roots=[root], models=[exported, DEFAULT_MODEL], workdir=tmp_path)
    with Running(settings) as server:
        health = httpx.get(f"{server.url}/v1/health").json()
        assert health["backend"] == "onnx" and health["model"] == "terrascope-tiny-onnx"
        assert health["provider"] == "CPUExecutionProvider" and health["device"] == "cpu"
        models = {m["name"]: m["backend"] for m in httpx.get(f"{server.url}/v1/models").json()}
        assert models == {"terrascope-tiny-onnx": "onnx", "terrascope-tiny": "torch"}
        answers = []
        for model in ("terrascope-tiny-onnx", "terrascope-tiny"):
            payload = {"optical": str(optical), "question": "What share of this area is water?", "model": model}
            answers.append(httpx.post(f"{server.url}/v1/reason/sync", json=payload, timeout=300).json())
    ort, eager = answers
    assert ort["model"]["backend"] == "onnx" and eager["model"]["backend"] == "torch"
    assert ort["transcript"] == eager["transcript"] and ort["answer"] == eager["answer"]
    assert [m["area_m2"] for m in ort["masks"]] == pytest.approx([m["area_m2"] for m in eager["masks"]], rel=0.01)


def test_command_line_export_and_ask(bench, tmp_path, capsys):
    root, items = bench
    out = tmp_path / "exported"
    assert main(["export-onnx", "--out", str(out), "--int8"]) == 0
    assert "decoder.int8.onnx" in capsys.readouterr().out
    optical = root / items[0].scene / "optical_t0.tif"
    assert main(["ask", "--optical", str(optical), "--question", "What share of this area is water?",
                 "--model", str(out), "--int8", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["model"]["backend"] == "onnx" and result["model"]["dtype"] == "float32, int8 decoder"
    assert main(["ask", "--optical", str(optical), "--question", "?", "--int8"]) == 2
    assert "needs a folder written by export-onnx" in capsys.readouterr().err
    assert main(["bench", "--data", str(root), "--model", str(out), "--int8", "--limit", "3", "--compare",
                 f"eager={DEFAULT_MODEL}", "--out", str(tmp_path / "report"), "--quiet"]) == 0
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    assert report["model"]["name"] == "terrascope-tiny-onnx-int8"
    assert set(report["runs"]) == {"full", "eager"} and report["runs"]["eager"]["items"] == 3
