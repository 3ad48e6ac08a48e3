"""Plugin tests run in Debian's QGIS Python; the runtime runs beside it in its own venv, for real."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
RUNTIME_PY = REPO / ".venv-runtime" / "bin" / "python"
DEFAULT_MODEL = REPO / "model_runtime" / "default_model"

MAKE_RASTERS = """
import sys
from pathlib import Path
from model_runtime.data.scene import generate_scene
from model_runtime.data.scene_io import write_scene
from model_runtime.data.landcover import WATER
out = Path(sys.argv[1])
scene = next(s for s in (generate_scene(k, dates=3, pixel_size=10.0, cloud_chance=0.0) for k in range(40))
             if 0.1 < (s.labels[0] == WATER.id).mean() < 0.5)
write_scene(scene, out)
write_scene(generate_scene(7, size=512, pixel_size=10.0), out / "big", sar=False)
far = generate_scene(1000, pixel_size=10.0)
far.transform = far.transform * far.transform.translation(100000, 0)
write_scene(far, out / "far", sar=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def rasters(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rasters")
    subprocess.run([str(RUNTIME_PY), "-c", MAKE_RASTERS, str(folder)], check=True, cwd=REPO)
    return folder


class Runtime:
    def __init__(self, allowed: Path, token: str | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [str(RUNTIME_PY), "-m", "model_runtime.cli", "serve", "--port", str(self.port), "--allow", str(allowed)]
        if token:
            args += ["--token", token]
        self.process = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        for _ in range(600):
            try:
                urllib.request.urlopen(urllib.request.Request(self.url + "/v1/health", headers=headers), timeout=1)
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stdout.read().decode()) from None
                time.sleep(0.1)
        raise RuntimeError("the runtime did not start")

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process.stdout.close()


@pytest.fixture(scope="session")
def runtime(rasters):
    if not DEFAULT_MODEL.is_dir() or not RUNTIME_PY.exists():
        pytest.skip("needs the runtime venv and the default model")
    rt = Runtime(rasters)
    yield rt
    rt.kill()
