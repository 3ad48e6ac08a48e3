"""Masks out as GIS data: polygons (GeoJSON) in any CRS, single-band GeoTIFFs, shapefiles/GeoPackages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio
from rasterio import features
from rasterio.crs import CRS
from rasterio.transform import Affine
from rasterio.warp import transform_geom


def mask_polygons(mask: np.ndarray, transform: Affine, src_crs: CRS, dst_crs: CRS | str | None = None) -> dict:
    """The mask's pixels as one GeoJSON MultiPolygon (holes kept), in `dst_crs` (default: the grid's)."""
    polygons = [geom["coordinates"] for geom, value in
                features.shapes(mask.astype(np.uint8), mask=mask, transform=transform, connectivity=4) if value == 1]
    geometry = {"type": "MultiPolygon", "coordinates": polygons}
    if dst_crs is not None and CRS.from_user_input(dst_crs) != src_crs and polygons:
        geometry = transform_geom(src_crs, CRS.from_user_input(dst_crs), geometry)
    return geometry


def _profile(mask: np.ndarray, transform: Affine, crs: CRS) -> dict:
    return dict(driver="GTiff", height=mask.shape[0], width=mask.shape[1], count=1, dtype="uint8",
                crs=crs, transform=transform, nodata=None, compress="deflate")


def write_mask_tiff(path: Path, mask: np.ndarray, transform: Affine, crs: CRS, tags: dict | None = None) -> Path:
    """A single-band uint8 GeoTIFF: 1 inside the mask, 0 outside."""
    with rasterio.open(path, "w", **_profile(mask, transform, crs)) as dst:
        dst.write(mask.astype(np.uint8), 1)
        dst.update_tags(**{k: str(v) for k, v in (tags or {}).items()})
    return Path(path)


def mask_tiff_bytes(mask: np.ndarray, transform: Affine, crs: CRS) -> bytes:
    with rasterio.MemoryFile() as memfile:
        with memfile.open(**_profile(mask, transform, crs)) as dst:
            dst.write(mask.astype(np.uint8), 1)
        return memfile.read()


def write_vector(path: Path, steps: list[dict], crs: CRS | str) -> Path:
    """Step polygons (each a dict with `geometry` and attributes) as a shapefile or GeoPackage."""
    import pyogrio.raw
    import shapely

    geoms = [shapely.geometry.shape(s["geometry"]) for s in steps]
    wkb = np.array([shapely.to_wkb(shapely.geometry.MultiPolygon(g) if g.geom_type == "Polygon" else g)
                    for g in geoms], dtype=object)
    names = [k for k in steps[0] if k != "geometry"] if steps else []
    fields = [np.array([s[k] for s in steps]) for k in names]
    driver = "GPKG" if str(path).endswith(".gpkg") else "ESRI Shapefile"
    pyogrio.raw.write(str(path), geometry=wkb, field_data=fields, fields=names, crs=str(CRS.from_user_input(crs)),
                      geometry_type="MultiPolygon", driver=driver, encoding="UTF-8")
    return Path(path)
