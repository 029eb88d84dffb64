"""One person's journey walked entirely through the dashboard's pages in headless Chromium, by keyboard: a contact,
assessment, eligibility, the RAS, the plan in parts (a refused sign-off naming what is missing, then a complete
plan), sign-off, the informal review and a safeguarding concern, as two people — a practitioner, and a manager who
allocates work and takes the decisions that need a manager — with people's tasks taken, allocated and answered from
the worklists, and the case's team's work filtered and sorted on "My team's work". No API call moves the case: the API is only read at the end, for the case's history (each event in
order, and who did it). The screenshots docs/dashboard.md shows are saved on the way (see docs/images/)."""
import re
import time

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

PRACTITIONER, MANAGER = "sw.jones", "tm.ali"
TEAM = "north-east"


class Walk:
    """The browser, driven by keyboard: links and buttons pressed with Enter, boxes ticked with Space, text typed."""

    def __init__(self, browser, server, artifacts):
        self.browser, self.server, self.artifacts = browser, server, artifacts

    def sign_in(self, name):
        self.server.sign_in(self.browser, name)
        # The sign-in page has a heading of its own: wait for the page after it, which says who is signed in.
        WebDriverWait(self.browser, 15).until(
            lambda driver: any(name in who.text for who in driver.find_elements(By.CSS_SELECTOR, "header .who")))

    def open(self, path):
        self.browser.get(self.server.base + path)
        return self.wait_for_page()

    def wait_for_page(self):
        WebDriverWait(self.browser, 15).until(ready.presence_of_element_located((By.TAG_NAME, "h1")))
        return self.browser

    def find(self, css):
        return self.browser.find_element(By.CSS_SELECTOR, css)

    def press(self, css, within=None):
        """Presses a link or button with Enter and waits for the page it leads to. A part of the page that live
        updates swapped meanwhile is found again."""
        self.browser.execute_script("window.walkStillHere = true;")
        for attempt in range(5):
            try:
                (within or self.browser).find_element(By.CSS_SELECTOR, css).send_keys(Keys.ENTER)
                break
            except WebDriverException as error:
                # Swapped between finding and pressing: Selenium says stale, or Chrome that the node "does not belong
                # to the document". Anything else, or five in a row, is a failure.
                swapped = isinstance(error, StaleElementReferenceException) or "does not belong to the document" in str(error)
                if not swapped or attempt == 4:
                    raise
                time.sleep(0.2)
        WebDriverWait(self.browser, 15).until(self.left_the_page)
        return self.wait_for_page()

    @staticmethod
    def left_the_page(driver):
        """True once the window holds a new document: the mark `press` left on the old one is gone. Asked of the
        window, not of an element, so Chrome's words for an element of a replaced document ("stale", "does not belong
        to the document") never reach the wait; while the new document is loading the question may fail, and is asked
        again."""
        try:
            return driver.execute_script("return window.walkStillHere !== true;")
        except WebDriverException:
            return False

    def type(self, name, text):
        field = self.find(f"[name='{name}']")
        field.clear()
        field.send_keys(text)

    def fill_and_submit(self, fields, form="form.event-form"):
        """Types each value into the field of its name, then submits the form."""
        for name, text in fields.items():
            self.type(name, text)
        return self.submit(form)

    def tick(self, name, value):
        """Chooses a radio button or ticks a box with the space bar."""
        box = self.find(f"input[name='{name}'][value='{value}']")
        box.send_keys(Keys.SPACE)
        assert box.is_selected(), f"{name}={value} is not chosen"

    def submit(self, form="form.event-form"):
        return self.press(f"{form} button[type=submit]")

    def notice(self):
        return self.find(".notice").text

    def errors(self):
        return [item.text for item in self.browser.find_elements(By.CSS_SELECTOR, ".error-summary li")]

    def shot(self, name, css=None):
        """A screenshot for the docs: the page at 1280 px wide, or one element of it."""
        path = str(self.artifacts / f"{name}.png")
        if css:
            self.find(css).screenshot(path)
        else:
            self.browser.save_screenshot(path)

    def overflow_at_200_percent(self, path):
        """How far `path` scrolls sideways at 200 % zoom of a 1280-pixel window (a 640-pixel layout viewport)."""
        self.browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride", {"width": 640, "height": 900, "deviceScaleFactor": 2, "mobile": False})
        try:
            self.open(path)
            return self.browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
        finally:
            self.browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def record(self, case, event):
        """Opens the form of `event` from the case page's "Record a step" list."""
        self.open(f"/cases/{case}")
        self.press(f"#steps a[data-form='{event}']")
        assert self.find("form.event-form").get_attribute("data-event") == event

    def stage(self):
        return self.find("[data-field=stage]").text.split()[0]

    def task_of(self, case, kind):
        """The id of the open task of `kind` the case page lists."""
        self.open(f"/cases/{case}")
        for row in self.browser.find_elements(By.CSS_SELECTOR, "#tasks tbody tr"):
            if f"{kind} on " in row.text:
                return row.get_attribute("data-task")
        raise AssertionError(f"{case} has no open {kind} task")

    def find_on_worklist(self, path, kind, words, task):
        """Opens a worklist, narrows it to tasks of `kind` with its filter form (typing the first `words` of the
        kind's name, as a keyboard user chooses an option), and pages on to the row of `task`."""
        self.open(path)
        kinds = self.find("select[name=kind]")
        kinds.send_keys(words)
        assert kinds.get_attribute("value") == kind
        self.submit("form.filters")
        while True:
            rows = self.browser.find_elements(By.CSS_SELECTOR, f"tr[data-task='{task}']")
            if rows:
                return rows[0]
            self.press("a[rel=next]")

    def row_action(self, task, css):
        """Presses a button or link in the row of `task` on the page shown."""
        return self.press(f"tr[data-task='{task}'] {css}")

    def tasks_listed(self, column=None):
        """The worklist's rows on the page shown: each task's id, or, given a column, that column's text."""
        rows = self.browser.find_elements(By.CSS_SELECTOR, "table.worklist tbody tr")
        if column is None:
            return [row.get_attribute("data-task") for row in rows]
        return [row.find_element(By.CSS_SELECTOR, f"[data-column={column}]").text for row in rows]

    def reassign(self, case, team, worker, reason):
        """Moves the case to `team` and `worker` with the case page's Reassign form, opened from its summary."""
        self.open(f"/cases/{case}")
        self.browser.find_element(By.XPATH, f"//form[@action='/cases/{case}/reassign']/../summary").send_keys(Keys.ENTER)
        for field, text in [("team", team), ("worker", worker), ("reassign-reason", reason)]:
            box = self.find(f"#{field}")
            box.clear()
            box.send_keys(text)
        return self.press(f"form[action='/cases/{case}/reassign'] button[type=submit]")


def test_a_journey_walked_through_the_pages_by_two_people(browser, server, artifacts):
    walk = Walk(browser, server, artifacts)
    browser.get_log("browser")  # what earlier tests left in the console is theirs
    try:
        walk_the_journey(walk, server)
    finally:
        server.sign_in(browser, PRACTITIONER)


def walk_the_journey(walk, server):
    browser = walk.browser
    walk.sign_in(PRACTITIONER)

    # A contact, from the cases page: sent without a name it is refused beside the name field, with what was entered
    # kept, and the error summary links to the field.
    walk.open("/cases")
    walk.press("#new-contact")
    walk.tick("clientType", "adult")
    walk.find("select[name=route]").send_keys("gp")
    walk.fill_and_submit({"summary": "struggling with personal care after a fall", "dateOfBirth.day": "14",
                          "dateOfBirth.month": "3", "dateOfBirth.year": "1941"})
    assert walk.errors() == ["Enter name"]
    assert walk.find(".error-summary a").get_attribute("href").endswith("#f-name")
    assert "Enter name" in walk.find(".field-error").text
    assert walk.find("[name='dateOfBirth.year']").get_attribute("value") == "1941"
    assert walk.find("input[name=clientType][value=adult]").is_selected()
    walk.shot("form-refusal")
    # The summary's link takes the keyboard to the field.
    walk.find(".error-summary a").send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "f-name"
    browser.switch_to.active_element.send_keys("Walk Example")
    walk.submit()
    case = re.search(r"/cases/(C-\d+)", browser.current_url).group(1)
    assert walk.notice().startswith("Recorded: Someone contacts the council")
    assert walk.stage() == "contact"
    # The practitioner puts the case in their team and allocates it to themselves.
    walk.reassign(case, TEAM, PRACTITIONER, "a new contact in the north-east")
    assert walk.find("[data-field=team]").text == TEAM

    # The practitioner takes the screening from the practice queue; it is in "My work" now.
    screening = walk.task_of(case, "screen-contact")
    walk.find_on_worklist("/work/queues/practice", "screen-contact", "Screen the contact", screening)
    walk.row_action(screening, "form[action='/work/tasks/take-task'] button")
    assert walk.notice() == f"You hold task {screening} now."
    walk.open("/work")
    assert browser.find_elements(By.CSS_SELECTOR, f"tr[data-task='{screening}']")

    # Screening decides on an assessment, which the practitioner takes and completes.
    walk.record(case, "start-assessment")
    walk.submit()
    assert walk.stage() == "assessment"
    assessing = walk.task_of(case, "assess-needs")
    walk.find_on_worklist("/work/queues/practice", "assess-needs", "Complete the assessment", assessing)
    walk.row_action(assessing, "form[action='/work/tasks/take-task'] button")
    walk.open("/work")
    walk.shot("my-work")
    walk.record(case, "assessment-completed")
    walk.type("needs", "personal care\npreparing meals")
    walk.type("outcomes", "stay in her own home")
    walk.tick("method", "face-to-face")
    walk.submit()
    assert walk.stage() == "eligibility"

    walk.record(case, "eligibility-decided")
    walk.tick("eligible", "true")
    walk.type("eligibleNeeds", "personal care\npreparing meals")
    walk.submit()
    assert walk.stage() == "indicative-budget"

    walk.record(case, "ras-completed")
    walk.type("points", "46")
    walk.tick("informalSupport", "some")
    walk.submit()
    assert walk.stage() == "support-planning"

    # The plan, in parts, with the sign-off checklist beside it.
    walk.open(f"/cases/{case}")
    walk.press("#edit-plan")
    assert walk.find("nav.plan-parts a[aria-current=page]").text == "Needs and outcomes"
    walk.fill_and_submit({"needsMetByCouncil.0.need": "personal care",
                          "needsMetByCouncil.0.how": "home care each morning and evening",
                          "importantTo": "her garden and the lunch club", "importantFor": "a hot meal each day",
                          "decisionsAndControl": "she decides her routine with her daughter",
                          "informationAndAdvice": "a falls-prevention class"})
    assert walk.notice() == "Saved: needs and outcomes."
    parts = {"network": {"metByNetwork": "her daughter does the weekly shop"},
             "budget": {"personalBudget": "320"},
             "council-managed": {"councilManaged.services": "home care, 10 hours a week",
                                 "councilManaged.weeklyCost": "300"},
             "risks": {"riskManagement": "a falls pendant; the agency keeps a communication book"}}
    for part, fields in parts.items():
        walk.press(f"nav.plan-parts a[href$='part={part}']")
        walk.fill_and_submit(fields)
        assert walk.notice().startswith("Saved:"), walk.errors()
    missing = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#sign-off-checklist li.missing")]
    assert any("a contingency plan" in item for item in missing), missing
    assert any("financial assessment" in item for item in missing), missing

    # Sign-off now is refused, naming what is missing; the summary links to the contingency part of the plan, at its
    # field.
    walk.record(case, "sign-off")
    walk.submit()
    errors = walk.errors()
    assert any("a contingency plan, with any budget set aside for it" in error for error in errors), errors
    assert any("financial assessment" in error for error in errors), errors
    link = walk.find(".error-summary a[href*='part=contingency']")
    assert link.get_attribute("href").endswith(f"/cases/{case}/plan/edit?part=contingency#f-contingencyPlan")
    walk.shot("sign-off-refused")
    walk.press(".error-summary a[href*='part=contingency']")
    assert walk.find("nav.plan-parts a[aria-current=page]").text == "Contingency"
    assert browser.execute_script("return document.activeElement === document.getElementById('f-contingencyPlan') "
                                  "|| location.hash === '#f-contingencyPlan';")
    walk.fill_and_submit({"contingencyPlan": "the agency covers; her daughter is the emergency contact",
                          "contingencyBudget": "0"})
    # The part shows what the plan holds now.
    assert walk.find("[name=contingencyPlan]").get_attribute("value").startswith("the agency covers")
    assert walk.find("[name=contingencyBudget]").get_attribute("value") == "0"
    missing = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#sign-off-checklist li.missing")]
    assert missing and all("contingency" not in item for item in missing), missing
    walk.shot("plan-in-parts")
    # At 200 % zoom the plan, its checklist (now under the form) and the forms reflow without scrolling sideways.
    for path in [f"/cases/{case}/plan/edit?part=needs-and-outcomes", "/cases/new", "/work"]:
        assert walk.overflow_at_200_percent(path) <= 1, path

    # The manager, in no team of their own, names the case's team on "My team's work": its open tasks are listed, the
    # financial assessment among them; narrowed to those nobody holds, then ordered oldest first, the filter kept.
    walk.sign_in(MANAGER)
    finance = walk.task_of(case, "financial-assessment")
    walk.open("/work/team")
    assert "You are in no team" in walk.find("main").text
    walk.fill_and_submit({"team": TEAM}, form="form.filters")
    assert walk.find("h1").text == f"Work of the team {TEAM}"
    assert finance in walk.tasks_listed()
    walk.find("select[name=held]").send_keys("Nobody")
    walk.submit("form.filters")
    assert "held=nobody" in browser.current_url and f"team={TEAM}" in browser.current_url
    assert finance in walk.tasks_listed() and set(walk.tasks_listed("held-by")) == {"nobody"}
    walk.press("table.worklist th a[href*='sort=age']")
    assert walk.find("table.worklist th[aria-sort]").text.startswith("Age")
    # Oldest first, the walk's case (the newest) comes last, and the filter stays.
    listed = walk.tasks_listed()
    assert "held=nobody" in browser.current_url and finance in listed and listed[-1].startswith(f"{case}#"), listed
    walk.shot("team-work")

    # The manager allocates the financial assessment from the finance queue: someone the service does not know is
    # refused, on the page, linked to the field; the practitioner then has it in "My work" and answers it.
    row = walk.find_on_worklist("/work/queues/finance", "financial-assessment", "Carry out the financial assessment", finance)
    walk.shot("queue-worklist")
    field = row.find_element(By.CSS_SELECTOR, "input[name=to]")
    field.send_keys("sw.nobody")
    field.send_keys(Keys.ENTER)  # Enter in the field submits its form
    WebDriverWait(browser, 15).until(lambda driver: "error=" in driver.current_url)
    walk.wait_for_page()
    assert any("'sw.nobody' is not in the service's token file" in error for error in walk.errors()), walk.errors()
    assert walk.find(".error-summary a").get_attribute("href").endswith(f"#allocate-{finance}")
    walk.find_on_worklist("/work/queues/finance", "financial-assessment", "Carry out the financial assessment", finance)
    field = walk.find(f"tr[data-task='{finance}'] input[name=to]")
    field.send_keys(PRACTITIONER)
    walk.row_action(finance, "form[action='/work/tasks/allocate-task'] button")
    assert walk.notice() == f"Task {finance} is allocated to {PRACTITIONER}."

    walk.sign_in(PRACTITIONER)
    walk.open("/work")
    walk.row_action(finance, "a[data-answer]")
    assert walk.find("form.event-form").get_attribute("data-event") == "financial-assessment-completed"
    assert walk.find("form.event-form input[name=task]").get_attribute("value") == finance
    walk.tick("outcome", "contribution")
    walk.fill_and_submit({"weeklyContribution": "40"})
    assert walk.notice().startswith("Recorded: The financial assessment")
    walk.open(f"/cases/{case}/plan/edit")
    assert walk.find("#sign-off-checklist [data-ready]")

    # The manager signs the plan off.
    walk.sign_in(MANAGER)
    walk.record(case, "sign-off")
    walk.submit()
    assert walk.stage() == "delivery"

    # The practitioner takes the copy of the plan to send from the notifications queue, and answers it; then the
    # informal review.
    walk.sign_in(PRACTITIONER)
    copy = walk.task_of(case, "send-plan-copy")
    walk.find_on_worklist("/work/queues/notifications", "send-plan-copy", "Send the person", copy)
    walk.row_action(copy, "form[action='/work/tasks/take-task'] button")
    walk.row_action(copy, "a[data-answer]")
    walk.submit()
    assert walk.notice().startswith("Recorded: The copy of the plan was sent")
    walk.record(case, "start-review")
    walk.tick("type", "informal")
    walk.submit()
    assert walk.stage() == "review"
    walk.record(case, "review-completed")
    walk.tick("outcome", "no-change")
    walk.fill_and_submit({"note": "settling in well"})
    assert walk.stage() == "delivery"

    # A safeguarding concern, raised by the practitioner; the manager takes the decision from the safeguarding
    # queue and answers it.
    walk.record(case, "safeguarding-concern")
    walk.fill_and_submit({"note": "bruising seen by her daughter"})
    assert walk.find("[data-field=safeguarding]").text == "concern"
    walk.sign_in(MANAGER)
    decision = walk.task_of(case, "safeguarding-decision")
    walk.find_on_worklist("/work/queues/safeguarding", "safeguarding-decision", "Decide whether a s42 enquiry", decision)
    walk.row_action(decision, "form[action='/work/tasks/take-task'] button")
    walk.row_action(decision, "a[data-answer]")
    walk.tick("enquiry", "false")
    walk.fill_and_submit({"reason": "the bruising is explained; no risk of abuse"})
    assert walk.find("[data-field=safeguarding]").text != "concern"

    # The case's history through the API: every step in order, each by the person who took it.
    history = [(entry["name"], entry["actor"]) for entry in server.get_json(f"/api/cases/{case}")["history"]
               if entry["name"] != "timer-fired"]
    assert history == [
        ("contact", PRACTITIONER), ("reassign", PRACTITIONER), ("take-task", PRACTITIONER),
        ("start-assessment", PRACTITIONER),
        ("take-task", PRACTITIONER), ("assessment-completed", PRACTITIONER), ("eligibility-decided", PRACTITIONER),
        ("ras-completed", PRACTITIONER), *[("plan-updated", PRACTITIONER)] * 6,
        ("allocate-task", MANAGER), ("financial-assessment-completed", PRACTITIONER), ("sign-off", MANAGER),
        ("take-task", PRACTITIONER), ("plan-copy-sent", PRACTITIONER), ("start-review", PRACTITIONER),
        ("review-completed", PRACTITIONER), ("safeguarding-concern", PRACTITIONER), ("take-task", MANAGER),
        ("s42-decision", MANAGER),
    ], history
    entries = server.get_json(f"/api/cases/{case}")["history"]
    allocation = next(entry for entry in entries if entry["name"] == "allocate-task")
    assert allocation["data"] == {"task": finance, "to": PRACTITIONER}
    decided = next(entry for entry in entries if entry["name"] == "s42-decision")
    assert decided["data"] == {"enquiry": False, "task": decision}
    assert decided["reason"] == "the bruising is explained; no risk of abuse"
    # The browser's only complaints are the two refusals, answered 422 as a refused form is.
    severe = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert len(severe) == 2 and all("status of 422" in message for message in severe), severe
    assert "/cases/new " in severe[0] and f"/cases/{case}/events/sign-off " in severe[1], severe
