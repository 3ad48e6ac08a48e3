"""Scenes on disk as GeoTIFFs: what the benchmark ships and what any GIS opens.

- `optical_t{i}.tif`: uint16 surface reflectance x 10000 (the Sentinel-2 L2A / Landsat SR
  convention), bands blue, green, red, NIR, SWIR1, SWIR2, with band names and the sensor's band ids;
- `sar.tif`: float32 sigma0 in dB, bands VV and VH;
- `labels_t{i}.tif`: uint8 land-cover ids with a colour table; `scene.json` the dates and sensor.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import rasterio

from .landcover import BANDS, BY_ID, SENSOR_BANDS
from .scene import Scene

REFLECTANCE_SCALE = 10000


def _profile(scene: Scene, count: int, dtype: str, **extra) -> dict:
    h, w = scene.shape
    return dict(driver="GTiff", height=h, width=w, count=count, dtype=dtype, crs=scene.crs,
                transform=scene.transform, compress="deflate", **extra)


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def write_scene(scene: Scene, folder: Path, dates: list[int] | None = None, sar: bool = True,
                labels: list[int] | None = None) -> Path:
    """Write the optical images of `dates` (all by default), the SAR image and the label maps."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    dates = list(range(len(scene.dates))) if dates is None else dates
    for i in dates:
        data = np.round(scene.optical[i] * REFLECTANCE_SCALE).astype(np.uint16)
        with rasterio.open(folder / f"optical_t{i}.tif", "w", **_profile(scene, 6, "uint16", nodata=0)) as dst:
            dst.write(data)
            dst.descriptions = tuple(f"{b} ({s})" for b, s in zip(BANDS, SENSOR_BANDS[scene.sensor]))
            dst.update_tags(SENSOR=scene.sensor, DATE=scene.dates[i], SCALE=str(1 / REFLECTANCE_SCALE))
    if sar:
        with rasterio.open(folder / "sar.tif", "w", **_profile(scene, 2, "float32")) as dst:
            dst.write(scene.sar)
            dst.descriptions = ("VV", "VH")
            dst.update_tags(SENSOR="sentinel1", UNITS="dB", DATE=scene.dates[0])
    for i in (dates if labels is None else labels):
        with rasterio.open(folder / f"labels_t{i}.tif", "w", **_profile(scene, 1, "uint8", nodata=0)) as dst:
            dst.write(scene.labels[i], 1)
            dst.write_colormap(1, {k: (*_hex_rgb(c.colour), 255) for k, c in BY_ID.items()})
            dst.update_tags(CLASSES=json.dumps({k: c.name for k, c in BY_ID.items()}), DATE=scene.dates[i])
    (folder / "scene.json").write_text(json.dumps({"seed": scene.seed, "sensor": scene.sensor, "dates": scene.dates,
                                                   "crs": scene.crs, "pixel_size": scene.pixel_size}))
    return folder


def read_optical(path: Path) -> tuple[np.ndarray, rasterio.Affine]:
    """Reflectance (6, H, W) and the geotransform."""
    with rasterio.open(path) as src:
        return src.read().astype(np.float32) / REFLECTANCE_SCALE, src.transform


def read_sar(path: Path) -> np.ndarray:
    with rasterio.open(path) as src:
        return src.read().astype(np.float32)


def read_labels(path: Path) -> np.ndarray:
    with rasterio.open(path) as src:
        return src.read(1)
