"""The report's index.html and an exported `explore()` map in a real browser (headless Chromium).

Chromium runs with every host name unresolvable, so the pages must work offline. Each page is
checked for JavaScript errors, for the route layers inside the map element, and for a screenshot
that is not blank (the route colours are in it). Skipped, with the reason, when Chromium,
chromedriver or selenium is missing (``.ci/run`` installs them).
"""

from __future__ import annotations

import base64
import io
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from routes.presentation.explore import explore
from routes.presentation.report import write_report
from routes.routing import route as find_route

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
CHROMEDRIVER = shutil.which("chromedriver")
SHOTS = Path(__file__).resolve().parents[1] / ".browser-shots"  # kept for a person to look at (git-ignored)

EUROPE_BLUE = (0x1F, 0x77, 0xB4)
CANADA_RED = (0xD6, 0x27, 0x28)


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip("headless browser test skipped: chromium and chromedriver are not installed "
                    "(apt-get install chromium chromium-driver, as .ci/run does)")  # fmt: skip
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1200,900",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: no host name resolves
    ):
        opts.add_argument(arg)
    opts.binary_location = CHROMIUM
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _open(driver, path: Path) -> None:
    driver.get(path.resolve().as_uri())
    for _ in range(100):  # until Leaflet has drawn the routes
        if driver.execute_script("return document.querySelectorAll('path.route-line, path.airport').length > 0"):
            return
        time.sleep(0.1)


def _errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _map_state(driver) -> dict:
    return driver.execute_script(
        """
        var el = document.querySelector('.folium-map');
        var external = performance.getEntriesByType('resource').map(function (r) { return r.name; })
            .filter(function (n) { return /^https?:/.test(n); });
        return {
            hasLeaflet: !!(el && el.classList.contains('leaflet-container')),
            routes: el ? el.querySelectorAll('.leaflet-overlay-pane path.route-line').length : 0,
            baselines: el ? el.querySelectorAll('.leaflet-overlay-pane path.route-baseline').length : 0,
            airports: el ? el.querySelectorAll('.leaflet-overlay-pane path.airport').length : 0,
            controls: document.querySelectorAll('.leaflet-control-layers-overlays label').length,
            external: external,
            width: el ? el.clientWidth : 0,
            height: el ? el.clientHeight : 0,
        };
        """
    )


def _pixels(png: bytes) -> np.ndarray:
    import matplotlib.image as mpimg

    return (mpimg.imread(io.BytesIO(png), format="png")[:, :, :3] * 255).round().astype(int)


def _count_colour(img: np.ndarray, rgb: tuple[int, int, int], tol: int = 30) -> int:
    return int((np.abs(img - np.array(rgb)).max(axis=2) <= tol).sum())


def _check_screenshot(png: bytes, name: str, colours: list[tuple[int, int, int]]) -> None:
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / name).write_bytes(png)
    img = _pixels(png)
    assert img.shape[0] > 300 and img.shape[1] > 300
    assert img.std() > 20, "screenshot is (nearly) blank"
    assert len(np.unique(img.reshape(-1, 3), axis=0)) > 200
    for rgb in colours:
        assert _count_colour(img, rgb) > 150, f"route colour {rgb} missing from {name}"


def test_exported_explore_map_in_chromium(browser, tmp_path):
    rs = [find_route("SVO", "SEA", s) for s in ("pre-2022", "europe-closed", "europe-canada-closed")]
    path = tmp_path / "svo_sea.html"
    explore(rs, minutes=False).save(str(path))
    _open(browser, path)
    state = _map_state(browser)
    assert _errors(browser) == []
    assert state["hasLeaflet"] and state["external"] == []
    assert state["routes"] == 3 and state["baselines"] == 1 and state["airports"] == 2
    assert state["controls"] >= 8  # land, graticule, 2 closure layers, geodesics, 3 route layers, alternates, airports
    # a popup opens on a route and tells its figures
    text = browser.execute_script(
        """
        var map = null;
        for (var k in window) {
            if (k.indexOf('map_') === 0 && window[k] && window[k].options && window[k].options.crs) { map = window[k]; }
        }
        var out = '';
        map.eachLayer(function (l) {
            if (!out && l.options && l.options.className === 'route-line' && l.getPopup()
                && l.getPopup().getContent().indexOf('europe-canada-closed') >= 0) {
                l.openPopup(); out = document.querySelector('.leaflet-popup-content').innerText;
            }
        });
        return out;
        """
    )  # fmt: skip
    assert "9,054 km" in text and "+667 km" in text and "CAN" in text
    browser.execute_script("document.querySelectorAll('.leaflet-popup-close-button').forEach(b => b.click())")
    _check_screenshot(browser.get_screenshot_as_png(), "explore_svo_sea.png", [EUROPE_BLUE, CANADA_RED])


def _page_layout(driver) -> dict:
    return driver.execute_script(
        """
        function top(sel) {
            var el = document.querySelector(sel);
            return el ? el.getBoundingClientRect().top + window.scrollY : -1;
        }
        var bad = document.querySelector('#map .infeasible');
        var charts = document.querySelectorAll('#charts img.chart');
        return {
            summary: top('#summary'), map: top('#map'), charts: top('#charts'), firstTable: top('table'),
            summaryText: document.querySelector('#summary').innerText,
            cards: document.querySelectorAll('#summary .card').length,
            chartCount: charts.length,
            chartsLoaded: Array.prototype.every.call(charts, function (i) {
                return i.complete && i.naturalWidth > 800; }),
            legend: Array.prototype.map.call(document.querySelectorAll('#map .legend li'), function (li) {
                return [li.innerText, getComputedStyle(li.querySelector('.swatch')).borderTopColor]; }),
            noRoute: bad ? bad.innerText : '',
            widest: Math.max.apply(null, Array.prototype.map.call(document.querySelectorAll('table'), function (t) {
                return t.rows[0].cells.length; })),
        };
        """
    )  # fmt: skip


def test_report_index_in_chromium(browser, tmp_path):
    out, _ = write_report(
        tmp_path / "report",
        origins=["SVO"],
        destinations=["LAX"],
        scenarios=["pre-2022", "europe-closed", "europe-canada-closed", "closures-2022"],
        formats=("png",),
    )
    assert (out / "maps" / "interactive.html").stat().st_size > 500_000
    browser.set_window_size(1200, 900)
    browser.get((out / "index.html").resolve().as_uri())
    assert _errors(browser) == []
    page = _page_layout(browser)
    # summary, then the map, then the charts, all above the first table
    assert 0 <= page["summary"] < page["map"] < page["charts"] < page["firstTable"]
    assert "europe-canada-closed adds +693 km (+7.1 %), +46 min and +6,725 USD per flight" in page["summaryText"]
    assert "The B77W can still fly the route non-stop" in page["summaryText"] and page["cards"] == 2
    assert page["chartCount"] == 4 and page["chartsLoaded"]  # extra by city, block time by month, cost split, tornado
    legend = dict(page["legend"])
    assert legend["europe-closed route"] == "rgb(31, 119, 180)" and legend["europe-canada-closed route"] == (
        "rgb(214, 39, 40)"
    )
    assert "closed in europe-closed (59 states and territories)" in legend
    assert "also closed in europe-canada-closed: Canada" in legend
    assert "SVO → LAX, closures-2022: destination LAX lies in the closed airspace of United States" in page["noRoute"]
    assert page["widest"] <= 10
    assert browser.execute_script("return document.querySelectorAll('img[src=\"maps/overview.png\"]').length") == 0
    assert browser.execute_script("return document.querySelectorAll('img[src=\"maps/SVO-LAX.png\"]').length") == 1
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1200, min(height + 120, 8000))
    _check_screenshot(browser.get_screenshot_as_png(), "report_index.png", [EUROPE_BLUE, CANADA_RED])
    browser.set_window_size(1200, 900)
    frame = browser.find_element("css selector", "iframe.interactive-map")
    browser.execute_script("arguments[0].scrollIntoView()", frame)
    browser.switch_to.frame(frame)
    try:
        for _ in range(100):
            if browser.execute_script("return document.querySelectorAll('path.route-line').length > 0"):
                break
            time.sleep(0.1)
        state = _map_state(browser)
        assert _errors(browser) == []
        assert state["hasLeaflet"] and state["external"] == []
        assert state["routes"] == 3 and state["airports"] == 2  # closures-2022 is infeasible: no line
        assert state["width"] > 500 and state["height"] > 500
        # the reason is listed under the map in the report, not in a box over it
        box = "document.querySelector('.polar-routes-info')"
        assert browser.execute_script(f"return getComputedStyle({box}).display") == "none"
        assert "destination LAX lies in" in browser.execute_script(f"return {box}.textContent")  # kept, hidden
        _check_screenshot(browser.get_screenshot_as_png(), "report_interactive.png", [EUROPE_BLUE, CANADA_RED])
    finally:
        browser.switch_to.default_content()


def test_report_prints_with_the_static_map_and_whole_tables(browser, tmp_path):
    out, _ = write_report(tmp_path / "print", ["SVO"], ["SEA", "PDX"], ["pre-2022", "europe-canada-closed"],
                          formats=("png",))  # fmt: skip
    browser.get((out / "index.html").resolve().as_uri())
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = browser.execute_script(
            """
            function disp(sel) {
                var el = document.querySelector(sel);
                return el ? getComputedStyle(el).display : 'missing';
            }
            return {iframe: disp('iframe.interactive-map'), staticMap: disp('img.static-map'),
                    tables: Array.prototype.map.call(document.querySelectorAll('.table-wrap'),
                        function (t) { return getComputedStyle(t).breakInside; })};
            """
        )  # fmt: skip
        assert shown["iframe"] == "none" and shown["staticMap"] == "block"
        assert shown["tables"] and set(shown["tables"]) == {"avoid"}
        pdf = base64.b64decode(browser.print_page())
        assert pdf.startswith(b"%PDF") and len(pdf) > 100_000
        SHOTS.mkdir(exist_ok=True)
        (SHOTS / "report_print.pdf").write_bytes(pdf)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_report_with_no_feasible_route_says_why_in_chromium(browser, tmp_path):
    out, _ = write_report(tmp_path / "none", ["SVO"], ["LAX"], ["closures-2022"], formats=("png",))
    browser.get((out / "index.html").resolve().as_uri())
    assert _errors(browser) == []
    problem = browser.find_element("css selector", "#summary .problem")
    assert problem.is_displayed() and problem.text.startswith("No feasible route: every selected city pair")
    assert (
        "destination LAX lies in the closed airspace of United States"
        in browser.find_element("css selector", "#map .infeasible").text
    )
    assert browser.execute_script("return document.querySelectorAll('img.chart, table').length") == 0
    _check_screenshot(browser.get_screenshot_as_png(), "report_no_route.png", [])
