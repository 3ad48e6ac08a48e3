"""The Processing provider through processing.run against a real runtime on loopback."""

import pytest
from qgis.core import (
    QgsApplication,
    QgsCoordinateTransform,
    QgsDistanceArea,
    QgsFeature,
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingModelAlgorithm,
    QgsProcessingModelChildAlgorithm,
    QgsProcessingModelChildParameterSource,
    QgsProcessingModelOutput,
    QgsProcessingModelParameter,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsUnitTypes,
    QgsVectorLayer,
)

from terrascope_qgis.processing.ask import read_questions
from terrascope_qgis.processing.provider import TerraScopeProvider

QUESTIONS = ["What share of this area is water?", "How many buildings are there?",
             "What is the area of the tree cover in ha?"]


@pytest.fixture(scope="module")
def provider(qgis_processing):
    registry = QgsApplication.processingRegistry()
    provider = TerraScopeProvider()  # kept referenced: the registry does not own it
    registry.addProvider(provider)
    yield provider
    registry.removeProvider(provider)


@pytest.fixture()
def areas(rasters, qgis_new_project):
    """Five polygons in EPSG:4326 over the scene."""
    optical = QgsRasterLayer(str(rasters / "optical_t0.tif"), "optical")
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326&field=name:string", "areas", "memory")
    to_wgs = QgsCoordinateTransform(optical.crs(), layer.crs(), QgsProject.instance())
    e = optical.extent()
    w, h = e.width() / 3, e.height() / 2
    features = []
    for k, (col, row) in enumerate([(0, 0), (1, 0), (2, 0), (0, 1), (1, 1)]):
        cell = QgsRectangle(e.xMinimum() + col * w + 5, e.yMinimum() + row * h + 5,
                            e.xMinimum() + (col + 1) * w - 5, e.yMinimum() + (row + 1) * h - 5)
        f = QgsFeature(layer.fields())
        g = QgsGeometry.fromRect(cell)
        g.transform(to_wgs)
        f.setGeometry(g)
        f.setAttributes([f"area {k}"])
        features.append(f)
    layer.dataProvider().addFeatures(features)
    return layer


def test_three_rasters_five_areas_three_questions(provider, runtime, rasters, areas, tmp_path):
    import processing

    (tmp_path / "questions.txt").write_text("\n".join(QUESTIONS) + "\n")
    assert [q for q, _ in read_questions(str(tmp_path / "questions.txt"))] == QUESTIONS
    for date in range(3):  # batch mode: one run per raster
        raster = str(rasters / f"optical_t{date}.tif")
        result = processing.run("terrascope_qgis:ask", {
            "OPTICAL": raster, "QUESTIONS_FILE": str(tmp_path / "questions.txt"), "AREAS": areas,
            "URL": runtime.url, "TOKEN": "", "MASKS": "memory:", "ANSWERS": "memory:"})
        answers, masks = result["ANSWERS"], result["MASKS"]
        rows = list(answers.getFeatures())
        assert len(rows) == 15 and {r["polygon"] for r in rows} == {str(f.id()) for f in areas.getFeatures()}
        assert {r["question"] for r in rows} == set(QUESTIONS) and all(r["model"] for r in rows)
        assert masks.featureCount() > 0 and masks.crs() == QgsRasterLayer(raster, "r").crs()
        da = QgsDistanceArea()
        da.setSourceCrs(masks.crs(), QgsProject.instance().transformContext())
        da.setEllipsoid("EPSG:7030")
        to_masks = QgsCoordinateTransform(areas.crs(), masks.crs(), QgsProject.instance())
        polygons = {str(f.id()): f.geometry() for f in areas.getFeatures()}
        for f in masks.getFeatures():
            zone = QgsGeometry(polygons[f["polygon"]])
            zone.transform(to_masks)
            assert zone.buffer(0.01, 1).contains(f.geometry())  # clipped to its polygon
            measured = da.convertAreaMeasurement(da.measureArea(f.geometry()), QgsUnitTypes.AreaUnit.AreaSquareMeters)
            assert f["area_m2"] == pytest.approx(measured, rel=1e-6)
            assert f["area_map"] == pytest.approx(f.geometry().area(), rel=1e-6)
        by_class = processing.run("terrascope_qgis:mask_areas_by_class", {
            "MASKS": masks, "LABEL": "phrase", "AREAS": areas, "OUTPUT": "memory:"})["OUTPUT"]
        shares = list(by_class.getFeatures())
        assert shares and all(0 < s["share_pct"] <= 100.0001 for s in shares)


def test_errors_are_reported_not_raised(provider, runtime, rasters, areas):
    import processing

    feedback = QgsProcessingFeedback()
    errors = []
    feedback.reportError = lambda message, fatalError=False: errors.append(message)
    result = processing.run("terrascope_qgis:ask", {
        "OPTICAL": str(rasters / "far" / "optical_t0.tif"), "QUESTION": QUESTIONS[0], "AREAS": areas,
        "URL": runtime.url, "MASKS": "memory:", "ANSWERS": "memory:"}, feedback=feedback)
    assert result["ANSWERS"].featureCount() == 0 and len(errors) == 5 and "does not overlap" in errors[0]


def test_a_model_chains_ask_into_a_dissolve(provider, runtime, rasters, tmp_path):
    model = QgsProcessingModelAlgorithm("ask and dissolve", "TerraScope")
    for param in (QgsProcessingParameterRasterLayer("optical", "optical"),
                  QgsProcessingParameterString("question", "question"),
                  QgsProcessingParameterString("url", "url")):
        model.addModelParameter(param, QgsProcessingModelParameter(param.name()))
    ask = QgsProcessingModelChildAlgorithm("terrascope_qgis:ask")
    ask.setChildId("ask")
    ask.addParameterSources("OPTICAL", [QgsProcessingModelChildParameterSource.fromModelParameter("optical")])
    ask.addParameterSources("QUESTION", [QgsProcessingModelChildParameterSource.fromModelParameter("question")])
    ask.addParameterSources("URL", [QgsProcessingModelChildParameterSource.fromModelParameter("url")])
    model.addChildAlgorithm(ask)
    dissolve = QgsProcessingModelChildAlgorithm("native:dissolve")
    dissolve.setChildId("dissolve")
    dissolve.addParameterSources("INPUT", [QgsProcessingModelChildParameterSource.fromChildOutput("ask", "MASKS")])
    dissolve.addParameterSources("FIELD", [QgsProcessingModelChildParameterSource.fromStaticValue(["phrase"])])
    output = QgsProcessingModelOutput("dissolved")
    output.setChildOutputName("OUTPUT")
    dissolve.setModelOutputs({"dissolved": output})
    model.addChildAlgorithm(dissolve)
    path = tmp_path / "ask_dissolve.model3"
    assert model.toFile(str(path))
    loaded = QgsProcessingModelAlgorithm()
    assert loaded.fromFile(str(path))
    context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
    context.setProject(QgsProject.instance())
    params = {"optical": str(rasters / "optical_t0.tif"), "question": QUESTIONS[0], "url": runtime.url,
              "dissolve:dissolved": "memory:"}
    loaded.initAlgorithm()
    results, ok = loaded.run(params, context, feedback)
    assert ok
    dissolved = context.getMapLayer(results["dissolve:dissolved"])
    assert dissolved.featureCount() == len({f["phrase"] for f in dissolved.getFeatures()}) >= 1
