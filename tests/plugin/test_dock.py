"""The dock in a real QGIS (offscreen) against a real runtime on loopback with the default model."""

import json
import time

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDistanceArea,
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QApplication

from terrascope_qgis import request
from terrascope_qgis.export import export_steps, transcript_markdown
from terrascope_qgis.settings import RuntimeSettings
from terrascope_qgis.ui.dock import TerraScopeDock

from .conftest import Runtime

QUESTION = "What share of this area is water?"


def ask(dock):
    """Ask, having first connected to the end signal; returns the list that fills when it ends."""
    done = []
    dock.answered.connect(lambda: done.append(True))
    dock.ask()
    return done


def wait(done, seconds=240):
    t0 = time.time()
    while not done and time.time() - t0 < seconds:
        QApplication.processEvents()
        time.sleep(0.01)
    assert done, "no answer in time"


def make_dock(qgis_iface, url, token=""):
    RuntimeSettings(url=url, token=token).save()
    return TerraScopeDock(qgis_iface)


@pytest.fixture()
def optical(rasters, qgis_new_project):
    layer = QgsRasterLayer(str(rasters / "optical_t0.tif"), "optical 2020")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    return layer


def mask_layers(dock):
    return [QgsProject.instance().mapLayer(s.layer_id) for s in dock.current.steps]


@pytest.mark.parametrize("project_crs", ["EPSG:32630", "EPSG:4326"])
def test_ask_draws_one_georeferenced_layer_per_step(qgis_iface, runtime, optical, project_crs):
    project = QgsProject.instance()
    project.setCrs(QgsCoordinateReferenceSystem(optical.crs().authid() if project_crs != "EPSG:4326" else "EPSG:4326"))
    project.setEllipsoid("EPSG:7030")
    dock = make_dock(qgis_iface, runtime.url)
    events = []
    dock.client.event.connect(events.append)
    dock.optical.setLayer(optical)
    dock.question.setEditText(QUESTION)
    wait(ask(dock))
    masks = [e for e in events if e["type"] == "mask"]
    assert events[-1]["type"] == "answer" and masks
    dock.connect_runtime()  # the status line: the runtime's health, with device and backend
    connected = []
    dock.client.health_ready.connect(connected.append)
    wait(connected, 30)
    assert "on cpu (torch)" in dock.status.text()
    layers = mask_layers(dock)
    assert len(layers) == len({m["step"] for m in masks}) == dock.chips.count()
    da = QgsDistanceArea()
    da.setSourceCrs(optical.crs(), project.transformContext())
    da.setEllipsoid("EPSG:7030")
    for layer in layers:
        assert layer.crs() == project.crs()
        features = list(layer.getFeatures())
        event_area = sum(m["area_m2"] for m in masks if m["phrase"] == features[0]["phrase"])
        for f in features:
            assert f["question"] == QUESTION and f["sources"] == "optical 2020" and f["model"]
        # independent: back to the raster's UTM grid; planar area there is the runtime's pixel count
        back = QgsCoordinateTransform(project.crs(), optical.crs(), project)
        planar = 0.0
        for f in features:
            g = f.geometry()
            g.transform(back)
            planar += g.area()
        assert planar == pytest.approx(event_area, rel=1e-3)
        ellipsoidal = sum(f["area_m2"] for f in features)
        assert ellipsoidal == pytest.approx(sum(da.measureArea(_in(f.geometry(), project, optical)) for f in features),
                                            rel=1e-3)
        assert ellipsoidal == pytest.approx(event_area, rel=0.02)  # UTM scale error is < 0.1% near the meridian
        if project.crs().isGeographic():
            assert sum(f["area_map"] for f in features) < 1.0  # square degrees
        else:
            assert sum(f["area_map"] for f in features) == pytest.approx(event_area, rel=1e-3)
    dock.unload()


def _in(geometry, project, optical):
    g = type(geometry)(geometry)
    g.transform(QgsCoordinateTransform(project.crs(), optical.crs(), project))
    return g


def test_export_save_and_reopen(qgis_iface, runtime, optical, tmp_path):
    project = QgsProject.instance()
    project.setCrs(optical.crs())
    dock = make_dock(qgis_iface, runtime.url)
    dock.optical.setLayer(optical)
    dock.question.setEditText(QUESTION)
    wait(ask(dock))
    conv = dock.current
    shp = export_steps(conv, project, tmp_path / "masks.shp")
    exported = QgsVectorLayer(str(shp), "exported", "ogr")
    assert exported.isValid() and exported.featureCount() == sum(layer.featureCount() for layer in mask_layers(dock))
    assert {f["step"] for f in exported.getFeatures()} == {s.index for s in conv.steps}
    assert "## Steps" in transcript_markdown(conv, project)
    assert project.write(str(tmp_path / "p.qgz"))
    assert (tmp_path / "p_terrascope.gpkg").is_file()
    ids = [s.layer_id for s in conv.steps]
    project.clear()
    assert project.read(str(tmp_path / "p.qgz"))
    dock.load_from_project()
    assert dock.current.question == QUESTION and dock.current.transcript == conv.transcript
    for layer_id in ids:
        layer = project.mapLayer(layer_id)
        assert layer is not None and layer.isValid() and layer.providerType() == "ogr" and layer.featureCount() > 0
    assert dock.chips.count() == len(ids)
    project.removeMapLayer(ids[0])  # removing a layer greys its chip
    assert not dock.chips.item(0).flags() & Qt.ItemFlag.ItemIsEnabled
    dock.unload()


def test_a_killed_runtime_leaves_what_was_drawn(qgis_iface, rasters, qgis_new_project):
    rt = Runtime(rasters)
    optical = QgsRasterLayer(str(rasters / "big" / "optical_t0.tif"), "big")  # 16 tiles: long enough to kill
    QgsProject.instance().addMapLayer(optical)
    dock = make_dock(qgis_iface, rt.url)
    failures, events = [], []
    dock.client.failed.connect(failures.append)
    dock.client.event.connect(events.append)
    dock.optical.setLayer(optical)
    dock.question.setEditText(QUESTION)
    done = ask(dock)
    t0 = time.time()
    while not any(e["type"] == "mask" for e in events) and time.time() - t0 < 120:
        QApplication.processEvents()
    rt.kill()
    wait(done)
    assert failures and dock.ask_button.isEnabled()
    assert dock.current.transcript  # the text so far stays
    assert all(layer is not None and layer.featureCount() > 0 for layer in mask_layers(dock))
    dock.unload()


def test_a_wrong_token_and_a_raster_outside_the_aoi(qgis_iface, rasters, optical, qgis_new_project):
    rt = Runtime(rasters, token="right")
    try:
        dock = make_dock(qgis_iface, rt.url, token="wrong")
        failures = []
        dock.client.failed.connect(failures.append)
        dock.optical.setLayer(optical)
        dock.question.setEditText(QUESTION)
        wait(ask(dock))
        assert "token" in failures[-1]
        dock.unload()
        dock = make_dock(qgis_iface, rt.url, token="right")
        dock.client.failed.connect(failures.append)
        far = QgsRasterLayer(str(rasters / "far" / "optical_t0.tif"), "far away")
        QgsProject.instance().addMapLayer(far)
        dock.optical.setLayer(optical)
        dock.area_kind.setCurrentIndex(dock.area_kind.findData("layer"))
        dock.area_layer.setLayer(far)
        dock.question.setEditText(QUESTION)
        wait(ask(dock))
        assert "does not overlap" in failures[-1]
        dock.unload()
    finally:
        rt.kill()


def test_requests_are_built_from_layers(rasters, qgis_new_project):
    optical = QgsRasterLayer(str(rasters / "optical_t0.tif"), "s2_2020-05-18")
    later = QgsRasterLayer(str(rasters / "optical_t1.tif"), "s2 20210601")
    payload = request.build(optical, " How many buildings appeared? ", series=[(later, request.layer_date(later))])
    assert payload["question"] == "How many buildings appeared?"
    assert payload["optical_date"] == "2020-05-18" and payload["series"][0]["date"] == "2021-06-01"
    with pytest.raises(ValueError, match="type a question"):
        request.build(optical, "  ")
    sar = QgsRasterLayer(str(rasters / "sar.tif"), "sar")
    with pytest.raises(ValueError, match="not both"):
        request.build(optical, "q", sar=sar, series=[(later, "")])
    assert json.dumps(payload)
