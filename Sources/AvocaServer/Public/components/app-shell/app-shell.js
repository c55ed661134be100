// The signed-in frame: header (brand, navigation, connection, presence, user menu), the
// connection banner, the page area and the incoming-call alert.
import { html, render, h } from "../../lib/html.js";
import { api, ApiError } from "../../lib/api.js";
import { realtime } from "../../lib/realtime.js";
import { calls } from "../../lib/calls.js";
import { session, sessionEvents, signOut } from "../../lib/session.js";
import { navigate } from "../../lib/router.js";
import { toast } from "../../lib/ui.js";
import "../offer-alert/offer-alert.js";
import "../call-desk/call-desk.js";
import "../customers-page/customers-page.js";
import "../jobs-page/jobs-page.js";
import "../settings-page/settings-page.js";
import "../api-reference/api-reference.js";
import "../supervisor-page/supervisor-page.js";

const NAV = [["desk", "Desk"], ["supervisor", "Floor"], ["customers", "Customers"], ["jobs", "Jobs"], ["settings", "Settings"], ["api", "API"]];
const ROLE_TEXT = { admin: "Administrator", supervisor: "Supervisor", agent: "Agent" };
const CONNECTION_TEXT = {
  open: "Live", connecting: "Connecting…", reconnecting: "Reconnecting…", offline: "No network", unavailable: "Live updates off", closed: "Not connected",
};
const BANNER_TEXT = {
  reconnecting: "Connection lost. Reconnecting… Calls and transcripts will catch up by themselves.",
  offline: "You are offline. Calls and transcripts will catch up as soon as the network is back.",
};
const STATUS_TEXT = { available: "Available", on_call: "On a call", wrap_up: "Wrap-up", away: "Away", offline: "Offline", not_responding: "Not responding" };
const REASON_TEXT = { break: "Break", lunch: "Lunch", training: "Training", outbound_calls: "Outbound calls" };

function initials(me) {
  return ((me?.first_name?.[0] || "") + (me?.last_name?.[0] || "")).toUpperCase() || "?";
}

class AppShell extends HTMLElement {
  connectedCallback() {
    if (this.built) return;
    this.built = true;
    render(this, html`
      <header class="topbar">
        <a class="brand" href="#/desk" aria-label="Avoca — call desk"><span class="brand-mark" aria-hidden="true">A</span><span class="brand-name">Avoca</span></a>
        <nav class="mainnav" aria-label="Main">
          ${NAV.map(([key, label]) => html`<a href="#/${key}" data-page="${key}">${label}</a>`)}
        </nav>
        <div class="topbar-right">
          <button type="button" class="button small simulate" hidden>Simulate call</button>
          <span class="conn" data-state="connecting" role="status" aria-live="polite">
            <span class="conn-dot" aria-hidden="true"></span><span class="conn-text">Connecting…</span>
          </span>
          <div class="presence">
            <button type="button" class="presence-toggle" role="switch" aria-checked="false" aria-controls="presence-menu" title="Receive calls when available">
              <span class="presence-dot" aria-hidden="true"></span>
              <span class="presence-label">Availability</span>
              <span class="presence-state">…</span>
            </button>
            <div class="presence-menu card" id="presence-menu" role="menu" aria-label="Why are you away?" hidden>
              <button type="button" class="menu-item" role="menuitem" data-reason="">Away</button>
              ${Object.entries(REASON_TEXT).map(([reason, text]) => html`<button type="button" class="menu-item" role="menuitem" data-reason="${reason}">${text}</button>`)}
            </div>
          </div>
          <div class="user-menu">
            <button type="button" class="user-button" aria-haspopup="true" aria-expanded="false" aria-controls="user-menu-panel">
              <span class="avatar" aria-hidden="true"></span><span class="user-name"></span><span aria-hidden="true" class="caret">▾</span>
            </button>
            <div class="user-panel card" id="user-menu-panel" hidden>
              <div class="user-panel-head"><strong class="user-full"></strong><span class="muted small user-email"></span><span class="badge neutral user-role"></span></div>
              <a href="#/settings" class="menu-item">Settings</a>
              <button type="button" class="menu-item shortcuts">Keyboard shortcuts <kbd>?</kbd></button>
              <button type="button" class="menu-item notify">Enable desktop alerts</button>
              <button type="button" class="menu-item signout">Sign out</button>
            </div>
          </div>
        </div>
      </header>
      <div class="conn-banner" role="alert" hidden>
        <span class="conn-banner-text">Connection lost. Reconnecting… Calls and transcripts will catch up by themselves.</span>
        <button type="button" class="button small retry">Retry now</button>
      </div>
      <main id="main" class="shell-main"></main>
      <offer-alert></offer-alert>`);
    this.main = this.querySelector("main");
    this.wire();
    this.updateUser();
    this.updateConnection(realtime.state);
    this.updatePresence();
  }

  wire() {
    const userButton = this.querySelector(".user-button");
    const panel = this.querySelector(".user-panel");
    const closeMenu = () => { panel.hidden = true; userButton.setAttribute("aria-expanded", "false"); };
    userButton.addEventListener("click", () => {
      const open = panel.hidden;
      panel.hidden = !open;
      userButton.setAttribute("aria-expanded", String(open));
      if (open) panel.querySelector(".menu-item").focus();
    });
    panel.addEventListener("keydown", (e) => { if (e.key === "Escape") { closeMenu(); userButton.focus(); } });
    document.addEventListener("click", (e) => { if (!this.querySelector(".user-menu").contains(e.target)) closeMenu(); });
    panel.addEventListener("click", (e) => { if (e.target.closest(".menu-item")) closeMenu(); });
    this.querySelector(".shortcuts").addEventListener("click", () => document.querySelector("help-overlay")?.toggle());
    this.querySelector(".signout").addEventListener("click", async () => { await signOut(); navigate("#/signin"); });
    const notify = this.querySelector(".notify");
    const updateNotify = () => { notify.hidden = !("Notification" in window) || Notification.permission !== "default"; };
    updateNotify();
    notify.addEventListener("click", async () => { await Notification.requestPermission(); updateNotify(); });

    // Available → a menu asks why I am away (colleagues and supervisors see the reason);
    // away → one click makes me available again.
    const toggle = this.querySelector(".presence-toggle");
    const reasons = this.querySelector(".presence-menu");
    const closeReasons = () => { reasons.hidden = true; };
    const setPresence = async (available, reason) => {
      closeReasons();
      toggle.disabled = true;
      try { await calls.setAvailable(available, reason); }
      catch (error) { toast(error.status === 404 ? "Presence is not available on this server yet." : error.message, "error"); }
      finally { toggle.disabled = false; }
    };
    toggle.addEventListener("click", () => {
      if (toggle.getAttribute("aria-checked") === "true") {
        reasons.hidden = !reasons.hidden;
        if (!reasons.hidden) reasons.querySelector(".menu-item").focus();
        return;
      }
      if ("Notification" in window && Notification.permission === "default") Notification.requestPermission().then(updateNotify);
      setPresence(true);
    });
    reasons.addEventListener("click", (e) => {
      const item = e.target.closest(".menu-item");
      if (item) setPresence(false, item.dataset.reason || undefined);
    });
    reasons.addEventListener("keydown", (e) => { if (e.key === "Escape") { closeReasons(); toggle.focus(); } });
    document.addEventListener("click", (e) => { if (!this.querySelector(".presence").contains(e.target)) closeReasons(); });

    const simulate = this.querySelector(".simulate");
    simulate.addEventListener("click", async () => {
      simulate.disabled = true;
      try {
        await api("/simulator/calls", { method: "POST" });
        toast("A simulated call will ring in a moment.", "success");
      } catch (error) {
        // 404/403: no simulator endpoint for me; 409 simulator_off: the server runs without it.
        if (error instanceof ApiError && (error.status === 404 || error.status === 403 || error.code === "simulator_off")) {
          sessionStorage.setItem("avoca-no-simulator", "1");
          simulate.hidden = true;
          toast("The call simulator is not available on this server.", "info");
        } else toast(error.message, "error");
      } finally { simulate.disabled = false; }
    });

    this.querySelector(".retry").addEventListener("click", () => realtime.reconnectNow());
    realtime.addEventListener("state", (e) => this.updateConnection(e.detail.state));
    calls.addEventListener("presence", () => this.updatePresence());
    sessionEvents.addEventListener("change", () => this.updateUser());
  }

  updateUser() {
    const me = session.me;
    if (!me) return;
    this.querySelector(".avatar").textContent = initials(me);
    this.querySelector(".user-name").textContent = me.first_name || me.email;
    this.querySelector(".user-full").textContent = `${me.first_name} ${me.last_name}`;
    this.querySelector(".user-email").textContent = me.email;
    this.querySelector(".user-role").textContent = ROLE_TEXT[me.role] || "Agent";
    this.querySelector('.mainnav a[data-page="supervisor"]').hidden = !session.canSupervise;
    this.querySelector(".simulate").hidden = !(session.isAdmin && !sessionStorage.getItem("avoca-no-simulator"));
  }

  updateConnection(state) {
    const conn = this.querySelector(".conn");
    conn.dataset.state = state;
    this.querySelector(".conn-text").textContent = CONNECTION_TEXT[state] || state;
    conn.title = state === "unavailable" ? "This server has no live call updates yet; the desk shows an empty queue." : "";
    this.querySelector(".conn-banner").hidden = !BANNER_TEXT[state];
    if (BANNER_TEXT[state]) this.querySelector(".conn-banner-text").textContent = BANNER_TEXT[state];
  }

  updatePresence() {
    const toggle = this.querySelector(".presence-toggle");
    const p = calls.myPresence;
    toggle.hidden = !calls.presenceKnown;
    const available = p ? p.available : false;
    toggle.setAttribute("aria-checked", String(available));
    const status = p ? p.status : null;
    toggle.dataset.status = status || "unknown";
    const reason = status === "away" && p?.reason ? ` · ${REASON_TEXT[p.reason] || p.reason}` : "";
    this.querySelector(".presence-state").textContent = status ? (STATUS_TEXT[status] || status) + reason : "Unknown";
    toggle.title = status === "not_responding" ? "Two calls rang out unanswered, so you get no offers. Click when you are back."
      : available ? "You receive calls. Click to go away (and say why)." : "You receive no offers. Click to become available.";
  }

  showPage(tag, route) {
    let page = this.main.firstElementChild;
    if (!page || page.localName !== tag) {
      page = document.createElement(tag);
      this.main.replaceChildren(page);
      this.main.dataset.page = route.name;
    }
    for (const a of this.querySelectorAll(".mainnav a")) {
      if (a.dataset.page === route.name) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    page.route?.(route);
  }

  /** Accepts the call offered to me, if there is one; returns true when there was. */
  acceptOffer() { return this.querySelector("offer-alert").acceptByKey(); }

  /** Single-key shortcuts; returns true when handled. */
  handleKey(key) {
    // "a" accepts the call offered to me, or else the ringing call open on the desk.
    if (key === "a" && this.acceptOffer()) return true;
    const page = this.main.firstElementChild;
    if (key === "/") {
      if (page?.focusSearch) { page.focusSearch(); return true; }
      return false;
    }
    return page?.handleKey ? page.handleKey(key) : false;
  }
}

customElements.define("app-shell", AppShell);
