"""Enum spellings that work on QGIS 3.22 (Qt5) and on QGIS 4 (Qt6)."""

from __future__ import annotations

from qgis.core import Qgis, QgsField, QgsWkbTypes
from qgis.PyQt.QtCore import QMetaType, QVariant

_WKB = getattr(Qgis, "WkbType", QgsWkbTypes.Type)
MULTIPOLYGON = _WKB.MultiPolygon
NO_GEOMETRY = _WKB.NoGeometry


def make_field(name: str, kind: str) -> QgsField:
    """A string/int/float field: QMetaType types on QGIS >= 3.38 (Qt6-ready), QVariant before."""
    if Qgis.QGIS_VERSION_INT >= 33800:
        types = {"str": QMetaType.Type.QString, "int": QMetaType.Type.Int, "float": QMetaType.Type.Double}
    else:
        types = {"str": QVariant.String, "int": QVariant.Int, "float": QVariant.Double}
    return QgsField(name, types[kind])


def ellipsoid_or_wgs84(name: str | None) -> str:
    """The project's ellipsoid, or WGS 84's when the project measures planimetrically ("NONE"):
    areas here are always on the ellipsoid."""
    return name if name and name.upper() != "NONE" else "EPSG:7030"


def message_level(name: str):
    """`Qgis.MessageLevel.Info` and friends (scoped on QGIS >= 3.30, unscoped before)."""
    levels = getattr(Qgis, "MessageLevel", Qgis)
    return getattr(levels, name)
