"""Labels for real rasters: spectral indices, a land-cover map, and the shipped Landsat sample."""

from pathlib import Path

import numpy as np
import rasterio

from model_runtime.data.landcover import BUILDINGS, TREES, WATER
from model_runtime.data.real import label_from_indices, otsu, scene_from_raster
from model_runtime.data.scene import generate_scene
from model_runtime.data.scene_io import write_scene
from model_runtime.data.tasks import TASKS, NoTask
from model_runtime.geo import measure

SAMPLES = Path(__file__).resolve().parents[2] / "model_runtime" / "sample_data"


def test_index_labels_match_the_generator_on_calibrated_reflectance():
    scene = generate_scene(4, pixel_size=30.0, cloud_chance=0.0)
    bands = dict(zip(["blue", "green", "red", "nir", "swir1", "swir2"], scene.optical[0]))
    labels = label_from_indices(bands)
    truth = scene.labels[0]
    assert measure.iou(labels == WATER.id, truth == WATER.id) > 0.9
    assert measure.iou(labels == TREES.id, truth == TREES.id) > 0.5


def test_otsu_splits_two_populations():
    values = np.concatenate([np.full(500, 0.1), np.full(500, 0.9)]) + np.random.default_rng(0).normal(0, 0.02, 1000)
    threshold, separability = otsu(values)
    assert 0.2 < threshold < 0.8 and separability > 0.9


def test_the_landsat_sample_has_crs_profile_and_water():
    scene = scene_from_raster(SAMPLES / "landsat8_itaipu_rgb_30m.tif")
    assert scene.crs == "EPSG:32621" and scene.pixel_size == 30.0 and scene.meta["profile"] == "landsat8-c1-l1-rgb"
    water = scene.labels[0] == WATER.id
    assert 0.5 < water.mean() < 0.7  # the reservoir, by eye about 60% of the crop
    assert water[250, 250] and not water[20, 20]  # open water at the centre; fields at top left


def test_scene_from_a_raster_and_a_label_map(tmp_path):
    source = generate_scene(5, pixel_size=10.0)
    write_scene(source, tmp_path)
    # a land-cover product with its own codes (WorldCover-like) on the same grid
    codes = {WATER.id: 80, TREES.id: 10, BUILDINGS.id: 50}
    with rasterio.open(tmp_path / "labels_t0.tif") as src:
        profile, lab = src.profile, src.read(1)
    remapped = np.zeros_like(lab)
    for ours, theirs in codes.items():
        remapped[lab == ours] = theirs
    with rasterio.open(tmp_path / "worldcover.tif", "w", **profile) as dst:
        dst.write(remapped, 1)
    scene = scene_from_raster(tmp_path / "optical_t0.tif", labels=tmp_path / "worldcover.tif")
    assert np.array_equal(scene.labels[0] == WATER.id, lab == WATER.id)
    assert np.array_equal(scene.labels[0] == BUILDINGS.id, lab == BUILDINGS.id)
    crop = scene_from_raster(tmp_path / "optical_t0.tif", labels=tmp_path / "worldcover.tif", window=(10, 20, 64))
    assert crop.shape == (64, 64) and crop.transform.c == scene.transform.c + 10 * 10.0
    assert np.array_equal(crop.labels[0], scene.labels[0][20:84, 10:74])
    made = 0
    for task in TASKS.values():
        try:
            task(scene, np.random.default_rng(0), "optical")
            made += 1
        except NoTask:
            pass
    assert made >= 4
