"""One JupyterLab server and one chromium page for all the browser tests.

The server serves a temporary folder holding copies of ``notebooks/`` and ``solutions/`` (the
repository's notebooks are never opened, so never saved); it runs on 127.0.0.1 with a token and
private settings, runtime, config and data folders (tests/browser/labdriver.py). Every test
starts with no kernel running.

Without chromium or Playwright the tests skip, saying how to enable them; under CI (``CI`` set)
they fail instead, because .ci/run installs both.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import labdriver

REPO = Path(__file__).resolve().parents[2]
#: Screenshots of every lesson (student and solved, after running) and of the explorer.
SCREENSHOTS = REPO / "build" / "screenshots"


@pytest.fixture(scope="session")
def browser_tools():
    """Skip (locally) or fail (in CI) when chromium or Playwright is missing."""
    missing = labdriver.missing_tools()
    if missing:
        message = f"browser tests need {missing}: {labdriver.HOW_TO_ENABLE}"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI: .ci/run should have installed it)", pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory):
    """The folder JupyterLab serves: copies of notebooks/ and solutions/."""
    root = tmp_path_factory.mktemp("lab-root")
    for kind in ("notebooks", "solutions"):
        shutil.copytree(REPO / kind, root / kind,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root


@pytest.fixture(scope="session")
def lab_server(browser_tools, lab_root, tmp_path_factory):
    """JupyterLab on 127.0.0.1 (a free port, a token, private Jupyter folders)."""
    server = labdriver.JupyterLabServer(lab_root, tmp_path_factory.mktemp("lab-state"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(browser_tools):
    """Headless Debian chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = labdriver.launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def page(browser):
    """The one browser tab every test uses, the size of a laptop screen."""
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    # Leaving a notebook with unsaved outputs asks "leave the page?": yes (copies only).
    tab.on("dialog", lambda dialog: dialog.accept())
    yield tab
    tab.close()


@pytest.fixture
def lab(lab_server):
    """The server, with every kernel shut down after the test."""
    yield lab_server
    lab_server.shutdown_kernels()


@pytest.fixture(scope="session")
def screenshots():
    """The folder the screenshots go to (created)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
