// Avoca console entry: session restore, routing between the sign-in screens and the app shell,
// global keyboard shortcuts.
import { authEvents } from "./lib/api.js";
import { realtime } from "./lib/realtime.js";
import { calls } from "./lib/calls.js";
import { watchOthersChanges } from "./lib/call-news.js";
import { session, sessionEvents, restoreSession, endLocally } from "./lib/session.js";
import { currentRoute, navigate } from "./lib/router.js";
import "./components/toast-stack/toast-stack.js";
import "./components/auth-screens/auth-screens.js";
import "./components/app-shell/app-shell.js";
import "./components/help-overlay/help-overlay.js";

const AUTH_VIEWS = new Set(["signin", "signup", "verify", "enroll", "challenge", "recovery-codes", "forgot", "reset", "pending"]);
const PAGES = { desk: "call-desk", customers: "customers-page", jobs: "jobs-page", settings: "settings-page", api: "api-reference", supervisor: "supervisor-page" };

const root = document.getElementById("app");
let booted = false;
let returnTo = null;

function mount(tag) {
  let el = root.firstElementChild;
  if (!el || el.localName !== tag) {
    el = document.createElement(tag);
    root.replaceChildren(el);
  }
  return el;
}

function route() {
  if (!booted) return;
  const r = currentRoute();
  const signedIn = Boolean(session.me);
  if (AUTH_VIEWS.has(r.name)) {
    if (signedIn && r.name !== "recovery-codes") { navigate(returnTo || "#/desk", { replace: true }); returnTo = null; return; }
    mount("auth-screens").show(r.name, r);
    return;
  }
  if (PAGES[r.name]) {
    if (!signedIn) { returnTo = location.hash; navigate("#/signin", { replace: true }); return; }
    mount("app-shell").showPage(PAGES[r.name], r);
    return;
  }
  navigate(signedIn ? "#/desk" : "#/signin", { replace: true });
}

addEventListener("hashchange", route);

sessionEvents.addEventListener("change", (e) => {
  if (e.detail.me) {
    calls.wire();
    watchOthersChanges();
    realtime.start();
    calls.loadPresence();
  } else {
    realtime.stop();
    calls.reset();
  }
});

authEvents.addEventListener("ended", (e) => {
  if (!session.me) return;
  endLocally(e.detail.message);
  returnTo = location.hash;
  navigate("#/signin");
});

/** Whether keys pressed on `target` are typing (text fields, pickers, rich text). */
function editable(target) {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

// Keyboard shortcuts: single keys only, never while typing, never with Ctrl/Meta/Alt.
document.addEventListener("keydown", (e) => {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  if (editable(e.target)) return;
  const shell = root.querySelector("app-shell");
  if (!shell) return;
  // A dialog is a task of its own: no shortcut reaches the page behind it — except "a" for a call
  // offered to me, which must stay answerable over any form (the offer floats above dialogs).
  if (e.target.closest?.("dialog") || document.querySelector("dialog:modal")) {
    if (e.key === "a" && shell.acceptOffer()) e.preventDefault();
    return;
  }
  if (e.key === "?") { e.preventDefault(); document.querySelector("help-overlay")?.toggle(); return; }
  if (shell.handleKey(e.key, e)) e.preventDefault();
});

document.querySelector(".skip-link")?.addEventListener("click", (e) => {
  e.preventDefault();
  const main = document.getElementById("main");
  if (main) { main.setAttribute("tabindex", "-1"); main.focus(); }
});

// Audio may only start after a user gesture: unlock it on the first one.
for (const type of ["pointerdown", "keydown"]) {
  addEventListener(type, () => document.dispatchEvent(new CustomEvent("avoca-gesture")), { once: true, capture: true });
}

(async () => {
  await restoreSession();
  booted = true;
  if (!document.querySelector("help-overlay")) document.body.append(document.createElement("help-overlay"));
  route();
})();
