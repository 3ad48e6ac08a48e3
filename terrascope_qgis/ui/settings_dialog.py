"""The runtime settings dialog: connect to a URL (with a token), or start the runtime from a Python."""

from __future__ import annotations

from qgis.gui import QgsFileWidget
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
)

from ..settings import RuntimeSettings


class SettingsDialog(QDialog):
    def __init__(self, settings: RuntimeSettings, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("TerraScope runtime"))
        self.settings = settings
        form = QFormLayout(self)
        self.url = QLineEdit(settings.url)
        self.token = QLineEdit(settings.token)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.start = QCheckBox(self.tr("Start the runtime with QGIS's plugin (child process)"))
        self.start.setChecked(settings.start_runtime)
        self.python = QgsFileWidget()
        self.python.setFilePath(settings.python)
        self.python.setDialogTitle(self.tr("Python with terrascope-runtime installed"))
        self.model = QgsFileWidget()
        self.model.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.model.setFilePath(settings.model)
        self.model.setToolTip(self.tr("A model folder (run by PyTorch) or one written by export-onnx (run by ONNX "
                                      "Runtime); empty: the shipped default model"))
        self.allowed = QPlainTextEdit("\n".join(settings.allowed))
        self.allowed.setPlaceholderText(self.tr("one folder per line (the project's raster folders are added)"))
        form.addRow(self.tr("Runtime URL"), self.url)
        form.addRow(self.tr("Token"), self.token)
        form.addRow(self.start)
        form.addRow(self.tr("Python"), self.python)
        form.addRow(self.tr("Model folder"), self.model)
        form.addRow(self.tr("Folders it may read"), self.allowed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        s = self.settings
        s.url, s.token = self.url.text().strip(), self.token.text()
        s.start_runtime, s.python, s.model = self.start.isChecked(), self.python.filePath(), self.model.filePath()
        s.allowed = [p.strip() for p in self.allowed.toPlainText().splitlines() if p.strip()]
        s.save()
        super().accept()
