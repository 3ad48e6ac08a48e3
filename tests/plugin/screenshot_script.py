"""Run inside a real QGIS (`qgis --code`): load the sample raster and the plugin, ask a question on
the runtime at TERRASCOPE_URL, and save the finished conversation as TERRASCOPE_SHOT (a PNG)."""

import os
import sys
from pathlib import Path

REPO = Path(os.environ["TERRASCOPE_REPO"])
sys.path.insert(0, str(REPO))

from qgis.core import QgsProject, QgsRasterLayer  # noqa: E402
from qgis.PyQt.QtCore import QTimer  # noqa: E402
from qgis.utils import iface  # noqa: E402

import terrascope_qgis  # noqa: E402
from terrascope_qgis.settings import RuntimeSettings  # noqa: E402

RuntimeSettings(url=os.environ["TERRASCOPE_URL"]).save()
SAMPLE = REPO / "model_runtime" / "sample_data" / "landsat8_itaipu_rgb_30m.tif"
layer = QgsRasterLayer(str(SAMPLE), "Landsat 8, 2020-05-18")
renderer = layer.renderer()  # the file's bands are blue, green, red
renderer.setRedBand(3)
renderer.setBlueBand(1)
layer.setDefaultContrastEnhancement()
QgsProject.instance().addMapLayer(layer)
plugin = terrascope_qgis.classFactory(iface)
plugin.initGui()
dock = plugin.dock
dock.setUserVisible(True)
iface.mainWindow().resize(1600, 1000)
iface.mapCanvas().setExtent(layer.extent())


def shoot():
    iface.mapCanvas().refreshAllLayers()
    QTimer.singleShot(2500, save)


def save():
    iface.mainWindow().grab().save(os.environ["TERRASCOPE_SHOT"])
    from qgis.PyQt.QtWidgets import QApplication

    QApplication.instance().exit(0)


def ask():
    dock.connect_runtime()
    dock.optical.setLayer(layer)
    dock.question.setEditText("What share of this image is water?")
    dock.choices.setText("35%; 48%; 61%; 77%")
    dock.answered.connect(shoot)
    dock.ask()


QTimer.singleShot(3000, ask)
QTimer.singleShot(600000, save)  # never hang
