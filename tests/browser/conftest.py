"""A JupyterLab server and a headless Chromium for the browser tests, always stopped afterwards (issue 7).

The server runs on 127.0.0.1 with a random token and a free port, serves a temporary copy of `notebooks/`
and keeps its configuration, settings, workspaces and runtime files in a temporary folder, so nothing a
test does in the browser reaches the repository or the user's own Jupyter setup.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mlqa.questions import NOTEBOOKS_DIR

# Without the network flags Chromium keeps trying to reach outside hosts; there is no sandbox in CI containers.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

# JupyterLab user settings: no news or update pop-ups (and no calls out for them), every cell in the page
# (no windowing, so off-screen cells can be found), and no autosave.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}
SERVER_START_TIMEOUT_S = 60
SERVER_STOP_TIMEOUT_S = 15


def find_chromium() -> str | None:
    """The system Chromium (Debian's `chromium` package), or None when it is not installed."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


@dataclass
class JupyterLab:
    """A running JupyterLab server: where it listens, its token and the folder it serves."""

    url: str
    token: str
    root: Path

    def notebook_url(self, name: str) -> str:
        """The address that opens notebook `name` in a fresh JupyterLab workspace."""
        return f"{self.url}/doc/tree/{name}?reset&token={self.token}"

    def api(self, path: str, method: str = "GET") -> object:
        """Call the server's REST API and return the decoded JSON answer (None when it is empty)."""
        request = urllib.request.Request(f"{self.url}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        """End every session and its kernel, so the next test starts from a fresh kernel."""
        for session in self.api("sessions"):
            self.api(f"sessions/{session['id']}", method="DELETE")
        for kernel in self.api("kernels"):
            self.api(f"kernels/{kernel['id']}", method="DELETE")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (another process may still take it first)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_lab_settings(settings_dir: Path) -> None:
    """Write LAB_SETTINGS as JupyterLab user-settings files under `settings_dir`."""
    for plugin, values in LAB_SETTINGS.items():
        path = settings_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


def start_server(root: Path, home: Path, token: str, port: int, log_path: Path) -> subprocess.Popen:
    """Start JupyterLab serving `root`, with all its state kept under `home`."""
    # JUPYTER_DATA_DIR stays: a user-level install of the ipywidgets lab extension or a kernel spec lives there.
    env = dict(os.environ,
               JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "config" / "lab" / "user-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "config" / "lab" / "workspaces"),
               IPYTHONDIR=str(home / "ipython"))
    write_lab_settings(Path(env["JUPYTERLAB_SETTINGS_DIR"]))
    command = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--ServerApp.allow_root=True",  # CI containers run as root
               "--LabApp.extension_manager=readonly", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    with open(log_path, "ab") as log:
        return subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_serving(process: subprocess.Popen, lab: JupyterLab, timeout_s: float) -> bool:
    """Poll the server's status until it answers (True), it exits, or `timeout_s` passes (False)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and process.poll() is None:
        try:
            lab.api("status")
            return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    return False


def stop_server(process: subprocess.Popen, lab: JupyterLab) -> None:
    """Shut the server down with its kernels; terminate, then kill, whatever is still running."""
    if process.poll() is None:
        try:
            lab.api("shutdown", method="POST")  # also shuts down every kernel
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
    for end in (None, process.terminate, process.kill):
        if end is not None:
            end()
        try:
            process.wait(timeout=SERVER_STOP_TIMEOUT_S)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The system Chromium's path; skips the browser tests, saying why, when it is not installed."""
    path = find_chromium()
    if path is None:
        pytest.skip("no system Chromium found (looked for `chromium` on PATH and /usr/bin/chromium); install "
                    "Debian's chromium package to run the browser tests")
    return path


@pytest.fixture(scope="session")
def jupyter_lab(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLab]:
    """A JupyterLab server on 127.0.0.1 (random token, free port) serving a temporary copy of the notebooks."""
    home = tmp_path_factory.mktemp("jupyter-home")
    root = home / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    token = secrets.token_hex(24)
    log_path = home / "server.log"
    for _ in range(3):  # the free port can be taken before the server binds it: try another one
        lab = JupyterLab(url=f"http://127.0.0.1:{free_port()}", token=token, root=root)
        process = start_server(root, home, token, int(lab.url.rsplit(":", 1)[1]), log_path)
        if wait_until_serving(process, lab, SERVER_START_TIMEOUT_S):
            break
        stop_server(process, lab)
    else:
        log_tail = log_path.read_text(errors="replace")[-3000:]
        pytest.fail(f"JupyterLab did not start in 3 tries of {SERVER_START_TIMEOUT_S} s; its log ends:\n{log_tail}")
    try:
        yield lab
    finally:
        stop_server(process, lab)


@pytest.fixture(scope="session")
def browser_context(chromium_path: str):
    """One headless Chromium for the session (its cache makes later page loads faster), always closed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 1000})
            context.set_default_timeout(30_000)
            yield context
        finally:
            browser.close()


@pytest.fixture
def page(browser_context, jupyter_lab: JupyterLab):
    """A new browser tab; afterwards the tab is closed and every kernel it started is shut down."""
    tab = browser_context.new_page()
    try:
        yield tab
    finally:
        tab.close()
        jupyter_lab.shut_down_kernels()
