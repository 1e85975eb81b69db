"""Scale-out: two huey consumers over Redis share one queue; every job runs exactly once."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("JICENG_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def env(tmp_path):
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.ping()  # a clear failure when Redis is not running
    client.flushdb()
    e = {
        **os.environ,
        "JICENG_VAR_DIR": str(tmp_path),
        "JICENG_REDIS_URL": REDIS_URL,
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    subprocess.run(
        [sys.executable, "-m", "jiceng", "migrate", "-v", "0"], env=e, cwd=ROOT, check=True
    )
    return e


def _beats(env) -> str:
    code = (
        "from jiceng.core.models import WorkerHeartbeat as W;"
        "print(','.join(sorted(W.objects.filter(name__startswith='job').values_list('name', flat=True))))"
    )
    out = subprocess.run(
        [sys.executable, "-m", "jiceng", "shell", "-c", code],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def test_two_consumers_over_redis_run_every_job_once(env):
    consumers = [
        subprocess.Popen(
            [sys.executable, "-m", "jiceng", "run_huey", "--quiet", "-w", "1"],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        for _ in range(2)
    ]
    try:
        code = (
            "from jiceng.core.tasks import heartbeat_named as h;"
            "[h(f'job{i:02d}') for i in range(20)]"
        )
        subprocess.run(
            [sys.executable, "-m", "jiceng", "shell", "-c", code], env=env, cwd=ROOT, check=True
        )
        expected = ",".join(f"job{i:02d}" for i in range(20))
        for _ in range(60):
            if _beats(env) == expected:
                break
            time.sleep(0.5)
        assert _beats(env) == expected
    finally:
        for c in consumers:
            os.killpg(c.pid, signal.SIGINT)
        for c in consumers:
            c.wait(timeout=20)
