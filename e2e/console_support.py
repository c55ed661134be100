"""Shared steps of the console tests (a person at the desk in Chromium): employees made through
the API and signed in in a browser, made available for calls, and the call queue as they see it.
The `browsers` fixture that opens the windows is in conftest.py.
"""

from __future__ import annotations

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from avoca_harness import PASSWORD, Account, create_api_key, enroll, expect, extract_code, next_totp, unique_email
from browser import Browser


def queue_item(browser: Browser, call_id: str):
    return browser.find(f'.queue-item[data-id="{call_id}"]')


def wait_queue_state(browser: Browser, call_id: str, css_class: str, text: str | None = None, timeout: float = 15):
    def check():
        item = queue_item(browser, call_id)
        classes = item.get_attribute("class").split()
        return item if css_class in classes and (text is None or text in item.text) else None
    try:
        return browser.wait(check, timeout, f"queue item {call_id} with class {css_class} and text {text!r}")
    except TimeoutException:
        items = [(e.get_attribute("class"), e.text) for e in browser.find_all(".queue-item")]
        raise AssertionError(f"queue item {call_id} never got {css_class!r}/{text!r}; queue now: {items}") from None


def wait_live_desk(b: Browser) -> None:
    b.visible("call-desk .desk")
    b.wait_text(".conn-text", "Live", timeout=20)


def make_available(b: Browser) -> None:
    toggle = b.visible(".presence-toggle")
    b.wait(lambda: toggle.find_element(By.CSS_SELECTOR, ".presence-state").text not in ("…", "Unknown"), 10,
           "the presence toggle to know my status")
    if toggle.get_attribute("aria-checked") != "true":
        toggle.click()
    b.wait(lambda: toggle.get_attribute("aria-checked") == "true", 10, "me to be available")
    b.wait_text(".presence-state", "Available")


def sign_in_in_browser(b: Browser, account: Account) -> None:
    """Password + TOTP for an enrolled account, then the desk."""
    b.open("/#/signin")
    b.wait_text("auth-screens h1", "Sign in")
    b.fill("#si-email", account.email)
    b.fill("#si-password", account.password)
    b.shot("sign in")
    b.click("auth-screens button[type=submit]")
    b.wait_text("auth-screens h1", "Two-step verification")
    code, step = next_totp(account)
    b.fill("#ch-code", code)
    b.shot("two-step verification")
    b.click("auth-screens form.totp-form button[type=submit]")
    account.last_step = step
    wait_live_desk(b)


def api_account(server, smtp, first_name: str, last_name: str, prefix: str) -> Account:
    """An employee signed up, verified and enrolled through the API (the browser signs in later)."""
    account = Account(email=unique_email(prefix), password=PASSWORD, first_name=first_name, last_name=last_name)
    mark = smtp.mark()
    expect(server.post("/api/auth/signup", {
        "email": account.email, "password": account.password,
        "first_name": first_name, "last_name": last_name}), 201)
    code = extract_code(smtp.wait_for_mail(account.email, "verification code", since=mark))
    expect(server.post("/api/auth/verify-email", {"email": account.email, "code": code}), 200)
    enroll(server, account)
    return account


def agent_at_desk(server, smtp, browsers, first_name: str, last_name: str, prefix: str):
    """An ingest key, and an agent signed in and available in a new browser."""
    key = create_api_key(server, "calls:ingest", "calls:read", name="bridge")
    agent = api_account(server, smtp, first_name, last_name, prefix)
    b = browsers()
    sign_in_in_browser(b, agent)
    make_available(b)
    b.shot("desk")
    return key, agent, b


def assert_on_top(b: Browser, css: str, last: bool = False) -> None:
    """The centre of the visible element matching `css` (the first, or with `last` the last one)
    hits that element: nothing (no dialog, no backdrop) is above it, and it is not inert — a click
    there reaches it."""
    hit = b.js("""const shown = [...document.querySelectorAll(arguments[0])].filter((e) => e.offsetParent !== null || e.getClientRects().length);
                  const el = arguments[1] ? shown.at(-1) : shown[0];
                  if (!el) return 'no element';
                  const r = el.getBoundingClientRect();
                  const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                  if (el.contains(top)) return null;
                  return top ? top.outerHTML.slice(0, 120) : 'nothing';""", css, last)
    assert hit is None, f"{css} is not on top at its centre: the point hits {hit}"


def controls_covered(b: Browser, css: str) -> list[str]:
    """The open dialog's controls (buttons, fields, links) that the element matching `css` overlaps:
    the modal one, else the side sheet (booking and customer forms are non-modal sheets)."""
    return b.js("""const panel = document.querySelector(arguments[0]);
                   const dialog = [...document.querySelectorAll('dialog')].find((d) => d.matches(':modal'))
                     || [...document.querySelectorAll('dialog.sheet[open]')].at(-1);
                   if (!panel || !dialog) return ['no panel or no open dialog'];
                   const p = panel.getBoundingClientRect();
                   return [...dialog.querySelectorAll('button, input, select, textarea, a[href]')]
                     .filter((c) => !panel.contains(c) && !c.closest('toast-stack, .offer-layer') && c.getClientRects().length)
                     .filter((c) => { const r = c.getBoundingClientRect();
                                      return r.width > 0 && r.height > 0 && r.left < p.right && r.right > p.left && r.top < p.bottom && r.bottom > p.top; })
                     .map((c) => `${c.localName}${c.name ? '[name=' + c.name + ']' : ''} “${(c.textContent || c.value || '').trim().slice(0, 30)}”`);""", css)


def add_address_in_caller_panel(b: Browser, street: str, zip_code: str, city: str = "Springfield", state: str = "IL") -> None:
    """Adds a service address to the linked customer from the caller panel's form."""
    b.button("Add address", "caller-panel").click()
    form = b.visible("dialog[open] address-form")
    b.fill('[name="street"]', street, form)
    b.fill('[name="city"]', city, form)
    Select(form.find_element(By.CSS_SELECTOR, '[name="state"]')).select_by_value(state)
    b.fill('[name="zip"]', zip_code, form)
    b.button("Add address", "dialog[open]").click()
    b.gone("dialog[open]")
