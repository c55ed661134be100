"""The console in a real Chromium, as a new person uses it (issue 5).

Calls are played through the ingest API (an API key with `calls:ingest`), one word per transcript
segment, so what rings and what is said is decided by the test. Every screen visited is saved in
e2e/artifacts/screens/ at 1280×800 and 1920×1080, light and dark.
"""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pyotp
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from avoca_harness import PASSWORD, Account, create_api_key, expect, extract_code, unique_email
from browser import COMPANY_TIME_ZONE, SCREENS_DIR, Browser, Caller, decode_qr_png, rendered_words
from console_support import (
    add_address_in_caller_panel, agent_at_desk, api_account, make_available, sign_in_in_browser, wait_live_desk, wait_queue_state,
)

AGENT_REPLY = "Thanks Maria I can book a plumber for tomorrow morning"
MARIA = ("Hi my name is Maria Gonzalez my number is 312 555 0142 I live at 1423 Maple Ave Springfield IL 62704 "
         "my water heater is leaking can someone come tomorrow morning")


def grey(rgb_text: str) -> bool:
    """True for a neutral colour (r, g and b within 24 of each other)."""
    values = [int(v) for v in re.findall(r"\d+", rgb_text)[:3]]
    return len(values) == 3 and max(values) - min(values) <= 24


def hue(rgb_text: str) -> str:
    """'red', 'green', 'blue' or 'grey' for a computed CSS colour."""
    r, g, b = [int(v) for v in re.findall(r"\d+", rgb_text)[:3]]
    if max(r, g, b) - min(r, g, b) <= 24:
        return "grey"
    return {0: "red", 1: "green", 2: "blue"}[[r, g, b].index(max(r, g, b))]


def border_colour(browser: Browser, call_id: str) -> str:
    """The colour of the queue item's left edge (the queue is redrawn often: look it up afresh)."""
    return browser.js("""const item = document.querySelector(`.queue-item[data-id="${arguments[0]}"]`);
                         return item ? getComputedStyle(item).borderLeftColor : null;""", call_id)


def sign_up_in_browser(b: Browser, smtp, account: Account, invitation_link: str | None = None) -> None:
    """Sign-up → e-mailed code → verify → password → enrol with the QR code → recovery codes → desk.
    With `invitation_link`, starts from the invitation e-mail's link, which fills in the address."""
    if invitation_link:
        b.driver.get(invitation_link)
        b.wait_text("auth-screens h1", "Create your account")
        assert b.find("#su-email").get_attribute("value") == account.email
    else:
        b.open("/")
        b.wait_text("auth-screens h1", "Sign in")
        b.shot("sign in")
        b.find("auth-screens").find_element(By.LINK_TEXT, "Create an account").click()
        b.wait_text("auth-screens h1", "Create your account")
        b.fill("#su-email", account.email)
    b.fill("#su-first", account.first_name)
    b.fill("#su-last", account.last_name)
    b.fill("#su-password", account.password)
    b.fill("#su-confirm", account.password)
    b.wait(lambda: len(b.find_all(".rules li.met")) == 3, 5, "every password rule to be met")
    b.shot("sign up filled in")
    mark = smtp.mark()
    b.click("auth-screens button[type=submit]")

    b.wait_text("auth-screens h1", "Check your e-mail")
    assert b.find("#ve-email").get_attribute("value") == account.email
    b.shot("verify e-mail")
    code = extract_code(smtp.wait_for_mail(account.email, "verification code", since=mark))
    b.fill("#ve-code", code)
    b.click("auth-screens button[type=submit]")

    b.wait_text("auth-screens h1", "Sign in")
    b.wait_text("auth-screens .form-note", "verified")
    assert b.find("#si-email").get_attribute("value") == account.email
    b.shot("sign in after verification")
    b.fill("#si-password", account.password)
    b.click("auth-screens button[type=submit]")

    b.wait_text("auth-screens h1", "Set up your authenticator")
    qr = b.visible("img.qr")
    b.wait(lambda: b.js("return arguments[0].complete && arguments[0].naturalWidth > 0", qr), 10, "the QR image to load")
    b.shot("enrol authenticator")
    otpauth = decode_qr_png(b.element_png(qr, SCREENS_DIR / f"{b.test_name}-qr.png"))
    assert otpauth.startswith("otpauth://totp/"), otpauth
    totp = pyotp.parse_uri(otpauth)
    # The key shown for typing by hand is the one in the QR code.
    b.find("details.manual-key summary").click()
    shown_key = b.visible(".key-text").text.replace(" ", "")
    assert shown_key == totp.secret, (shown_key, totp.secret)
    account.otpauth_url = otpauth
    account.secret = totp.secret
    account.last_step = int(time.time() // 30)
    b.fill("#en-code", totp.now())
    b.click("auth-screens button[type=submit]")

    b.wait_text("auth-screens h1", "Save your recovery codes")
    codes = [li.text for li in b.find_all(".code-grid li")]
    assert len(codes) == 10 and len(set(codes)) == 10 and all(codes), codes
    account.recovery_codes = codes
    b.shot("recovery codes")
    done = b.find(".recovery-block .form-actions button")
    assert not done.is_enabled(), "the codes can be skipped without confirming they were saved"
    b.find("#rc-saved").click()
    b.button("Continue to the desk").click()


def click_together(*elements) -> list[Exception | None]:
    """Clicks elements of different browsers at the same moment (one thread per browser).

    Returns, per element, None or the error of its click: a button the page removed in the very
    instant (because the other click won) is part of a race, not a failure of the test.
    """
    barrier = threading.Barrier(len(elements))
    results: list[Exception | None] = [None] * len(elements)

    def press(index, element):
        try:
            barrier.wait(10)
            element.click()
        except Exception as error:  # judged by the caller
            results[index] = error
    threads = [threading.Thread(target=press, args=(i, e), daemon=True) for i, e in enumerate(elements)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    for index, t in enumerate(threads):
        t.join(max(0.0, deadline - time.monotonic()))
        if t.is_alive():  # a click that never came back is an error, not a success
            results[index] = TimeoutError("the click did not return within 20 s")
    return results


def accept_statuses(browser: Browser, clicked: bool) -> list[int]:
    """HTTP statuses of the accept requests this page sent (Resource Timing keeps them); waits for
    the answer when the click went through."""
    def answers():
        found = browser.js(r"""return performance.getEntriesByType('resource')
            .filter((e) => /^\/api\/phone-calls\/[^/]+\/accept$/.test(new URL(e.name).pathname))
            .map((e) => e.responseStatus);""")
        return found if found and all(found) else None
    if not clicked:
        return answers() or []
    return browser.wait(answers, 10, "the answer to accept")


def test_new_agent_takes_a_call_and_books_a_job(console_server, smtp, browsers):
    server = console_server
    ingest_key = create_api_key(server, "calls:ingest", "directory:read", name="bridge")
    account = Account(email=unique_email("agent"), password=PASSWORD, first_name="Sam", last_name="Rivera")
    b = browsers()

    # Sign-up, verification, enrolment — all in the browser.
    sign_up_in_browser(b, smtp, account)
    wait_live_desk(b)
    b.wait_text(".queue-list", "The queue is empty")
    make_available(b)
    b.shot("desk empty queue")

    # A call starts ringing: it is in the queue (red, ringing) and offered to me.
    caller = Caller(server, ingest_key, "+13125550142")
    call_id = caller.start()["phone_call_id"]
    wait_queue_state(b, call_id, "state-ringing", "Ringing")
    assert hue(border_colour(b, call_id)) == "red", border_colour(b, call_id)
    offer = b.visible("offer-alert .offer-panel")
    assert "(312) 555-0142" in offer.text, offer.text
    assert "Incoming call for you" in offer.text, offer.text
    b.shot("call ringing with offer")

    # Accept: the call is mine (green), the desk shows it.
    b.click("offer-alert .offer-accept")
    b.gone("offer-alert .offer-panel")
    b.wait(lambda: f"#/desk/{call_id}" in b.driver.current_url, 10, "the desk to open the call")
    wait_queue_state(b, call_id, "state-mine", "You")
    assert hue(border_colour(b, call_id)) == "green", border_colour(b, call_id)
    b.wait_text(".call-owner", "Handled by you")
    b.shot("call accepted")

    # The caller speaks; the words stream in while they are still talking.
    caller.say_in_background(MARIA, delay=0.08)
    b.wait(lambda: len(rendered_words(b)) >= 5, 15, "the first words")
    partial = len(rendered_words(b))
    assert caller.speaking and partial < len(MARIA.split()), \
        f"the transcript did not stream: {partial} words shown while the caller was still speaking={caller.speaking}"
    b.shot("transcript streaming")
    caller.finish_speaking()
    # The agent answers (the bridge transcribes both sides); that ends the caller's turn.
    caller.say(AGENT_REPLY, speaker="agent", delay=0.03)
    spoken = MARIA.split() + AGENT_REPLY.split()
    b.wait(lambda: rendered_words(b) == spoken, 15, "the whole transcript")
    assert len(b.find_all("call-transcript .turn-caller")) == 1 and len(b.find_all("call-transcript .turn-agent")) == 1

    # Insights: what Avoca heard, offered as one-click fills.
    def chip_texts():
        return [c.text for c in b.find_all(".insights .chip")]
    expected_chips = ["Maria Gonzalez", "(312) 555-0142", "1423 Maple Ave", "water heater", "tomorrow morning"]
    b.wait(lambda: all(any(x in t for t in chip_texts()) for x in expected_chips), 15,
           f"insight chips {expected_chips}")
    marked = {m.get_attribute("data-kind") for m in b.find_all("call-transcript mark.hl")}
    assert {"name", "phone", "address", "service"} <= marked, f"insight words highlighted: {marked}"
    b.shot("insights")

    # Create the customer from the insights.
    b.click("caller-panel .new-customer")
    dialog = b.visible("dialog[open] customer-form")
    def value(name):
        return dialog.find_element(By.CSS_SELECTOR, f'[name="{name}"]').get_attribute("value")
    assert value("first_name") == "Maria" and value("last_name") == "Gonzalez", (value("first_name"), value("last_name"))
    assert value("mobile_number") == "(312) 555-0142", value("mobile_number")
    assert value("address.street") == "1423 Maple Ave", value("address.street")
    assert value("address.city") == "Springfield", value("address.city")
    assert value("address.state") == "IL", value("address.state")
    assert value("address.zip") == "62704", value("address.zip")
    b.shot("new customer from the call")
    b.button("Create customer", "dialog[open]").click()
    b.gone("dialog[open]")
    b.wait_text("caller-panel .linked-customer", "Maria Gonzalez")
    addresses = b.visible('caller-panel section[aria-labelledby="cp-addresses"]')
    if "No address on file" in addresses.text:
        add_address_in_caller_panel(b, "1423 Maple Ave", "62704")
    b.wait_text("caller-panel .cp-section", "1423 Maple Ave")
    b.shot("customer linked")

    # Book the job: address, description and time come from the call.
    b.click("caller-panel .book-job")
    job_form = b.visible("dialog[open] job-form")
    address_select = Select(job_form.find_element(By.CSS_SELECTOR, '[name="address_id"]'))
    assert "1423 Maple Ave" in address_select.first_selected_option.text, address_select.first_selected_option.text
    description = job_form.find_element(By.CSS_SELECTOR, '[name="description"]').get_attribute("value")
    assert "water heater" in description.lower(), description
    slot_date = job_form.find_element(By.CSS_SELECTOR, '[name="date"]').get_attribute("value")
    slot_start = job_form.find_element(By.CSS_SELECTOR, '[name="start"]').get_attribute("value")
    slot_end = job_form.find_element(By.CSS_SELECTOR, '[name="end"]').get_attribute("value")
    # "Tomorrow morning" is 8 o'clock tomorrow in the company's time zone, 15 hours from the browser's.
    tomorrow = (datetime.now(ZoneInfo(COMPANY_TIME_ZONE)) + timedelta(days=1)).date().isoformat()
    assert (slot_date, slot_start) == (tomorrow, "08:00"), (slot_date, slot_start, slot_end, tomorrow)
    assert "Central" in job_form.find_element(By.CSS_SELECTOR, "legend").text
    assert job_form.find_element(By.CSS_SELECTOR, '.chip-button[aria-pressed="true"]').get_attribute("data-start") == "08:00"
    b.shot("book job")
    b.button("Book job", "dialog[open]").click()
    b.gone("dialog[open]")
    b.wait_text("caller-panel .linked-job", "Job linked")
    b.shot("job booked")
    # Stored as 8:00 on the company's clock, and shown that way in a browser 15 hours ahead.
    jobs = expect(server.get("/api/jobs?page_size=100", api_key=ingest_key), 200).json()["jobs"]
    booked = next(j for j in jobs if "water heater" in (j["description"] or "").lower())
    start = datetime.fromisoformat(booked["schedule"]["scheduled_start"].replace("Z", "+00:00")).astimezone(ZoneInfo(COMPANY_TIME_ZONE))
    assert (start.date().isoformat(), start.hour, start.minute) == (tomorrow, 8, 0), booked["schedule"]
    b.wait_text("caller-panel .linked-job", "8:00 AM")

    # A second booking for the same time, from the customer's page, is refused inline.
    b.find("caller-panel .cust-name").click()
    b.wait_text("customers-page h1", "Maria Gonzalez")
    b.wait(lambda: "#" in b.find("customers-page .jobs-slot").text, 10, "the customer's jobs")
    b.shot("customer page")
    b.button("Book job", "customers-page").click()
    job_form = b.visible("dialog[open] job-form")
    # Same day (the form proposes tomorrow), same slot: the 8–10 chip.
    assert job_form.find_element(By.CSS_SELECTOR, '[name="date"]').get_attribute("value") == slot_date
    job_form.find_element(By.CSS_SELECTOR, f'.chip-button[data-start="{slot_start}"][data-end="{slot_end}"]').click()
    b.fill('[name="description"]', "Second visit, same time", job_form)
    b.button("Book job", "dialog[open]").click()
    conflict = b.visible("dialog[open] .conflict")
    b.wait(lambda: "Job #" in conflict.text, 10, "the conflicting job to be named")
    assert "overlaps" in conflict.text.lower(), conflict.text
    b.shot("overlapping booking refused")
    # A toast raised while a dialog is open shows above the dialog and its backdrop.
    b.js("document.dispatchEvent(new CustomEvent('avoca-toast', {detail: {message: 'Heads up', kind: 'info'}}))")
    b.wait_text("toast-stack .toast", "Heads up")
    # Both live in the top layer; the toast stack, shown last, is painted above the modal dialog.
    assert b.js("return document.querySelector('toast-stack').matches(':popover-open')"), "the toast is under the dialog"
    # The confirmations from before the dialog opened were cleared so they cover none of it.
    assert [t.text for t in b.find_all("toast-stack .toast-text")] == ["Heads up"]
    b.shot("toast over a dialog")
    b.button("Cancel", "dialog[open] job-form").click()
    b.gone("dialog[open]")

    # Back at the desk, the caller hangs up; wrap-up asks for the outcome.
    b.find(".mainnav a[data-page=desk]").click()
    b.click(f'.queue-item[data-id="{call_id}"]')
    b.wait_text(".call-owner", "Handled by you")
    caller.hang_up()
    wait_queue_state(b, call_id, "state-wrapup", "wrap-up")
    wrapup = b.wait_text("call-desk form.wrapup", "the caller hung up")
    outcome = Select(wrapup.find_element(By.CSS_SELECTOR, '[name="outcome"]'))
    assert outcome.first_selected_option.get_attribute("value") == "booked", outcome.first_selected_option.text
    b.fill('[name="notes"]', "Water heater leak, tech tomorrow morning.", wrapup)
    b.shot("wrap-up")
    b.button("Finish call", "call-desk form.wrapup").click()

    # Completed: grey in the queue, with the outcome.
    wait_queue_state(b, call_id, "state-ended", "Job booked")
    assert grey(border_colour(b, call_id)), border_colour(b, call_id)
    b.wait_text(".wrapup.done", "Job booked")
    b.shot("call completed")
    assert not b.collect_console(), f"console errors: {b.console_errors}"


def test_two_agents_race_for_one_call(console_server, smtp, browsers):
    server = console_server
    key = create_api_key(server, "calls:ingest", "calls:read", name="bridge")
    # The first employee is the admin (who may change anyone's call); the two racing are agents.
    api_account(server, smtp, "Ada", "Admin", "admin")
    avery = api_account(server, smtp, "Avery", "Stone", "avery")
    blake = api_account(server, smtp, "Blake", "Moreno", "blake")
    a, b = browsers("avery"), browsers("blake")
    for browser, account in ((a, avery), (b, blake)):
        sign_in_in_browser(browser, account)
        make_available(browser)
    a.shot("desk")
    b.shot("desk")

    caller = Caller(server, key, "+16085550177")
    call_id = caller.start()["phone_call_id"]
    for browser in (a, b):
        wait_queue_state(browser, call_id, "state-ringing", "Ringing")
    # It is offered to exactly one of them (round robin); both can claim it from the queue.
    a.wait(lambda: a.find_all("offer-alert .offer-panel") or b.find_all("offer-alert .offer-panel"), 10, "the offer")
    offered = [x for x in (a, b) if x.find_all("offer-alert .offer-panel")]
    assert len(offered) == 1, f"the call was offered to {len(offered)} agents"
    a.shot("call ringing")
    b.shot("call ringing")

    # Both press Accept at the same moment: the offered agent in the offer, the other in the call view.
    other = b if offered[0] is a else a
    other.click(f'.queue-item[data-id="{call_id}"]')
    other.wait_text(".call-state", "Ringing")
    other.wait_text("call-desk .call-actions", "Accept call")
    buttons = {offered[0]: offered[0].visible("offer-alert .offer-accept"),
               other: other.visible("call-desk .call-actions .button.success")}
    for browser in (a, b):
        browser.js("performance.clearResourceTimings();")
    click_errors = dict(zip(buttons, click_together(*buttons.values())))

    def claimed():
        call = expect(server.get(f"/api/phone-calls/{call_id}", api_key=key), 200).json()
        return call if call["state"] != "ringing" else None
    detail = a.wait(claimed, 10, "the call to be claimed")
    assert detail["state"] == "active", detail
    owners = {avery.employee["employee_id"]: (a, avery), blake.employee["employee_id"]: (b, blake)}
    assert detail["employee_id"] in owners, detail
    winner_browser, winner = owners[detail["employee_id"]]
    loser_browser = b if winner_browser is a else a
    winner_name = f"{winner.first_name} {winner.last_name}"

    # Exactly one accept succeeded; a second one that reached the server was refused with 409.
    statuses = {browser: accept_statuses(browser, click_errors[browser] is None) for browser in (a, b)}
    assert click_errors[winner_browser] is None, f"the winner's click failed: {click_errors[winner_browser]}"
    assert statuses[winner_browser] == [200], statuses
    assert statuses[loser_browser] in ([409], []), statuses
    if not statuses[loser_browser]:
        # The loser's button was gone before the click landed: the other click had already won.
        assert click_errors[loser_browser] is not None, f"the loser clicked but sent nothing: {statuses}"
    print(f"race: winner {winner.first_name}, loser sent {statuses[loser_browser]} "
          f"(offered to {'winner' if offered[0] is winner_browser else 'loser'})")

    # The loser is told who took it, sees it blue with the winner's name; the winner has it (green).
    if statuses[loser_browser] or offered[0] is loser_browser:
        loser_browser.wait_text("toast-stack .toast", winner_name, timeout=5)
    wait_queue_state(winner_browser, call_id, "state-mine", "You · on call")
    assert hue(border_colour(winner_browser, call_id)) == "green", border_colour(winner_browser, call_id)
    winner_browser.click(f'.queue-item[data-id="{call_id}"]')
    winner_browser.wait_text(".call-owner", "Handled by you")
    wait_queue_state(loser_browser, call_id, "state-others", winner_name)
    assert hue(border_colour(loser_browser, call_id)) == "blue", border_colour(loser_browser, call_id)
    if loser_browser.find_all("call-desk .call-view:not([hidden])"):
        loser_browser.wait_text(".call-owner", f"Handled by {winner_name}")
    assert not loser_browser.find_all("offer-alert .offer-panel"), "the loser still sees the offer"
    assert not [e for e in loser_browser.find_all("call-desk .call-actions button") if "Accept" in e.text], \
        "the loser can still press Accept"
    winner_browser.shot("won the call")
    loser_browser.shot("lost the call")
    # The loser may look, not change.
    loser_browser.click(f'.queue-item[data-id="{call_id}"]')
    loser_browser.wait_text("caller-panel", "belongs to another agent")
    loser_browser.shot("looking at the other agent's call")

    caller.hang_up()
    wait_queue_state(loser_browser, call_id, "state-wrapup", winner_name)
    for browser in (a, b):
        assert not browser.collect_console(), f"console errors: {browser.console_errors}"


def test_transcript_survives_a_lost_connection(console_server, smtp, browsers):
    server = console_server
    key, agent, b = agent_at_desk(server, smtp, browsers, "Casey", "Lin", "casey")

    caller = Caller(server, key, "+14145550123")
    call_id = caller.start()["phone_call_id"]
    b.click("offer-alert .offer-accept")
    b.wait_text(".call-owner", "Handled by you")
    b.shot("call accepted")

    words = " ".join(f"word{n:02d}" for n in range(1, 81))
    caller.say_in_background(words, delay=0.06)
    b.wait(lambda: len(rendered_words(b)) >= 10, 15, "the first words")

    # The network drops for a few seconds while the caller keeps talking.
    # (DevTools' offline mode leaves open WebSockets alone; the console must drop its own socket when
    # the browser reports the network gone, or words would keep arriving "offline".)
    b.offline(True)
    b.wait_text(".conn-text", "No network", timeout=10)
    b.wait_text(".conn-banner", "You are offline")
    shown_offline = len(rendered_words(b))
    b.shot("connection lost")
    time.sleep(2.5)
    assert caller.speaking, "the caller stopped before the network came back; the test proves nothing"
    assert len(rendered_words(b)) == shown_offline, "words arrived while the browser was offline?"
    b.offline(False)
    b.wait_text(".conn-text", "Live", timeout=20)
    caller.finish_speaking()

    expected = words.split()
    try:
        b.wait(lambda: len(rendered_words(b)) >= len(expected), 20, "the rest of the transcript")
        time.sleep(0.5)  # anything duplicated after the last word would arrive now
    except TimeoutException:
        pass  # the comparison below says what is missing
    b.shot("transcript caught up")
    shown = rendered_words(b)
    assert shown == expected, (
        f"the transcript after reconnecting differs from what was said: {len(shown)} words shown, "
        f"{len(expected)} said; missing {sorted(set(expected) - set(shown))}, "
        f"duplicated {sorted({w for w in shown if shown.count(w) > 1})}")
    assert not b.find_all("call-transcript .transcript-empty:not([hidden])")
    assert not b.collect_console(), f"console errors: {b.console_errors}"


XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_WORDS = "<b>bold</b> <script>alert(2)</script> and <img src=y onerror=alert(3)>"


def test_markup_in_data_is_shown_as_text(console_server, smtp, browsers):
    server = console_server
    key, agent, b = agent_at_desk(server, smtp, browsers, "Dana", "Okafor", "dana")

    def no_injected_markup():
        b.assert_no_alert()
        injected = b.js("""return [...document.querySelectorAll('img[src="x"], img[src="y"], b, i, script:not([src])')]
                              .filter((e) => e.closest('#app, dialog, toast-stack')).map((e) => e.outerHTML);""")
        assert not injected, f"data became markup: {injected}"

    def shows_as_text(css: str, literal: str):
        """Waits for `literal` to show as text in `css`; if it never does, says whether it became markup."""
        try:
            element = b.wait_text(css, literal)
        except TimeoutException:
            no_injected_markup()
            raise
        no_injected_markup()
        return element

    # A customer whose name is markup, created in the console.
    b.find(".mainnav a[data-page=customers]").click()
    b.wait_text("customers-page tbody", "No customers yet")
    b.shot("customers empty")
    b.button("New customer", "customers-page").click()
    form = b.visible("dialog[open] customer-form")
    b.fill('[name="first_name"]', XSS_NAME, form)
    b.fill('[name="mobile_number"]', "(262) 555-0199", form)
    b.shot("new customer dialog")
    b.button("Create customer", "dialog[open]").click()
    b.gone("dialog[open]")
    shows_as_text("customers-page h1", XSS_NAME)
    b.shot("customer named with markup")
    b.find("customers-page .breadcrumb a").click()
    shows_as_text("customers-page tbody", XSS_NAME)
    b.shot("customer list")

    # That customer calls; the transcript is markup too.
    b.find(".mainnav a[data-page=desk]").click()
    caller = Caller(server, key, "+12625550199")
    call_id = caller.start()["phone_call_id"]
    b.click("offer-alert .offer-accept")
    b.wait_text(".call-owner", "Handled by you")
    shows_as_text("caller-panel .screen-pop", XSS_NAME)
    caller.say(XSS_WORDS, delay=0.03)
    caller.say("Okay I see that", speaker="agent", delay=0.03)
    b.wait(lambda: rendered_words(b) == XSS_WORDS.split() + "Okay I see that".split(), 15, "the transcript")
    shows_as_text("call-transcript .turn-text", "<script>alert(2)</script>")
    shows_as_text("call-transcript .turn-text", "<b>bold</b>")
    b.button("Link", "caller-panel .screen-pop").click()
    shows_as_text("caller-panel .linked-customer", XSS_NAME)
    b.shot("call with markup in the transcript")

    caller.hang_up()
    wrapup = b.wait_text("call-desk form.wrapup", "the caller hung up")
    Select(wrapup.find_element(By.CSS_SELECTOR, '[name="outcome"]')).select_by_value("information_only")
    b.fill('[name="notes"]', "<i>notes</i> <script>alert(4)</script>", wrapup)
    b.button("Finish call", "call-desk form.wrapup").click()
    shows_as_text(".wrapup.done", "<script>alert(4)</script>")
    wait_queue_state(b, call_id, "state-ended")
    no_injected_markup()
    # The completed call has a customer but no job: it no longer offers booking one.
    b.wait(lambda: b.find("caller-panel .book-job").get_attribute("disabled") is not None, 10, "Book job disabled on a completed call")
    b.shot("completed call with markup notes")
    assert not b.collect_console(), f"console errors: {b.console_errors}"


def test_a_broad_search_says_there_are_more(console_server, smtp, browsers):
    """More than 1,000 matches: the list says "1,000+" and keeps paging instead of a false total."""
    server = console_server
    key = create_api_key(server, "directory:write", "directory:read", name="import")

    def create(index: int) -> None:
        body = {"first_name": f"Pat{index}", "last_name": "Quillon"}
        expect(server.post("/api/customers", body, api_key=key), 201)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(create, range(1005)))
    agent = api_account(server, smtp, "Lee", "Park", "lee")
    b = browsers()
    sign_in_in_browser(b, agent)
    b.find(".mainnav a[data-page=customers]").click()
    b.fill("customers-page input[type=search]", "quill")
    b.wait_text("customers-page .list-status", "1,000+ matches")
    assert "of 1,000+" in b.find("customers-page .pager-info").text, b.find("customers-page .pager-info").text
    assert b.find("customers-page .next").get_attribute("disabled") is None
    b.shot("broad search")
    b.fill("customers-page input[type=search]", "pat1004")
    b.wait_text("customers-page .list-status", "1 match")
    assert "Pat1004 Quillon" in b.find("customers-page tbody").text
    assert not b.collect_console(), f"console errors: {b.console_errors}"


def test_an_agent_calls_back_a_missed_call(console_server, smtp, browsers):
    """The callback list is everyone's: an agent takes a missed call and records how it went."""
    server = console_server
    key = create_api_key(server, "calls:ingest", "calls:read", name="bridge")
    api_account(server, smtp, "Ada", "Admin", "admin2")  # the first employee would be an admin
    agent = api_account(server, smtp, "Robin", "Hale", "robin")
    caller = Caller(server, key, "+14145550123")
    call_id = caller.start()["phone_call_id"]
    assert caller.hang_up()["state"] == "missed"

    b = browsers()
    sign_in_in_browser(b, agent)
    b.click("call-desk .seg[data-filter=missed]")
    b.click(f'.queue-item[data-id="{call_id}"]')
    b.wait_text(".call-owner", "Nobody has taken it")
    b.wait_text("caller-panel", "Take the callback")
    b.shot("missed call")
    b.click("call-desk .take-callback")
    b.wait_text(".call-owner", "Handled by you")
    form = b.wait_text("call-desk form.wrapup", "Callback")
    Select(form.find_element(By.CSS_SELECTOR, '[name="outcome"]')).select_by_value("callback_scheduled")
    b.fill('[name="notes"]', "Voicemail; calls back after 5.", form)
    b.button("Save outcome", "call-desk form.wrapup").click()
    b.wait_text(".wrapup.done", "Callback scheduled")
    b.wait_text(f'.queue-item[data-id="{call_id}"]', "Missed · Callback scheduled")
    b.shot("callback recorded")
    stored = expect(server.get(f"/api/phone-calls/{call_id}", api_key=key), 200).json()
    assert (stored["state"], stored["outcome"], stored["employee_id"]) == ("missed", "callback_scheduled", agent.employee["employee_id"]), stored
    assert not b.collect_console(), f"console errors: {b.console_errors}"
