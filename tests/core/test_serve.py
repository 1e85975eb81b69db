"""`make run` end to end: migrate, load the demo, start web + worker, fetch /healthz and login."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.status, r.read().decode()


@pytest.fixture
def served(tmp_path):
    env = {
        **os.environ,
        "JICENG_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    env.pop("JICENG_REDIS_URL", None)
    jiceng = [sys.executable, "-m", "jiceng"]
    subprocess.run([*jiceng, "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True)
    demo = subprocess.run(
        [*jiceng, "load_demo", "--password", "pw-12345"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    port = _free_port()
    proc = subprocess.Popen(
        [*jiceng, "serve", "--port", str(port), "--web-workers", "1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    yield f"http://127.0.0.1:{port}", demo.stdout
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait(timeout=20)


def test_make_run_serves_the_demo_with_a_live_worker(served):
    base, demo_output = served
    assert "grid_ky" in demo_output and "pw-12345" in demo_output
    assert "演示案件" in demo_output  # make run's demo comes with sample cases
    health = None
    for _ in range(60):
        try:
            status, body = _get(f"{base}/healthz")
            health = body
            if '"worker_seen": true' in body:
                break
        except OSError:
            pass
        time.sleep(0.5)
    assert health is not None and '"database": "sqlite"' in health
    assert '"worker_seen": true' in health
    status, page = _get(f"{base}/login/")
    assert status == 200 and "登录" in page
    status, _ = _get(f"{base}/static/vendor/leaflet/leaflet.js")
    assert status == 200
