// The call desk: the live queue (left), the selected call with its streaming transcript and
// insights (centre), and the caller panel (right).
import { html, render, h, reconcile } from "../../lib/html.js";
import { api, ApiError } from "../../lib/api.js";
import { realtime } from "../../lib/realtime.js";
import { calls, LIVE_STATES } from "../../lib/calls.js";
import { session } from "../../lib/session.js";
import { navigate, link } from "../../lib/router.js";
import { formatPhone, formatDuration, formatTime, formatDateTime, humanize, callerHistory, timeAgo, customerName, CALL_OUTCOMES } from "../../lib/format.js";
import { toast, showErrors, busy, confirmAction, confirmOnOthersCall } from "../../lib/ui.js";
import "../call-transcript/call-transcript.js";
import "../caller-panel/caller-panel.js";

const KIND_LABEL = { name: "Name", phone: "Phone", email: "E-mail", address: "Address", service: "Service", urgency: "Urgency", requested_time: "When" };
// The server's urgency levels, as a CSR says them, most urgent last.
const URGENCY_LEVEL = { routine: { label: "Flexible", rank: 1 }, urgent: { label: "Soon", rank: 2 }, emergency: { label: "Emergency", rank: 3 } };
const KIND_ICON = { name: "☺", phone: "☎", email: "✉", address: "⌂", service: "⚒", urgency: "⚠", requested_time: "◷" };
const OUTCOME_TEXT = {
  booked: "Job booked", callback_scheduled: "Callback scheduled", information_only: "Information only", no_availability: "No availability",
  price_shopping: "Price shopping", wrong_number: "Wrong number", spam: "Spam", other: "Other",
};

/** How a call shows in the queue: css class, icon and words (colour is never the only signal). */
function appearance(call) {
  const mine = call.employee_id && call.employee_id === session.me?.employee_id;
  switch (call.state) {
    case "ringing": return { cls: "ringing", icon: "☎", text: "Ringing" };
    case "active": return mine ? { cls: "mine", icon: "●", text: "You · on call" } : { cls: "others", icon: "●", text: `${calls.agentName(call.employee_id) || call.employee_name || "Another agent"} · on call` };
    case "wrap_up": return mine ? { cls: "wrapup", icon: "✎", text: "You · wrap-up" } : { cls: "wrapup", icon: "✎", text: `${call.employee_name || calls.agentName(call.employee_id) || "Agent"} · wrap-up` };
    case "missed": {
      // The callback list shows who took a callback and how it went.
      if (call.outcome) return { cls: "ended missed", icon: "↙", text: `Missed · ${OUTCOME_TEXT[call.outcome] || humanize(call.outcome)}` };
      if (!call.employee_id) return { cls: "ended missed", icon: "↙", text: "Missed" };
      return { cls: "ended missed", icon: "↙", text: mine ? "Missed · your callback" : `Missed · callback by ${calls.agentName(call.employee_id) || call.employee_name || "an agent"}` };
    }
    default: return { cls: "ended", icon: "✓", text: call.outcome ? OUTCOME_TEXT[call.outcome] || humanize(call.outcome) : "Completed" };
  }
}

/** The outcome a wrap-up form starts on: the one saved, else "booked" once the call has a job. */
function proposedOutcome(call) {
  return call.outcome || (call.job_id ? "booked" : "");
}

function elapsed(call) {
  const start = new Date(call.start_date_time).getTime();
  const end = call.end_date_time ? new Date(call.end_date_time).getTime() : Date.now();
  return (end - start) / 1000;
}

/** Missed calls from one number collapse into their newest row, with the count and the oldest start. */
function groupMissed(visible) {
  const groups = new Map();
  const shown = [];
  for (const call of visible) {
    if (call.state !== "missed") { shown.push({ call, count: 1 }); continue; }
    const known = groups.get(call.phone_number);
    if (known) { known.count += 1; known.oldest = call.start_date_time; continue; }
    const entry = { call, count: 1, oldest: call.start_date_time };
    groups.set(call.phone_number, entry);
    shown.push(entry);
  }
  return shown;
}

class CallDesk extends HTMLElement {
  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.filter = "all";
    this.selectedId = null;
    this.detail = null;
    render(this, html`
      <div class="desk">
        <aside class="desk-queue" aria-label="Call queue">
          <div class="queue-head">
            <h1 class="queue-title">Calls</h1>
            <span class="queue-count muted small" role="status"></span>
          </div>
          <div class="queue-filters" role="group" aria-label="Show">
            <button type="button" class="seg" data-filter="all" aria-pressed="true">All</button>
            <button type="button" class="seg" data-filter="mine" aria-pressed="false">Mine</button>
            <button type="button" class="seg" data-filter="missed" aria-pressed="false">Missed</button>
          </div>
          <ul class="queue-list" aria-label="Calls, newest first"></ul>
          <p class="queue-hint small muted"><kbd>j</kbd>/<kbd>k</kbd> move · <kbd>?</kbd> shortcuts</p>
        </aside>
        <section class="desk-call" aria-label="Selected call">
          <div class="call-placeholder">
            <div class="placeholder-icon" aria-hidden="true">☎</div>
            <h2>No call selected</h2>
            <p class="muted">Incoming calls ring here. Pick one from the queue, or accept an offer with <kbd>a</kbd>.</p>
          </div>
          <div class="call-view" hidden>
            <header class="call-header">
              <div class="call-ident">
                <div class="call-number"></div>
                <div class="call-meta small"><span class="call-phone" hidden></span><span class="call-state"></span><span class="call-timer"></span><span class="call-owner muted"></span></div>
              </div>
              <div class="call-actions row"></div>
            </header>
            <div class="insights" aria-label="What Avoca heard"><span class="insights-empty small muted">Details the caller mentions (name, address, service …) appear here.</span></div>
            <call-transcript></call-transcript>
            <div class="wrapup-slot"></div>
          </div>
        </section>
        <caller-panel class="desk-caller" aria-label="Caller"></caller-panel>
      </div>`);
    this.list = this.querySelector(".queue-list");
    this.transcript = this.querySelector("call-transcript");
    this.panel = this.querySelector("caller-panel");
    this.querySelectorAll(".seg").forEach((b) => b.addEventListener("click", () => {
      this.filter = b.dataset.filter;
      this.querySelectorAll(".seg").forEach((x) => x.setAttribute("aria-pressed", String(x === b)));
      this.drawQueue();
    }));
    this.onChange = () => { this.drawQueue(); this.refreshSelected(); };
    this.onPresence = () => this.drawQueue();
    calls.addEventListener("change", this.onChange);
    calls.addEventListener("presence", this.onPresence);
    this.panel.addEventListener("linked-customer", () => {
      const call = this.selectedId && calls.get(this.selectedId);
      if (call) this.drawHeader(call);
    });
    this.onFrame = (e) => this.frame(e.detail);
    realtime.addEventListener("message", this.onFrame);
    this.ticker = setInterval(() => this.tick(), 1000);
    if (realtime.state === "unavailable") calls.loadOverHTTP();
    this.drawQueue();
  }

  disconnectedCallback() {
    calls.removeEventListener("change", this.onChange);
    calls.removeEventListener("presence", this.onPresence);
    realtime.removeEventListener("message", this.onFrame);
    clearInterval(this.ticker);
    if (this.selectedId) realtime.unsubscribe(this.selectedId);
    this.built = false;
  }

  route(r) {
    document.title = "Desk · Avoca";
    const id = r.rest[0] || null;
    if (id !== this.selectedId) this.select(id);
  }

  visibleCalls() {
    const me = session.me?.employee_id;
    return calls.list().filter((c) => {
      if (this.filter === "mine") return c.employee_id === me;
      if (this.filter === "missed") return c.state === "missed";
      return true;
    });
  }

  drawQueue() {
    if (!this.list) return;
    const visible = this.visibleCalls();
    const live = calls.list().filter((c) => LIVE_STATES.has(c.state)).length;
    this.querySelector(".queue-count").textContent = `${live} live`;
    if (!visible.length) {
      const text = !calls.available ? "Calls are not available on this server yet."
        : this.filter === "mine" ? "You have no calls yet."
        : this.filter === "missed" ? "No missed calls. Nice."
        : "The queue is empty. New calls ring here.";
      this.list.replaceChildren(h("li", { class: "queue-empty muted small", text }));
      return;
    }
    // Items are kept and updated in place (keyed by call), so a redraw — several a second on a busy
    // desk — neither steals keyboard focus from the queue nor re-reads it to a screen reader.
    const shown = groupMissed(visible);
    const rows = reconcile(this.list, shown.map(({ call }) => [call.phone_call_id,
      () => h("li", {}, h("a", { class: "queue-item", href: link(["desk", call.phone_call_id]), dataset: { id: call.phone_call_id } }))]));
    rows.forEach((row, i) => this.fillQueueItem(row.firstElementChild, shown[i].call, shown[i]));
  }

  /** Brings one queue item up to date with its call (its children only when something shows differently). */
  fillQueueItem(item, call, group = { count: 1 }) {
    const look = appearance(call);
    const live = LIVE_STATES.has(call.state);
    item.className = `queue-item state-${look.cls.split(" ")[0]}`;
    if (call.phone_call_id === this.selectedId) item.setAttribute("aria-current", "true");
    else item.removeAttribute("aria-current");
    const history = live || call.state === "missed" ? callerHistory(call) : "";
    const key = JSON.stringify([look.icon, look.text, call.phone_number, call.caller_name, history, call.start_date_time, call.end_date_time, live,
      group.count, group.oldest]);
    if (item.dataset.key === key) return;
    item.dataset.key = key;
    const number = formatPhone(call.phone_number) || "Unknown number";
    // Repeat missed calls from one number are one row: how many, and since when the caller tries.
    const repeats = group.count > 1 ? `${group.count} calls, first ${timeAgo(group.oldest)}` : "";
    const more = [repeats, history].filter(Boolean).join(" · ");
    item.replaceChildren(
      h("span", { class: "qi-icon", "aria-hidden": "true", text: look.icon }),
      h("span", { class: "qi-main" },
        h("span", { class: "qi-number", text: call.caller_name || number }),
        h("span", { class: "qi-state", text: `${call.caller_name ? `${number} · ` : ""}${look.text}` }),
        more ? h("span", { class: "qi-history muted", text: more }) : ""),
      h("span", { class: "qi-side" },
        h("span", { class: live ? "qi-duration live" : "qi-duration", dataset: { start: call.start_date_time, end: call.end_date_time || "" }, text: formatDuration(elapsed(call)) }),
        h("span", { class: "qi-time muted", text: formatTime(call.start_date_time) })));
  }

  tick() {
    this.list?.querySelectorAll(".qi-duration.live").forEach((el) => {
      el.textContent = formatDuration((Date.now() - new Date(el.dataset.start).getTime()) / 1000);
    });
    const call = this.selectedId && calls.get(this.selectedId);
    if (call) this.querySelector(".call-timer").textContent = formatDuration(elapsed(call));
  }

  async select(id) {
    if (this.selectedId && this.selectedId !== id) realtime.unsubscribe(this.selectedId);
    this.selectedId = id;
    this.detail = null;
    this.list?.querySelectorAll(".queue-item").forEach((a) => {
      if (a.dataset.id === id) a.setAttribute("aria-current", "true"); else a.removeAttribute("aria-current");
    });
    const view = this.querySelector(".call-view");
    const placeholder = this.querySelector(".call-placeholder");
    if (!id) { view.hidden = true; placeholder.hidden = false; this.panel.update({ call: null }); return; }
    view.hidden = false;
    placeholder.hidden = true;
    this.transcript.reset("Loading the transcript…");
    this.renderInsights([]);
    const known = calls.get(id);
    if (known) this.drawHeader(known);
    let detail;
    try {
      detail = await api(`/phone-calls/${encodeURIComponent(id)}`);
    } catch (error) {
      if (this.selectedId !== id) return;
      if (known) {
        // The realtime stream still has the transcript; show the call from the queue's copy.
        this.transcript.reset(LIVE_STATES.has(known.state) ? "Waiting for the caller to speak…" : "The transcript could not be loaded.");
        this.insights = [];
        this.matches = [];
        this.panel.update({ call: known, insights: [], matches: [] });
        realtime.subscribe(id, 0);
        return;
      }
      this.transcript.reset(error instanceof ApiError && error.status === 404 ? "This call does not exist (or calls are not available on this server yet)." : error.message);
      this.querySelector(".call-number").textContent = "Call not found";
      const actions = this.querySelector(".call-actions");
      actions.replaceChildren();
      actions.dataset.key = "";
      return;
    }
    if (this.selectedId !== id) return;
    this.detail = detail;
    calls.upsert(detail);
    this.transcript.reset(LIVE_STATES.has(detail.state) ? "Waiting for the caller to speak…" : "No transcript was recorded.");
    this.transcript.add(detail.segments || []);
    this.insights = detail.insights || [];
    this.matches = detail.customer_matches || [];
    this.transcript.setInsights(this.insights);
    this.renderInsights(this.insights);
    this.drawHeader(calls.get(id) || detail);
    this.panel.update({ call: calls.get(id) || detail, insights: this.insights, matches: this.matches });
    realtime.subscribe(id, this.transcript.lastSeq);
  }

  refreshSelected() {
    if (!this.selectedId) return;
    const call = calls.get(this.selectedId);
    if (!call) return;
    this.drawHeader(call);
    const before = this.panel.call;
    if (!before || before.customer_id !== call.customer_id || before.job_id !== call.job_id || String(before.job_ids) !== String(call.job_ids) || before.state !== call.state || before.employee_id !== call.employee_id) {
      this.panel.update({ call });
    }
  }

  frame(f) {
    if (!this.selectedId) return;
    if (f.phone_call_id !== this.selectedId) return;
    if (f.event === "phone_call_token") this.transcript.add([f]);
    else if (f.event === "phone_call_partial") this.transcript.partial(f);
    else if (f.event === "phone_call_transcript") this.transcript.add(f.segments || []);
    else if (f.event === "phone_call_insights") {
      this.insights = f.insights || [];
      this.matches = f.customer_matches || [];
      this.transcript.setInsights(this.insights);
      this.renderInsights(this.insights);
      this.panel.update({ call: calls.get(this.selectedId) || this.panel.call, insights: this.insights, matches: this.matches });
    }
  }

  drawHeader(call) {
    const look = appearance(call);
    // Nobody is speaking on an ended call: interim words that no final replaced go.
    if (call.state !== "ringing" && call.state !== "active") this.transcript.clearPartials();
    // Once a customer is linked the header names them; the number moves beside the state.
    const linked = call.customer_id && this.panel.customer?.id === call.customer_id ? customerName(this.panel.customer) : "";
    const number = formatPhone(call.phone_number) || "Unknown number";
    this.querySelector(".call-number").textContent = linked || number;
    const phone = this.querySelector(".call-phone");
    phone.textContent = linked ? number : "";
    phone.hidden = !linked;
    const state = this.querySelector(".call-state");
    state.className = `call-state badge state-${look.cls.split(" ")[0]}`;
    state.textContent = `${look.icon} ${call.state === "ringing" ? "Ringing — unclaimed" : humanize(call.state)}`;
    this.querySelector(".call-timer").textContent = formatDuration(elapsed(call));
    const mine = call.employee_id === session.me?.employee_id;
    const owner = call.employee_id ? (mine ? "Handled by you" : `Handled by ${call.employee_name || calls.agentName(call.employee_id) || "another agent"}`) : "Nobody has taken it";
    this.querySelector(".call-owner").textContent = `${owner} · started ${formatDateTime(call.start_date_time)}`;
    const actions = this.querySelector(".call-actions");
    // Rebuilt only when they change: a button replaced between mousedown and mouseup never gets
    // its click, and this header redraws on every update of any call.
    // The owner is part of it: a missed call taken by someone else loses its Take callback.
    const actionsKey = `${call.phone_call_id}:${call.state}:${call.employee_id ?? ""}:${mine}:${session.isAdmin}`;
    if (actions.dataset.key === actionsKey) { this.drawWrapUp(call); return; }
    actions.dataset.key = actionsKey;
    const buttons = [];
    if (call.state === "ringing") {
      const accept = h("button", { type: "button", class: "button success" }, "Accept call ", h("kbd", { text: "a" }));
      accept.addEventListener("click", () => this.accept(call.phone_call_id));
      buttons.push(accept);
    }
    if (call.state === "missed" && !call.employee_id) {
      // The callback list is everyone's; taking one makes its outcome yours to record.
      const take = h("button", { type: "button", class: "button primary take-callback", text: "Take callback" });
      take.addEventListener("click", () => this.accept(call.phone_call_id));
      buttons.push(take);
    }
    if (call.state === "active" && (mine || session.isAdmin)) {
      const release = h("button", { type: "button", class: "button", text: "Put back in queue" });
      release.addEventListener("click", () => this.release(call));
      buttons.push(release);
    }
    actions.replaceChildren(...buttons);
    this.drawWrapUp(call);
  }

  drawWrapUp(call) {
    const slot = this.querySelector(".wrapup-slot");
    const mine = call.employee_id === session.me?.employee_id || session.isAdmin;
    // Which form shows follows the call's state, owner and saved outcome (an admin taking a
    // callback gets its form at once); a change of job only updates the form in place, so the notes
    // being typed survive.
    const key = `${call.phone_call_id}:${call.state}:${call.outcome ?? ""}:${call.employee_id ?? ""}:${mine}`;
    if (slot.dataset.key === key) { this.syncWrapUp(slot, call); return; }
    slot.dataset.key = key;
    if (call.state === "completed" || (call.outcome && call.state !== "wrap_up")) {
      slot.replaceChildren(h("div", { class: "wrapup done" }, h("strong", { text: "Outcome: " }), OUTCOME_TEXT[call.outcome] || humanize(call.outcome || "—"), call.notes ? h("p", { class: "small wrapup-notes", text: call.notes }) : null));
      return;
    }
    const callback = call.state === "missed" && Boolean(call.employee_id);
    if (!mine || !(call.state === "wrap_up" || call.state === "active" || callback)) { slot.replaceChildren(); return; }
    const heading = callback ? "Callback — how did it go?" : call.state === "wrap_up" ? "Wrap-up — the caller hung up" : "Wrap-up";
    const hint = callback ? "Call the customer back, then record the outcome."
      : call.state === "wrap_up" ? "Record the outcome to finish this call." : "You can note the outcome now; it is saved when you press Finish.";
    const form = h("form", { class: `wrapup ${call.state === "wrap_up" ? "due" : ""}`, novalidate: true, "aria-labelledby": "wrapup-title" },
      h("div", { class: "wrapup-head" }, h("h2", { id: "wrapup-title", text: heading }), h("span", { class: "small muted", text: hint })),
      h("div", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
      h("div", { class: "wrapup-fields" },
        h("div", { class: "field" }, h("label", { for: "wrapup-outcome", text: "Outcome" }),
          h("select", { id: "wrapup-outcome", name: "outcome", required: true },
            h("option", { value: "", text: "Choose…" }),
            CALL_OUTCOMES.map((o) => h("option", { value: o, text: OUTCOME_TEXT[o] || humanize(o), selected: proposedOutcome(call) === o })))),
        h("div", { class: "field grow" }, h("label", { for: "wrapup-notes", text: "Notes" }), h("textarea", { id: "wrapup-notes", name: "notes", rows: 2, text: call.notes || "" })),
        h("button", { type: "submit", class: "button primary", text: call.state === "wrap_up" ? "Finish call" : "Save outcome" })));
    form.outcome.addEventListener("change", () => { form.outcome.dataset.chosen = "true"; });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const outcome = form.outcome.value;
      if (!outcome) { showErrors(form, { message: "Choose an outcome — it is required before the call leaves wrap-up.", fields: { outcome: "Required." } }); return; }
      if (!(await confirmOnOthersCall(calls.get(call.phone_call_id) || call, "Record the outcome"))) return;
      await busy(form.querySelector("[type=submit]"), async () => {
        try {
          const updated = await api(`/phone-calls/${encodeURIComponent(call.phone_call_id)}`, { method: "PUT", body: { outcome, notes: form.notes.value.trim() || null } });
          calls.upsert(updated);
          toast(updated.state === "completed" ? "Call completed." : "Outcome saved.", "success");
        } catch (error) { showErrors(form, error); }
      });
    });
    if (call.state === "active") {
      // While the caller is on the line the transcript needs the room: keep wrap-up folded.
      const fold = h("details", { class: "wrapup-fold" }, h("summary", { text: "Wrap-up notes (required once the caller hangs up)" }), form);
      slot.replaceChildren(fold);
      return;
    }
    slot.replaceChildren(form);
  }

  /** Keeps the wrap-up form's proposal current (a job booked after hang-up means "Job booked") until the agent picks one. */
  syncWrapUp(slot, call) {
    const outcome = slot.querySelector('select[name="outcome"]');
    if (!outcome || outcome.dataset.chosen) return;
    outcome.value = proposedOutcome(call);
  }

  renderInsights(insights) {
    const box = this.querySelector(".insights");
    if (!insights.length) {
      box.replaceChildren(h("span", { class: "insights-empty small muted", text: "Details the caller mentions (name, address, service …) appear here." }));
      return;
    }
    // One chip per kind+value, newest last; urgency is one chip, at the most urgent level heard
    // (a caller who said "no rush" and then "it's flooding" has an emergency).
    const seen = new Map();
    const urgencies = insights.filter((i) => i.kind === "urgency" && URGENCY_LEVEL[i.normalized]);
    for (const i of insights) if (i.kind !== "urgency") seen.set(`${i.kind}:${String(i.value).toLowerCase()}`, i);
    if (urgencies.length) {
      const top = urgencies.reduce((a, b) => (URGENCY_LEVEL[b.normalized].rank > URGENCY_LEVEL[a.normalized].rank ? b : a));
      seen.set("urgency", top);
    }
    box.replaceChildren(...[...seen.values()].map((i) => {
      const level = i.kind === "urgency" ? URGENCY_LEVEL[i.normalized] : null;
      const heard = level ? ` — heard: ${urgencies.map((u) => `“${u.value}”`).join(", ")}` : "";
      const chip = h("button", { type: "button", class: `chip chip-${i.kind}${level ? ` urgency-${i.normalized}` : ""}`, title: this.chipHint(i) + heard },
        h("span", { class: "chip-icon", "aria-hidden": "true", text: KIND_ICON[i.kind] || "•" }),
        h("span", { class: "chip-kind", text: `${KIND_LABEL[i.kind] || i.kind}:` }),
        h("span", { class: "chip-value", text: level ? level.label : i.kind === "phone" ? formatPhone(i.normalized || i.value) : i.value }));
      chip.addEventListener("mouseenter", () => this.transcript.emphasise(i.kind));
      chip.addEventListener("focus", () => this.transcript.emphasise(i.kind));
      chip.addEventListener("mouseleave", () => this.transcript.emphasise(null));
      chip.addEventListener("blur", () => this.transcript.emphasise(null));
      chip.addEventListener("click", () => this.useInsight(i));
      return chip;
    }));
  }

  chipHint(i) {
    if (["name", "phone", "email"].includes(i.kind)) return "Search customers with this";
    if (i.kind === "address") return "Add as the customer's address, or search with it";
    return "Used when you book the job";
  }

  useInsight(i) {
    if (this.panel.customer) {
      if (i.kind === "address") { this.panel.addAddress(); return; }
      if (["service", "urgency", "requested_time"].includes(i.kind)) { this.panel.bookJob(); return; }
      toast("A customer is already linked. Use “Change” in the caller panel to link someone else.", "info");
      return;
    }
    if (["service", "urgency", "requested_time"].includes(i.kind)) { toast("Link or create the customer first; this is filled in when you book.", "info"); return; }
    this.panel.searchFor(i.kind === "phone" ? (i.normalized || i.value).replace(/\D/g, "").slice(-10) : i.value);
  }

  async accept(id) {
    calls.want(id);
    try {
      const call = await api(`/phone-calls/${encodeURIComponent(id)}/accept`, { method: "POST" });
      calls.upsert(call);
      if (calls.offer?.phone_call.phone_call_id === id) calls.setOffer(null, "accepted");
      toast(call.state === "missed" ? "The callback is yours." : "The call is yours.", "success");
      // A call still offered to me goes on to the next agent: the server withdraws it (offer_ended, reason busy).
    } catch (error) {
      // offer-alert tells who has it, once, whether the 409 or the realtime news comes first.
      if (error instanceof ApiError && error.status === 409) calls.settleWanted({ phone_call_id: id }, error.ownerEmployeeId || null);
      else toast(error.message, "error");
    }
  }

  async release(call) {
    const owner = call.employee_id && call.employee_id !== session.me?.employee_id ? `${call.employee_name || "Another agent"} is on this call. ` : "";
    if (!(await confirmAction(`${owner}Put this call back in the queue? It will ring for the other agents.`, { confirmLabel: "Put back" }))) return;
    try {
      calls.upsert(await api(`/phone-calls/${encodeURIComponent(call.phone_call_id)}/release`, { method: "POST" }));
    } catch (error) { toast(error.message, "error"); }
  }

  focusSearch() { return this.panel.focusSearch(); }

  handleKey(key) {
    if (key === "a") {
      const call = this.selectedId && calls.get(this.selectedId);
      if (call?.state !== "ringing") return false;
      this.accept(call.phone_call_id);
      return true;
    }
    if (key === "j" || key === "k") {
      const visible = groupMissed(this.visibleCalls()).map((row) => row.call);  // the rows as shown
      if (!visible.length) return true;
      const index = visible.findIndex((c) => c.phone_call_id === this.selectedId);
      const next = index < 0 ? 0 : Math.max(0, Math.min(visible.length - 1, index + (key === "j" ? 1 : -1)));
      navigate(link(["desk", visible[next].phone_call_id]));
      requestAnimationFrame(() => this.list.querySelector(`[data-id="${CSS.escape(visible[next].phone_call_id)}"]`)?.focus());
      return true;
    }
    if (key === "l") { if (!this.panel.focusLink()) toast("Select a call first.", "info"); return true; }
    if (key === "b") {
      if (!this.panel.customer) { toast("Link a customer to the call first.", "info"); return true; }
      this.panel.bookJob();
      return true;
    }
    if (key === "w") {
      const outcome = this.querySelector("#wrapup-outcome");
      const fold = this.querySelector(".wrapup-fold");
      if (fold) fold.open = true;
      if (outcome) { outcome.scrollIntoView({ block: "nearest" }); outcome.focus(); }
      else toast("There is nothing to wrap up on this call.", "info");
      return true;
    }
    return false;
  }
}

customElements.define("call-desk", CallDesk);
