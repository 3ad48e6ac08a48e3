"""The runtime from a Processing worker thread: one blocking request at a time (QgsBlockingNetworkRequest
is made for threads that may block; the GUI thread never runs this)."""

from __future__ import annotations

import json

from qgis.core import QgsBlockingNetworkRequest
from qgis.PyQt.QtCore import QByteArray, QUrl
from qgis.PyQt.QtNetwork import QNetworkRequest


class RuntimeError_(Exception):
    """The runtime refused or failed a request; the message is the runtime's own."""


def reason_sync(url: str, token: str, payload: dict, feedback=None) -> dict:
    request = QNetworkRequest(QUrl(url.rstrip("/") + "/v1/reason/sync"))
    request.setHeader(QNetworkRequest.KnownHeaders.ContentTypeHeader, "application/json")
    if token:
        request.setRawHeader(b"Authorization", f"Bearer {token}".encode())
    blocking = QgsBlockingNetworkRequest()
    code = blocking.post(request, QByteArray(json.dumps(payload).encode()), True, feedback)
    reply = blocking.reply()
    body = bytes(reply.content())
    if code != QgsBlockingNetworkRequest.ErrorCode.NoError:
        try:
            message = json.loads(body.decode())["error"]
        except (ValueError, KeyError, UnicodeDecodeError):
            message = blocking.errorMessage()
        raise RuntimeError_(message)
    return json.loads(body.decode())
