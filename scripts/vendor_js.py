"""Vendor the JavaScript/CSS of the interactive maps into ``src/routes/_vendor/`` (run by hand).

Fetches the npm packages with ``npm pack`` (the npm registry, no CDN), and copies the built files
and their licence texts. The versions are pinned here and listed in ``src/routes/_vendor/README.md``.

    python scripts/vendor_js.py
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "routes" / "_vendor"

PACKAGES = {
    # npm package@version: [(file inside the package, name in _vendor/), ...]
    "leaflet@1.9.4": [
        ("dist/leaflet.js", "leaflet.js"),
        ("dist/leaflet.css", "leaflet.css"),
        ("dist/images/layers.png", "images/layers.png"),
        ("dist/images/layers-2x.png", "images/layers-2x.png"),
        ("dist/images/marker-icon.png", "images/marker-icon.png"),
        ("LICENSE", "LICENSE-leaflet.txt"),
    ],
    "proj4@2.22.0": [("dist/proj4.js", "proj4.js"), ("LICENSE.md", "LICENSE-proj4.txt")],
    "proj4leaflet@1.0.2": [("src/proj4leaflet.js", "proj4leaflet.js"), ("LICENSE", "LICENSE-proj4leaflet.txt")],
}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for spec, files in PACKAGES.items():
            out = subprocess.run(["npm", "pack", spec], cwd=tmp, check=True, capture_output=True, text=True)
            tgz = Path(tmp) / out.stdout.strip().splitlines()[-1]
            with tarfile.open(tgz) as tar:
                tar.extractall(Path(tmp) / spec, filter="data")
            for src, dst in files:
                target = OUT / dst
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(tmp) / spec / "package" / src, target)
                print(f"{spec}: {src} -> {target.relative_to(ROOT)} ({target.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
