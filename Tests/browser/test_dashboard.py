"""The operations dashboard in a real headless Chromium: pages load cleanly, show the API's numbers, filter,
act (with the action in the case's audit timeline), update live, and stay usable at 200 % zoom."""
import json
import re
import subprocess
import time

from carejourney import binary
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select, WebDriverWait

PAGES = {"overview": "/", "cases": "/cases", "case": "/cases/C-1", "queues": "/queues"}
UK_DATE = re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}((,| at) \d{1,2}:\d{2})?$")


def open_page(browser, server, path):
    browser.get(server.base + path)
    WebDriverWait(browser, 15).until(ready.presence_of_element_located((By.TAG_NAME, "h1")))
    return browser


def console_errors(browser):
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def number(element):
    return int(element.text.strip().split()[0].replace(",", ""))


def open_case(server, stage=None):
    """An open case (in `stage`) that opens without a reason: not one with an open safeguarding enquiry outside
    the signed-in person's team, which asks why first."""
    cases = server.get_json("/api/cases?limit=500")["cases"]
    return next(case["id"] for case in cases if case["stage"] != "closed" and (stage is None or case["stage"] == stage)
                and server.request("GET", f"/api/cases/{case['id']}")[0] == 200)


def test_every_page_loads_without_console_errors_and_is_screenshotted(browser, server, artifacts):
    # The journey map is drawn in the background at start-up: wait until the overview has it.
    deadline = time.time() + 60
    while "journey-map" not in server.request("GET", "/")[1].decode() and time.time() < deadline:
        time.sleep(0.5)
    for name, path in PAGES.items():
        open_page(browser, server, path)
        errors = console_errors(browser)
        assert errors == [], f"{path}: {errors}"
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en-GB"
        assert len(browser.find_elements(By.TAG_NAME, "h1")) == 1
        assert browser.find_element(By.ID, "main").tag_name == "main"
        browser.save_screenshot(str(artifacts / f"{name}.png"))
    assert (artifacts / "overview.png").stat().st_size > 10_000


def test_every_form_control_is_labelled_and_dates_are_in_uk_format(browser, server):
    for path in PAGES.values():
        open_page(browser, server, path)
        for control in browser.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]), select, textarea"):
            identifier = control.get_attribute("id")
            labelled = identifier and browser.find_elements(By.CSS_SELECTOR, f"label[for='{identifier}']")
            assert labelled or control.get_attribute("aria-label"), f"{path}: an unlabelled control {identifier}"
        times = browser.find_elements(By.TAG_NAME, "time")
        # The queues page shows dates only for failed tasks and connected workers, which the sample has none of.
        assert times or path == "/queues", f"{path} shows no dates"
        for element in times:
            assert UK_DATE.match(element.text), f"{path}: '{element.text}' is not a UK date"


def test_the_overview_shows_the_same_numbers_as_the_api(browser, server):
    open_page(browser, server, "/")
    figures = server.get_json("/api/overview")
    stats = server.get_json("/api/stats")
    shown_open = number(browser.find_element(By.CSS_SELECTOR, "[data-figure=open-cases]"))
    assert shown_open == sum(stage["cases"] for stage in figures["stages"]) == stats["openCases"]
    for stage in figures["stages"]:
        cell = browser.find_element(By.CSS_SELECTOR, f"td[data-stage='{stage['stage']}']")
        assert number(cell) == stage["cases"] == stats["byStage"][stage["stage"]]
    assert number(browser.find_element(By.CSS_SELECTOR, "[data-figure=overdue-reviews]")) == figures["overdue"] \
        == stats["overdueReviews"]
    for queue in figures["queues"]:
        row = browser.find_element(By.CSS_SELECTOR, f"tr[data-queue='{queue['queue']}']")
        assert number(row.find_element(By.CSS_SELECTOR, "[data-column=open]")) == queue["open"]
        assert queue["open"] == stats["openTasksByQueue"].get(queue["queue"], 0)


def test_review_timeliness_is_charted_with_the_reports_figures(browser, server, artifacts):
    deadline = time.time() + 30
    while server.request("GET", "/api/reports/reviews")[0] != 200 and time.time() < deadline:
        time.sleep(0.5)
    figures = server.get_json("/api/reports/reviews")
    open_page(browser, server, "/")
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 3
    assert all(chart.size["width"] > 300 and chart.size["height"] > 20 for chart in charts)
    assert charts[0].get_attribute("aria-label").startswith("6–8-week reviews due " + figures["period"]["from"])
    # One bar a team, plus all teams; the bars' segments are drawn in proportion.
    assert len(charts[0].find_elements(By.TAG_NAME, "text")) == 2 * (1 + len(figures["byTeam"]))
    row = browser.find_element(By.CSS_SELECTOR, "#review-timeliness tr[data-team='All teams']")
    cells = [int(cell.text) for cell in row.find_elements(By.CSS_SELECTOR, "td.num")]
    total = figures["total"]
    assert cells == [total["firstOnTime"] + total["firstLate"] + total["firstMissing"], total["firstOnTime"],
                     total["firstLate"], total["firstMissing"], total["yearlyOverdue"]]
    browser.execute_script("document.querySelector('svg.chart').scrollIntoView()")
    browser.save_screenshot(str(artifacts / "overview-reviews.png"))

    # The command reads the same store beside the running server.
    made = subprocess.run(
        [binary(), "report", "reviews", "--json", "--data-dir", server.data_dir,
         "--from", figures["period"]["from"], "--to", figures["period"]["to"]], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["total"]["unplannedByReason"] == total["unplannedByReason"]


def test_a_filter_narrows_the_case_list(browser, server):
    open_page(browser, server, "/cases")
    everything = len(browser.find_elements(By.CSS_SELECTOR, "#case-table tbody tr"))
    Select(browser.find_element(By.ID, "state")).select_by_value("delivery")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: "state=delivery" in driver.current_url)
    rows = browser.find_elements(By.CSS_SELECTOR, "#case-table tbody tr")
    expected = server.get_json("/api/cases?state=delivery&limit=500")["cases"]
    assert 0 < len(rows) < everything
    assert len(rows) == len(expected)
    assert all(row.find_elements(By.TAG_NAME, "td")[2].text.startswith("delivery") for row in rows)
    assert Select(browser.find_element(By.ID, "state")).first_selected_option.get_attribute("value") == "delivery"


def test_an_action_appears_in_the_case_timeline(browser, server):
    case = open_case(server)
    open_page(browser, server, f"/cases/{case}")
    browser.find_element(By.XPATH, "//summary[normalize-space()='Reassign']").click()
    team = browser.find_element(By.ID, "team")
    team.clear()
    team.send_keys("hospital-discharge")
    browser.find_element(By.ID, "worker").clear()
    browser.find_element(By.ID, "worker").send_keys("sw.okafor")
    browser.find_element(By.ID, "reassign-reason").send_keys("caseload balancing")
    browser.find_element(By.XPATH, "//form[@action='/cases/%s/reassign']//button" % case).click()
    WebDriverWait(browser, 10).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".notice")))
    latest = browser.find_element(By.CSS_SELECTOR, "ol.timeline li")
    assert latest.get_attribute("data-event") == "reassign"
    assert "caseload balancing" in latest.text
    assert browser.find_element(By.CSS_SELECTOR, "[data-field=team]").text == "hospital-discharge"
    history = server.get_json(f"/api/cases/{case}")["history"]
    assert history[-1]["name"] == "reassign" and history[-1]["reason"] == "caseload balancing"
    assert history[-1]["actor"] == "sw.jones"
    assert console_errors(browser) == []


def test_the_case_page_updates_live_without_a_reload(browser, server):
    case = open_case(server)
    open_page(browser, server, f"/cases/{case}")
    WebDriverWait(browser, 10).until(lambda driver: "Live" in driver.find_element(By.ID, "live-status").text)
    browser.execute_script("window.notReloaded = true;")
    status, _ = server.post_json(f"/api/cases/{case}/events", {"name": "reassign", "data": {"team": "live-team"}})
    assert status == 200
    # The live region is swapped while it is read: a stale element is read again.
    WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda driver: driver.find_element(By.CSS_SELECTOR, "[data-field=team]").text == "live-team")
    assert browser.execute_script("return window.notReloaded === true;")
    assert browser.find_element(By.CSS_SELECTOR, "ol.timeline li").get_attribute("data-event") == "reassign"


def test_a_viewer_sees_no_actions_and_cannot_act(browser, server):
    case = open_case(server)
    server.sign_in(browser, "ob.reader")
    try:
        open_page(browser, server, f"/cases/{case}")
        assert "ob.reader" in browser.find_element(By.CSS_SELECTOR, "header .who").text
        assert browser.find_elements(By.XPATH, "//h2[normalize-space()='Actions']") == []
        assert browser.find_elements(By.CSS_SELECTOR, "form[action*='/tasks/']") == []
        # Sent anyway, from the viewer's own signed-in page, the action is refused and nothing is recorded.
        status = browser.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "fetch('/cases/%s/reassign', {method: 'POST', credentials: 'same-origin',"
            " headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
            " body: 'team=viewers&worker=&reason=trying'}).then(function (r) { done(r.status); });" % case)
        assert status == 403
        history = server.get_json(f"/api/cases/{case}")["history"]
        assert not any(entry["name"] == "reassign" and entry["actor"] == "ob.reader" for entry in history)
        open_page(browser, server, "/queues")
        assert browser.find_elements(By.CSS_SELECTOR, "form[action='/bulk/tasks']") == []
    finally:
        server.sign_in(browser, "sw.jones")


def test_pages_stay_readable_at_200_percent_zoom(browser, server, artifacts):
    # 200 % zoom of a 1280-pixel window: a 640-pixel layout viewport at twice the pixel density.
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 640, "height": 900, "deviceScaleFactor": 2, "mobile": False})
    try:
        for name, path in PAGES.items():
            open_page(browser, server, path)
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
            assert overflow <= 1, f"{path} scrolls sideways by {overflow} px at 200 %"
            browser.save_screenshot(str(artifacts / f"{name}-200pc.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
