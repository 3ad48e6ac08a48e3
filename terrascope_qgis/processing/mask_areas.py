"""Processing: Mask areas by class — per polygon, the ellipsoidal area and share of each reasoning label."""

from __future__ import annotations

from collections import defaultdict

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDistanceArea,
    QgsFeature,
    QgsFeatureSink,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsSpatialIndex,
    QgsUnitTypes,
)

from ..compat import NO_GEOMETRY, ellipsoid_or_wgs84
from .ask import fields
from .base import TerraScopeAlgorithm

AREA_FIELDS = [("polygon", "str"), ("label", "str"), ("area_m2", "float"), ("share_pct", "float"),
               ("polygon_m2", "float")]


class MaskAreasByClass(TerraScopeAlgorithm):
    MASKS, AREAS, LABEL, OUTPUT = "MASKS", "AREAS", "LABEL", "OUTPUT"

    def name(self) -> str:
        return "mask_areas_by_class"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Mask areas by class")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "For every polygon of the areas layer, the area on the ellipsoid (m2) of each reasoning label of the "
            "masks layer inside it, and its share of the polygon. Overlapping masks of one label count once.\n\n"
            "Example: masks = the output of Ask TerraScope, areas = districts: one row per district and label "
            "(water, buildings, ...) with its area and share, ready to join to the districts.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(self.MASKS, self.tr("Reasoning masks"),
                                                              [QgsProcessing.SourceType.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterField(self.LABEL, self.tr("Label field"), "phrase", self.MASKS))
        self.addParameter(QgsProcessingParameterFeatureSource(self.AREAS, self.tr("Areas"),
                                                              [QgsProcessing.SourceType.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Areas by class"),
                                                            QgsProcessing.SourceType.TypeVector))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        masks = self.parameterAsSource(parameters, self.MASKS, context)
        areas = self.parameterAsSource(parameters, self.AREAS, context)
        label = self.parameterAsString(parameters, self.LABEL, context)
        sink, sink_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields(AREA_FIELDS), NO_GEOMETRY,
                                             QgsCoordinateReferenceSystem())
        crs = areas.sourceCrs()
        to_areas = QgsCoordinateTransform(masks.sourceCrs(), crs, context.transformContext())
        by_label: dict[str, list[QgsGeometry]] = defaultdict(list)
        for feature in masks.getFeatures():
            geometry = QgsGeometry(feature.geometry())
            geometry.transform(to_areas)
            by_label[str(feature[label])].append(geometry)
        merged = {name: QgsGeometry.unaryUnion(parts) for name, parts in by_label.items()}
        index = QgsSpatialIndex()
        order = list(merged)
        for i, name in enumerate(order):
            f = QgsFeature(i)
            f.setGeometry(merged[name])
            index.addFeature(f)
        da = QgsDistanceArea()
        da.setSourceCrs(crs, context.transformContext())
        da.setEllipsoid(ellipsoid_or_wgs84(context.ellipsoid()))

        def m2(geometry: QgsGeometry) -> float:
            return da.convertAreaMeasurement(da.measureArea(geometry), QgsUnitTypes.AreaUnit.AreaSquareMeters)

        total = max(areas.featureCount(), 1)
        for k, polygon in enumerate(areas.getFeatures()):
            if feedback.isCanceled():
                break
            shape = polygon.geometry()
            whole = m2(shape)
            for i in index.intersects(shape.boundingBox()):
                inside = merged[order[i]].intersection(shape)
                if inside.isEmpty():
                    continue
                area = m2(inside)
                row = QgsFeature(fields(AREA_FIELDS))
                row.setAttributes([str(polygon.id()), order[i], area, 100.0 * area / whole if whole else None, whole])
                sink.addFeature(row, QgsFeatureSink.Flag.FastInsert)
            feedback.setProgress(100 * (k + 1) / total)
        return {self.OUTPUT: sink_id}
