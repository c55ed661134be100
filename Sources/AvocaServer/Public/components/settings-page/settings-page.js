// Settings: my sessions, password, recovery codes, alerts; for admins, employees and API keys.
import { html, render, h } from "../../lib/html.js";
import { api } from "../../lib/api.js";
import { session, endLocally } from "../../lib/session.js";
import { navigate } from "../../lib/router.js";
import { formatDateTime, timeAgo } from "../../lib/format.js";
import { openDialog, toast, confirmAction, showErrors, clearErrors, busy, copyText } from "../../lib/ui.js";
import { recoveryCodesBlock } from "../auth-screens/auth-screens.js";
import { loadEmployees, inviteDialog } from "./employees-admin.js";

const SCOPES = [
  ["directory:read", "Read customers, addresses, jobs, employees"],
  ["directory:write", "Create and change customers, addresses, jobs"],
  ["calls:ingest", "Telephony bridge: start calls, stream transcripts, end calls"],
  ["calls:read", "Read calls and transcripts"],
  ["reports:read", "Read call reports: daily figures and the per-call CSV"],
];

function describeAgent(ua) {
  if (!ua) return "Unknown device";
  const browser = /Edg\//.test(ua) ? "Edge" : /Chrome\//.test(ua) ? "Chrome" : /Firefox\//.test(ua) ? "Firefox" : /Safari\//.test(ua) ? "Safari" : /curl|python|okhttp/i.test(ua) ? ua.split("/")[0] : "Browser";
  const os = /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "macOS" : /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Linux/.test(ua) ? "Linux" : "";
  return os ? `${browser} on ${os}` : browser;
}

class SettingsPage extends HTMLElement {
  route() {
    document.title = "Settings · Avoca";
    const admin = session.isAdmin;
    render(this, html`
      <div class="page settings">
        <div class="page-header"><h1>Settings</h1></div>
        <div class="settings-grid">
          <section class="card span-2" aria-labelledby="st-sessions">
            <div class="card-header"><h2 id="st-sessions">My sessions</h2><span class="muted small">Everywhere you are signed in</span></div>
            <div class="sessions-slot"><p class="empty">Loading…</p></div>
          </section>
          <section class="card" aria-labelledby="st-phone">
            <div class="card-header"><h2 id="st-phone">Calls ring at</h2></div>
            <form class="card-body form-grid phone-form" novalidate>
              <div class="form-error" role="alert" tabindex="-1" hidden></div>
              <p class="muted small phone-intro">When you take a phone call, the caller is connected to this phone.</p>
              <div class="field"><label for="ps-ring-at">Your phone number</label><input id="ps-ring-at" name="ring_at" type="tel" autocomplete="tel" placeholder="+13125550142" aria-describedby="ps-hint">
                <span class="hint" id="ps-hint">International format: + then country code and number. Leave empty to clear.</span></div>
              <div class="form-actions"><button class="button primary" type="submit">Save number</button></div>
            </form>
          </section>
          <section class="card" aria-labelledby="st-password">
            <div class="card-header"><h2 id="st-password">Change password</h2></div>
            <form class="card-body form-grid password-form" novalidate>
              <div class="form-error" role="alert" tabindex="-1" hidden></div>
              <div class="field"><label for="cp-current">Current password</label><input id="cp-current" name="current_password" type="password" autocomplete="current-password" required></div>
              <div class="field"><label for="cp-new">New password</label><input id="cp-new" name="new_password" type="password" autocomplete="new-password" required aria-describedby="cp-hint">
                <span class="hint" id="cp-hint">At least 12 characters, not your e-mail address. Your other sessions will be signed out.</span></div>
              <div class="field"><label for="cp-confirm">Confirm new password</label><input id="cp-confirm" name="confirm" type="password" autocomplete="new-password" required></div>
              <div class="form-actions"><button class="button primary" type="submit">Change password</button></div>
            </form>
          </section>
          <section class="card" aria-labelledby="st-recovery">
            <div class="card-header"><h2 id="st-recovery">Recovery codes</h2></div>
            <form class="card-body form-grid recovery-form" novalidate>
              <div class="form-error" role="alert" tabindex="-1" hidden></div>
              <p class="muted">New codes replace the old set at once. Use this if you lost your codes or used several.</p>
              <div class="field"><label for="rc-current">Current password</label><input id="rc-current" name="current_password" type="password" autocomplete="current-password" required></div>
              <div class="form-actions"><button class="button" type="submit">Generate new codes</button></div>
            </form>
            <div class="card-body alerts-box">
              <h3>Call alerts</h3>
              <p class="muted small notify-status"></p>
              <div class="row"><button type="button" class="button small enable-notify">Enable desktop alerts</button><button type="button" class="button small test-ring">Play test ring</button></div>
            </div>
          </section>
          ${admin ? html`
          <section class="card span-2" aria-labelledby="st-employees">
            <div class="card-header"><h2 id="st-employees">Employees</h2><button type="button" class="button small primary invite">Invite employee</button></div>
            <div class="employees-slot"><p class="empty">Loading…</p></div>
          </section>
          <section class="card span-2" aria-labelledby="st-keys">
            <div class="card-header"><h2 id="st-keys">API keys</h2><button type="button" class="button small primary new-key">Create API key</button></div>
            <p class="card-body muted small keys-intro">Integrations send a key as <code>Authorization: Token &lt;key&gt;</code>, as with Housecall Pro. A key is shown once, when it is created.</p>
            <div class="keys-slot"><p class="empty">Loading…</p></div>
          </section>` : ""}
        </div>
      </div>`);
    this.wirePhone();
    this.wirePassword();
    this.wireRecovery();
    this.wireAlerts();
    this.loadSessions();
    if (admin) {
      const employees = this.querySelector(".employees-slot");
      loadEmployees(employees);
      this.querySelector(".invite").addEventListener("click", () => inviteDialog(() => loadEmployees(employees)));
      this.loadKeys();
      this.querySelector(".new-key").addEventListener("click", () => this.createKey());
    }
  }

  wirePhone() {
    const form = this.querySelector(".phone-form");
    const show = (settings) => {
      form.ring_at.value = settings.ring_at || "";
      form.querySelector(".phone-intro").textContent = settings.carrier_connected
        ? "When you take a phone call, the caller is connected to this phone."
        : "No carrier is connected yet: calls come from the ingest API and ring only on this desk.";
    };
    api("/phone-settings").then(show).catch(() => {});
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(form);
      await busy(form.querySelector("[type=submit]"), async () => {
        try {
          const saved = await api("/phone-settings", { method: "PUT", body: { ring_at: form.ring_at.value.trim() || null } });
          show(saved);
          toast(saved.ring_at ? `Your calls ring at ${saved.ring_at}.` : "Number cleared.", "success");
        } catch (error) { showErrors(form, error); }
      });
    });
  }

  wirePassword() {
    const form = this.querySelector(".password-form");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(form);
      const current = form.current_password.value;
      const next = form.new_password.value;
      const problems = {};
      if (!current) problems.current_password = "Required.";
      if (next.length < 12) problems.new_password = "At least 12 characters.";
      else if (next.trim().toLowerCase() === (session.me?.email || "").toLowerCase()) problems.new_password = "Must not be your e-mail address.";
      if (next !== form.confirm.value) problems.confirm = "The passwords do not match.";
      if (Object.keys(problems).length) { showErrors(form, { message: "Please check the highlighted fields.", fields: problems }); return; }
      await busy(form.querySelector("[type=submit]"), async () => {
        try {
          await api("/auth/change-password", { method: "POST", body: { current_password: current, new_password: next } });
          form.reset();
          toast("Password changed. Your other sessions were signed out.", "success");
          this.loadSessions();
        } catch (error) { showErrors(form, error); }
      });
    });
  }

  wireRecovery() {
    const form = this.querySelector(".recovery-form");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(form);
      const current = form.current_password.value;
      if (!current) { showErrors(form, { message: "Enter your current password.", fields: { current_password: "Required." } }); return; }
      await busy(form.querySelector("[type=submit]"), async () => {
        try {
          const result = await api("/auth/recovery-codes", { method: "POST", body: { current_password: current } });
          form.reset();
          const dialog = openDialog({ title: "Your new recovery codes", body: h("div"), wide: true });
          dialog.querySelector(".dialog-body").replaceChildren(recoveryCodesBlock(result.recovery_codes, () => dialog.close(), "Done"));
        } catch (error) { showErrors(form, error); }
      });
    });
  }

  wireAlerts() {
    const status = this.querySelector(".notify-status");
    const enable = this.querySelector(".enable-notify");
    const update = () => {
      if (!("Notification" in window)) { status.textContent = "This browser has no desktop notifications; the console rings and flashes instead."; enable.hidden = true; return; }
      const p = Notification.permission;
      status.textContent = p === "granted" ? "Desktop alerts are on: an offered call shows a notification when Avoca is in the background."
        : p === "denied" ? "Desktop alerts are blocked in the browser's site settings."
        : "Turn on desktop alerts to notice calls while Avoca is in the background.";
      enable.hidden = p !== "default";
    };
    update();
    enable.addEventListener("click", async () => { await Notification.requestPermission(); update(); });
    this.querySelector(".test-ring").addEventListener("click", () => {
      const ctx = new AudioContext();
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.15, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.25);
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.3);
      osc.onended = () => ctx.close();
    });
  }

  async loadSessions() {
    const slot = this.querySelector(".sessions-slot");
    try {
      const { sessions } = await api("/auth/sessions");
      slot.replaceChildren(h("div", { class: "table-wrap" }, h("table", { class: "table" },
        h("thead", {}, h("tr", {}, ["Device", "IP address", "Signed in", "Last active", ""].map((t) => h("th", { scope: "col", text: t })))),
        h("tbody", {}, sessions.map((s) => {
          const revoke = h("button", { type: "button", class: "button small danger", text: s.current ? "Sign out here" : "Revoke" });
          revoke.addEventListener("click", () => this.revokeSession(s));
          return h("tr", {},
            h("td", {}, describeAgent(s.user_agent), s.current ? [" ", h("span", { class: "badge ok", text: "This browser" })] : null),
            h("td", { class: "mono small", text: s.ip_address || "—" }),
            h("td", { text: formatDateTime(s.created_at) }),
            h("td", { text: timeAgo(s.last_used_at) }),
            h("td", { class: "actions" }, revoke));
        })))));
    } catch (error) { slot.replaceChildren(h("p", { class: "empty", text: error.message })); }
  }

  async revokeSession(s) {
    const ok = await confirmAction(s.current ? "Sign out of this browser?" : `End the session on ${describeAgent(s.user_agent)}? It is signed out at once.`, { confirmLabel: s.current ? "Sign out" : "Revoke", danger: true });
    if (!ok) return;
    try {
      await api(`/auth/sessions/${encodeURIComponent(s.id)}`, { method: "DELETE" });
      if (s.current) { endLocally("You are signed out."); navigate("#/signin"); return; }
      toast("Session ended.", "success");
      this.loadSessions();
    } catch (error) { toast(error.message, "error"); }
  }

  async loadKeys() {
    const slot = this.querySelector(".keys-slot");
    try {
      const { api_keys: keys } = await api("/api-keys");
      if (!keys.length) { slot.replaceChildren(h("p", { class: "empty", text: "No API keys yet." })); return; }
      slot.replaceChildren(h("div", { class: "table-wrap" }, h("table", { class: "table" },
        h("thead", {}, h("tr", {}, ["Name", "Key", "Scopes", "Created", "Last used", ""].map((t) => h("th", { scope: "col", text: t })))),
        h("tbody", {}, keys.map((k) => {
          let action = h("span", { class: "badge neutral", text: `Revoked ${formatDateTime(k.revoked_at)}` });
          if (!k.revoked_at) {
            action = h("button", { type: "button", class: "button small danger", text: "Revoke" });
            action.addEventListener("click", async () => {
              if (!(await confirmAction(`Revoke “${k.name}”? Integrations using it stop working at once.`, { confirmLabel: "Revoke", danger: true }))) return;
              try { await api(`/api-keys/${encodeURIComponent(k.id)}`, { method: "DELETE" }); toast("Key revoked.", "success"); this.loadKeys(); }
              catch (error) { toast(error.message, "error"); }
            });
          }
          return h("tr", {},
            h("td", { text: k.name }),
            h("td", { class: "mono small", text: `${k.prefix}…` }),
            h("td", {}, k.scopes.map((s) => h("span", { class: "badge neutral scope", text: s }))),
            h("td", { text: formatDateTime(k.created_at) }),
            h("td", { text: k.last_used_at ? timeAgo(k.last_used_at) : "Never" }),
            h("td", { class: "actions" }, action));
        })))));
    } catch (error) { slot.replaceChildren(h("p", { class: "empty", text: error.message })); }
  }

  createKey() {
    const form = h("form", { class: "form-grid", novalidate: true },
      h("div", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
      h("div", { class: "field" }, h("label", { for: "key-name", text: "Name" }), h("input", { id: "key-name", name: "name", required: true, placeholder: "e.g. Telephony bridge" })),
      h("fieldset", {}, h("legend", { text: "Scopes" }), h("div", { class: "form-grid scopes" }, SCOPES.map(([value, text]) =>
        h("label", { class: "checkline" }, h("input", { type: "checkbox", name: "scopes", value }), h("span", {}, h("code", { text: value }), " — ", text))))),
      h("div", { class: "form-actions" }, h("button", { type: "button", class: "button cancel", text: "Cancel" }), h("button", { type: "submit", class: "button primary", text: "Create key" })));
    const dialog = openDialog({ title: "Create API key", body: form });
    form.querySelector(".cancel").addEventListener("click", () => dialog.close());
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const name = form.elements.namedItem("name").value.trim();
      const scopes = [...form.querySelectorAll("input[name=scopes]:checked")].map((i) => i.value);
      if (!name || !scopes.length) { showErrors(form, { message: !name ? "Give the key a name." : "Choose at least one scope.", fields: !name ? { name: "Required." } : {} }); return; }
      await busy(form.querySelector("[type=submit]"), async () => {
        try {
          const created = await api("/api-keys", { method: "POST", body: { name, scopes } });
          const done = h("button", { type: "button", class: "button primary", text: "I have stored the key" });
          done.addEventListener("click", () => dialog.close());
          form.replaceWith(h("div", { class: "stack" },
            h("div", { class: "form-success", role: "status", text: `“${created.name}” was created. Copy the key now — it is never shown again.` }),
            h("div", { class: "secret-box", "aria-label": "API key", text: created.key }),
            h("div", { class: "row" }, h("button", { type: "button", class: "button", text: "Copy key", onclick: () => copyText(created.key, "Key copied") })),
            h("div", { class: "form-actions" }, done)));
          done.focus();
          this.loadKeys();
        } catch (error) { showErrors(form, error); }
      });
    });
  }
}

customElements.define("settings-page", SettingsPage);
