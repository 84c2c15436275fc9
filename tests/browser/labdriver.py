"""Drive JupyterLab in a real browser, as a student would: open a notebook, run it, move sliders.

Shared by the browser tests (``tests/browser/``) and ``benchmarks/slider_latency.py``.

* :class:`JupyterLabServer` starts ``jupyter lab`` on 127.0.0.1, on a free port, with a token and
  its own settings, workspaces, runtime, config and data folders (nothing of the user's Jupyter
  set-up leaks in, and nothing is left behind), and stops it.
* :func:`launch_chromium` starts Debian's ``chromium`` headless through Playwright for Python.
  Playwright's own browser download (``playwright install``) is not used: it cannot work on
  machines without internet access. Playwright gives each launch a fresh, temporary profile
  (``--user-data-dir``).
* :class:`NotebookPage` opens a notebook in JupyterLab and runs it through the menus; it reads
  what the page shows (prompts, error outputs) from the DOM.
* :class:`ExplorerView` is the gradient-descent explorer of lesson 1 in a cell's output: its
  sliders, its diagnosis, its plot, and a probe in the page that timestamps each key press and
  each new plot image.

Nothing here saves a notebook: autosave is off, and the tests serve copies.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

#: Flags for Debian's chromium on a machine with no display and a closed network: no sandbox
#: (we run as root in a container), no GPU, and none of the background connections that the
#: closed network would refuse by the dozen.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]

#: How to make the browser tests run, for the skip message.
HOW_TO_ENABLE = ("install Debian's chromium (`apt-get install -y chromium`) and Playwright for "
                 "Python (`.venv/bin/pip install playwright`, part of `pip install -e '.[dev]'`; "
                 "`playwright install` is not needed), or point $CHROMIUM at a Chromium binary")

#: JupyterLab settings of the test server (the user-settings folder is private to it):
#: every cell stays in the DOM (no virtual scrolling), nothing is saved behind our back, and no
#: news or update pop-up covers the page.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
}

STDERR_MIME = "application/vnd.jupyter.stderr"  # error tracebacks and stderr streams alike


def find_chromium() -> str | None:
    """The Chromium binary: ``$CHROMIUM`` if set, else ``chromium`` on the PATH, else ``None``."""
    chosen = os.environ.get("CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing_tools() -> str | None:
    """What is missing for the browser tests (``None`` when both tools are there)."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Playwright for Python")
    if find_chromium() is None:
        missing.append("chromium")
    return " and ".join(missing) or None


def launch_chromium(playwright):
    """Start headless chromium through Playwright (a fresh temporary profile every time)."""
    return playwright.chromium.launch(executable_path=find_chromium(), headless=True,
                                      args=CHROMIUM_FLAGS)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------------------------
# The server


class JupyterLabServer:
    """``jupyter lab`` serving ``root`` on 127.0.0.1, with its state kept under ``state_dir``.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`.

    Parameters
    ----------
    root : Path
        The folder JupyterLab serves (the file browser's top).
    state_dir : Path
        Where the server's private Jupyter folders and its log go.
    """

    def __init__(self, root, state_dir):
        self.root = Path(root)
        self.state_dir = Path(state_dir)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.state_dir / "jupyterlab.log"
        self._process = None
        self._log = None

    def _environment(self):
        env = dict(os.environ)
        folders = {"JUPYTER_CONFIG_DIR": "config", "JUPYTER_DATA_DIR": "data",
                   "JUPYTER_RUNTIME_DIR": "runtime", "JUPYTERLAB_SETTINGS_DIR": "settings",
                   "JUPYTERLAB_WORKSPACES_DIR": "workspaces", "IPYTHONDIR": "ipython"}
        for variable, name in folders.items():
            env[variable] = str(self.state_dir / name)
            (self.state_dir / name).mkdir(parents=True, exist_ok=True)
        # Kernels inherit the server's environment: an Agg backend would hide every plot.
        env.pop("MPLBACKEND", None)
        env.pop("JUPYTER_TOKEN", None)
        return env

    def _write_settings(self):
        for plugin, values in LAB_SETTINGS.items():
            path = self.state_dir / "settings" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))

    def start(self, timeout=90.0):
        """Start the server and wait until its REST API answers."""
        env = self._environment()
        self._write_settings()
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.root}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self._log = open(self.log_path, "w")
        self._process = subprocess.Popen(command, env=env, cwd=self.root, stdout=self._log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with status {self._process.returncode}:"
                                   f"\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status")
                return self
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {timeout:.0f} s:\n"
                           f"{self.log_tail()}")

    def stop(self):
        """Stop the server (its kernels with it)."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()  # SIGTERM: jupyter_server shuts its kernels down
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def log_tail(self, n_lines=40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n_lines:])

    def api(self, method, path, timeout=10.0):
        """Call the server's REST API; the decoded JSON answer (``None`` for no content)."""
        request = urllib.request.Request(self.base_url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def wait_for_kernel(self, path, timeout=60.0):
        """Wait until the server has a session for the notebook ``path`` whose kernel is idle."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for session in self.api("GET", "/api/sessions"):
                if Path(session.get("path", "")) == Path(path) and \
                        session.get("kernel", {}).get("execution_state") == "idle":
                    return session
            time.sleep(0.2)
        raise TimeoutError(f"no idle kernel for {path} after {timeout:.0f} s:\n"
                           f"{self.log_tail()}")

    def shutdown_kernels(self):
        """Shut down every session and kernel, so that the next notebook starts afresh."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def lab_url(self, path) -> str:
        """The address that opens ``path`` (relative to the root) in a fresh JupyterLab
        workspace."""
        return f"{self.base_url}/lab/tree/{Path(path).as_posix()}?reset&token={self.token}"


# --------------------------------------------------------------------------------------------
# A notebook in the page


@dataclass(frozen=True)
class CellView:
    """One cell as the page shows it.

    Attributes
    ----------
    index : int
        Position in the notebook (the same as in the ``.ipynb`` file).
    is_code : bool
    prompt : str
        ``"[12]:"`` once run, ``"[*]:"`` while running or queued, ``"[ ]:"`` never run.
    errors : tuple of str
        The text of every error traceback or stderr stream in the cell's output.
    """

    index: int
    is_code: bool
    prompt: str
    errors: tuple

    @property
    def executed(self) -> bool:
        return bool(re.fullmatch(r"\[\d+\]:", self.prompt.strip()))


_CELLS_JS = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).map(c => ({
  is_code: c.classList.contains('jp-CodeCell'),
  prompt: (c.querySelector('.jp-InputArea-prompt') || {textContent: ''}).textContent,
  errors: Array.from(c.querySelectorAll('.jp-OutputArea-output[data-mime-type="%s"]'))
              .map(e => e.innerText),
}))""" % STDERR_MIME

_IDLE_JS = """(before) => {
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  const prompts = Array.from(document.querySelectorAll('.jp-Notebook .jp-InputArea-prompt'))
      .map(e => e.textContent);
  const counts = prompts.map(p => parseInt((p.match(/\\[(\\d+)\\]/) || [0, '0'])[1]));
  return indicator && indicator.dataset.status === 'idle'
      && !prompts.some(p => p.includes('*')) && Math.max(0, ...counts) > before;
}"""


_LAST_COUNT_JS = """() => Math.max(0, ...Array.from(
    document.querySelectorAll('.jp-Notebook .jp-InputArea-prompt'))
    .map(e => parseInt((e.textContent.match(/\\[(\\d+)\\]/) || [0, '0'])[1])))"""

_STARTED_JS = """(before) => {
  const prompts = Array.from(document.querySelectorAll('.jp-Notebook .jp-InputArea-prompt'))
      .map(e => e.textContent);
  const counts = prompts.map(p => parseInt((p.match(/\\[(\\d+)\\]/) || [0, '0'])[1]));
  return prompts.some(p => p.includes('*')) || Math.max(0, ...counts) > before;
}"""


_CELL_DONE_JS = """([index, before]) => {
  const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[index];
  const prompt = cell.querySelector('.jp-InputArea-prompt').textContent;
  const count = parseInt((prompt.match(/\\[(\\d+)\\]/) || [0, '0'])[1]);
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return count > before && indicator.dataset.status === 'idle';
}"""


class NotebookPage:
    """A notebook open in JupyterLab in ``page``, driven with the menus and the keyboard.

    Parameters
    ----------
    page : playwright.sync_api.Page
    server : JupyterLabServer
    path : str or Path
        The notebook, relative to the server's root.
    """

    def __init__(self, page, server, path):
        self.page = page
        self.server = server
        self.path = Path(path)

    def open(self, timeout_ms=60_000):
        """Open the notebook and wait until its kernel is idle.

        In a page that already shows this server's JupyterLab, any open notebook is closed
        (File > Close Tab, discarding changes) and this one opened with File > Open from Path;
        otherwise JupyterLab is loaded with the notebook's address in a fresh workspace.
        """
        if not (self.page.url.startswith(self.server.base_url + "/lab")
                and self._try_close_all()):
            self.page.goto(self.server.lab_url(self.path))
        else:
            self.menu("File", "Open from Path…")
            self.page.locator(".jp-Dialog input").fill(self.path.as_posix())
            self.page.keyboard.press("Enter")
        self.page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout_ms)
        self.server.wait_for_kernel(self.path, timeout_ms / 1000)
        self.page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status=idle]",
                                    timeout=timeout_ms)
        # Hide the file browser (Ctrl+B, as in any JupyterLab): more room for the notebook.
        if self.page.evaluate("() => { const s = document.querySelector('#jp-left-stack');"
                              " return !!s && s.offsetWidth > 0; }"):
            self.page.keyboard.press("Control+b")
        return self

    def _try_close_all(self) -> bool:
        """Close every notebook; ``False`` if the page is stuck (then it is simply reloaded)."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            self.page.keyboard.press("Escape")  # a menu or dialog left open by a failed test
            return self.close_all(timeout_ms=10_000)
        except PlaywrightError:
            return False

    def close_all(self, timeout_ms=30_000, max_tabs=10) -> bool:
        """Close every open notebook (File > Close Tab; Discard when asked to save).

        Returns
        -------
        bool
            Whether the page ended with no notebook open.
        """
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        for _ in range(max_tabs):
            n_open = self.page.locator(".jp-NotebookPanel").count()
            if n_open == 0:
                return True
            self.page.locator(".jp-NotebookPanel .jp-Notebook").first.click(
                position={"x": 5, "y": 5})  # make it the current tab
            self.menu("File", "Close Tab")
            discard = self.page.locator(".jp-Dialog button", has_text="Discard")
            try:
                discard.wait_for(timeout=2_000)
                discard.click()
            except PlaywrightTimeout:  # no unsaved changes: no dialog
                pass
            self.page.wait_for_function("(n) => document.querySelectorAll("
                                        "'.jp-NotebookPanel').length < n",
                                        arg=n_open, timeout=timeout_ms)
        return self.page.locator(".jp-NotebookPanel").count() == 0

    def menu(self, top, item):
        """Click ``top`` in the menu bar, then ``item`` in its menu (both by their labels).

        CSS and text, not ARIA roles, find them: computing the accessible name of every element
        of a long notebook took a second per lookup.
        """
        self.page.locator(".lm-MenuBar-itemLabel").get_by_text(top, exact=True).click()
        self.page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()

    def cells(self) -> list:
        """What every cell shows now, in notebook order."""
        return [CellView(i, c["is_code"], c["prompt"], tuple(c["errors"]))
                for i, c in enumerate(self.page.evaluate(_CELLS_JS))]

    def _last_count(self) -> int:
        """The highest execution count the prompts show (0 before any run)."""
        return self.page.evaluate(_LAST_COUNT_JS)

    def _wait_until_idle(self, before, timeout_ms):
        self.page.wait_for_function(_IDLE_JS, arg=before, timeout=timeout_ms, polling=100)

    def run(self, action, timeout_ms=180_000, tries=3):
        """Do ``action`` (a function that makes JupyterLab run cells), wait until the kernel is
        idle again with a new execution count.

        A run asked for while the page is still connecting its kernel is dropped by JupyterLab
        (the prompt stays ``[ ]``); then, as a person would, the action is done again.
        """
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        before = self._last_count()
        for _ in range(tries):
            action()
            try:
                self.page.wait_for_function(_STARTED_JS, arg=before, timeout=5_000,
                                            polling=50)
                break
            except PlaywrightTimeout:
                continue
        else:
            raise RuntimeError(f"{self.path}: JupyterLab did not start running ({tries} tries)")
        self._wait_until_idle(before, timeout_ms)

    def run_all(self, timeout_ms=180_000):
        """Run > Run All Cells, and wait until the kernel is idle again.

        As in any JupyterLab, the run stops at the first cell that raises.
        """
        self.run(lambda: self.menu("Run", "Run All Cells"), timeout_ms)

    def run_cell(self, index, timeout_ms=180_000):
        """Select the cell at ``index``, press Shift+Enter, wait until it has run."""
        def action():
            self.select(index)
            self.page.keyboard.press("Shift+Enter")
        self.run(action, timeout_ms)

    def select(self, index, tries=5):
        """Click the cell's prompt, which makes it the active cell (command mode).

        A click can land on a neighbour while outputs above are still growing and the notebook
        scrolls; then the click is repeated.
        """
        cell = self.cell(index)
        for _ in range(tries):
            cell.locator(".jp-InputArea-prompt").click()
            if "jp-mod-active" in (cell.get_attribute("class") or "").split():
                return cell
            self.page.wait_for_timeout(200)
        raise RuntimeError(f"{self.path}: could not select cell {index}")

    def index_of(self, cell) -> int:
        """The position of a cell locator's cell in the notebook."""
        return cell.evaluate("(c) => Array.from(document.querySelectorAll('.jp-Notebook "
                             ".jp-Cell')).indexOf(c)")

    def run_all_past_errors(self, timeout_ms=180_000):
        """Run every code cell, going on after each error the way a student does.

        Run > Run All Cells stops at the first error. From there on, the rest is run one cell
        at a time with Shift+Enter (run and go to the next cell; Ctrl+Enter on the last one, so
        that no new cell is added), each code cell waited for before the next key press, as a
        student reads down the notebook.

        Returns
        -------
        int
            How many code cells raised or wrote to stderr.
        """
        self.run_all(timeout_ms)
        cells = self.cells()
        waiting = [c.index for c in cells if c.is_code and not c.executed]
        if not waiting:
            return sum(bool(c.errors) for c in cells)
        self.select(waiting[0])
        for index in range(waiting[0], len(cells)):
            if self._active_index() != index:
                self.select(index)
            key = "Shift+Enter" if index < len(cells) - 1 else "Control+Enter"
            if cells[index].is_code:
                before = self._last_count()
                self.page.keyboard.press(key)
                self.page.wait_for_function(_CELL_DONE_JS, arg=[index, before],
                                            timeout=timeout_ms, polling=50)
            else:
                self.page.keyboard.press(key)
        return sum(bool(c.errors) for c in self.cells())

    def _active_index(self) -> int:
        return self.page.evaluate(
            "() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'))"
            ".findIndex(c => c.classList.contains('jp-mod-active'))")

    def cell(self, index):
        """The locator of the cell at ``index``."""
        return self.page.locator(".jp-Notebook .jp-Cell").nth(index)

    def code_cell_containing(self, text):
        """The locator of the code cell whose text contains ``text``."""
        return self.page.locator(".jp-Notebook .jp-CodeCell", has_text=text)

    def run_new_cell_above(self, cell, code, timeout_ms=60_000):
        """Insert a code cell above ``cell`` (key A in command mode), type ``code``, run it.

        The text is inserted as one paste (no auto-indent or closing brackets added).

        Returns
        -------
        str
            What the new cell printed.
        """
        index = self.index_of(cell)
        self.select(index)
        self.page.keyboard.press("a")  # the new cell takes this index
        self.page.keyboard.press("Enter")
        self.page.keyboard.insert_text(code)
        self.page.keyboard.press("Escape")
        self.run_cell(index, timeout_ms)
        return self.cell(index).locator(".jp-OutputArea").inner_text()

    def screenshot_whole(self, path, width=1280, part_height=6_000) -> list:
        """Screenshots of the whole notebook, top to bottom, in parts of at most
        ``part_height`` pixels: ``NAME-1.png``, ``NAME-2.png``, ... for ``path`` = ``NAME.png``.

        The page is made tall, and the notebook scrolled one screenful at a time.

        Returns
        -------
        list of Path
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{path.stem}-*.png"):
            old.unlink()
        viewport = self.page.viewport_size
        self.page.set_viewport_size({"width": width, "height": part_height})
        parts = []
        try:
            self.page.wait_for_timeout(300)  # let the layout settle at the new size
            scroller = self.page.evaluate_handle("""() => {
              for (let e = document.querySelector('.jp-Notebook .jp-Cell'); e; e = e.parentElement)
                if (e.scrollHeight > e.clientHeight + 1 &&
                    getComputedStyle(e).overflowY.match(/auto|scroll/)) return e;
              return null;
            }""")
            offset, total, screen = 0, 1, 0
            while offset < total:
                if scroller.as_element() is not None:
                    total, screen = scroller.evaluate(
                        "(e, y) => { e.scrollTop = y; return [e.scrollHeight, e.clientHeight]; }",
                        offset)
                self.page.wait_for_timeout(150)
                parts.append(path.parent / f"{path.stem}-{len(parts) + 1}.png")
                self.page.screenshot(path=str(parts[-1]))
                if screen <= 0:
                    break
                offset += screen
        finally:
            self.page.set_viewport_size(viewport)
        return parts


# --------------------------------------------------------------------------------------------
# The explorer of lesson 1

_PROBE_JS = """(img) => {
  // Timestamps, on the page's clock, of every key press and pointer press (captured before the
  // slider sees them), and of every new plot: its src swapped, and the new image decoded.
  const probe = window.__explorerProbe = {input: [], src: [], load: []};
  const now = () => performance.now();
  document.addEventListener('keydown', () => probe.input.push(now()), true);
  document.addEventListener('pointerdown', () => probe.input.push(now()), true);
  new MutationObserver(() => probe.src.push(now()))
      .observe(img, {attributes: true, attributeFilter: ['src']});
  img.addEventListener('load', () => probe.load.push(now()));
}"""

_IMAGE_DIGEST_JS = """async (img) => {
  const bytes = await (await fetch(img.src)).arrayBuffer();
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest)).map(b => b.toString(16).padStart(2, '0')).join('');
}"""


@dataclass(frozen=True)
class Move:
    """One slider move and what it took for the page to show the new plot.

    Attributes
    ----------
    slider, key : str
    value : float
        The slider's position afterwards (for the learning rate: its exponent, log10 lr).
    to_src_ms : float
        From the key press to the plot image's new ``src`` (the PNG has arrived).
    to_load_ms : float
        From the key press to the new image decoded and ready to paint.
    n_images : int
        How many new plot images the move produced (1 expected).
    digest : str
        SHA-256 of the PNG now shown.
    """

    slider: str
    key: str
    value: float
    to_src_ms: float
    to_load_ms: float
    n_images: int
    digest: str


class ExplorerView:
    """The gradient-descent explorer displayed in ``cell`` (a code cell of lesson 1) of an open
    :class:`NotebookPage`."""

    SLIDERS = {"lr": "Learning rate", "w0": "Start w", "n_iter": "Iterations"}

    def __init__(self, notebook, cell):
        self.notebook = notebook
        self.page = notebook.page
        self.cell = cell
        self.root = cell.locator(".jp-OutputArea .widget-vbox").first
        self.image = self.root.locator("img.widget-image")
        self._probed = False

    #: The answer cell whose function the explorer runs (``descent=gradient_descent_1d``): it
    #: is run first, so that the name exists in a fresh kernel (unanswered, the explorer shows
    #: the reference's path with a note).
    ANSWER_CELL = "def gradient_descent_1d("

    def show(self, timeout_ms=60_000):
        """Run the answer cell, then the cell (click its prompt, Shift+Enter), and wait for the
        plot."""
        answer = self.notebook.code_cell_containing(self.ANSWER_CELL)
        if answer.count():
            self.notebook.run_cell(self.notebook.index_of(answer.first), timeout_ms)
        self.notebook.run_cell(self.notebook.index_of(self.cell), timeout_ms)
        self.image.wait_for(timeout=timeout_ms)
        self.page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                                    arg=self.image.element_handle(), timeout=timeout_ms)
        self.cell.scroll_into_view_if_needed()
        return self

    def slider_row(self, name):
        return self.root.locator(".widget-slider", has_text=self.SLIDERS[name])

    def handle(self, name):
        """The slider's knob: focusable, moved by arrow keys, Home/End, PageUp/PageDown."""
        return self.slider_row(name).locator(".noUi-handle")

    def readout(self, name) -> str:
        return self.slider_row(name).locator(".widget-readout").inner_text()

    def value(self, name) -> float:
        """The slider's position (for the learning rate: the exponent, log10 lr)."""
        return float(self.handle(name).get_attribute("aria-valuetext"))

    def settled_value(self, name, expected, timeout_ms=10_000) -> float:
        """The slider's position once it shows ``expected`` or ``timeout_ms`` has passed: the
        kernel sends the new plot and the slider's new value in separate messages, so the
        plot can arrive first."""
        deadline = time.monotonic() + timeout_ms / 1000
        found = self.value(name)
        tolerance = 1e-6 * max(1.0, abs(expected))
        while abs(found - expected) > tolerance and time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
            found = self.value(name)
        return found

    def choose_curve(self, label, timeout_ms=20_000, quiet_ms=400):
        """Pick ``label`` in the curve menu; wait until the plot has changed and stayed the same
        for ``quiet_ms``. Returns the new plot's digest.

        The wait watches the picture itself, not the image's load events: after a curve change
        the page was seen (one run in five, on a loaded machine) to show the new curve's
        controls and plot without a load event reaching the probe."""
        before = self.image_digest()
        self.page.keyboard.press("Escape")  # leave any readout being edited
        self.root.locator("select").select_option(label=label)
        deadline = time.monotonic() + timeout_ms / 1000
        seen, since = before, time.monotonic()
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
            digest = self.image_digest()
            if digest != seen:
                seen, since = digest, time.monotonic()
            elif seen != before and time.monotonic() - since >= quiet_ms / 1000:
                return seen
        raise TimeoutError(f"no new, settled plot within {timeout_ms} ms of choosing {label!r}")

    def diagnosis(self):
        """The diagnosis box (the one with a coloured bar at its left)."""
        return self.root.locator(".widget-html-content div[style*='border-left']")

    def image_digest(self) -> str:
        return self.page.evaluate(_IMAGE_DIGEST_JS, self.image.element_handle())

    def image_screenshot(self) -> bytes:
        """The plot as the page paints it (PNG of the element)."""
        return self.image.screenshot()

    def focus(self, name):
        """Click the slider's knob, as a person does before using the keyboard on it."""
        self.handle(name).click()

    def _probe(self):
        if not self._probed:
            self.page.evaluate(_PROBE_JS, self.image.element_handle())
            self._probed = True
        return self.page.evaluate("() => window.__explorerProbe")

    def press(self, name, key, timeout_ms=15_000, settle_ms=60) -> Move:
        """Press ``key`` on a focused slider, wait for the new plot, time it.

        The slider must have the focus (:meth:`focus`). After the new image loads, the page is
        watched for ``settle_ms`` more to count any further image the move caused.
        """
        before = self._probe()
        n_load = len(before["load"])
        self.page.keyboard.press(key)
        self.page.wait_for_function("(n) => window.__explorerProbe.load.length > n",
                                    arg=n_load, timeout=timeout_ms, polling="raf")
        self.page.wait_for_timeout(settle_ms)
        after = self.page.evaluate("() => window.__explorerProbe")
        pressed = after["input"][-1]
        src = [t for t in after["src"] if t >= pressed]
        load = [t for t in after["load"] if t >= pressed]
        return Move(name, key, self.value(name), src[0] - pressed, load[0] - pressed,
                    len(after["load"]) - n_load, self.image_digest())

    def drag(self, name, dx, steps=8):
        """Drag the slider's knob ``dx`` pixels with the mouse, then wait for the last plot."""
        box = self.handle(name).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        n_load = len(self._probe()["load"])
        self.page.mouse.move(x, y)
        self.page.mouse.down()
        self.page.mouse.move(x + dx, y, steps=steps)
        self.page.mouse.up()
        self.wait_until_quiet(n_load)

    def wait_until_quiet(self, n_load, quiet_ms=400, timeout_ms=20_000):
        """Wait for at least one new plot after ``n_load``, then until none comes for a while."""
        self.page.wait_for_function("(n) => window.__explorerProbe.load.length > n",
                                    arg=n_load, timeout=timeout_ms)
        deadline = time.monotonic() + timeout_ms / 1000
        seen = -1
        while time.monotonic() < deadline:
            count = len(self.page.evaluate("() => window.__explorerProbe.load"))
            if count == seen:
                return
            seen = count
            self.page.wait_for_timeout(quiet_ms)
        raise TimeoutError("the explorer kept redrawing")


def summary(values_ms) -> dict:
    """Count, median and 90th percentile (linear interpolation) of some milliseconds."""
    import numpy as np

    values = np.asarray(values_ms, dtype=np.float64)
    return {"n": int(values.size), "median": float(np.median(values)),
            "p90": float(np.percentile(values, 90))}


# --------------------------------------------------------------------------------------------
# Any widget that redraws one plot image: the stepper and the 2-D descent view


@dataclass(frozen=True)
class Redraw:
    """One key press on a widget and what it took for the page to show the new picture.

    Attributes
    ----------
    key : str
    to_src_ms, to_load_ms : float
        From the key press to the image's new ``src`` / to the new image decoded.
    n_images : int
        New images the press produced (1 expected).
    digest : str
        SHA-256 of the PNG now shown.
    """

    key: str
    to_src_ms: float
    to_load_ms: float
    n_images: int
    digest: str


class ImageWidgetView:
    """A widget displayed in ``cell`` whose picture is one ``img.widget-image`` (the backprop
    stepper, the 2-D descent view): key presses on its controls, timed to the new picture."""

    def __init__(self, notebook, cell):
        self.notebook = notebook
        self.page = notebook.page
        self.cell = cell
        self.root = cell.locator(".jp-OutputArea .widget-vbox").first
        self.image = self.root.locator("img.widget-image").first
        self._probed = False

    def show(self, timeout_ms=60_000):
        """Run the cell and wait for its picture."""
        self.notebook.run_cell(self.notebook.index_of(self.cell), timeout_ms)
        self.image.wait_for(timeout=timeout_ms)
        self.page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                                    arg=self.image.element_handle(), timeout=timeout_ms)
        self.cell.scroll_into_view_if_needed()
        return self

    def slider_handle(self, description):
        return self.root.locator(".widget-slider", has_text=description).locator(".noUi-handle")

    def button(self, text):
        return self.root.locator("button", has_text=text).first

    def image_digest(self) -> str:
        return self.page.evaluate(_IMAGE_DIGEST_JS, self.image.element_handle())

    def _probe(self):
        if not self._probed:
            self.page.evaluate(_PROBE_JS, self.image.element_handle())
            self._probed = True
        return self.page.evaluate("() => window.__explorerProbe")

    def press(self, key, timeout_ms=15_000, settle_ms=60) -> Redraw:
        """Press ``key`` on the focused control, wait for the new picture, time it."""
        before = self._probe()
        n_load = len(before["load"])
        self.page.keyboard.press(key)
        self.page.wait_for_function("(n) => window.__explorerProbe.load.length > n",
                                    arg=n_load, timeout=timeout_ms, polling="raf")
        self.page.wait_for_timeout(settle_ms)
        after = self.page.evaluate("() => window.__explorerProbe")
        pressed = after["input"][-1]
        src = [t for t in after["src"] if t >= pressed]
        load = [t for t in after["load"] if t >= pressed]
        return Redraw(key, src[0] - pressed, load[0] - pressed, len(after["load"]) - n_load,
                      self.image_digest())
