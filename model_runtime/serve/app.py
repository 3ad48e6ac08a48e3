"""The runtime's HTTP API (FastAPI): health, models, uploads, and streaming pixel-grounded answers.

Security: binds 127.0.0.1 by default; any other address needs a token, and a configured token is
checked on every request. Requests read rasters only under the allowed roots (or their own
uploads); bodies and uploads are size-limited; weights load only from safetensors folders.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import rasterio
import torch
from fastapi import Depends, FastAPI, File, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..backends.loading import open_backend
from ..geo.intake import AOI, IntakeError, SeriesItem, take
from ..model.checkpoint import CheckpointError
from ..model.loading import DEFAULT_MODEL
from ..model.onnx_layout import is_onnx_folder, read_manifest, served_name
from .admission import Admission, QueueFull
from .pipeline import Question, ask
from .schemas import ErrorOut, HealthOut, ModelOut, ReasonRequest, UploadOut

UPLOAD = File(..., description="a GeoTIFF (or any raster GDAL reads)")


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None
    allowed_roots: list[Path] = field(default_factory=list)
    models: list[Path] = field(default_factory=lambda: [DEFAULT_MODEL])
    device: str | None = None
    int8: bool = False  # ONNX model folders: run the int8-quantised decoder
    queue_size: int = 8
    max_pixels: int = 4096 * 4096
    max_upload_bytes: int = 256 * 2**20
    max_body_bytes: int = 1 * 2**20
    workdir: Path | None = None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Models:
    """Model folders (PyTorch or exported ONNX) by name, loaded on first use and kept."""

    def __init__(self, folders: list[Path], device: str | None, int8: bool = False):
        self.int8 = int8
        self.folders = {self._name(f): Path(f) for f in folders}
        self.device = device
        self.loaded: dict = {}
        self._lock = threading.Lock()

    def _name(self, folder: Path) -> str:
        folder = Path(folder)
        if is_onnx_folder(folder):
            try:
                return served_name(read_manifest(folder), self.int8)
            except (OSError, ValueError):
                return folder.name
        cfg = folder / "config.json"
        return json.loads(cfg.read_text()).get("name", folder.name) if cfg.is_file() else folder.name

    @property
    def default(self) -> str:
        return next(iter(self.folders))

    def get(self, name: str | None):
        name = name or self.default
        if name not in self.folders:
            raise ApiError(404, f"unknown model {name!r}; this runtime serves: {', '.join(self.folders)}")
        with self._lock:
            if name not in self.loaded:
                try:
                    self.loaded[name] = open_backend(self.folders[name], self.device, self.int8 and is_onnx_folder(
                        self.folders[name]), model_name=name)
                except (CheckpointError, ValueError) as err:
                    raise ApiError(500, f"model {name!r} cannot be loaded: {err}") from None
            return self.loaded[name]


def gpu_available() -> bool:
    """A CUDA GPU that PyTorch or ONNX Runtime could use."""
    from ..backends.onnx_backend import cuda_usable

    return torch.cuda.is_available() or cuda_usable()


def create_app(settings: Settings) -> FastAPI:
    if not is_loopback(settings.host) and not settings.token:
        raise ValueError(f"binding {settings.host} (not loopback) requires a token (--token)")
    if settings.int8 and not any(is_onnx_folder(f) for f in settings.models):
        raise ValueError("--int8 runs the quantised decoder of ONNX model folders, and none of the served models "
                         "is one (make one with: terrascope-runtime export-onnx --int8)")
    workdir = Path(settings.workdir or tempfile.mkdtemp(prefix="terrascope-runtime-"))
    (workdir / "uploads").mkdir(parents=True, exist_ok=True)
    roots = [Path(r).resolve() for r in settings.allowed_roots]
    models = Models(settings.models, settings.device, settings.int8)
    admission = Admission(settings.queue_size)
    app = FastAPI(title="TerraScope runtime", version=__version__,
                  description="Pixel-grounded visual reasoning over Earth-observation rasters.")
    app.state.settings, app.state.models, app.state.admission = settings, models, admission

    def check_token(request: Request) -> None:
        if settings.token is None:
            return
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), settings.token.encode()):
            raise ApiError(401, "missing or wrong token: send `Authorization: Bearer <token>`")

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        limit = settings.max_upload_bytes if request.url.path == "/v1/uploads" else settings.max_body_bytes
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > limit:
            return _error(413, f"request body of {int(length):,} bytes exceeds the limit of {limit:,} bytes")
        return await call_next(request)

    @app.exception_handler(ApiError)
    async def api_error(_, err: ApiError):
        return _error(err.status, err.message, err.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_, err: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}"
                             for e in err.errors()[:5])
        return _error(422, f"the request is not valid: {problems}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_, err: StarletteHTTPException):
        return _error(err.status_code, str(err.detail))

    auth = [Depends(check_token)]
    errors = {s: {"model": ErrorOut} for s in (401, 403, 404, 413, 422, 429)}

    @app.get("/v1/health", response_model=HealthOut, dependencies=auth, responses=errors)
    def health() -> HealthOut:
        backend = models.get(None)
        info = backend.info()
        return HealthOut(status="ok", model=info["name"], version=info["version"], backend=info["backend"],
                         device=info["device"], provider=info.get("provider"), gpu_available=gpu_available(),
                         queue_depth=admission.waiting, active=admission.active, capacity=admission.queue_size + 1)

    @app.get("/v1/models", response_model=list[ModelOut], dependencies=auth, responses=errors)
    def list_models() -> list[ModelOut]:
        out = []
        for name, folder in models.folders.items():
            cfg = json.loads((folder / "config.json").read_text()) if (folder / "config.json").is_file() else {}
            out.append(ModelOut(name=name, version=cfg.get("version", "?"), config=cfg.get("name", "release"),
                                backend="onnx" if is_onnx_folder(folder) else "torch", path=str(folder),
                                loaded=name in models.loaded))
        return out

    @app.post("/v1/uploads", response_model=UploadOut, dependencies=auth, responses=errors)
    async def upload(file: UploadFile = UPLOAD) -> UploadOut:
        key = secrets.token_hex(16)
        path = workdir / "uploads" / f"{key}.tif"
        size = 0
        with path.open("wb") as out:
            while chunk := await file.read(2**20):
                size += len(chunk)
                if size > settings.max_upload_bytes:
                    out.close()
                    path.unlink()
                    raise ApiError(413, f"upload exceeds {settings.max_upload_bytes:,} bytes")
                out.write(chunk)
        try:
            with rasterio.open(path) as src:
                meta = UploadOut(id=f"upload:{key}", bytes=size, crs=str(src.crs) if src.crs else None,
                                 width=src.width, height=src.height, count=src.count)
        except rasterio.errors.RasterioIOError:
            path.unlink()
            raise ApiError(422, f"{file.filename or 'the upload'} is not a raster GDAL can read") from None
        return meta

    def resolve(ref: str, what: str) -> Path:
        if ref.startswith("upload:"):
            key = ref.removeprefix("upload:")
            path = workdir / "uploads" / f"{key}.tif"
            if not key.isalnum() or not path.is_file():
                raise ApiError(404, f"{what}: no upload {ref!r}")
            return path
        try:
            path = Path(ref).expanduser().resolve()
        except (ValueError, OSError, RuntimeError):
            raise ApiError(422, f"{what}: {ref!r} is not a valid path") from None
        if not any(path.is_relative_to(root) for root in roots):
            raise ApiError(403, f"{what}: {ref} is outside the folders this runtime may read "
                                f"({', '.join(map(str, roots)) or 'none allowed; start it with --allow'})")
        if not path.exists():
            raise ApiError(404, f"{what}: {ref} does not exist")
        return path

    def question(req: ReasonRequest, out_dir: Path | None) -> Question:
        optical = resolve(req.optical, "optical")
        series = [SeriesItem(optical, req.optical_date)] + [SeriesItem(resolve(s.path, "series"), s.date)
                                                           for s in req.series] if req.series else []
        return Question(optical, req.question, req.choices, resolve(req.sar, "sar") if req.sar else None, series,
                        AOI(req.aoi.bbox, req.aoi.crs) if req.aoi else None, req.optical_profile, req.sar_profile,
                        req.rules, req.mask_format, out_dir, req.max_new_tokens)

    async def prepare(req: ReasonRequest):
        """Everything that can fail with a 4xx, before any byte of the answer is sent."""
        backend = models.get(req.model)
        out_dir = workdir / "masks" / secrets.token_hex(8) if req.mask_format == "geotiff_path" else None
        q = question(req, out_dir)
        size = backend.config.image_size[0]
        try:
            intake = await run_in_threadpool(take, q.optical, q.sar, q.series, q.aoi, size,
                                             settings.max_pixels, q.optical_profile, q.sar_profile)
        except IntakeError as err:
            raise ApiError(err.status, str(err)) from None
        return backend, q, intake

    def run(backend, q, intake, emit, stop: threading.Event) -> None:
        t0 = time.perf_counter()
        try:
            with admission.model_lock:
                for event in ask(backend, q, should_stop=stop.is_set, intake=intake):
                    emit(event)
        except Exception as err:  # noqa: BLE001 (reported to the client, the server keeps serving)
            emit({"type": "error", "status": 500, "message": f"reasoning failed: {err}"})
        finally:
            admission.leave(time.perf_counter() - t0)
            emit(None)

    @app.post("/v1/reason", dependencies=auth, responses={200: {"content": {"application/x-ndjson": {}}}, **errors})
    async def reason_stream(req: ReasonRequest, request: Request):
        """Stream NDJSON events: `start`, `text`, `mask` (GeoJSON in the request's CRS), `answer`."""
        backend, q, intake = await prepare(req)
        _admit(admission)
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue()
        stop = threading.Event()
        threading.Thread(target=run, args=(backend, q, intake, lambda e: loop.call_soon_threadsafe(
            queue.put_nowait, e), stop), daemon=True).start()

        async def events():
            try:
                while True:
                    try:
                        event = await asyncio.wait_for(queue.get(), timeout=0.5)
                    except asyncio.TimeoutError:
                        if await request.is_disconnected():
                            return
                        continue
                    if event is None:
                        return
                    yield json.dumps(event) + "\n"
            finally:
                stop.set()  # a client that went away cancels the generation

        return StreamingResponse(events(), media_type="application/x-ndjson")

    @app.post("/v1/reason/sync", dependencies=auth, responses=errors)
    async def reason_sync(req: ReasonRequest) -> dict:
        """The same answer in one JSON object: the final answer event plus every mask event."""
        backend, q, intake = await prepare(req)
        _admit(admission)
        collected: list[dict] = []
        await run_in_threadpool(run, backend, q, intake, collected.append, threading.Event())
        events = [e for e in collected if e is not None]
        failed = [e for e in events if e["type"] == "error"]
        if failed:
            raise ApiError(500, failed[0]["message"])
        answer = next(e for e in events if e["type"] == "answer")
        return {**answer, "masks": [e for e in events if e["type"] == "mask"],
                "transcript": "".join(e["text"] for e in events if e["type"] == "text"),
                "model": backend.info()}

    return app


def _admit(admission: Admission) -> None:
    try:
        admission.enter()
    except QueueFull as full:
        raise ApiError(429, str(full), {"Retry-After": str(full.retry_after)}) from None


def _error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)


def settings_from_args(args) -> Settings:
    return Settings(host=args.host, port=args.port, token=args.token, allowed_roots=list(args.allow),
                    models=list(args.model or [DEFAULT_MODEL]), device=args.device, int8=args.int8,
                    queue_size=args.queue,
                    max_pixels=args.max_pixels, max_upload_bytes=int(args.max_upload_mb * 2**20),
                    workdir=args.workdir)


def serve(args) -> None:
    import uvicorn

    settings = settings_from_args(args)
    try:
        app = create_app(settings)
        app.state.models.get(None)  # fail now, not on the first request, if the model cannot load
    except (CheckpointError, ApiError) as err:
        raise ValueError(str(err)) from None
    print(f"TerraScope runtime {__version__} on http://{settings.host}:{settings.port} "
          f"(models: {', '.join(app.state.models.folders)}; reads under: "
          f"{', '.join(map(str, settings.allowed_roots)) or 'uploads only'})", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
