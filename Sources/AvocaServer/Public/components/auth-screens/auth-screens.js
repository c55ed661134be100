// The signed-out screens: sign up, verify e-mail, sign in, TOTP enrolment and challenge,
// recovery codes (shown once), forgot and reset password.
import { html, render, h } from "../../lib/html.js";
import { api, ApiError } from "../../lib/api.js";
import { session, startSession } from "../../lib/session.js";
import { navigate, link } from "../../lib/router.js";
import { showErrors, clearErrors, busy, copyText, downloadText, toast } from "../../lib/ui.js";

/** The sign-in attempt in progress (never stored: a reload starts over). */
const flow = { email: "", mfaToken: null, mfaRequired: null, recoveryCodes: null, resendReadyAt: 0 };

const RESEND_COOLDOWN = 60;

function passwordRules(password, email) {
  const e = (email || "").trim().toLowerCase();
  return [
    { ok: password.length >= 12, text: "At least 12 characters" },
    { ok: password.length > 0 && (!e || password.trim().toLowerCase() !== e), text: "Not your e-mail address" },
  ];
}

function rulesList() {
  return html`<ul class="rules" aria-label="Password rules"></ul>`;
}

function updateRules(list, password, email, confirm) {
  const rules = passwordRules(password, email);
  if (confirm !== undefined) rules.push({ ok: password.length > 0 && password === confirm, text: "Both passwords match" });
  list.replaceChildren(...rules.map((r) => h("li", { class: r.ok ? "met" : "unmet" },
    h("span", { class: "rule-icon", "aria-hidden": "true", text: r.ok ? "✓" : "○" }),
    h("span", { class: "visually-hidden", text: r.ok ? "Met: " : "Not met: " }),
    r.text)));
  return rules.every((r) => r.ok);
}

/** Groups a base32 key in fours for reading aloud / typing. */
function groupKey(secret) {
  return (secret || "").replace(/\s+/g, "").match(/.{1,4}/g)?.join(" ") ?? "";
}

class AuthScreens extends HTMLElement {
  show(view, routeInfo) {
    this.view = view;
    this.params = routeInfo.params;
    clearInterval(this.cooldownTimer);
    const card = h("div", { class: "auth-card card" });
    this.replaceChildren(h("main", { class: "auth-layout", id: "main" },
      h("div", { class: "auth-brand" },
        h("span", { class: "brand-mark", "aria-hidden": "true", text: "A" }),
        h("span", { class: "brand-name", text: "Avoca" })),
      card,
      h("p", { class: "auth-foot muted small", text: "For authorised employees only. Every sign-in needs your authenticator app." })));
    const method = {
      signin: this.signIn, signup: this.signUp, verify: this.verify, enroll: this.enroll, challenge: this.challenge,
      "recovery-codes": this.recoveryCodes, forgot: this.forgot, reset: this.reset, pending: this.pending,
    }[view];
    method.call(this, card);
    const first = card.querySelector("[autofocus]") || card.querySelector("input");
    if (first) first.focus();
    document.title = `${card.querySelector("h1")?.textContent || "Sign in"} · Avoca`;
  }

  signIn(card) {
    const flash = session.flash;
    session.flash = null;
    const email = this.params.get("email") || flow.email || "";
    render(card, html`
      <h1>Sign in</h1>
      ${flash ? html`<div class="form-note" role="status">${flash}</div>` : ""}
      <form class="form-grid" novalidate>
        <div class="form-error" role="alert" tabindex="-1" hidden></div>
        <div class="field"><label for="si-email">E-mail</label>
          <input id="si-email" name="email" type="email" autocomplete="username" required value="${email}" ${email ? "" : "autofocus"}></div>
        <div class="field"><label for="si-password">Password</label>
          <input id="si-password" name="password" type="password" autocomplete="current-password" required ${email ? "autofocus" : ""}></div>
        <button class="button primary" type="submit">Sign in</button>
      </form>
      <div class="auth-links">
        <a href="#/forgot">Forgot your password?</a>
        <span>New here? <a href="#/signup">Create an account</a></span>
      </div>`);
    const form = card.querySelector("form");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const email = form.email.value.trim();
      const password = form.password.value;
      if (!email || !password) { showErrors(form, { message: "Enter your e-mail address and password." }); return; }
      await busy(form.querySelector("button[type=submit]"), async () => {
        try {
          const challenge = await api("/auth/signin", { method: "POST", auth: false, body: { email, password } });
          flow.email = email;
          flow.mfaToken = challenge.mfa_token;
          flow.mfaRequired = challenge.mfa_required;
          navigate(challenge.mfa_required === "enroll" ? "#/enroll" : "#/challenge");
        } catch (error) {
          // The password was right but an admin has not approved the account yet: a page that says so.
          if (error instanceof ApiError && error.code === "approval_pending") { flow.email = email; navigate(link(["pending"], { email })); return; }
          showErrors(form, error);
          if (error instanceof ApiError && error.status === 403) {
            form.querySelector(".form-error").append(" ", h("a", { href: link(["verify"], { email }), text: "Verify your e-mail now" }));
          }
          form.password.select();
        }
      });
    });
  }

  signUp(card) {
    render(card, html`
      <h1>Create your account</h1>
      <p class="muted">The first person to sign up becomes the company's administrator. Invited? Use the address the invitation was sent to.</p>
      <form class="form-grid" novalidate>
        <div class="form-error" role="alert" tabindex="-1" hidden></div>
        <div class="field-row">
          <div class="field"><label for="su-first">First name</label><input id="su-first" name="first_name" autocomplete="given-name" required autofocus></div>
          <div class="field"><label for="su-last">Last name</label><input id="su-last" name="last_name" autocomplete="family-name" required></div>
        </div>
        <div class="field"><label for="su-email">Work e-mail</label><input id="su-email" name="email" type="email" autocomplete="email" required></div>
        <div class="field"><label for="su-password">Password</label>
          <input id="su-password" name="password" type="password" autocomplete="new-password" required aria-describedby="su-rules">
          <div id="su-rules">${rulesList()}</div></div>
        <div class="field"><label for="su-confirm">Confirm password</label><input id="su-confirm" name="confirm" type="password" autocomplete="new-password" required></div>
        <button class="button primary" type="submit">Create account</button>
      </form>
      <div class="auth-links"><span>Already have an account? <a href="#/signin">Sign in</a></span></div>`);
    const form = card.querySelector("form");
    // An invitation's link names the invited address.
    if (this.params.get("email")) form.email.value = this.params.get("email");
    const list = card.querySelector(".rules");
    const check = () => updateRules(list, form.password.value, form.email.value, form.confirm.value);
    form.addEventListener("input", check);
    check();
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(form);
      const body = { first_name: form.first_name.value.trim(), last_name: form.last_name.value.trim(), email: form.email.value.trim(), password: form.password.value };
      const missing = {};
      if (!body.first_name) missing.first_name = "Enter your first name.";
      if (!body.last_name) missing.last_name = "Enter your last name.";
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email)) missing.email = "Enter a valid e-mail address.";
      if (Object.keys(missing).length) { showErrors(form, { message: "Please fix the fields below.", fields: missing }); return; }
      if (!check()) { showErrors(form, { message: "The password does not meet the rules yet.", fields: { password: "See the rules below." } }); return; }
      await busy(form.querySelector("button[type=submit]"), async () => {
        try {
          await api("/auth/signup", { method: "POST", auth: false, body });
          flow.email = body.email;
          flow.resendReadyAt = Date.now() + RESEND_COOLDOWN * 1000;
          navigate(link(["verify"], { email: body.email }));
        } catch (error) { showErrors(form, error); }
      });
    });
  }

  verify(card) {
    const email = this.params.get("email") || flow.email || "";
    render(card, html`
      <h1>Check your e-mail</h1>
      <p class="muted">We sent a 6-digit code to confirm your address. It is valid for 10 minutes.</p>
      <form class="form-grid" novalidate>
        <div class="form-error" role="alert" tabindex="-1" hidden></div>
        <div class="field"><label for="ve-email">E-mail</label><input id="ve-email" name="email" type="email" autocomplete="email" required value="${email}"></div>
        <div class="field"><label for="ve-code">Verification code</label>
          <input id="ve-code" name="code" class="code-input" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required autofocus></div>
        <button class="button primary" type="submit">Verify e-mail</button>
      </form>
      <div class="auth-links">
        <button type="button" class="button link resend">Resend the code</button>
        <span class="muted small resend-status" role="status"></span>
      </div>
      <div class="auth-links"><a href="#/signin">Back to sign in</a></div>`);
    const form = card.querySelector("form");
    const code = form.code;
    code.addEventListener("input", () => { code.value = code.value.replace(/\D/g, "").slice(0, 6); });
    const resend = card.querySelector(".resend");
    const status = card.querySelector(".resend-status");
    const tick = () => {
      const left = Math.ceil((flow.resendReadyAt - Date.now()) / 1000);
      if (left > 0) { resend.disabled = true; resend.setAttribute("aria-disabled", "true"); resend.textContent = `Resend the code (${left} s)`; }
      else { resend.disabled = false; resend.removeAttribute("aria-disabled"); resend.textContent = "Resend the code"; }
    };
    tick();
    this.cooldownTimer = setInterval(tick, 1000);
    resend.addEventListener("click", async () => {
      const address = form.email.value.trim();
      if (!address) { showErrors(form, { message: "Enter your e-mail address first.", fields: { email: "Required." } }); return; }
      try {
        await api("/auth/resend-verification", { method: "POST", auth: false, body: { email: address } });
        flow.resendReadyAt = Date.now() + RESEND_COOLDOWN * 1000;
        status.textContent = "A new code is on its way.";
      } catch (error) {
        if (error.retryAfter) flow.resendReadyAt = Date.now() + error.retryAfter * 1000;
        status.textContent = error.message;
      }
      tick();
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = { email: form.email.value.trim(), code: code.value };
      if (!/^\d{6}$/.test(body.code)) { showErrors(form, { message: "Enter the 6 digits from the e-mail.", fields: { code: "6 digits." } }); return; }
      await busy(form.querySelector("button[type=submit]"), async () => {
        try {
          await api("/auth/verify-email", { method: "POST", auth: false, body });
          flow.email = body.email;
          session.flash = "Your e-mail address is verified. Sign in to set up your authenticator app.";
          navigate(link(["signin"], { email: body.email }));
        } catch (error) { showErrors(form, error); code.select(); }
      });
    });
  }

  /** A verified sign-up that an admin has yet to approve (AVOCA_SIGNUP=approve). */
  pending(card) {
    const email = this.params.get("email") || flow.email || "";
    render(card, html`
      <div class="pending-approval">
        <div class="pending-icon" aria-hidden="true">◷</div>
        <h1>Waiting for approval</h1>
        <p>Your e-mail address${email ? html` <strong>${email}</strong>` : ""} is verified and your account is set up.</p>
        <p>An admin of your company has to approve it before you can use Avoca. <strong>They have been notified by e-mail</strong>; once one of them approves you, sign in again to set up your authenticator app and open the desk.</p>
        <p class="muted small">Nothing else to do for now — you can close this page.</p>
        <a class="button primary" href="${link(["signin"], { email })}">Sign in again</a>
      </div>`);
  }

  needsChallenge(card, purpose) {
    if (flow.mfaToken && (!purpose || flow.mfaRequired === purpose)) return false;
    render(card, html`
      <h1>Sign in again</h1>
      <p>This step needs a fresh sign-in (it expires after 5 minutes and does not survive a page reload).</p>
      <a class="button primary" href="#/signin">Go to sign in</a>`);
    return true;
  }

  handleExpired(form, error) {
    showErrors(form, error);
    if (error.code === "invalid_mfa_token") {
      flow.mfaToken = null;
      form.querySelector(".form-error").append(" ", h("a", { href: "#/signin", text: "Sign in again" }));
    }
  }

  async enroll(card) {
    if (this.needsChallenge(card, "enroll")) return;
    render(card, html`
      <h1>Set up your authenticator</h1>
      <p class="muted">Avoca asks for a code from an authenticator app (Google Authenticator, 1Password, Authy …) at every sign-in.</p>
      <ol class="enrol-steps">
        <li><strong>Scan this QR code</strong> with the app.
          <div class="qr-box" aria-busy="true"><span class="spinner" aria-hidden="true"></span><span class="visually-hidden">Loading the QR code</span></div>
          <details class="manual-key">
            <summary>Can't scan? Enter the key by hand</summary>
            <p class="small muted">Account: <span class="enrol-account"></span> · time-based, 6 digits, 30 s</p>
            <div class="row"><code class="secret-box key-text" aria-label="Setup key"></code>
              <button type="button" class="button small copy-key">Copy key</button></div>
          </details>
        </li>
        <li><strong>Enter the 6-digit code</strong> the app shows.
          <form class="form-grid" novalidate>
            <div class="form-error" role="alert" tabindex="-1" hidden></div>
            <div class="field"><label for="en-code">Code from the app</label>
              <input id="en-code" name="code" class="code-input" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required></div>
            <button class="button primary" type="submit">Confirm and sign in</button>
          </form>
        </li>
      </ol>`);
    const form = card.querySelector("form");
    const codeInput = form.code;
    codeInput.addEventListener("input", () => { codeInput.value = codeInput.value.replace(/\D/g, "").slice(0, 6); });
    card.querySelector(".enrol-account").textContent = flow.email;
    try {
      const setup = await api("/auth/totp/setup", { method: "POST", auth: false, body: { mfa_token: flow.mfaToken } });
      const box = card.querySelector(".qr-box");
      const img = h("img", { class: "qr", alt: "QR code for your authenticator app", width: 200, height: 200 });
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(setup.qr_svg);
      box.replaceChildren(img);
      box.removeAttribute("aria-busy");
      card.querySelector(".key-text").textContent = groupKey(setup.secret);
      card.querySelector(".copy-key").addEventListener("click", () => copyText(setup.secret.replace(/\s+/g, ""), "Key copied"));
      codeInput.focus();
    } catch (error) {
      this.handleExpired(form, error);
    }
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!/^\d{6}$/.test(codeInput.value)) { showErrors(form, { message: "Enter the 6 digits from your app.", fields: { code: "6 digits." } }); return; }
      await busy(form.querySelector("button[type=submit]"), async () => {
        try {
          const result = await api("/auth/totp/verify", { method: "POST", auth: false, body: { mfa_token: flow.mfaToken, code: codeInput.value, refresh_transport: "cookie" } });
          flow.mfaToken = null;
          flow.recoveryCodes = result.recovery_codes || null;
          await startSession(result);
          navigate(flow.recoveryCodes ? "#/recovery-codes" : "#/desk");
        } catch (error) { this.handleExpired(form, error); codeInput.select(); }
      });
    });
  }

  challenge(card) {
    if (this.needsChallenge(card, "verify")) return;
    render(card, html`
      <h1>Two-step verification</h1>
      <form class="form-grid totp-form" novalidate>
        <div class="form-error" role="alert" tabindex="-1" hidden></div>
        <div class="field"><label for="ch-code">6-digit code from your authenticator app</label>
          <input id="ch-code" name="code" class="code-input" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required autofocus></div>
        <button class="button primary" type="submit">Verify</button>
      </form>
      <form class="form-grid recovery-form" novalidate hidden>
        <div class="form-error" role="alert" tabindex="-1" hidden></div>
        <div class="field"><label for="ch-recovery">Recovery code</label>
          <input id="ch-recovery" name="recovery_code" autocomplete="off" spellcheck="false" required>
          <span class="hint">Each recovery code works once.</span></div>
        <button class="button primary" type="submit">Sign in with recovery code</button>
      </form>
      <div class="auth-links">
        <button type="button" class="button link toggle">Lost your phone? Use a recovery code</button>
        <a href="#/signin">Start over</a>
      </div>`);
    const totp = card.querySelector(".totp-form");
    const recovery = card.querySelector(".recovery-form");
    const toggle = card.querySelector(".toggle");
    toggle.addEventListener("click", () => {
      const showRecovery = recovery.hidden;
      recovery.hidden = !showRecovery;
      totp.hidden = showRecovery;
      toggle.textContent = showRecovery ? "Use the authenticator app instead" : "Lost your phone? Use a recovery code";
      (showRecovery ? recovery.recovery_code : totp.code).focus();
    });
    totp.code.addEventListener("input", () => { totp.code.value = totp.code.value.replace(/\D/g, "").slice(0, 6); });
    const finish = async (result) => {
      flow.mfaToken = null;
      await startSession(result);
      navigate("#/desk");
    };
    totp.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!/^\d{6}$/.test(totp.code.value)) { showErrors(totp, { message: "Enter the 6 digits from your app.", fields: { code: "6 digits." } }); return; }
      await busy(totp.querySelector("button[type=submit]"), async () => {
        try {
          await finish(await api("/auth/totp/verify", { method: "POST", auth: false, body: { mfa_token: flow.mfaToken, code: totp.code.value, refresh_transport: "cookie" } }));
        } catch (error) { this.handleExpired(totp, error); totp.code.select(); }
      });
    });
    recovery.addEventListener("submit", async (e) => {
      e.preventDefault();
      const value = recovery.recovery_code.value.trim();
      if (!value) { showErrors(recovery, { message: "Enter one of your recovery codes.", fields: { recovery_code: "Required." } }); return; }
      await busy(recovery.querySelector("button[type=submit]"), async () => {
        try {
          const result = await api("/auth/recovery-code", { method: "POST", auth: false, body: { mfa_token: flow.mfaToken, recovery_code: value, refresh_transport: "cookie" } });
          toast("Signed in with a recovery code. Consider generating new codes in Settings.", "info");
          await finish(result);
        } catch (error) { this.handleExpired(recovery, error); }
      });
    });
  }

  recoveryCodes(card) {
    const codes = flow.recoveryCodes;
    if (!codes) { navigate(session.me ? "#/desk" : "#/signin", { replace: true }); return; }
    card.classList.add("auth-card-wide");
    card.append(h("h1", { text: "Save your recovery codes" }));
    card.append(recoveryCodesBlock(codes, () => { flow.recoveryCodes = null; navigate("#/desk"); }));
  }

  forgot(card) {
    render(card, html`
      <h1>Reset your password</h1>
      <p class="muted">Enter your e-mail address. If it belongs to an account, we send a code to reset the password.</p>
      <form class="form-grid" novalidate>
        <div class="form-error" role="alert" tabindex="-1" hidden></div>
        <div class="field"><label for="fo-email">E-mail</label><input id="fo-email" name="email" type="email" autocomplete="email" required autofocus value="${flow.email}"></div>
        <button class="button primary" type="submit">Send reset code</button>
      </form>
      <div class="auth-links"><a href="#/reset">I already have a code</a><a href="#/signin">Back to sign in</a></div>`);
    const form = card.querySelector("form");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const email = form.email.value.trim();
      if (!email) { showErrors(form, { message: "Enter your e-mail address.", fields: { email: "Required." } }); return; }
      await busy(form.querySelector("button[type=submit]"), async () => {
        try {
          await api("/auth/forgot-password", { method: "POST", auth: false, body: { email } });
          flow.email = email;
          navigate(link(["reset"], { email, sent: "1" }));
        } catch (error) { showErrors(form, error); }
      });
    });
  }

  reset(card) {
    const email = this.params.get("email") || flow.email || "";
    render(card, html`
      <h1>Choose a new password</h1>
      ${this.params.get("sent") ? html`<div class="form-note" role="status">If an account uses that address, a reset code is on its way.</div>` : ""}
      <form class="form-grid" novalidate>
        <div class="form-error" role="alert" tabindex="-1" hidden></div>
        <div class="field"><label for="re-email">E-mail</label><input id="re-email" name="email" type="email" autocomplete="username" required value="${email}"></div>
        <div class="field"><label for="re-code">Reset code</label><input id="re-code" name="code" class="code-input" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required autofocus></div>
        <div class="field"><label for="re-password">New password</label>
          <input id="re-password" name="new_password" type="password" autocomplete="new-password" required aria-describedby="re-rules">
          <div id="re-rules">${rulesList()}</div></div>
        <div class="field"><label for="re-confirm">Confirm new password</label><input id="re-confirm" name="confirm" type="password" autocomplete="new-password" required></div>
        <button class="button primary" type="submit">Set new password</button>
      </form>
      <div class="auth-links"><a href="#/forgot">Send a new code</a><a href="#/signin">Back to sign in</a></div>`);
    const form = card.querySelector("form");
    const list = card.querySelector(".rules");
    const check = () => updateRules(list, form.new_password.value, form.email.value, form.confirm.value);
    form.addEventListener("input", check);
    check();
    form.code.addEventListener("input", () => { form.code.value = form.code.value.replace(/\D/g, "").slice(0, 6); });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = { email: form.email.value.trim(), code: form.code.value, new_password: form.new_password.value };
      if (!body.email || !/^\d{6}$/.test(body.code)) { showErrors(form, { message: "Enter your e-mail address and the 6-digit code.", fields: body.email ? { code: "6 digits." } : { email: "Required." } }); return; }
      if (!check()) { showErrors(form, { message: "The new password does not meet the rules yet.", fields: { new_password: "See the rules below." } }); return; }
      await busy(form.querySelector("button[type=submit]"), async () => {
        try {
          await api("/auth/reset-password", { method: "POST", auth: false, body });
          session.flash = "Your password was changed and every session was signed out. Sign in with the new password.";
          navigate(link(["signin"], { email: body.email }));
        } catch (error) { showErrors(form, error); }
      });
    });
  }
}

/**
 * The once-only display of recovery codes: copy, download (.txt), and an acknowledgement before
 * `onDone`. Also used by Settings after regenerating.
 */
export function recoveryCodesBlock(codes, onDone, doneLabel = "Continue to the desk") {
  const text = `Avoca recovery codes\nAccount: ${session.me?.email || flow.email}\nCreated: ${new Date().toLocaleString()}\n\nEach code signs you in once, without your authenticator app.\n\n${codes.join("\n")}\n`;
  const saved = h("input", { type: "checkbox", id: "rc-saved" });
  const done = h("button", { type: "button", class: "button primary", text: doneLabel, disabled: true });
  saved.addEventListener("change", () => { done.disabled = !saved.checked; });
  done.addEventListener("click", onDone);
  return h("div", { class: "recovery-block stack" },
    h("p", { text: "If you lose your phone, each of these codes signs you in once. This is the only time they are shown — store them somewhere safe, such as a password manager." }),
    h("ul", { class: "code-grid", "aria-label": "Recovery codes" }, codes.map((c) => h("li", { text: c }))),
    h("div", { class: "row" },
      h("button", { type: "button", class: "button", text: "Copy codes", onclick: () => copyText(codes.join("\n"), "Recovery codes copied") }),
      h("button", { type: "button", class: "button", text: "Download .txt", onclick: () => downloadText("avoca-recovery-codes.txt", text) })),
    h("label", { class: "checkline", for: "rc-saved" }, saved, "I have saved my recovery codes"),
    h("div", { class: "form-actions" }, done));
}

customElements.define("auth-screens", AuthScreens);
