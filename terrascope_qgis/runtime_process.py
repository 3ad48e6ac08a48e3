"""Starting the runtime as a child process of QGIS, from a configured Python (never inside QGIS)."""

from __future__ import annotations

from urllib.parse import urlparse

from qgis.PyQt.QtCore import QObject, QProcess, pyqtSignal


class RuntimeProcess(QObject):
    output = pyqtSignal(str)
    stopped = pyqtSignal(int)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        self.process.readyReadStandardOutput.connect(
            lambda: self.output.emit(bytes(self.process.readAllStandardOutput()).decode(errors="replace")))
        self.process.finished.connect(lambda code, _status: self.stopped.emit(code))

    def arguments(self, url: str, allowed: list[str], model: str = "", token: str = "") -> list[str]:
        parsed = urlparse(url)
        args = ["-m", "model_runtime.cli", "serve", "--host", parsed.hostname or "127.0.0.1",
                "--port", str(parsed.port or 8765)]
        if allowed:
            args += ["--allow", *allowed]
        if model:
            args += ["--model", model]
        if token:
            args += ["--token", token]
        return args

    def start(self, python: str, url: str, allowed: list[str], model: str = "", token: str = "") -> None:
        self.process.start(python, self.arguments(url, allowed, model, token))

    @property
    def running(self) -> bool:
        return self.process.state() != QProcess.ProcessState.NotRunning

    def stop(self) -> None:
        if self.running:
            self.process.terminate()
            if not self.process.waitForFinished(3000):
                self.process.kill()
