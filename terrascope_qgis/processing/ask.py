"""Processing: Ask TerraScope, over many areas and questions, with masks and answers as outputs."""

from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDistanceArea,
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsUnitTypes,
)

from .. import request
from ..compat import MULTIPOLYGON, NO_GEOMETRY, ellipsoid_or_wgs84, make_field
from ..layers import geometry_from_geojson
from ..settings import RuntimeSettings
from .base import TerraScopeAlgorithm
from .blocking_client import RuntimeError_, reason_sync

MASK_FIELDS = [("polygon", "str"), ("conversation", "str"), ("step", "int"), ("phrase", "str"), ("question", "str"),
               ("image", "int"), ("date", "str"), ("sources", "str"), ("area_map", "float"), ("area_m2", "float"),
               ("model", "str"), ("version", "str"), ("time", "str")]
ANSWER_FIELDS = [("polygon", "str"), ("question", "str"), ("answer", "str"), ("choice", "str"), ("value", "float"),
                 ("unit", "str"), ("source", "str"), ("model", "str"), ("time", "str")]


def fields(spec) -> QgsFields:
    out = QgsFields()
    for name, kind in spec:
        out.append(make_field(name, kind))
    return out


def read_questions(path: str) -> list[tuple[str, list[str]]]:
    """Questions from a text file (one per line) or a CSV with a `question` column and an optional
    `choices` column (candidates separated by `;`)."""
    text = Path(path).read_text(encoding="utf-8-sig")
    if path.lower().endswith(".csv"):
        rows = list(csv.DictReader(text.splitlines()))
        if rows and "question" not in rows[0]:
            raise QgsProcessingException(f"{path}: the CSV needs a 'question' column")
        return [(r["question"].strip(), [c.strip() for c in (r.get("choices") or "").split(";") if c.strip()])
                for r in rows if r["question"].strip()]
    return [(line.strip(), []) for line in text.splitlines() if line.strip() and not line.startswith("#")]


class AskTerraScope(TerraScopeAlgorithm):
    OPTICAL, SAR, SERIES = "OPTICAL", "SAR", "SERIES"
    QUESTION, QUESTIONS_FILE, CHOICES = "QUESTION", "QUESTIONS_FILE", "CHOICES"
    EXTENT, AREAS = "EXTENT", "AREAS"
    URL, TOKEN = "URL", "TOKEN"
    MASKS, ANSWERS = "MASKS", "ANSWERS"

    def name(self) -> str:
        return "ask"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Ask TerraScope")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Asks the TerraScope runtime one or more questions about an optical raster (optionally with a SAR "
            "raster or a time series), once per area: the extent, or each polygon of a layer. Every reasoning "
            "step that names a region becomes mask polygons (clipped to the polygon) with their areas; the "
            "answers go to a table.\n\n"
            "Example: optical = a Sentinel-2 scene, areas = municipalities, questions file = a text file with "
            "'What share of this area is water?' and 'How many buildings are there?' on two lines: one answer "
            "row per municipality and question, and the water and building masks as polygons.\n\n"
            "The runtime must be running (the dock's settings are the defaults for URL and token) and allowed to "
            "read the rasters' folders.")

    def initAlgorithm(self, config=None):  # noqa: N802
        settings = RuntimeSettings.load()
        self.addParameter(QgsProcessingParameterRasterLayer(self.OPTICAL, self.tr("Optical raster")))
        self.addParameter(QgsProcessingParameterRasterLayer(self.SAR, self.tr("SAR raster"), optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.SERIES, self.tr("Time series (later images, in date order)"), QgsProcessing.SourceType.TypeRaster,
            optional=True))
        self.addParameter(QgsProcessingParameterString(self.QUESTION, self.tr("Question"), optional=True))
        self.addParameter(QgsProcessingParameterFile(
            self.QUESTIONS_FILE, self.tr("Questions file (.txt, one per line, or .csv with question[,choices])"),
            optional=True, fileFilter="Text or CSV (*.txt *.csv)"))
        self.addParameter(QgsProcessingParameterString(self.CHOICES, self.tr("Candidate answers (separated by ;)"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterExtent(self.EXTENT, self.tr("Area of interest (extent)"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.AREAS, self.tr("Areas of interest (one answer per polygon)"),
            [QgsProcessing.SourceType.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterString(self.URL, self.tr("Runtime URL"), defaultValue=settings.url))
        self.addParameter(QgsProcessingParameterString(self.TOKEN, self.tr("Runtime token"),
                                                       defaultValue=settings.token, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(self.MASKS, self.tr("Reasoning masks"),
                                                            QgsProcessing.SourceType.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(self.ANSWERS, self.tr("Answers"),
                                                            QgsProcessing.SourceType.TypeVector))

    def _questions(self, parameters, context) -> list[tuple[str, list[str]]]:
        choices = [c.strip() for c in (self.parameterAsString(parameters, self.CHOICES, context) or "").split(";")
                   if c.strip()]
        questions = []
        single = (self.parameterAsString(parameters, self.QUESTION, context) or "").strip()
        if single:
            questions.append((single, choices))
        path = self.parameterAsFile(parameters, self.QUESTIONS_FILE, context)
        if path:
            questions += [(q, c or choices) for q, c in read_questions(path)]
        if not questions:
            raise QgsProcessingException(self.tr("give a question or a questions file"))
        return questions

    def _areas(self, parameters, context, optical):
        """(polygon id, AOI dict or None, clip geometry in the sink CRS or None)."""
        source = self.parameterAsSource(parameters, self.AREAS, context)
        if source is not None:
            to_sink = QgsCoordinateTransform(source.sourceCrs(), optical.crs(), context.transformContext())
            out = []
            for feature in source.getFeatures():
                geometry = QgsGeometry(feature.geometry())
                aoi = request.aoi(geometry.boundingBox(), source.sourceCrs())
                geometry.transform(to_sink)
                out.append((str(feature.id()), aoi, geometry))
            return out
        if parameters.get(self.EXTENT):
            extent = self.parameterAsExtent(parameters, self.EXTENT, context, optical.crs())
            return [("extent", request.aoi(extent, optical.crs()), None)]
        return [("raster", None, None)]

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        optical = self.parameterAsRasterLayer(parameters, self.OPTICAL, context)
        sar = self.parameterAsRasterLayer(parameters, self.SAR, context)
        series = self.parameterAsLayerList(parameters, self.SERIES, context)
        url = self.parameterAsString(parameters, self.URL, context)
        token = self.parameterAsString(parameters, self.TOKEN, context)
        questions = self._questions(parameters, context)
        areas = self._areas(parameters, context, optical)
        sink_crs = optical.crs()
        masks, masks_id = self.parameterAsSink(parameters, self.MASKS, context, fields(MASK_FIELDS), MULTIPOLYGON,
                                               sink_crs)
        answers, answers_id = self.parameterAsSink(parameters, self.ANSWERS, context, fields(ANSWER_FIELDS),
                                                   NO_GEOMETRY, QgsCoordinateReferenceSystem())
        sources = "; ".join(layer.name() for layer in [optical, sar, *series] if layer is not None)
        da = QgsDistanceArea()
        da.setSourceCrs(sink_crs, context.transformContext())
        da.setEllipsoid(ellipsoid_or_wgs84(context.ellipsoid()))
        total = len(areas) * len(questions)
        done = 0
        for polygon, aoi, clip in areas:
            for question, choices in questions:
                if feedback.isCanceled():
                    return {self.MASKS: masks_id, self.ANSWERS: answers_id}
                feedback.setProgressText(self.tr("{} — area {}").format(question, polygon))
                try:
                    payload = request.build(optical, question, sar, [(s, request.layer_date(s)) for s in series],
                                            choices, aoi)
                    result = reason_sync(url, token, payload)
                except (RuntimeError_, ValueError) as err:
                    feedback.reportError(self.tr("area {}, question '{}': {}").format(polygon, question, err),
                                         fatalError=False)
                    done += 1
                    feedback.setProgress(100 * done / total)
                    continue
                now = datetime.now(timezone.utc).isoformat(timespec="seconds")
                model = result.get("model", {})
                self._write_masks(masks, result, polygon, question, sources, model, now, clip, sink_crs, da,
                                  context)
                row = QgsFeature(fields(ANSWER_FIELDS))
                row.setAttributes([polygon, question, result.get("answer", ""), result.get("choice") or "",
                                   result.get("value"), result.get("unit") or "", result.get("source", ""),
                                   f"{model.get('name', '')} {model.get('version', '')}".strip(), now])
                answers.addFeature(row, QgsFeatureSink.Flag.FastInsert)
                done += 1
                feedback.setProgress(100 * done / total)
        return {self.MASKS: masks_id, self.ANSWERS: answers_id}

    def _write_masks(self, sink, result, polygon, question, sources, model, now, clip, sink_crs, da, context):
        conversation = f"{polygon}:{abs(hash(question)) % 10**8:08d}"
        for event in result.get("masks", []):
            geometry = geometry_from_geojson(event["geometry"])
            source = QgsCoordinateReferenceSystem(event["crs"])
            if source != sink_crs:
                geometry.transform(QgsCoordinateTransform(source, sink_crs, context.transformContext()))
            if clip is not None:
                geometry = geometry.intersection(clip)
            if geometry.isEmpty():
                continue
            geometry.convertToMultiType()
            feature = QgsFeature(fields(MASK_FIELDS))
            feature.setGeometry(geometry)
            area_m2 = da.convertAreaMeasurement(da.measureArea(geometry), QgsUnitTypes.AreaUnit.AreaSquareMeters)
            feature.setAttributes([polygon, conversation, event["step"], event["phrase"], question, event["image"],
                                   event.get("date") or "", sources, geometry.area(), area_m2,
                                   model.get("name", ""), model.get("version", ""), now])
            sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
