"""The scene generator's ground truth against independent computations."""

import json

import numpy as np
import pytest
import rasterio
from rasterio import features

from model_runtime.data.landcover import BUILDINGS, BY_ID, CROPLAND, WATER
from model_runtime.data.scene import generate_scene
from model_runtime.data.scene_io import write_scene
from model_runtime.geo import measure


@pytest.fixture(scope="module")
def series():
    return generate_scene(1, dates=3, pixel_size=10.0)


def test_scenes_are_reproducible_and_georeferenced():
    a, b = generate_scene(7, dates=2), generate_scene(7, dates=2)
    assert all(np.array_equal(x, y) for x, y in zip(a.labels + a.optical + [a.sar], b.labels + b.optical + [b.sar]))
    assert not np.array_equal(a.optical[0], generate_scene(8, dates=2).optical[0])
    assert a.crs.startswith("EPSG:326") and a.pixel_size in (10.0, 30.0)
    assert a.transform.e == -a.transform.a  # north-up square pixels


def test_geotiffs_carry_crs_geometry_and_class_areas(tmp_path, series):
    write_scene(series, tmp_path)
    with rasterio.open(tmp_path / "labels_t0.tif") as src:
        labels, transform, crs = src.read(1), src.transform, src.crs
        assert crs.is_projected and crs.to_epsg() == int(series.crs.split(":")[1])
        assert src.res == (10.0, 10.0)
    for cid in np.unique(labels):
        # independent: polygonise the class and sum the polygons' shoelace areas
        polys = [geom for geom, v in features.shapes(labels, mask=labels == cid, transform=transform) if v == cid]
        shoelace = sum(_polygon_area(p) for p in polys)
        assert shoelace == pytest.approx(measure.area_m2(labels == cid, transform), rel=1e-9)
    with rasterio.open(tmp_path / "optical_t0.tif") as src:
        assert src.count == 6 and src.dtypes[0] == "uint16" and src.descriptions[3].startswith("nir")
    assert json.loads((tmp_path / "scene.json").read_text())["dates"] == series.dates


def _polygon_area(geom) -> float:
    def ring(coords):
        x, y = np.asarray(coords).T
        return 0.5 * (np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))

    rings = geom["coordinates"]
    return abs(ring(rings[0])) - sum(abs(ring(r)) for r in rings[1:])


def test_spectra_follow_the_classes(series):
    refl, lab = series.optical[0], series.labels[0]
    clear = ~series.clouds[0]
    nir, red, green = refl[3], refl[2], refl[1]
    water = (lab == WATER.id) & clear
    assert water.any()
    assert np.median(green[water] - nir[water]) > 0  # NDWI > 0 on water
    crops = (lab == CROPLAND.id) & clear
    if crops.any():
        assert np.median((nir[crops] - red[crops]) / (nir[crops] + red[crops])) > 0.3 or series.dates[0][5:7] in (
            "10", "11", "12", "01", "02", "03")


def test_sar_sees_water_through_clouds():
    scene = next(s for s in (generate_scene(k, cloud_chance=1.0) for k in range(50))
                 if ((s.labels[0] == WATER.id) & s.clouds[0]).any())
    under_cloud = (scene.labels[0] == WATER.id) & scene.clouds[0]
    assert np.median(scene.optical[0][3][under_cloud]) > 0.3  # optical sees the cloud
    assert np.median(scene.sar[0][under_cloud]) < -15  # SAR still sees dark water (VV dB)
    built = scene.labels[0] == BUILDINGS.id
    if built.any():
        assert np.median(scene.sar[0][built]) > np.median(scene.sar[0][under_cloud]) + 10


def test_buildings_change_across_the_series(series):
    ids = [set(np.unique(b)) - {0} for b in series.buildings]
    appeared = ids[-1] - ids[0]
    assert appeared or ids[0] - ids[-1]
    new_mask = measure.new_objects(series.labels[0] == BUILDINGS.id, series.labels[-1] == BUILDINGS.id)
    assert measure.count_objects(new_mask) == len(appeared)
    for lab, b in zip(series.labels, series.buildings):
        # counts: connected building regions = building instances (they never touch)
        assert measure.count_objects(lab == BUILDINGS.id) == len(np.unique(b)) - 1
        assert np.array_equal(lab == BUILDINGS.id, b > 0)


def test_distances_and_boundaries_against_brute_force():
    a = np.zeros((12, 12), bool)
    b = np.zeros((12, 12), bool)
    a[2:4, 2:4] = True
    b[2:4, 7:9] = True  # three empty columns between
    pa, pb = np.argwhere(a), np.argwhere(b)
    brute = min(np.hypot(*(p - q)) for p in pa for q in pb)
    assert measure.gap_m(a, b, 30.0) == (brute - 1) * 30.0 == 90.0
    b[2:4, 4:6] = True  # now touching along two pixel edges
    assert measure.gap_m(a, b, 30.0) == 0.0
    edges = sum(1 for y, x in np.argwhere(a) for dy, dx in ((0, 1), (1, 0), (0, -1), (-1, 0))
                if 0 <= y + dy < 12 and 0 <= x + dx < 12 and b[y + dy, x + dx])
    assert measure.shared_boundary_m(a, b, 30.0) == edges * 30.0 == 60.0
    assert measure.contains(np.pad(np.ones((3, 3), bool), 1) ^ np.pad(np.pad([[True]], 1), 1),
                            np.pad(np.pad([[True]], 1), 1))


def test_class_names_are_unique():
    assert len({c.name for c in BY_ID.values()}) == len(BY_ID)
