"""From QGIS layers and the analyst's choices to a runtime request (no widgets here)."""

from __future__ import annotations

import re
from pathlib import Path

from qgis.core import QgsCoordinateReferenceSystem, QgsRasterLayer, QgsRectangle
from qgis.PyQt.QtCore import QCoreApplication

DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


def tr(text: str) -> str:
    return QCoreApplication.translate("TerraScopeRequest", text)


def layer_path(layer: QgsRasterLayer) -> str:
    """The local file behind a raster layer (the runtime reads files, not QGIS providers)."""
    if layer is None:
        raise ValueError(tr("choose an optical raster layer"))
    path = layer.source().split("|")[0]
    if layer.providerType() != "gdal" or not Path(path).is_file():
        raise ValueError(tr("layer '{}' is not a local raster file").format(layer.name()))
    return str(Path(path).resolve())


def layer_date(layer: QgsRasterLayer) -> str:
    """A date for a series item: the layer's temporal metadata, else one written in its name or file."""
    extent = layer.metadata().extent().temporalExtents()
    if extent and extent[0].begin().isValid():
        return extent[0].begin().date().toString("yyyy-MM-dd")
    for text in (layer.name(), Path(layer.source().split("|")[0]).name):
        found = DATE.search(text)
        if found:
            return "-".join(found.groups())
    return ""


def crs_text(crs: QgsCoordinateReferenceSystem) -> str:
    return crs.authid() or crs.toWkt()


def aoi(extent: QgsRectangle, crs: QgsCoordinateReferenceSystem) -> dict:
    if extent.isEmpty():
        raise ValueError(tr("the area of interest is empty"))
    return {"bbox": [extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()],
            "crs": crs_text(crs)}


def build(optical: QgsRasterLayer, question: str, sar: QgsRasterLayer | None = None,
          series: list[tuple[QgsRasterLayer, str]] | None = None, choices: list[str] | None = None,
          area: dict | None = None, model: str = "") -> dict:
    question = question.strip()
    if not question:
        raise ValueError(tr("type a question"))
    payload = {"optical": layer_path(optical), "question": question}
    if sar is not None:
        payload["sar"] = layer_path(sar)
    series = [(layer, date) for layer, date in (series or []) if layer is not None and layer != optical]
    if series and sar is not None:
        raise ValueError(tr("use either a SAR raster or a time series, not both"))
    if series:
        payload["optical_date"] = layer_date(optical) or None
        payload["series"] = [{"path": layer_path(layer), "date": date or None} for layer, date in series]
    if choices:
        payload["choices"] = choices
    if area:
        payload["aoi"] = area
    if model:
        payload["model"] = model
    return payload
