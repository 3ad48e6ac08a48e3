"""Mask events as georeferenced vector layers with areas in the project's units.

Polygons arrive in the request's CRS; they are transformed to the project CRS. Each feature
carries its provenance (conversation, step, phrase, question, image and date, source layers,
model) and three areas: in map units, on the project ellipsoid in m2, and in the project's area
unit (`QgsDistanceArea`).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from osgeo import ogr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDistanceArea,
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsProject,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor

from .compat import ellipsoid_or_wgs84

FIELDS = [("conversation", "string(40)"), ("step", "integer"), ("phrase", "string(200)"),
          ("question", "string(1000)"), ("image", "integer"), ("date", "string(40)"), ("sources", "string(500)"),
          ("area_map", "double"), ("area_m2", "double"), ("area_unit", "double"), ("unit_name", "string(20)"),
          ("model", "string(100)"), ("version", "string(40)"), ("time", "string(40)")]
PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6", "#bcf60c", "#fabebe",
           "#008080"]


def step_colour(step: int) -> QColor:
    return QColor(PALETTE[step % len(PALETTE)])


def geometry_from_geojson(geojson: dict) -> QgsGeometry:
    g = ogr.CreateGeometryFromJson(json.dumps(geojson))
    if g is None:
        return QgsGeometry()
    geometry = QgsGeometry()
    geometry.fromWkb(bytes(g.ExportToIsoWkb()))
    return geometry


def distance_area(project: QgsProject) -> QgsDistanceArea:
    da = QgsDistanceArea()
    da.setSourceCrs(project.crs(), project.transformContext())
    da.setEllipsoid(ellipsoid_or_wgs84(project.ellipsoid()))
    return da


def areas(geometry: QgsGeometry, project: QgsProject) -> dict:
    """Area in map units, on the ellipsoid in m2, and in the project's area unit."""
    da = distance_area(project)
    measured = da.measureArea(geometry)  # in the ellipsoid's square metres, or planar CRS units
    area_m2 = da.convertAreaMeasurement(measured, QgsUnitTypes.AreaUnit.AreaSquareMeters)
    unit = project.areaUnits()
    return {"area_map": geometry.area(), "area_m2": area_m2,
            "area_unit": da.convertAreaMeasurement(measured, unit),
            "unit_name": QgsUnitTypes.toAbbreviatedString(unit)}


def new_mask_layer(name: str, crs: QgsCoordinateReferenceSystem, colour: QColor) -> QgsVectorLayer:
    uri = f"MultiPolygon?crs={crs.authid() or 'wkt:' + crs.toWkt()}&" + "&".join(
        f"field={n}:{t}" for n, t in FIELDS)
    layer = QgsVectorLayer(uri, name, "memory")
    fill = colour.name()
    symbol = QgsFillSymbol.createSimple({"color": f"{fill}66", "outline_color": fill, "outline_width": "0.6"})
    layer.renderer().setSymbol(symbol)
    return layer


def add_mask_event(layer: QgsVectorLayer, event: dict, project: QgsProject, info: dict) -> QgsFeature:
    """Append one mask event (one tile of one step) to its step layer; returns the feature."""
    geometry = geometry_from_geojson(event["geometry"])
    source = QgsCoordinateReferenceSystem(event["crs"])
    if source.isValid() and source != project.crs():
        geometry.transform(QgsCoordinateTransform(source, project.crs(), project))
    feature = QgsFeature(layer.fields())
    feature.setGeometry(geometry)
    values = {"conversation": info["conversation"], "step": event["step"], "phrase": event["phrase"],
              "question": info["question"], "image": event["image"], "date": event.get("date") or "",
              "sources": info["sources"], "model": info["model"], "version": info["version"],
              "time": datetime.now(timezone.utc).isoformat(timespec="seconds"), **areas(geometry, project)}
    for name, value in values.items():
        feature.setAttribute(name, value)
    layer.dataProvider().addFeatures([feature])
    layer.updateExtents()
    layer.triggerRepaint()
    return feature


def layer_area(layer: QgsVectorLayer) -> tuple[float, str]:
    """A step layer's total area in the project's unit, with the unit's name."""
    total, unit = 0.0, ""
    for feature in layer.getFeatures():
        total += feature["area_unit"] or 0.0
        unit = feature["unit_name"] or unit
    return total, unit
