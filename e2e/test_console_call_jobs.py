"""A call books several jobs, in forms that open as a side sheet beside the transcript, and the
directory's addresses can be edited and removed from the desk and the customer's page (issue 14),
in a real Chromium. Calls are played through the ingest API, as in test_console.py; the screens
looked at are saved in e2e/artifacts/screens/ at 1440×900 and 1280×800, light and dark.
"""

from __future__ import annotations

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from avoca_harness import create_api_key, expect
from browser import Browser, Caller
from console_support import add_address_in_caller_panel, api_account, assert_on_top, controls_covered, make_available, sign_in_in_browser

REVIEW_SIZES = ((1440, 900), (1280, 800))


def click_in_row(b: Browser, rows_css: str, text: str, button_css: str) -> None:
    """Clicks `button_css` in the row of `rows_css` showing `text`, finding it again if a redraw
    replaced the row in between."""
    def attempt():
        row = next(li for li in b.find_all(rows_css) if text in li.text)
        row.find_element(By.CSS_SELECTOR, button_css).click()
        return True
    b.wait(attempt, 10, f"{button_css} in the {text!r} row of {rows_css}")


def customer_with_address(server, key: str, phone: str, street: str) -> dict:
    return expect(server.post("/api/customers", {
        "first_name": "Omar", "last_name": "Said", "mobile_number": phone,
        "addresses": [{"street": street, "city": "Springfield", "state": "IL", "zip": "62704", "country": "US"}]},
        api_key=key), 201).json()


def agent_on_linked_call(server, smtp, browsers, phone: str):
    """An agent who accepted a call from a known customer, linked them, and hears them speak."""
    key = create_api_key(server, "calls:ingest", "calls:read", "directory:write", "directory:read", name="bridge")
    agent = api_account(server, smtp, "Lou", "Ferris", "lou")
    customer = customer_with_address(server, key, phone, "9 Birch Rd")
    b = browsers()
    sign_in_in_browser(b, agent)
    make_available(b)
    caller = Caller(server, key, phone)
    call_id = caller.start()["phone_call_id"]
    b.click(".offer-panel .offer-accept")
    b.wait_text(".call-owner", "Handled by you")
    caller.say("Hi, this is Omar Said at 9 Birch Rd. My water heater is leaking, and the gutters need cleaning too.", delay=0.02)
    b.wait_text("call-transcript", "need cleaning too")
    b.press("Link", "caller-panel .screen-pop")
    b.wait_text("caller-panel .linked-customer", "Omar Said")
    return key, customer, caller, call_id, b


def book_in_sheet(b: Browser, description: str, pick_other_slot: bool = False) -> None:
    form = b.visible("dialog.sheet[open] job-form")
    b.fill('[name="description"]', description, form)
    if pick_other_slot:  # the first job holds the proposed slot; the customer's jobs never overlap
        form.find_element(By.CSS_SELECTOR, '.chip-button[aria-pressed="false"]').click()
    b.button("Book job", "dialog.sheet[open]").click()
    b.gone("dialog[open]")


def test_a_second_job_on_one_call_is_listed_with_the_first(console_server, smtp, browsers):
    server = console_server
    key, customer, caller, call_id, b = agent_on_linked_call(server, smtp, browsers, "+12175550133")

    b.click("caller-panel .book-job")
    book_in_sheet(b, "Water heater leak")
    b.wait_text("caller-panel .call-jobs", "Water heater leak")
    # (The jobs part redraws as the call's update arrives: the button is looked up afresh.)
    b.wait(lambda: any(e.text == "Book another job" and e.is_enabled() for e in b.find_all("caller-panel .book-job")),
           10, "an enabled Book another job button")
    b.press("Book another job", "caller-panel")
    book_in_sheet(b, "Gutter cleaning", pick_other_slot=True)
    b.wait(lambda: len(b.find_all("caller-panel .call-jobs > li")) == 2, 10, "two jobs listed on the call")
    # Read inside a wait: the list is redrawn as the call's update arrives, which can replace the
    # element between finding it and reading its text.
    b.wait(lambda: all(job in b.find("caller-panel .call-jobs").text for job in ("Water heater leak", "Gutter cleaning")),
           10, "both jobs named in the call's list")
    b.shot("two jobs booked on one call", REVIEW_SIZES)

    call = expect(server.get(f"/api/phone-calls/{call_id}", api_key=key), 200).json()
    jobs = expect(server.get(f"/api/jobs?customer_id={customer['id']}", api_key=key), 200).json()["jobs"]
    by_description = {j["description"]: j["id"] for j in jobs}
    assert call["job_ids"] == [by_description["Water heater leak"], by_description["Gutter cleaning"]], (call["job_ids"], by_description)
    assert call["job_id"] == by_description["Gutter cleaning"]
    # A reload lists both again, from the server.
    b.driver.refresh()
    b.wait(lambda: len(b.find_all("caller-panel .call-jobs > li")) == 2, 20, "both jobs listed after a reload")
    assert not b.collect_console(), f"console errors: {b.console_errors}"


def test_the_booking_form_is_a_side_sheet_beside_the_live_transcript(console_server, smtp, browsers):
    server = console_server
    _, _, caller, _, b = agent_on_linked_call(server, smtp, browsers, "+12175550144")
    b.click("caller-panel .book-job")
    b.visible("dialog.sheet[open] job-form")
    assert not b.js("return document.querySelector('dialog[open]').matches(':modal')"), "the booking form is a modal dialog"
    # The transcript stays in view and live beside the sheet: new words show, nothing covers them.
    caller.say("Could you come tomorrow morning?", delay=0.02)
    b.wait_text("call-transcript", "tomorrow morning")
    assert_on_top(b, "call-transcript .turn-caller", last=True)
    b.shot("booking sheet during a live call", REVIEW_SIZES)

    # A toast never covers the sheet's buttons or fields.
    b.js("document.dispatchEvent(new CustomEvent('avoca-toast', {detail: {message: 'Heads up: a long message that wraps', kind: 'info'}}))")
    b.wait_text("toast-stack .toast", "Heads up")
    assert_on_top(b, "toast-stack .toast")
    covered = controls_covered(b, "toast-stack")
    assert not covered, f"the toast covers the sheet's controls: {covered}"
    # (An offer beside the sheet, answered by click and by "a", is test_console_busy_shift.py's.)
    # Escape closes the sheet, as it does a dialog.
    b.find("dialog.sheet[open] [name=description]").click()
    ActionChains(b.driver).send_keys(Keys.ESCAPE).perform()
    b.gone("dialog[open]")

    # The new-customer form is a side sheet too (the agent unlinks the customer found by number).
    b.button("Change", "caller-panel .linked-customer").click()
    b.click("caller-panel .new-customer")
    b.visible("dialog.sheet[open] customer-form")
    assert not b.js("return document.querySelector('dialog[open]').matches(':modal')"), "the customer form is a modal dialog"
    assert_on_top(b, "call-transcript .turn-caller", last=True)
    b.shot("new customer sheet", REVIEW_SIZES)
    assert not b.collect_console(), f"console errors: {b.console_errors}"


def test_addresses_are_edited_and_removed_from_the_desk_and_the_customer_page(console_server, smtp, browsers):
    server = console_server
    key, customer, caller, call_id, b = agent_on_linked_call(server, smtp, browsers, "+12175550155")
    addresses = 'caller-panel section[aria-labelledby="cp-addresses"]'

    # Add a second address, then edit it from the caller panel.
    add_address_in_caller_panel(b, "40 Oak Ave", "62701")
    b.wait_text(addresses, "40 Oak Ave")
    click_in_row(b, f"{addresses} .address-item", "40 Oak Ave", ".edit-address")
    form = b.visible("dialog[open] address-form")
    assert form.find_element(By.CSS_SELECTOR, '[name="street"]').get_attribute("value") == "40 Oak Ave"
    # An edit into the other address on file is refused, and the form says so.
    b.fill('[name="street"]', "9 birch rd", form)
    b.fill('[name="zip"]', "62704", form)
    b.button("Save address", "dialog[open]").click()
    b.wait_text("dialog[open] .form-error", "already on file")
    b.fill('[name="street"]', "42 Oak Ave", form)
    b.fill('[name="zip"]', "62701", form)
    b.button("Save address", "dialog[open]").click()
    b.gone("dialog[open]")
    b.wait_text(addresses, "42 Oak Ave")
    stored = expect(server.get(f"/api/customers/{customer['id']}", api_key=key), 200).json()["addresses"]
    assert sorted(a["street"] for a in stored) == ["42 Oak Ave", "9 Birch Rd"], stored

    # A job at Birch Rd keeps that address: removing it is refused with the reason.
    b.click("caller-panel .book-job")
    form = b.visible("dialog.sheet[open] job-form")
    Select(form.find_element(By.CSS_SELECTOR, '[name="address_id"]')).select_by_visible_text(
        next(o.text for o in Select(form.find_element(By.CSS_SELECTOR, '[name="address_id"]')).options if "9 Birch Rd" in o.text))
    book_in_sheet(b, "Water heater leak")
    b.wait_text("caller-panel .call-jobs", "Water heater leak")
    click_in_row(b, f"{addresses} .address-item", "9 Birch Rd", ".remove-address")
    b.button("Remove address", "dialog[open]").click()
    b.wait_text("toast-stack .toast-error", "stays on file")
    b.wait_text(addresses, "9 Birch Rd")  # still listed (read in a wait: the panel may redraw meanwhile)

    # From the customer's page, the unused one is removed.
    b.find("caller-panel .cust-name").click()
    b.wait_text("customers-page h1", "Omar Said")
    b.wait_text("customers-page .addresses", "42 Oak Ave")
    b.shot("addresses on the customer page", REVIEW_SIZES)
    click_in_row(b, "customers-page .addresses .address-item", "42 Oak Ave", ".remove-address")
    b.button("Remove address", "dialog[open]").click()
    b.wait_text("toast-stack .toast", "Address removed")
    b.wait(lambda: "42 Oak Ave" not in b.find("customers-page .addresses").text, 10, "the address to leave the page")
    stored = expect(server.get(f"/api/customers/{customer['id']}", api_key=key), 200).json()["addresses"]
    assert [a["street"] for a in stored] == ["9 Birch Rd"], stored
    assert not b.collect_console(), f"console errors: {b.console_errors}"
