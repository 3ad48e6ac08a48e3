"""The runtime over HTTP, asynchronously on Qt's event loop: nothing here blocks the UI.

`RuntimeClient.reason` posts a request and emits every NDJSON event as it arrives; `cancel` aborts
it (the runtime then stops generating). A runtime that dies mid-answer ends in `failed` with
what was received so far already delivered.
"""

from __future__ import annotations

import json

from qgis.core import QgsNetworkAccessManager
from qgis.PyQt.QtCore import QByteArray, QObject, QUrl, pyqtSignal
from qgis.PyQt.QtNetwork import QNetworkReply, QNetworkRequest


def _request(url: str, token: str) -> QNetworkRequest:
    request = QNetworkRequest(QUrl(url))
    request.setHeader(QNetworkRequest.KnownHeaders.ContentTypeHeader, "application/json")
    if token:
        request.setRawHeader(b"Authorization", f"Bearer {token}".encode())
    return request


def error_message(reply: QNetworkReply, body: bytes) -> str:
    """The runtime's own message when it sent one, else the network error in words."""
    try:
        return json.loads(bytes(body).decode())["error"]
    except (ValueError, KeyError, UnicodeDecodeError, TypeError):
        return reply.errorString()


class RuntimeClient(QObject):
    event = pyqtSignal(dict)  # start / text / mask / answer / error events
    finished = pyqtSignal()
    failed = pyqtSignal(str)
    health_ready = pyqtSignal(dict)
    health_failed = pyqtSignal(str)

    def __init__(self, url: str, token: str = "", parent: QObject | None = None):
        super().__init__(parent)
        self.url, self.token = url.rstrip("/"), token
        self.manager = QgsNetworkAccessManager.instance()
        self._reply: QNetworkReply | None = None
        self._buffer = b""
        self._cancelled = False

    @property
    def busy(self) -> bool:
        return self._reply is not None

    def health(self) -> None:
        reply = self.manager.get(_request(f"{self.url}/v1/health", self.token))
        reply.finished.connect(lambda: self._health_done(reply))

    def _health_done(self, reply: QNetworkReply) -> None:
        body = bytes(reply.readAll())
        if reply.error() == QNetworkReply.NetworkError.NoError:
            self.health_ready.emit(json.loads(body.decode()))
        else:
            self.health_failed.emit(error_message(reply, body))
        reply.deleteLater()

    def reason(self, payload: dict) -> None:
        if self._reply is not None:
            raise RuntimeError("a question is already being answered")
        self._buffer, self._cancelled = b"", False
        data = QByteArray(json.dumps(payload).encode())
        self._reply = self.manager.post(_request(f"{self.url}/v1/reason", self.token), data)
        self._reply.readyRead.connect(self._read)
        self._reply.finished.connect(self._done)

    def cancel(self) -> None:
        if self._reply is not None:
            self._cancelled = True
            self._reply.abort()

    def _status(self) -> int:
        return int(self._reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute) or 0)

    def _read(self) -> None:
        if self._status() != 200:
            return  # an error body is read whole when the reply finishes
        self._buffer += bytes(self._reply.readAll())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            if line.strip():
                self.event.emit(json.loads(line.decode()))

    def _done(self) -> None:
        reply, self._reply = self._reply, None
        status = int(reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute) or 0)
        rest = bytes(reply.readAll())
        if status == 200 and reply.error() == QNetworkReply.NetworkError.NoError:
            for line in (self._buffer + rest).split(b"\n"):
                if line.strip():
                    self.event.emit(json.loads(line.decode()))
            self.finished.emit()
        elif self._cancelled:
            self.failed.emit(self.tr("cancelled"))
        else:
            message = error_message(reply, rest)
            if status == 200:
                message = self.tr("the runtime stopped answering: {}").format(message)
            self.failed.emit(message)
        reply.deleteLater()
