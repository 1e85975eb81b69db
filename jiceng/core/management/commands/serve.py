"""jiceng serve: the web server and the background worker in one command (Ctrl-C stops both)."""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

from jiceng.org.demo import demo_accounts_note


class Command(BaseCommand):
    help = "启动网页服务和后台任务 / start the web server and the background worker"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--web-workers", default=os.environ.get("JICENG_WEB_WORKERS", "2"))

    def handle(self, *args, host, port, web_workers, **options):
        bin_dir = os.path.dirname(sys.executable)
        web = [
            os.path.join(bin_dir, "gunicorn"),
            "jiceng.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(web_workers),
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ]
        worker = [sys.executable, "-m", "jiceng", "run_huey", "--quiet"]
        procs = [subprocess.Popen(web), subprocess.Popen(worker)]
        self.stdout.write(f"jiceng 已启动：http://{host}:{port}/  （Ctrl-C 停止）")
        self.stdout.write(demo_accounts_note())
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
