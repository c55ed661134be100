"""The desk on a busy shift, in a real Chromium (issue 14): an offer is never hidden behind a
dialog, a redraw never takes focus or text from the agent, the queue's switch survives a long
queue, and wrap-up follows the call's whole state.

Calls are played through the ingest API, as in test_console.py. The screens reviewed for this issue
are saved in e2e/artifacts/screens/ at 1440×900 and 1280×800, light and dark.
"""

from __future__ import annotations

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from avoca_harness import create_api_key, expect
from browser import Browser, Caller
from calls_support import Ingest
from console_support import (agent_at_desk, api_account, assert_on_top, controls_covered, make_available, sign_in_in_browser,
                             wait_queue_state)

REVIEW_SIZES = ((1440, 900), (1280, 800))


# --------------------------------------------------------------------------------------------
# What is on top where: hit tests and overlaps, measured in the page
# --------------------------------------------------------------------------------------------

def assert_clear_of_dialog(b: Browser, css: str) -> None:
    covered = controls_covered(b, css)
    assert not covered, f"{css} covers the dialog's controls: {covered}"


def active_element(b: Browser):
    return b.js("return document.activeElement")


def call_state(server, key: str, call_id: str) -> dict:
    return expect(server.get(f"/api/phone-calls/{call_id}", api_key=key), 200).json()


def wait_mine(b: Browser, server, key: str, call_id: str, agent) -> dict:
    """Until the server has the call active and owned by `agent`."""
    def claimed():
        call = call_state(server, key, call_id)
        return call if call["state"] == "active" and call["employee_id"] == agent.employee["employee_id"] else None
    return b.wait(claimed, 10, f"call {call_id} to be accepted by {agent.first_name}")


def open_page(b: Browser, hash_path: str) -> None:
    """Follows an in-app link (no reload, so the realtime connection and presence stay)."""
    b.js("location.hash = arguments[0]", hash_path)


# --------------------------------------------------------------------------------------------
# Offers over dialogs
# --------------------------------------------------------------------------------------------

def test_an_offer_over_the_new_customer_dialog_is_accepted_with_a_click(console_server, smtp, browsers):
    server = console_server
    key, agent, b = agent_at_desk(server, smtp, browsers, "Noor", "Haddad", "noor")
    b.find(".mainnav a[data-page=customers]").click()
    b.button("New customer", "customers-page").click()
    form = b.visible("dialog[open] customer-form")
    first_name = b.fill('[name="first_name"]', "Priya", form)

    call_id = Caller(server, key, "+17735550118").start()["phone_call_id"]
    offer = b.wait_text(".offer-panel", "(773) 555-0118")
    assert "Incoming call for you" in offer.text, offer.text
    # The ring took nothing from the form: focus and text are where they were.
    assert active_element(b) == first_name, "showing the offer moved the focus out of the form"
    assert first_name.get_attribute("value") == "Priya"
    assert_on_top(b, ".offer-panel .offer-accept")
    assert_clear_of_dialog(b, ".offer-panel")
    b.shot("offer over the new customer dialog", REVIEW_SIZES)

    b.find(".offer-panel .offer-accept").click()  # a real click, refused if anything covers the button
    wait_mine(b, server, key, call_id, agent)
    b.gone(".offer-panel")
    b.wait(lambda: f"#/desk/{call_id}" in b.driver.current_url, 10, "the desk to open the accepted call")
    # The half-typed customer is still there to finish; saving it keeps the agent on the call.
    assert b.find("dialog[open] customer-form [name=first_name]").get_attribute("value") == "Priya"
    b.shot("accepted with the dialog still open", REVIEW_SIZES)
    b.button("Create customer", "dialog[open]").click()
    b.gone("dialog[open]")
    b.wait_text("toast-stack .toast", "Priya was added")
    assert f"#/desk/{call_id}" in b.driver.current_url, f"saving the customer left the call: {b.driver.current_url}"
    assert not b.collect_console(), f"console errors: {b.console_errors}"


def test_an_offer_over_the_booking_dialog_is_accepted_with_a(console_server, smtp, browsers):
    server = console_server
    key, agent, b = agent_at_desk(server, smtp, browsers, "Ines", "Moreau", "ines")
    colleague = api_account(server, smtp, "Blake", "Moreno", "blake")
    directory = create_api_key(server, "directory:write", "directory:read", name="import")
    customer = expect(server.post("/api/customers", {
        "first_name": "Hana", "last_name": "Kim", "mobile_number": "+13125550190",
        "addresses": [{"street": "12 Elm St", "city": "Springfield", "state": "IL", "zip": "62704", "country": "US"}]},
        api_key=directory), 201).json()
    open_page(b, f"#/customers/{customer['id']}")
    b.wait_text("customers-page h1", "Hana Kim")
    b.button("Book job", "customers-page").click()
    form = b.visible("dialog[open] job-form")
    description = b.fill('[name="description"]', "Gutter cleaning", form)

    # A call offered to me is taken by a colleague: the news is a toast above the dialog, clear of
    # its buttons (the Book job button is bottom right).
    first_id = Caller(server, key, "+16085550101").start()["phone_call_id"]
    b.wait_text(".offer-panel", "(608) 555-0101")
    expect(server.post(f"/api/phone-calls/{first_id}/accept", token=colleague.access_token), 200)
    b.wait_text("toast-stack .toast", "Blake Moreno")
    b.gone(".offer-panel")
    assert_on_top(b, "toast-stack .toast")
    assert_clear_of_dialog(b, "toast-stack")
    b.shot("toast over the booking dialog", REVIEW_SIZES)

    # The next call is offered while I type: "a" in a text field is a letter, never an answer.
    second_id = Caller(server, key, "+16085550102").start()["phone_call_id"]
    b.wait_text(".offer-panel", "(608) 555-0102")
    assert active_element(b) == description, "showing the offer moved the focus out of the form"
    assert_clear_of_dialog(b, ".offer-panel")
    ActionChains(b.driver).send_keys("a").perform()
    b.wait(lambda: description.get_attribute("value") == "Gutter cleaninga", 5, "the typed a in the description")
    accept = b.find(".offer-panel .offer-accept")
    assert accept.is_enabled(), "typing an a in the description accepted the offer"
    b.shot("offer over the booking dialog", REVIEW_SIZES)

    # Off the text fields — on the dialog's title — "a" answers the call.
    ActionChains(b.driver).move_to_element(b.find("dialog[open] .dialog-title")).click().perform()
    assert not b.js("const e = document.activeElement; return e.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.tagName)"), \
        "clicking the title left the focus in a field"
    ActionChains(b.driver).send_keys("a").perform()
    wait_mine(b, server, key, second_id, agent)
    b.gone(".offer-panel")
    assert b.find("dialog[open] job-form [name=description]").get_attribute("value") == "Gutter cleaninga"
    assert not b.collect_console(), f"console errors: {b.console_errors}"


def test_taking_another_call_passes_my_offer_on(console_server, smtp, browsers):
    """An agent who takes a call from the queue is busy: the call still offered to them rings for
    the next agent at once, instead of waiting out the offer's 30 s on a busy desk."""
    server = console_server
    key, avery, a = agent_at_desk(server, smtp, browsers, "Avery", "Stone", "avery")
    x_id = Caller(server, key, "+16085550177").start()["phone_call_id"]
    a.wait_text(".offer-panel", "(608) 555-0177")
    blake = api_account(server, smtp, "Blake", "Moreno", "blake")
    b = browsers("blake")
    sign_in_in_browser(b, blake)
    make_available(b)
    y_id = Caller(server, key, "+16085550188").start()["phone_call_id"]
    b.wait_text(".offer-panel", "(608) 555-0188")

    # Avery takes Y from the queue instead of answering X's offer.
    a.click(f'.queue-item[data-id="{y_id}"]')
    a.button("Accept call", "call-desk .call-actions").click()
    wait_mine(a, server, key, y_id, avery)
    a.gone(".offer-panel", timeout=2)
    # Blake, who lost Y, is offered X straight away (the router passes every second).
    b.wait_text(".offer-panel", "(608) 555-0177", timeout=3)
    b.shot("offer passed on", REVIEW_SIZES)
    b.click(".offer-panel .offer-accept")
    wait_mine(b, server, key, x_id, blake)
    for browser in (a, b):
        assert not browser.collect_console(), f"console errors: {browser.console_errors}"


def test_an_offer_follows_dialogs_as_they_close_and_open(console_server, smtp, browsers):
    """The offer stays answerable as forms open and close: beside the customer form's side sheet
    (not modal, so nothing is inert), back at its place when the sheet closes (Escape closes a sheet
    as it does a dialog), and inside a modal dialog opened while it rings, above it."""
    server = console_server
    key, agent, b = agent_at_desk(server, smtp, browsers, "Sasha", "Brook", "sasha")
    b.find(".mainnav a[data-page=customers]").click()
    b.button("New customer", "customers-page").click()
    b.visible("dialog[open] customer-form")
    call_id = Caller(server, key, "+17735550166").start()["phone_call_id"]
    b.wait_text(".offer-panel", "(773) 555-0166")
    ActionChains(b.driver).send_keys(Keys.ESCAPE).perform()
    b.gone("dialog[open]")
    offer = b.wait_text(".offer-panel", "(773) 555-0166", timeout=2)
    assert_on_top(b, ".offer-panel .offer-accept")
    # Back at its place under the header, centred.
    left, width = offer.rect["x"], offer.rect["width"]
    assert abs(left + width / 2 - 720) < 4, offer.rect

    b.button("New customer", "customers-page").click()
    b.visible("dialog[open] customer-form")
    assert_on_top(b, ".offer-panel .offer-accept")
    assert_clear_of_dialog(b, ".offer-panel")
    ActionChains(b.driver).send_keys(Keys.ESCAPE).perform()
    b.gone("dialog[open]")

    # A modal dialog opened while it rings (the shortcuts help) takes it in, above itself.
    b.js("document.activeElement?.blur()")
    ActionChains(b.driver).send_keys("?").perform()
    b.visible("dialog.help-dialog[open]")
    assert b.js("return document.querySelector('dialog.help-dialog').matches(':modal')")
    assert b.js("return document.querySelector('dialog.help-dialog').contains(document.querySelector('.offer-layer'))"), \
        "the offer stayed outside the modal dialog, where it is inert"
    assert_on_top(b, ".offer-panel .offer-accept")
    assert_clear_of_dialog(b, ".offer-panel")
    b.find(".offer-panel .offer-accept").click()
    wait_mine(b, server, key, call_id, agent)
    assert not b.collect_console(), f"console errors: {b.console_errors}"


# --------------------------------------------------------------------------------------------
# Focus: insight frames while the agent types
# --------------------------------------------------------------------------------------------

def test_typing_in_the_caller_search_survives_insight_frames(console_server, smtp, browsers):
    server = console_server
    key, agent, b = agent_at_desk(server, smtp, browsers, "Kai", "Olsen", "kai")
    caller = Caller(server, key, "+13125550142")
    call_id = caller.start()["phone_call_id"]
    b.click(".offer-panel .offer-accept")
    b.wait_text(".call-owner", "Handled by you")
    # Another call rings in the queue, so j / k would have somewhere to go.
    other_id = Caller(server, key, "+14145550177").start()["phone_call_id"]
    wait_queue_state(b, other_id, "state-ringing")
    desk_url = b.driver.current_url

    search = b.visible("caller-panel .caller-search")
    search.click()
    # Every shortcut letter is in it: a accepts, j/k switch calls, b books, l links, w wraps up.
    typed = ""
    numbers = iter(range(143, 200))

    def next_frame() -> None:
        """The caller says one more phone number (a new insight, so a phone_call_insights frame);
        waits until the desk has drawn it."""
        number = f"555-0{next(numbers)}"
        caller.say(f"or try 312 {number.replace('-', ' ')}.", delay=0)
        b.wait(lambda: any(number in chip.text for chip in b.find_all(".insights .chip")), 10, f"the chip for {number}")

    def type_key(key_text: str, expect_value: str, caret: int) -> None:
        # To whatever has the focus, as a person's keyboard does (never re-focusing the field).
        ActionChains(b.driver).send_keys(key_text).perform()
        state = b.js("""const e = document.activeElement;
                        return {search: e && e.matches('caller-panel .caller-search'), tag: e && e.outerHTML.slice(0, 80),
                                value: e && e.value, start: e && e.selectionStart, end: e && e.selectionEnd};""")
        assert state["search"], f"after an insight frame, {key_text!r} went to {state['tag']} instead of the search box"
        assert (state["value"], state["start"], state["end"]) == (expect_value, caret, caret), state

    for char in "jakob lewis":
        next_frame()
        typed += char
        type_key(char, typed, len(typed))
    # Back into the middle of the text: the caret stays where the agent put it.
    ActionChains(b.driver).send_keys(Keys.ARROW_LEFT * 6).perform()
    next_frame()
    typed = "jakob" + "w" + typed[5:]
    type_key("w", typed, 6)
    next_frame()
    value = b.find("caller-panel .caller-search").get_attribute("value")
    assert value == "jakobw lewis", value

    # No shortcut fired: the same call is open, no dialog, no "link a customer first" toast.
    assert b.driver.current_url == desk_url, f"a shortcut switched calls: {b.driver.current_url}"
    assert not b.find_all("dialog[open]"), "a shortcut opened a dialog"
    toasts = [t.text for t in b.find_all("toast-stack .toast-text")]
    assert not [t for t in toasts if "Link a customer" in t or "wrap up" in t], toasts
    assert call_state(server, key, other_id)["state"] == "ringing", "a shortcut accepted the other call"
    assert call_id in desk_url
    b.shot("typing while insights arrive", REVIEW_SIZES)
    assert not b.collect_console(), f"console errors: {b.console_errors}"


def test_insight_chips_hear_only_the_caller_and_show_one_urgency(console_server, smtp, browsers):
    server = console_server
    key, agent, b = agent_at_desk(server, smtp, browsers, "Uma", "Reyes", "uma")
    caller = Caller(server, key, "+13125550199")
    caller.start()
    b.click(".offer-panel .offer-accept")
    b.wait_text(".call-owner", "Handled by you")
    caller.say("Avoca Home Services, how can I help you today?", speaker="agent", delay=0)
    caller.say("Hi, the kitchen drain is slow, no rush, any time tomorrow works.", delay=0)
    caller.say("We can come any time tomorrow.", speaker="agent", delay=0)
    caller.say("Oh wait, now it is flooding the floor. My number is (312) 555-0142.", delay=0)
    b.wait(lambda: any("555-0142" in c.text for c in b.find_all(".insights .chip")), 15, "the phone chip")
    b.wait(lambda: [c.text for c in b.find_all(".insights .chip-urgency")] and
           "Emergency" in b.find(".insights .chip-urgency").text, 15, "the urgency chip to reach Emergency")
    chips = [c.text for c in b.find_all(".insights .chip")]
    urgency = [c for c in chips if "Urgency" in c]
    assert len(urgency) == 1, chips
    when = [c for c in chips if c.startswith("◷") or "When:" in c]
    # The agent's "today" and "any time tomorrow" are not the caller's; the caller's own "tomorrow" is.
    assert len(when) == 1 and "today" not in when[0].lower(), chips
    assert "heard" in b.find(".insights .chip-urgency").get_attribute("title"), "the chip names the phrases heard"
    marks = [m.text for m in b.find_all("call-transcript mark.hl-phone")]
    assert any(m.startswith("(312)") for m in marks), marks
    b.shot("one urgency chip", REVIEW_SIZES)
    assert not b.collect_console(), f"console errors: {b.console_errors}"


# --------------------------------------------------------------------------------------------
# A long queue
# --------------------------------------------------------------------------------------------

def test_the_queue_switch_stays_readable_with_60_calls(console_server, smtp, browsers):
    server = console_server
    key = create_api_key(server, "calls:ingest", "calls:read", name="bridge")
    agent = api_account(server, smtp, "Rae", "Lund", "rae")
    ingest = Ingest(server, key)
    for n in range(60):
        ingest.start(f"+1312555{n:04d}")
    b = browsers()
    sign_in_in_browser(b, agent)
    b.wait(lambda: len(b.find_all(".queue-item")) == 60, 20, "60 calls in the queue")
    assert b.js("const l = document.querySelector('.queue-list'); return l.scrollHeight > l.clientHeight + 100"), \
        "the queue does not outgrow its column; the test proves nothing"

    for width, height in REVIEW_SIZES:
        b.viewport(width, height)
        b.settle()
        switch = b.js("""const f = document.querySelector('.queue-filters').getBoundingClientRect();
                         return {height: f.height, labels: [...document.querySelectorAll('.queue-filters .seg')].map((s) => {
                           const r = s.getBoundingClientRect(); const range = document.createRange(); range.selectNodeContents(s);
                           const t = range.getBoundingClientRect();
                           return {text: s.textContent, inside: t.top >= f.top && t.bottom <= f.bottom && t.height > 0, clipped: s.scrollHeight > s.clientHeight + 1, height: r.height};
                         })};""")
        assert switch["height"] >= 28, f"at {width}×{height} the switch is {switch['height']} px high: {switch}"
        assert [label["text"] for label in switch["labels"]] == ["All", "Mine", "Missed"], switch
        assert all(label["inside"] and not label["clipped"] for label in switch["labels"]), f"labels cut off: {switch}"
    b.viewport(1440, 900)
    b.shot("desk with 60 calls", REVIEW_SIZES)
    # It still leads to the callback list.
    b.click("call-desk .seg[data-filter=missed]")
    b.wait_text(".queue-list", "No missed calls")
    assert not b.collect_console(), f"console errors: {b.console_errors}"


# --------------------------------------------------------------------------------------------
# Wrap-up from the call's whole state
# --------------------------------------------------------------------------------------------

def test_a_job_booked_after_hang_up_proposes_job_booked(console_server, smtp, browsers):
    server = console_server
    key = create_api_key(server, "calls:ingest", "calls:read", "directory:write", "directory:read", name="bridge")
    api_account(server, smtp, "Ada", "Admin", "admin")  # the first employee is the admin
    agent = api_account(server, smtp, "Lou", "Ferris", "lou")
    expect(server.post("/api/customers", {
        "first_name": "Omar", "last_name": "Said", "mobile_number": "+12175550133",
        "addresses": [{"street": "9 Birch Rd", "city": "Springfield", "state": "IL", "zip": "62704", "country": "US"}]},
        api_key=key), 201)
    b = browsers()
    sign_in_in_browser(b, agent)
    make_available(b)
    caller = Caller(server, key, "+12175550133")
    call_id = caller.start()["phone_call_id"]
    b.click(".offer-panel .offer-accept")
    b.wait_text(".call-owner", "Handled by you")
    b.press("Link", "caller-panel .screen-pop")
    b.wait_text("caller-panel .linked-customer", "Omar Said")

    # The caller hangs up before the job is booked: wrap-up asks, nothing proposed yet.
    caller.hang_up()
    wrapup = b.wait_text("call-desk form.wrapup", "the caller hung up")
    outcome = Select(wrapup.find_element(By.CSS_SELECTOR, '[name="outcome"]'))
    assert outcome.first_selected_option.get_attribute("value") == "", outcome.first_selected_option.text
    # (Looked up afresh if the form is redrawn as the hang-up settles, before anything is typed.)
    notes = b.wait(lambda: b.fill('call-desk form.wrapup [name="notes"]', "Booked after the call."), 10, "the notes field")

    b.click("caller-panel .book-job")
    b.visible("dialog[open] job-form")
    b.button("Book job", "dialog[open]").click()
    b.gone("dialog[open]")
    b.wait_text("caller-panel .linked-job", "Job linked")
    # The form follows the call: it proposes "Job booked" and kept the notes being written.
    b.wait(lambda: Select(b.find('call-desk form.wrapup [name="outcome"]')).first_selected_option.get_attribute("value") == "booked",
           10, "the outcome to propose Job booked")
    assert b.find('call-desk form.wrapup [name="notes"]') == notes, "the wrap-up form was rebuilt under the agent"
    assert notes.get_attribute("value") == "Booked after the call."
    b.shot("wrap-up after booking", REVIEW_SIZES)
    b.button("Finish call", "call-desk form.wrapup").click()
    wait_queue_state(b, call_id, "state-ended", "Job booked")
    assert not b.collect_console(), f"console errors: {b.console_errors}"


def test_callback_views_follow_who_took_the_call(console_server, smtp, browsers):
    """An admin looking at the callback list: a callback a colleague takes loses its Take callback
    button at once, and the callback the admin takes shows its form at once (no reselecting)."""
    server = console_server
    key = create_api_key(server, "calls:ingest", "calls:read", name="bridge")
    admin = api_account(server, smtp, "Ada", "Admin", "admin")
    colleague = api_account(server, smtp, "Blake", "Moreno", "blake")
    missed = []
    for number in ("+14145550123", "+14145550124"):
        caller = Caller(server, key, number)
        missed.append(caller.start()["phone_call_id"])
        assert caller.hang_up()["state"] == "missed"
    b = browsers()
    sign_in_in_browser(b, admin)
    b.click("call-desk .seg[data-filter=missed]")

    b.click(f'.queue-item[data-id="{missed[0]}"]')
    b.visible("call-desk .take-callback")
    expect(server.post(f"/api/phone-calls/{missed[0]}/accept", token=colleague.access_token), 200)
    b.wait_text(".call-owner", "Handled by Blake Moreno")
    b.gone("call-desk .take-callback", timeout=5)

    b.click(f'.queue-item[data-id="{missed[1]}"]')
    b.click("call-desk .take-callback")
    b.wait_text(".call-owner", "Handled by you")
    b.wait_text("call-desk form.wrapup", "Callback", timeout=5)
    b.shot("admin took a callback", REVIEW_SIZES)
    assert not b.collect_console(), f"console errors: {b.console_errors}"


def test_ringing_rows_and_the_offer_name_the_caller_and_repeat_missed_callers_group(console_server, smtp, browsers):
    """A number that matches one customer rings with their name and a line of their jobs, on the
    queue row and on the offer; three missed calls from one number are one row with a count."""
    server = console_server
    key, avery, a = agent_at_desk(server, smtp, browsers, "Avery", "Stone", "avery")
    created = expect(server.request("POST", "/api/customers", token=avery.access_token, json_body={
        "first_name": "Dana", "last_name": "Whitfield", "mobile_number": "(608) 555-0142",
        "addresses": [{"street": "12 Lake St", "city": "Madison", "state": "WI", "zip": "53703", "country": "US"}]}), 201).json()
    expect(server.request("POST", "/api/jobs", token=avery.access_token, json_body={
        "customer_id": created["id"], "address_id": created["addresses"][0]["id"], "description": "Water heater"}), 200)

    call_id = Caller(server, key, "+16085550142").start()["phone_call_id"]
    a.wait_text(".offer-panel", "Incoming call: Dana Whitfield")
    a.wait_text(".offer-panel", "1 open job · last: Water heater")
    row = f'.queue-item[data-id="{call_id}"]'
    a.wait_text(row, "Dana Whitfield")
    assert "(608) 555-0142" in a.find(row).text
    assert "1 open job" in a.find(row).text
    a.shot("a known caller ringing", REVIEW_SIZES)

    # The same stranger tries three times and hangs up each time: one missed row, counted.
    missed = []
    for _ in range(3):
        caller = Caller(server, key, "+16085550199")
        missed.append(caller.start()["phone_call_id"])
        caller.hang_up()
    a.click('.queue-filters [data-filter="missed"]')
    a.wait_text(".queue-item", "3 calls, first")
    rows = [item for item in a.find_all(".queue-item") if "(608) 555-0199" in item.text]
    assert len(rows) == 1, [item.text for item in rows]
    assert rows[0].get_attribute("data-id") in missed
    a.shot("repeat missed callers grouped", REVIEW_SIZES)
    assert not a.collect_console(), f"console errors: {a.console_errors}"


def test_the_directory_learns_the_number_and_email_from_the_call(console_server, smtp, browsers):
    """A customer found by name, not by number: after linking, one click saves the calling number
    and one the e-mail heard; the address heard opens a filled-in form, and the same address
    twice is refused as already on file."""
    server = console_server
    key, avery, a = agent_at_desk(server, smtp, browsers, "Avery", "Stone", "avery")
    created = expect(server.request("POST", "/api/customers", token=avery.access_token, json_body={
        "first_name": "Quinn", "last_name": "Halvorsen", "home_number": "(608) 555-0100"}), 201).json()
    caller = Caller(server, key, "+16085550163")
    call_id = caller.start()["phone_call_id"]
    a.click("offer-alert .offer-accept")
    wait_queue_state(a, call_id, "state-mine")
    caller.say("Hi this is Quinn Halvorsen my email is quinn.h@example.com and I live at 44 Birch Lane, Madison, WI 53703", delay=0.02)
    caller.say("Thanks Quinn let me find you", speaker="agent", delay=0.02)  # the agent's reply ends the caller's turn
    a.fill(".caller-search", "Halvorsen")
    a.button("Link", "caller-panel .search-results").click()
    a.wait_text("caller-panel .linked-customer", "Quinn Halvorsen")
    # The call header names the linked customer now; the number stays beside the state.
    a.wait_text("call-desk .call-number", "Quinn Halvorsen")
    a.wait_text("call-desk .call-phone", "(608) 555-0163")

    a.button("Save (608) 555-0163 as mobile number", "caller-panel .learn").click()
    a.wait_text("caller-panel .linked-customer", "(608) 555-0163")
    a.button("Save e-mail quinn.h@example.com", "caller-panel .learn").click()
    a.wait_text("caller-panel .linked-customer", "quinn.h@example.com")
    a.gone("caller-panel .learn")
    stored = expect(server.request("GET", f"/api/customers/{created['id']}", token=avery.access_token), 200).json()
    assert stored["mobile_number"] and "5550163" in stored["mobile_number"].replace("-", "").replace(" ", "").replace("(", "").replace(")", "")
    assert stored["email"] == "quinn.h@example.com"
    assert stored["home_number"], "the number on file is kept"
    # The next call from that number pops the customer: its ringing row names them.
    again = Caller(server, key, "+16085550163").start()["phone_call_id"]
    a.wait_text(f'.queue-item[data-id="{again}"]', "Quinn Halvorsen")
    a.shot("directory learned from the call", REVIEW_SIZES)

    # The address heard: one click to a filled-in form; saving it twice is refused.
    a.button("Add the address heard", "caller-panel").click()
    form = a.visible("dialog[open] form")
    assert a.find('[name="street"]', form).get_attribute("value") == "44 Birch Lane"
    a.button("Add address", "dialog[open]").click()
    a.gone("dialog[open]")
    a.wait_text("caller-panel", "44 Birch Lane")
    # Once on file the button is plain "Add address"; the form still starts from what was heard.
    a.button("Add address", "caller-panel").click()
    form = a.visible("dialog[open] form")
    assert a.find('[name="street"]', form).get_attribute("value") == "44 Birch Lane"
    a.button("Add address", "dialog[open]").click()
    a.wait_text("dialog[open]", "already on file")
    assert not a.collect_console(), f"console errors: {a.console_errors}"


def test_an_admin_is_asked_before_changing_an_agents_live_call(console_server, smtp, browsers):
    """An admin linking a customer to, or putting back, a call another agent is on is asked first,
    naming the agent; cancelling changes nothing."""
    server = console_server
    key = create_api_key(server, "calls:ingest", "calls:read", name="bridge")
    admin = api_account(server, smtp, "Ada", "Admin", "admin")
    blake = api_account(server, smtp, "Blake", "Moreno", "blake")
    created = expect(server.request("POST", "/api/customers", token=admin.access_token, json_body={
        "first_name": "Rosa", "last_name": "Lindqvist", "mobile_number": "(414) 555-0190"}), 201).json()
    call_id = Caller(server, key, "+14145550190").start()["phone_call_id"]
    expect(server.post(f"/api/phone-calls/{call_id}/accept", token=blake.access_token), 200)
    b = browsers()
    sign_in_in_browser(b, admin)
    b.click(f'.queue-item[data-id="{call_id}"]')
    b.wait_text(".call-owner", "Handled by Blake Moreno")

    b.press("Link", "caller-panel .screen-pop")
    b.wait_text("dialog[open]", "This is Blake Moreno's call")
    b.shot("admin asked before linking", REVIEW_SIZES)
    b.button("Cancel", "dialog[open]").click()
    b.gone("dialog[open]")
    assert expect(server.get(f"/api/phone-calls/{call_id}", token=admin.access_token), 200).json()["customer_id"] is None
    b.press("Link", "caller-panel .screen-pop")
    b.button("Link the customer", "dialog[open]").click()
    b.wait_text("caller-panel .linked-customer", "Rosa Lindqvist")
    assert expect(server.get(f"/api/phone-calls/{call_id}", token=admin.access_token), 200).json()["customer_id"] == created["id"]

    b.button("Put back in queue", "call-desk").click()
    b.wait_text("dialog[open]", "Blake Moreno is on this call")
    b.button("Put back", "dialog[open]").click()
    wait_queue_state(b, call_id, "state-ringing")
    assert not b.collect_console(), f"console errors: {b.console_errors}"


def test_the_agent_is_told_who_changed_their_call(console_server, smtp, browsers):
    """An admin links a customer to, then puts back, a call an agent is on: the agent's desk says
    who did what, by name; the call header names the customer the admin linked. The agent's own
    changes raise no such note."""
    server = console_server
    key = create_api_key(server, "calls:ingest", "calls:read", name="bridge")
    admin = api_account(server, smtp, "Ann", "Admin", "admin")
    blake = api_account(server, smtp, "Blake", "Moreno", "blake")
    created = expect(server.request("POST", "/api/customers", token=admin.access_token, json_body={
        "first_name": "Dana", "last_name": "Whitfield", "mobile_number": "(414) 555-0191"}), 201).json()
    b = browsers()
    sign_in_in_browser(b, blake)
    call_id = Caller(server, key, "+14145550177").start()["phone_call_id"]
    wait_queue_state(b, call_id, "state-ringing")
    b.click(f'.queue-item[data-id="{call_id}"]')
    b.button("Accept call", "call-desk").click()
    wait_queue_state(b, call_id, "state-mine")
    b.wait_text("call-desk .call-number", "(414) 555-0177")

    # Blake's own link raises no "someone changed it" note.
    expect(server.request("PUT", f"/api/phone-calls/{call_id}", token=blake.access_token,
                          json_body={"notes": "asked about a leak"}), 200)
    expect(server.request("PUT", f"/api/phone-calls/{call_id}", token=admin.access_token,
                          json_body={"customer_id": created["id"]}), 200)
    note = b.wait_text("toast-stack .toast-text", "Ann Admin linked Dana Whitfield to your call")
    # Read in one go in the page: a toast that times out meanwhile cannot go stale under the read.
    texts = b.js("return [...document.querySelectorAll('toast-stack .toast-text')].map((t) => t.textContent)")
    assert not [t for t in texts if "changed" in t], f"Blake's own note was announced: {texts}"
    b.wait_text("call-desk .call-number", "Dana Whitfield")
    b.wait_text("call-desk .call-phone", "(414) 555-0177")
    b.shot("told who linked the customer", REVIEW_SIZES)
    assert note.is_displayed()

    expect(server.post(f"/api/phone-calls/{call_id}/release", token=admin.access_token), 200)
    b.wait_text("toast-stack .toast-text", "Ann Admin put your call back in the queue")
    wait_queue_state(b, call_id, "state-ringing")
    assert not b.collect_console(), f"console errors: {b.console_errors}"
