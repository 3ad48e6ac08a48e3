"""The HTTP API on a real server on loopback, with the default model and real GeoTIFFs."""

import json
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import numpy as np
import pytest
import rasterio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasterio import features
from rasterio.crs import CRS
from rasterio.warp import Resampling, calculate_default_transform, reproject, transform_geom

from model_runtime.data.landcover import WATER
from model_runtime.data.scene import generate_scene
from model_runtime.data.scene_io import write_scene
from model_runtime.model.loading import DEFAULT_MODEL
from model_runtime.serve.app import Settings, create_app

from .conftest import Running, free_port

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL.is_dir(), reason="the default model is not built")
QUESTION = "What share of this area is water?"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """A UTM optical series of three dates, its SAR image in EPSG:4326 at ~15 m, a large scene."""
    folder = tmp_path_factory.mktemp("allowed")
    scene = next(s for s in (generate_scene(k, dates=3, pixel_size=10.0, cloud_chance=0.0) for k in range(30))
                 if 0.1 < (s.labels[0] == WATER.id).mean() < 0.5)
    write_scene(scene, folder)
    with rasterio.open(folder / "sar.tif") as src:
        t, w, h = calculate_default_transform(src.crs, "EPSG:4326", src.width, src.height, *src.bounds,
                                              resolution=0.00015)
        profile = {**src.profile, "crs": CRS.from_epsg(4326), "transform": t, "width": w, "height": h,
                   "nodata": -9999.0}
        with rasterio.open(folder / "sar_4326.tif", "w", **profile) as dst:
            for b in (1, 2):
                reproject(rasterio.band(src, b), rasterio.band(dst, b), dst_nodata=-9999.0,
                          resampling=Resampling.bilinear)
    big = generate_scene(99, size=512, pixel_size=10.0)
    write_scene(big, folder / "big", sar=False)
    return folder, scene


@pytest.fixture(scope="module")
def server(data, tmp_path_factory):
    folder, _ = data
    settings = Settings(port=free_port(), allowed_roots=[folder], queue_size=2,
                        workdir=tmp_path_factory.mktemp("work"), max_upload_bytes=2 * 2**20)
    with Running(settings) as running:
        yield running


def body(folder, **extra):
    return {"optical": str(folder / "optical_t0.tif"), "question": QUESTION, "max_new_tokens": 96, **extra}


def stream(url, payload, headers=None):
    events = []
    with httpx.stream("POST", f"{url}/v1/reason", json=payload, headers=headers, timeout=300) as r:
        assert r.status_code == 200, r.read()
        for line in r.iter_lines():
            if line:
                events.append(json.loads(line))
    return events


def test_health_models_and_openapi(server):
    health = httpx.get(f"{server.url}/v1/health").json()
    assert health["status"] == "ok" and health["device"] == "cpu" and health["backend"] == "torch"
    assert health["queue_depth"] == 0 and health["gpu_available"] is False
    models = httpx.get(f"{server.url}/v1/models").json()
    assert models[0]["name"] == health["model"] and models[0]["loaded"]
    spec = httpx.get(f"{server.url}/openapi.json").json()
    assert {"/v1/reason", "/v1/reason/sync", "/v1/health", "/v1/models", "/v1/uploads"} <= set(spec["paths"])


def test_masks_land_on_the_ground(server, data):
    """UTM optical + SAR in EPSG:4326: each mask's polygons (EPSG:4326) come back to its GeoTIFF's pixels."""
    folder, scene = data
    t = scene.transform
    bounds = rasterio.warp.transform_bounds(scene.crs, "EPSG:4326", t.c, t.f - 128 * 10, t.c + 128 * 10, t.f)
    events = stream(server.url, body(folder, sar=str(folder / "sar_4326.tif"), mask_format="geotiff_path",
                                     aoi={"bbox": list(bounds), "crs": "EPSG:4326"}))
    kinds = [e["type"] for e in events]
    assert kinds[0] == "start" and kinds[-1] == "answer" and "text" in kinds
    start = events[0]
    assert start["crs"] == scene.crs and [i["modality"] for i in start["inputs"]] == ["optical", "sar"]
    masks = [e for e in events if e["type"] == "mask"]
    assert masks, "the default model grounds this question"
    for m in masks:
        assert m["crs"] == "EPSG:4326"
        with rasterio.open(m["mask_tiff"]) as src:
            pixels, mt = src.read(1).astype(bool), src.transform
            assert src.crs == CRS.from_user_input(scene.crs) and src.res == (10.0, 10.0)
        # the AOI was snapped to the optical grid: the mask's grid is the optical grid
        assert ((mt.c - t.c) / 10) % 1 == 0 and ((t.f - mt.f) / 10) % 1 == 0
        assert m["pixels"] == pixels.sum() and m["area_m2"] == pixels.sum() * 100.0
        if pixels.any():
            back = transform_geom("EPSG:4326", scene.crs, m["geometry"])
            burned = features.rasterize([back], out_shape=pixels.shape, transform=mt) > 0
            assert (burned == pixels).mean() > 0.99
    water = [m for m in masks if m["phrase"] == "water"]
    if water:  # the grounded water lies on the scene's water (the model's quality, loosely)
        with rasterio.open(water[0]["mask_tiff"]) as src:
            row, col = int((t.f - src.transform.f) / 10), int((src.transform.c - t.c) / 10)
            pred = src.read(1).astype(bool)
        truth = scene.labels[0][row:row + pred.shape[0], col:col + pred.shape[1]] == WATER.id
        assert (pred & truth).sum() >= 0.5 * pred.sum()
    answer = events[-1]
    assert answer["steps"] and answer["timings"]["total_s"] > 0


def test_series_and_the_sync_variant_agree(server, data):
    folder, scene = data
    payload = body(folder, question="How many buildings appeared between the first and the last image?",
                   optical_date=scene.dates[0],
                   series=[{"path": str(folder / f"optical_t{i}.tif"), "date": d} for i, d in
                           enumerate(scene.dates[1:], 1)])
    events = stream(server.url, payload)
    assert [i["date"] for i in events[0]["inputs"]] == scene.dates
    sync = httpx.post(f"{server.url}/v1/reason/sync", json=payload, timeout=300).json()
    assert sync["answer"] == events[-1]["answer"] and sync["choice"] == events[-1]["choice"]
    assert len(sync["masks"]) == len([e for e in events if e["type"] == "mask"])


def test_uploads(server, data):
    folder, _ = data
    up = httpx.post(f"{server.url}/v1/uploads", files={"file": ("a.tif", (folder / "optical_t0.tif").read_bytes())})
    assert up.status_code == 200 and up.json()["count"] == 6
    events = stream(server.url, {"optical": up.json()["id"], "question": QUESTION, "max_new_tokens": 32})
    assert events[-1]["type"] == "answer"
    bad = httpx.post(f"{server.url}/v1/uploads", files={"file": ("x.tif", b"not a raster")})
    assert bad.status_code == 422 and "not a raster" in bad.json()["error"]
    huge = httpx.post(f"{server.url}/v1/uploads", files={"file": ("h.tif", b"\0" * (3 * 2**20))})
    assert huge.status_code == 413


@pytest.fixture(scope="module")
def bad_files(data):
    folder, _ = data
    (folder / "corrupt.tif").write_bytes(b"II*\x00 this is not a GeoTIFF")
    with rasterio.open(folder / "optical_t0.tif") as src:
        raw, profile, tags = src.read(), src.profile, src.tags()
    with rasterio.open(folder / "nocrs.tif", "w", **{**profile, "crs": None}) as dst:
        dst.write(raw)
        dst.update_tags(**tags)
    with rasterio.open(folder / "allnodata.tif", "w", **profile) as dst:
        dst.write(np.zeros_like(raw))
        dst.update_tags(**tags)
    return folder


@pytest.mark.parametrize("change,status,words", [
    ({"optical": "{f}/missing.tif"}, 404, "does not exist"),
    ({"optical": "{f}/corrupt.tif"}, 422, "cannot be read as a raster"),
    ({"optical": "{f}/nocrs.tif"}, 422, "no coordinate reference system"),
    ({"aoi": {"bbox": [100.0, 10.0, 100.1, 10.1], "crs": "EPSG:4326"}}, 422, "does not overlap"),
    ({"optical_profile": "sentinel2-l2a"}, 422, "needs 12"),
    ({"optical": "{f}/allnodata.tif"}, 422, "only nodata"),
    ({"optical": "{f}/big/optical_t0.tif", "max_new_tokens": 8, "_max_pixels": True}, 413, "at most"),
    ({"model": "no-such-model"}, 404, "unknown model"),
    ({"optical": "/etc/passwd"}, 403, "outside the folders"),
    ({"sar": "{f}/../../etc/hostname"}, 403, "outside the folders"),
    ({"question": ""}, 422, "question"),
    ({"rules": "telepathy"}, 422, "rules"),
    ({"unexpected": 1}, 422, "unexpected"),
])
def test_bad_input_gets_a_specific_4xx_and_the_server_keeps_serving(server, bad_files, change, status, words):
    payload = body(bad_files, **{k: (v.format(f=bad_files) if isinstance(v, str) else v)
                                 for k, v in change.items() if not k.startswith("_")})
    if "_max_pixels" in change:
        server.app.state.settings.max_pixels = 100_000
    try:
        r = httpx.post(f"{server.url}/v1/reason", json=payload, timeout=60)
    finally:
        server.app.state.settings.max_pixels = 4096 * 4096
    assert r.status_code == status, r.text
    assert words in r.json()["error"]
    assert httpx.get(f"{server.url}/v1/health").status_code == 200


def test_malformed_json_and_oversized_bodies(server):
    r = httpx.post(f"{server.url}/v1/reason", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "not valid" in r.json()["error"]
    r = httpx.post(f"{server.url}/v1/reason", content=b"x" * (2 * 2**20), headers={"content-type": "application/json"})
    assert r.status_code == 413


SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(
    max_size=30)
VALUES = st.recursive(SCALARS, lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
                      max_leaves=8)
FIELDS = ["optical", "question", "choices", "aoi", "sar", "series", "model", "rules", "mask_format", "max_new_tokens",
          "optical_profile", "junk"]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.dictionaries(st.sampled_from(FIELDS), VALUES))
def test_fuzzed_requests_never_cause_a_5xx(server, payload):
    r = httpx.post(f"{server.url}/v1/reason/sync", json={"max_new_tokens": 8, **payload}, timeout=120)
    assert r.status_code < 500, r.text


def test_eight_concurrent_clients_are_answered_or_told_to_retry(server, data):
    folder, _ = data

    def client(_):
        with httpx.stream("POST", f"{server.url}/v1/reason", json=body(folder, max_new_tokens=48), timeout=300) as r:
            if r.status_code == 429:
                return "429" if int(r.headers["retry-after"]) >= 1 else "bad retry"
            lines = [json.loads(x) for x in r.iter_lines() if x]
            return "answered" if lines[-1]["type"] == "answer" else "incomplete"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(client, range(8)))
    assert set(outcomes) <= {"answered", "429"} and outcomes.count("answered") >= 3  # 1 running + 2 queued
    assert server.app.state.admission.admitted == 0


def test_a_client_that_goes_away_cancels_its_generation(server, data):
    folder, _ = data
    admission = server.app.state.admission
    payload = {"optical": str(folder / "big" / "optical_t0.tif"), "question": QUESTION, "max_new_tokens": 200}
    with httpx.stream("POST", f"{server.url}/v1/reason", json=payload, timeout=60) as r:
        first = next(r.iter_lines())
        assert json.loads(first)["type"] == "start" and json.loads(first)["tiles"] == 16
    t0 = time.time()
    while admission.admitted and time.time() - t0 < 20:
        time.sleep(0.1)
    assert admission.admitted == 0  # sixteen tiles of 200 tokens take far longer than this


def test_tokens(data, tmp_path):
    folder, _ = data
    with pytest.raises(ValueError, match="requires a token"):
        create_app(Settings(host="0.0.0.0", allowed_roots=[folder]))
    settings = Settings(port=free_port(), token="s3cret", allowed_roots=[folder], workdir=tmp_path)
    with Running(settings) as running:
        assert httpx.get(f"{running.url}/v1/health").status_code == 401
        assert httpx.get(f"{running.url}/v1/health", headers={"Authorization": "Bearer nope"}).status_code == 401
        ok = httpx.get(f"{running.url}/v1/health", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
        r = httpx.post(f"{running.url}/v1/reason", json=body(folder))
        assert r.status_code == 401 and "token" in r.json()["error"]
