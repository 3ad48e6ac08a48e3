"""The TerraScope dock: runtime status, layer pickers, area of interest, question, streamed
transcript, and a chip per reasoning step (its label, area and colour) linked to its mask layer."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsCoordinateTransform,
    QgsDistanceArea,
    QgsMapLayerProxyModel,
    QgsMessageLog,
    QgsProject,
    QgsRasterLayer,
)
from qgis.gui import QgsDockWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor, QIcon, QPixmap, QTextCharFormat, QTextCursor
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .. import request
from ..compat import message_level
from ..conversation import Conversation, persist, restore
from ..export import export_steps, export_transcript
from ..layers import layer_area
from ..runtime_client import RuntimeClient
from ..runtime_process import RuntimeProcess
from ..settings import RuntimeSettings
from .settings_dialog import SettingsDialog

LOG = "TerraScope"
STEP_ROLE = Qt.ItemDataRole.UserRole


class TerraScopeDock(QgsDockWidget):
    answered = pyqtSignal()  # a conversation ended (answered, failed or cancelled)

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("TerraScope"))
        self.setObjectName("TerraScopeDock")
        self.iface, self.project = iface, QgsProject.instance()
        self.settings = RuntimeSettings.load()
        self.conversations: list[Conversation] = []
        self.current: Conversation | None = None
        self._tiles, self._tile = 1, -1
        self.process = RuntimeProcess(self)
        self.client = self._client()
        self._build()
        self.project.layersWillBeRemoved.connect(self._layers_removed)
        self.project.writeProject.connect(self._on_write)
        self.project.readProject.connect(self._on_read)

    # ---- widgets ---------------------------------------------------------------------------------

    def _build(self) -> None:
        body = QWidget()
        box = QVBoxLayout(body)
        status_row = QHBoxLayout()
        self.status = QLabel(self.tr("Runtime: not connected"))
        self.status.setWordWrap(True)
        connect = QPushButton(self.tr("Connect"))
        connect.clicked.connect(self.connect_runtime)
        configure = QPushButton(self.tr("Settings…"))
        configure.clicked.connect(self.configure)
        status_row.addWidget(self.status, 1)
        status_row.addWidget(connect)
        status_row.addWidget(configure)
        box.addLayout(status_row)

        self.optical = self._raster_combo(allow_empty=False)
        self.sar = self._raster_combo(allow_empty=True)
        box.addWidget(QLabel(self.tr("Optical raster")))
        box.addWidget(self.optical)
        box.addWidget(QLabel(self.tr("SAR raster (optional)")))
        box.addWidget(self.sar)
        box.addWidget(QLabel(self.tr("Time series (optional): later images in date order")))
        self.series = QTableWidget(0, 2)
        self.series.setHorizontalHeaderLabels([self.tr("Layer"), self.tr("Date")])
        self.series.setMaximumHeight(110)
        series_row = QHBoxLayout()
        add = QPushButton(self.tr("Add selected layers"))
        add.clicked.connect(self.add_selected_to_series)
        clear = QPushButton(self.tr("Clear"))
        clear.clicked.connect(lambda: self.series.setRowCount(0))
        series_row.addWidget(add)
        series_row.addWidget(clear)
        box.addWidget(self.series)
        box.addLayout(series_row)

        area_row = QHBoxLayout()
        self.area_kind = QComboBox()
        self.area_kind.addItem(self.tr("Whole optical raster"), "raster")
        self.area_kind.addItem(self.tr("Map canvas extent"), "canvas")
        self.area_kind.addItem(self.tr("Extent of a layer"), "layer")
        self.area_kind.addItem(self.tr("Selected polygons of a layer"), "selection")
        self.area_layer = QgsMapLayerComboBox()
        area_row.addWidget(QLabel(self.tr("Area")))
        area_row.addWidget(self.area_kind, 1)
        area_row.addWidget(self.area_layer, 1)
        box.addLayout(area_row)

        self.question = QComboBox()
        self.question.setEditable(True)
        self.question.addItems(self.settings.history)
        self.question.setEditText("")
        self.question.lineEdit().setPlaceholderText(
            self.tr("Ask about the rasters, e.g. What share of this area is water?"))
        self.choices = QLineEdit()
        self.choices.setPlaceholderText(self.tr("Candidate answers, separated by ; (optional)"))
        box.addWidget(self.question)
        box.addWidget(self.choices)
        ask_row = QHBoxLayout()
        self.ask_button = QPushButton(self.tr("Ask"))
        self.ask_button.clicked.connect(self.ask)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.client.cancel)
        ask_row.addWidget(self.ask_button)
        ask_row.addWidget(self.cancel_button)
        box.addLayout(ask_row)

        self.transcript = QTextBrowser()
        box.addWidget(self.transcript, 2)
        self.chips = QListWidget()
        self.chips.setMaximumHeight(120)
        self.chips.itemClicked.connect(self.show_step)
        box.addWidget(self.chips)
        export_row = QHBoxLayout()
        for label, handler in ((self.tr("Export step"), self.export_step), (self.tr("Export all steps"),
                               self.export_all), (self.tr("Transcript to Markdown"), self.export_markdown)):
            button = QPushButton(label)
            button.clicked.connect(handler)
            export_row.addWidget(button)
        box.addLayout(export_row)
        self.setWidget(body)

    def _raster_combo(self, allow_empty: bool) -> QgsMapLayerComboBox:
        combo = QgsMapLayerComboBox()
        combo.setFilters(QgsMapLayerProxyModel.Filter.RasterLayer)
        combo.setAllowEmptyLayer(allow_empty)
        if allow_empty:
            combo.setLayer(None)
        return combo

    # ---- runtime ---------------------------------------------------------------------------------

    def _client(self) -> RuntimeClient:
        client = RuntimeClient(self.settings.url, self.settings.token, self)
        client.event.connect(self.on_event)
        client.finished.connect(self.on_finished)
        client.failed.connect(self.on_failed)
        client.health_ready.connect(self.on_health)
        client.health_failed.connect(lambda m: self.status.setText(self.tr("Runtime: not connected ({})").format(m)))
        return client

    def configure(self) -> None:
        if SettingsDialog(self.settings, self).exec():
            self.client = self._client()
            self.cancel_button.clicked.disconnect()
            self.cancel_button.clicked.connect(self.client.cancel)
            self.connect_runtime()

    def connect_runtime(self) -> None:
        s = self.settings
        if s.start_runtime and s.python and not self.process.running:
            folders = {str(Path(layer.source().split("|")[0]).parent) for layer in self.project.mapLayers().values()
                       if isinstance(layer, QgsRasterLayer)}
            self.process.output.connect(lambda text: QgsMessageLog.logMessage(text.rstrip(), LOG,
                                                                              message_level("Info")))
            self.process.start(s.python, s.url, sorted(folders | set(s.allowed)), s.model, s.token)
            self.status.setText(self.tr("Runtime: starting…"))
        self.client.health()

    def on_health(self, health: dict) -> None:
        text = self.tr("Runtime: connected — {model} {version} on {device} ({backend})").format(**health)
        if health.get("gpu_available") and not str(health.get("device", "")).startswith("cuda"):
            text += " — " + self.tr("a GPU is present but not used")
        self.status.setText(text)

    # ---- asking ----------------------------------------------------------------------------------

    def series_layers(self) -> list[tuple[QgsRasterLayer, str]]:
        out = []
        for row in range(self.series.rowCount()):
            layer = self.project.mapLayer(self.series.item(row, 0).data(STEP_ROLE))
            out.append((layer, self.series.item(row, 1).text().strip()))
        return out

    def add_selected_to_series(self) -> None:
        for layer in self.iface.layerTreeView().selectedLayers():
            if isinstance(layer, QgsRasterLayer):
                self.add_series_layer(layer)

    def add_series_layer(self, layer: QgsRasterLayer, date: str | None = None) -> None:
        row = self.series.rowCount()
        self.series.insertRow(row)
        name = QTableWidgetItem(layer.name())
        name.setData(STEP_ROLE, layer.id())
        name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.series.setItem(row, 0, name)
        self.series.setItem(row, 1, QTableWidgetItem(date if date is not None else request.layer_date(layer)))

    def area(self) -> dict | None:
        kind = self.area_kind.currentData()
        if kind == "raster":
            return None
        if kind == "canvas":
            canvas = self.iface.mapCanvas()
            return request.aoi(canvas.extent(), canvas.mapSettings().destinationCrs())
        layer = self.area_layer.currentLayer()
        if layer is None:
            raise ValueError(self.tr("choose the layer that gives the area of interest"))
        extent = layer.boundingBoxOfSelected() if kind == "selection" else layer.extent()
        if kind == "selection" and layer.selectedFeatureCount() == 0:
            raise ValueError(self.tr("select the polygons of the area of interest first"))
        return request.aoi(extent, layer.crs())

    def ask(self) -> None:
        if self.client.busy:
            return
        choices = [c.strip() for c in self.choices.text().split(";") if c.strip()]
        try:
            payload = request.build(self.optical.currentLayer(), self.question.currentText(),
                                    self.sar.currentLayer(), self.series_layers(), choices, self.area())
        except ValueError as err:
            self.report(str(err), "Warning")
            return
        sources = [layer.name() for layer in [self.optical.currentLayer(), self.sar.currentLayer(),
                                              *(lyr for lyr, _ in self.series_layers())] if layer is not None]
        self.current = Conversation(payload["question"], sources, choices=choices)
        self.conversations.append(self.current)
        self.settings.remember(payload["question"])
        self.transcript.append(f"<h3>{payload['question']}</h3>")
        self.chips.clear()
        self.ask_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.client.reason(payload)

    def on_event(self, event: dict) -> None:
        conv = self.current
        if conv is None:
            return
        kind = event["type"]
        if kind == "start":
            conv.model = event["model"]
            self._tiles, self._tile = event.get("tiles", 1), -1
            for warning in event.get("warnings", []):
                self.report(warning, "Info")
        elif kind == "text":
            text = event["text"]
            if self._tiles > 1 and event.get("tile", 0) != self._tile:
                self._tile = event["tile"]
                text = "\n" + self.tr("[tile {} of {}] ").format(self._tile + 1, self._tiles) + text
            conv.transcript += text
            cursor = self.transcript.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(text, QTextCharFormat())
            self.transcript.ensureCursorVisible()
        elif kind == "mask":
            layer = conv.add_mask(self.project, event)
            self._update_chip(conv, event["step"], layer)
        elif kind == "answer":
            conv.answer = event["answer"] + (f" ({event['choice']})" if event.get("choice") else "")
            self.transcript.append(f"<p><b>{self.tr('Answer')}:</b> {conv.answer}</p>")
        elif kind == "error":
            self.report(event["message"], "Critical")

    def _update_chip(self, conv: Conversation, step: int, layer) -> None:
        total, _ = layer_area(layer)
        phrase = next(s.phrase for s in conv.steps if s.index == step)
        text = f"{step + 1}. {phrase} — {QgsDistanceArea.formatArea(total, 2, self.project.areaUnits(), False)}"
        for row in range(self.chips.count()):
            item = self.chips.item(row)
            if item.data(STEP_ROLE) == layer.id():
                item.setText(text)
                return
        swatch = QPixmap(14, 14)
        swatch.fill(QColor(next(s.colour for s in conv.steps if s.index == step)))
        item = QListWidgetItem(QIcon(swatch), text)
        item.setData(STEP_ROLE, layer.id())
        self.chips.addItem(item)

    def _end(self) -> None:
        self.ask_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.answered.emit()

    def on_finished(self) -> None:
        self._end()

    def on_failed(self, message: str) -> None:
        self.report(self.tr("The runtime did not finish the answer: {}").format(message), "Critical")
        self._end()

    def report(self, message: str, level: str) -> None:
        QgsMessageLog.logMessage(message, LOG, message_level(level))
        self.iface.messageBar().pushMessage(LOG, message, message_level(level), 8)

    # ---- chips, layers, export -------------------------------------------------------------------

    def show_step(self, item: QListWidgetItem) -> None:
        layer = self.project.mapLayer(item.data(STEP_ROLE))
        if layer is None:
            return
        self.iface.setActiveLayer(layer)
        layer.selectAll()
        canvas = self.iface.mapCanvas()
        transform = QgsCoordinateTransform(layer.crs(), canvas.mapSettings().destinationCrs(), self.project)
        extent = transform.transformBoundingBox(layer.extent())
        extent.scale(1.1)
        canvas.setExtent(extent)
        canvas.refresh()

    def _layers_removed(self, ids: list[str]) -> None:
        for row in range(self.chips.count()):
            item = self.chips.item(row)
            if item.data(STEP_ROLE) in ids:
                item.setForeground(QColor("#9a9a9a"))
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)

    def _target(self, title: str, filters: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, "", filters)
        return Path(path) if path else None

    def export_step(self) -> None:
        item = self.chips.currentItem()
        if self.current is None or item is None:
            self.report(self.tr("click a step first"), "Warning")
            return
        step = next(s.index for s in self.current.steps if s.layer_id == item.data(STEP_ROLE))
        self._export([step])

    def export_all(self) -> None:
        if self.current is not None:
            self._export(None)

    def _export(self, steps: list[int] | None) -> None:
        path = self._target(self.tr("Export masks"), self.tr("GeoPackage (*.gpkg);;ESRI Shapefile (*.shp)"))
        if path is None:
            return
        try:
            export_steps(self.current, self.project, path, steps)
            self.report(self.tr("Masks written to {}").format(path), "Success")
        except (OSError, ValueError) as err:
            self.report(str(err), "Critical")

    def export_markdown(self) -> None:
        if self.current is None:
            return
        path = self._target(self.tr("Export transcript"), self.tr("Markdown (*.md)"))
        if path is not None:
            export_transcript(self.current, self.project, path)

    # ---- project ---------------------------------------------------------------------------------

    def _on_write(self, _document) -> None:
        self.save_to_project()

    def _on_read(self, _document) -> None:
        self.load_from_project()

    def save_to_project(self) -> None:
        try:
            persist(self.project, self.conversations)
        except OSError as err:
            self.report(str(err), "Critical")

    def load_from_project(self) -> None:
        self.conversations = restore(self.project)
        self.current = self.conversations[-1] if self.conversations else None
        self.transcript.clear()
        self.chips.clear()
        for conv in self.conversations:
            self.transcript.append(f"<h3>{conv.question}</h3>")
            self.transcript.insertPlainText(conv.transcript)
            self.transcript.append(f"<p><b>{self.tr('Answer')}:</b> {conv.answer}</p>")
        if self.current is not None:
            for step in self.current.steps:
                layer = self.project.mapLayer(step.layer_id)
                if layer is not None:
                    self._update_chip(self.current, step.index, layer)

    def unload(self) -> None:
        self.client.cancel()
        self.process.stop()
        self.project.layersWillBeRemoved.disconnect(self._layers_removed)
        self.project.writeProject.disconnect(self._on_write)
        self.project.readProject.disconnect(self._on_read)
