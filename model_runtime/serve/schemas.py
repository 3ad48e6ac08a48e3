"""The HTTP API's request and response shapes (pydantic; published in the OpenAPI document)."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class SeriesItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str = Field(description="a local path under an allowed root, or `upload:<id>`")
    date: str | None = Field(None, max_length=40, description="ISO date of this image")


class AOIIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bbox: tuple[float, float, float, float] = Field(description="min x, min y, max x, max y in `crs`")
    crs: str = Field("EPSG:4326", max_length=2000, description="any CRS rasterio understands (EPSG code or WKT)")

    @field_validator("bbox")
    @classmethod
    def ordered_and_finite(cls, bbox):
        if not all(math.isfinite(v) for v in bbox) or bbox[0] >= bbox[2] or bbox[1] >= bbox[3]:
            raise ValueError("bbox must be four finite numbers with min x < max x and min y < max y")
        return bbox


class ReasonRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    optical: str = Field(description="optical raster: a local path under an allowed root, or `upload:<id>`")
    optical_date: str | None = Field(None, max_length=40)
    sar: str | None = Field(None, description="optional SAR raster (any CRS and resolution)")
    series: list[SeriesItemIn] = Field(default_factory=list, max_length=8,
                                       description="later images of a time series, in date order")
    question: str = Field(min_length=1, max_length=2000)
    choices: list[str] | None = Field(None, max_length=10)
    aoi: AOIIn | None = Field(None, description="area of interest (default: the optical raster's extent)")
    model: str | None = Field(None, max_length=200, description="a name from /v1/models (default: the first)")
    optical_profile: str | None = Field(None, max_length=64)
    sar_profile: str | None = Field(None, max_length=64)
    rules: Literal["paper", "release"] = "paper"
    mask_format: Literal["geojson", "geotiff_path", "geotiff_bytes"] = "geojson"
    max_new_tokens: int = Field(160, ge=8, le=512)


class UploadOut(BaseModel):
    id: str
    bytes: int
    crs: str | None
    width: int
    height: int
    count: int


class ModelOut(BaseModel):
    name: str
    version: str
    config: str
    backend: str  # "torch" | "onnx"
    path: str
    loaded: bool


class HealthOut(BaseModel):
    status: str
    model: str
    version: str
    backend: str  # "torch" | "onnx"
    device: str
    provider: str | None = None  # the ONNX Runtime execution provider, with the onnx backend
    gpu_available: bool
    queue_depth: int
    active: int
    capacity: int


class ErrorOut(BaseModel):
    error: str
    status: int
