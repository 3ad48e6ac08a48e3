"""Raster intake: warped views onto the optical grid, AOIs, tiling and stitching, bad rasters."""

import numpy as np
import pytest
import rasterio
from rasterio.crs import CRS
from rasterio.warp import Resampling, calculate_default_transform, reproject, transform

from model_runtime.data.landcover import WATER
from model_runtime.data.scene import generate_scene
from model_runtime.data.scene_io import write_scene
from model_runtime.geo.intake import AOI, IntakeError, SeriesItem, stitch, take
from model_runtime.geo.vectorize import mask_polygons


@pytest.fixture(scope="module")
def rasters(tmp_path_factory):
    """A UTM optical series of three dates and its SAR image reprojected to EPSG:4326 at ~15 m."""
    folder = tmp_path_factory.mktemp("rasters")
    scene = next(s for s in (generate_scene(k, dates=3, pixel_size=10.0) for k in range(20))
                 if (s.labels[0] == WATER.id).mean() > 0.05)
    write_scene(scene, folder)
    with rasterio.open(folder / "sar.tif") as src:
        dst_crs = CRS.from_epsg(4326)
        t, w, h = calculate_default_transform(src.crs, dst_crs, src.width, src.height, *src.bounds, resolution=0.00015)
        profile = {**src.profile, "crs": dst_crs, "transform": t, "width": w, "height": h, "nodata": -9999.0}
        with rasterio.open(folder / "sar_4326.tif", "w", **profile) as dst:
            for b in (1, 2):
                reproject(rasterio.band(src, b), rasterio.band(dst, b), dst_nodata=-9999.0,
                          resampling=Resampling.bilinear)
    return folder, scene


def test_sar_in_another_crs_lands_on_the_optical_grid(rasters):
    folder, scene = rasters
    intake = take(folder / "optical_t0.tif", sar=folder / "sar_4326.tif")
    assert intake.grid.crs == CRS.from_user_input(scene.crs) and intake.grid.pixel_size == 10.0
    assert intake.modalities == ["optical", "sar"] and intake.profiles[1] == "sentinel1-db"
    sar_vv = intake.tiles[0].images[1][0]  # VV scaled to [0, 1]
    water = scene.labels[0] == WATER.id
    inner = np.zeros_like(water)
    inner[4:-4, 4:-4] = True  # away from the reprojected edge
    assert sar_vv[water & inner].mean() < sar_vv[~water & inner].mean() - 0.2  # the dark water is where it was


def test_series_and_the_aoi_window(rasters):
    folder, scene = rasters
    series = [SeriesItem(folder / f"optical_t{i}.tif", d) for i, d in enumerate(scene.dates)]
    t = scene.transform
    # an AOI given in EPSG:4326 around pixels 20..84 x 30..94 of the UTM grid
    xs, ys = transform(scene.crs, "EPSG:4326", [t.c + 30 * 10 + 1, t.c + 94 * 10 - 1],
                       [t.f - 84 * 10 + 1, t.f - 20 * 10 - 1])
    intake = take(series[0].path, series=series, aoi=AOI((xs[0], ys[0], xs[1], ys[1]), "EPSG:4326"))
    g = intake.grid
    assert intake.labels == scene.dates and len(intake.tiles[0].images) == 3
    assert (g.transform.c - t.c) / 10 == pytest.approx(30, abs=1)
    assert (t.f - g.transform.f) / 10 == pytest.approx(20, abs=1)
    assert 63 <= g.width <= 66 and 63 <= g.height <= 66


def test_large_areas_are_tiled_and_stitched_back(tmp_path):
    scene = generate_scene(3, size=300, pixel_size=10.0)
    write_scene(scene, tmp_path, sar=False)
    intake = take(tmp_path / "optical_t0.tif", size=128)
    assert len(intake.tiles) == 9 and intake.tiles[-1].height == 300 - 256
    pieces = [(tile, np.pad(np.asarray(scene.labels[0][tile.row:tile.row + tile.height, tile.col:tile.col + tile.width]
                                       == WATER.id), ((0, 128 - tile.height), (0, 128 - tile.width))))
              for tile in intake.tiles]
    assert np.array_equal(stitch(intake.grid, pieces), scene.labels[0] == WATER.id)


def test_polygons_in_another_crs_come_back_to_the_same_pixels(rasters):
    from rasterio import features
    from rasterio.warp import transform_geom

    folder, scene = rasters
    water = scene.labels[0] == WATER.id
    geom = mask_polygons(water, scene.transform, CRS.from_user_input(scene.crs), "EPSG:4326")
    back = transform_geom("EPSG:4326", scene.crs, geom)
    burned = features.rasterize([back], out_shape=water.shape, transform=scene.transform) > 0
    assert (burned == water).mean() > 0.995


def test_bad_rasters_get_specific_errors(rasters, tmp_path):
    folder, _ = rasters
    with pytest.raises(IntakeError, match="does not exist"):
        take(tmp_path / "nope.tif")
    (tmp_path / "corrupt.tif").write_bytes(b"II*\x00garbage")
    with pytest.raises(IntakeError, match="cannot be read as a raster"):
        take(tmp_path / "corrupt.tif")
    with rasterio.open(folder / "optical_t0.tif") as src:
        data, profile, tags = src.read(), src.profile, src.tags()
    with rasterio.open(tmp_path / "nocrs.tif", "w", **{**profile, "crs": None}) as dst:
        dst.write(data)
    with pytest.raises(IntakeError, match="no coordinate reference system"):
        take(tmp_path / "nocrs.tif")
    with pytest.raises(IntakeError, match="does not overlap"):
        take(folder / "optical_t0.tif", aoi=AOI((10.0, 10.0, 10.1, 10.1), "EPSG:4326"))
    with pytest.raises(IntakeError, match="needs 13"):
        take(folder / "optical_t0.tif", optical_profile="sentinel2-l1c")
    with rasterio.open(tmp_path / "empty.tif", "w", **profile) as dst:
        dst.write(np.zeros_like(data))  # all nodata (0)
        dst.update_tags(**tags)
    with pytest.raises(IntakeError, match="only nodata"):
        take(tmp_path / "empty.tif")
    with pytest.raises(IntakeError, match="at most 100 pixels") as err:
        take(folder / "optical_t0.tif", max_pixels=100)
    assert err.value.status == 413
