"""`python -m bench`: run every benchmark module in bench/, one after another."""

import pkgutil
import subprocess
import sys
from pathlib import Path

here = Path(__file__).parent
failed = []
for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
    if info.name.startswith("_"):
        continue
    print(f"# bench.{info.name}", flush=True)
    if subprocess.call([sys.executable, "-m", f"bench.{info.name}", *sys.argv[1:]]) != 0:
        failed.append(info.name)
if failed:
    sys.exit(f"benchmarks failed: {', '.join(failed)}")
