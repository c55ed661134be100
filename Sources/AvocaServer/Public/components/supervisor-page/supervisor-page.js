// The supervisor's floor: live cards and the agents and calls tables, fed by the realtime
// connection (no polling); the figures of a day from /reports/calls, with its calls per half hour
// drawn as SVG. Supervisors can release or reassign a live call and set an agent away.
import { html, render, h, reconcile } from "../../lib/html.js";
import { api, ApiError } from "../../lib/api.js";
import { calls } from "../../lib/calls.js";
import { session, sessionEvents } from "../../lib/session.js";
import { currentRoute } from "../../lib/router.js";
import { formatPhone, formatDuration, isoDate, zonedTime, humanize, timeZoneLabel, formatDate } from "../../lib/format.js";
import { openDialog, toast, busy, debounce, downloadText } from "../../lib/ui.js";
import { halfHourChart } from "./half-hour-chart.js";

const STATE_TEXT = { available: "Available", on_call: "On a call", wrap_up: "Wrap-up", away: "Away", offline: "Offline", not_responding: "Not responding" };
const REASON_TEXT = { break: "Break", lunch: "Lunch", training: "Training", outbound_calls: "Outbound calls" };
// Busy agents first, then who can take the next call, then who cannot.
const STATE_ORDER = ["on_call", "wrap_up", "available", "not_responding", "away", "offline"];
const CALL_ORDER = { ringing: 0, active: 1, wrap_up: 2 };

/** Seconds since an ISO instant (0 for none). */
const since = (iso) => (iso ? Math.max(0, (Date.now() - Date.parse(iso)) / 1000) : 0);

/** A ticking duration: the page's clock rewrites every [data-since] once a second. */
const clock = (iso) => h("span", { class: "tick", dataset: { since: iso || "" }, text: formatDuration(since(iso)) });

class SupervisorPage extends HTMLElement {
  route() {
    document.title = "Floor · Avoca";
    if (!session.canSupervise) {
      render(this, html`<div class="page"><div class="card card-body empty">The floor is for supervisors and admins. Ask an admin for the supervisor role.</div></div>`);
      this.built = false;
      return;
    }
    if (!this.built) this.build();
    this.loadReports();
  }

  connectedCallback() {
    this.onChange = () => { this.drawLive(); this.reportsSoon?.(); };
    this.onLive = () => this.drawLive();
    calls.addEventListener("change", this.onChange);
    calls.addEventListener("presence", this.onLive);
    calls.addEventListener("floor", this.onLive);
    // A role change (an admin promoted or demoted this user) redraws the page for the new role.
    this.onSession = () => { if (currentRoute().name === "supervisor") this.route(); };
    sessionEvents.addEventListener("change", this.onSession);
    this.ticker = setInterval(() => this.tick(), 1000);
  }

  disconnectedCallback() {
    calls.removeEventListener("change", this.onChange);
    calls.removeEventListener("presence", this.onLive);
    calls.removeEventListener("floor", this.onLive);
    sessionEvents.removeEventListener("change", this.onSession);
    clearInterval(this.ticker);
  }

  build() {
    this.built = true;
    this.day = isoDate(new Date());
    render(this, html`
      <div class="page floor-page">
        <div class="page-header"><h1>Floor</h1><span class="muted small">Live · times in ${timeZoneLabel()}</span></div>
        <section class="floor-cards" aria-label="The floor now">
          ${[["waiting", "Callers waiting"], ["longest", "Longest wait"], ["available", "Available"], ["on_call", "On a call"],
             ["wrap_up", "Wrap-up"], ["away", "Away"], ["offline", "Offline"], ["live", "Calls live"]].map(([key, label]) => html`
            <div class="card floor-card" data-card="${key}"><span class="floor-card-label">${label}</span><strong class="floor-card-value">0</strong></div>`)}
        </section>
        <div class="floor-tables">
          <section class="card" aria-labelledby="floor-calls-h">
            <div class="card-header"><h2 id="floor-calls-h">Waiting and live calls</h2></div>
            <div class="table-wrap"><table class="table floor-calls">
              <thead><tr><th scope="col">Caller</th><th scope="col">State</th><th scope="col">For</th><th scope="col">Offered to</th><th scope="col">Agent</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
              <tbody></tbody></table></div>
          </section>
          <section class="card" aria-labelledby="floor-agents-h">
            <div class="card-header"><h2 id="floor-agents-h">Agents</h2></div>
            <div class="table-wrap"><table class="table floor-agents">
              <thead><tr><th scope="col">Agent</th><th scope="col">State</th><th scope="col">For</th><th scope="col">Current call</th><th scope="col">Handled today</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
              <tbody></tbody></table></div>
          </section>
        </div>
        <section class="card floor-day" aria-labelledby="floor-day-h">
          <div class="card-header">
            <h2 id="floor-day-h">The day</h2>
            <div class="row">
              <label class="visually-hidden" for="floor-date">Day</label>
              <input id="floor-date" type="date" class="floor-date">
              <button type="button" class="button small export">Export CSV</button>
            </div>
          </div>
          <div class="card-body">
            <p class="form-error report-error" role="alert" hidden></p>
            <dl class="floor-figures"></dl>
            <figure class="floor-chart"><figcaption class="muted small">Calls per half hour: answered, missed, other</figcaption><div class="chart-area"></div></figure>
            <div class="floor-day-tables">
              <div><h3>Outcomes</h3><ul class="floor-outcomes"></ul></div>
              <div class="grow"><h3>Per agent</h3>
                <div class="table-wrap"><table class="table floor-per-agent">
                  <thead><tr><th scope="col">Agent</th><th scope="col">Handled</th><th scope="col">Callbacks</th><th scope="col">Missed offers</th><th scope="col">Declined</th><th scope="col">Avg handle</th><th scope="col" title="Console open, set Available, not on a call or in wrap-up">Time available</th></tr></thead>
                  <tbody></tbody></table></div></div>
            </div>
          </div>
        </section>
      </div>`);
    const date = this.querySelector(".floor-date");
    date.value = this.day;
    date.max = this.day;
    date.addEventListener("change", () => { if (date.value) { this.day = date.value; this.loadReports(); } });
    this.querySelector(".export").addEventListener("click", (e) => busy(e.currentTarget, () => this.exportCSV()));
    this.querySelector(".floor-calls").addEventListener("click", (e) => this.callAction(e));
    this.querySelector(".floor-agents").addEventListener("click", (e) => this.agentAction(e));
    // Reports are read from the database; a burst of call news refreshes them once.
    this.reportsSoon = debounce(() => this.loadReports(), 3000);
    this.drawLive();
  }

  /** Today's report (for "handled today") and the chosen day's, when that is another day. */
  async loadReports() {
    if (!this.built || !this.isConnected) return;
    const today = isoDate(new Date());
    const error = this.querySelector(".report-error");
    try {
      this.today = await api("/reports/calls", { query: { date: today } });
      this.report = this.day === today ? this.today : await api("/reports/calls", { query: { date: this.day } });
      error.hidden = true;
    } catch (e) {
      error.textContent = e instanceof ApiError && e.status === 403 ? "Only supervisors and admins can read reports." : e.message;
      error.hidden = false;
      return;
    }
    this.drawLive();
    this.drawDay();
  }

  async exportCSV() {
    try {
      const text = await api("/reports/calls", { query: { date: this.day }, raw: true, accept: "text/csv" });
      downloadText(`avoca-calls-${this.day}.csv`, text);
    } catch (e) { toast(e.message, "error"); }
  }

  liveCalls() {
    return [...calls.calls.values()].filter((c) => c.state in CALL_ORDER)
      .sort((a, b) => CALL_ORDER[a.state] - CALL_ORDER[b.state] || (a.start_date_time || "").localeCompare(b.start_date_time || ""));
  }

  agentName(id) { return calls.agents.get(id)?.name || "—"; }

  drawLive() {
    if (!this.built) return;
    const live = this.liveCalls();
    const ringing = live.filter((c) => c.state === "ringing");
    const agents = [...calls.agents.values()];
    const count = (...states) => agents.filter((a) => states.includes(a.status)).length;
    this.card("waiting", ringing.length, ringing.length > 0 ? "alert" : "");
    this.card("longest", ringing.length ? clock(ringing[0].start_date_time) : "—", ringing.length && since(ringing[0].start_date_time) > 30 ? "alert" : "");
    this.card("available", count("available"));
    this.card("on_call", count("on_call"));
    this.card("wrap_up", count("wrap_up"));
    this.card("away", count("away", "not_responding"));
    this.card("offline", count("offline"));
    this.card("live", live.length - ringing.length);

    const callRows = live.map((call) => {
      const offer = calls.floorOffers.get(call.phone_call_id);
      const owner = call.employee_id ? calls.agents.get(call.employee_id) : null;
      const from = call.state === "ringing" ? call.start_date_time
        : call.state === "wrap_up" ? call.end_date_time : (owner?.status === "on_call" && owner.status_since) || call.start_date_time;
      const key = JSON.stringify([call.phone_call_id, call.state, call.employee_id, call.employee_name, offer?.employee_id, offer?.expires_at, from]);
      return [key, () => h("tr", { dataset: { call: call.phone_call_id } },
        h("td", {}, call.caller_name ? [h("span", { text: call.caller_name }), " "] : "", h("span", { class: "mono", text: formatPhone(call.phone_number) })),
        h("td", {}, h("span", { class: `badge floor-call-${call.state}`, text: call.state === "ringing" ? "Waiting" : humanize(call.state === "active" ? "on_call" : call.state) })),
        h("td", {}, clock(from)),
        h("td", {}, offer ? [this.agentName(offer.employee_id), h("span", { class: "muted small", text: ` · until ${zonedTime(new Date(offer.expires_at))}` })] : call.state === "ringing" ? h("span", { class: "muted", text: "Nobody free" }) : ""),
        h("td", { text: call.employee_name || "" }),
        h("td", { class: "actions" }, call.state === "active" ? [
          h("button", { type: "button", class: "button small reassign", text: "Reassign…" }),
          h("button", { type: "button", class: "button small link release", text: "Release" }),
        ] : ""))];
    });
    const callBody = this.querySelector(".floor-calls tbody");
    reconcile(callBody, callRows.length ? callRows : [["none", () => h("tr", {}, h("td", { class: "empty", colspan: "6", text: "No caller is waiting and no call is live." }))]]);

    const handled = new Map((this.today?.agents || []).map((a) => [a.employee_id, a.handled]));
    const agentRows = agents.sort((a, b) => STATE_ORDER.indexOf(a.status) - STATE_ORDER.indexOf(b.status) || a.name.localeCompare(b.name)).map((agent) => {
      const current = live.find((c) => c.employee_id === agent.employee_id && c.state !== "ringing");
      const state = STATE_TEXT[agent.status] || agent.status;
      const reason = agent.status === "away" && agent.reason ? ` · ${REASON_TEXT[agent.reason] || agent.reason}` : "";
      const mayAway = agent.status === "available" || agent.status === "not_responding";
      const key = JSON.stringify([agent.employee_id, agent.name, agent.status, agent.reason, agent.status_since, current?.phone_call_id, current?.state, handled.get(agent.employee_id)]);
      return [key, () => h("tr", { dataset: { agent: agent.employee_id } },
        h("td", { text: agent.name }),
        h("td", {}, h("span", { class: `badge floor-agent-${agent.status}`, text: state + reason })),
        h("td", {}, agent.status_since && agent.status !== "offline" ? clock(agent.status_since) : ""),
        h("td", {}, current ? [current.caller_name ? h("span", { text: `${current.caller_name} ` }) : "", h("span", { class: "mono", text: formatPhone(current.phone_number) }), h("span", { class: "muted small", text: current.state === "wrap_up" ? " · wrap-up" : "" })] : ""),
        h("td", { text: String(handled.get(agent.employee_id) ?? 0) }),
        h("td", { class: "actions" }, mayAway ? h("button", { type: "button", class: "button small set-away", text: "Set away" }) : ""))];
    });
    reconcile(this.querySelector(".floor-agents tbody"), agentRows.length ? agentRows : [["none", () => h("tr", {}, h("td", { class: "empty", colspan: "6", text: "No agents yet." }))]]);
  }

  card(key, value, tone = "") {
    const card = this.querySelector(`[data-card="${key}"]`);
    card.dataset.tone = tone;
    const slot = card.querySelector(".floor-card-value");
    if (value instanceof Node) { if (slot.firstElementChild?.dataset.since !== value.dataset.since) slot.replaceChildren(value); }
    else if (slot.textContent !== String(value)) slot.textContent = String(value);
  }

  tick() {
    for (const el of this.querySelectorAll(".tick")) el.textContent = formatDuration(since(el.dataset.since));
    // The "Longest wait" card turns red once a caller has waited 30 s.
    const oldest = this.liveCalls().find((c) => c.state === "ringing");
    const longest = this.querySelector('[data-card="longest"]');
    if (longest) longest.dataset.tone = oldest && since(oldest.start_date_time) > 30 ? "alert" : "";
  }

  drawDay() {
    const r = this.report;
    if (!r) return;
    const seconds = (v) => (v === null || v === undefined ? "—" : formatDuration(v));
    const figures = [
      ["Received", r.received], ["Answered", r.answered],
      ["Missed", `${r.missed}`, `${r.abandoned_while_ringing} hung up while ringing · ${r.missed_no_agent_available} with nobody free`],
      ["Called back", r.called_back], ["Average wait", seconds(r.average_wait_seconds)], ["90% answered within", seconds(r.p90_wait_seconds)],
      ["Average handle", seconds(r.average_handle_seconds)],
      ["Service level", r.service_level === null ? "—" : `${Math.round(r.service_level * 100)}%`, `answered within ${r.service_level_seconds} s`],
      ["Jobs booked", r.jobs_booked],
    ];
    this.querySelector("#floor-day-h").textContent = r.from === isoDate(new Date()) ? "Today" : formatDate(r.from);
    this.querySelector(".floor-figures").replaceChildren(...figures.map(([label, value, hint]) => h("div", { class: "floor-figure" },
      h("dt", { text: label }), h("dd", {}, h("strong", { text: String(value) }), hint ? h("span", { class: "muted small", text: hint }) : ""))));
    this.querySelector(".chart-area").replaceChildren(halfHourChart(r.half_hours || []));
    this.querySelector(".floor-outcomes").replaceChildren(...r.outcomes.map((o) => h("li", {}, h("span", { text: humanize(o.outcome) }), h("strong", { text: String(o.calls) }))));
    const rows = r.agents.map((a) => h("tr", {}, h("td", { text: a.name }), h("td", { text: String(a.handled) }), h("td", { text: String(a.callbacks) }),
      h("td", { text: String(a.missed_offers) }), h("td", { text: String(a.declined_offers) }), h("td", { text: seconds(a.average_handle_seconds) }),
      h("td", { text: seconds(a.available_seconds) })));
    this.querySelector(".floor-per-agent tbody").replaceChildren(...(rows.length ? rows : [h("tr", {}, h("td", { class: "empty", colspan: "7", text: "No agent was available or took a call this day." }))]));
  }

  async callAction(e) {
    const button = e.target.closest("button");
    const id = button?.closest("tr")?.dataset.call;
    if (!id) return;
    if (button.classList.contains("release")) {
      await busy(button, async () => {
        try { await api(`/phone-calls/${encodeURIComponent(id)}/release`, { method: "POST" }); toast("The call is back in the queue.", "success"); }
        catch (error) { toast(error.message, "error"); }
      });
    } else if (button.classList.contains("reassign")) this.reassign(id);
  }

  reassign(id) {
    const call = calls.get(id);
    const free = [...calls.agents.values()].filter((a) => a.status === "available" && a.employee_id !== call?.employee_id);
    const select = h("select", { name: "employee_id", id: "reassign-to", required: true },
      free.length ? free.map((a) => h("option", { value: a.employee_id, text: a.name })) : h("option", { value: "", text: "Nobody is available" }));
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const submit = h("button", { type: "submit", class: "button primary", text: "Reassign", disabled: !free.length });
    const form = h("form", { class: "form-grid" },
      h("p", { text: `${formatPhone(call?.phone_number || "")} is with ${call?.employee_name || "nobody"}. They and the new agent see the move at once.` }),
      error, h("div", { class: "field" }, h("label", { for: "reassign-to", text: "Give the call to" }), select),
      h("div", { class: "form-actions" }, h("button", { type: "button", class: "button cancel", text: "Cancel" }), submit));
    const dialog = openDialog({ title: "Reassign the call", body: form });
    form.querySelector(".cancel").addEventListener("click", () => dialog.close("cancel"));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      busy(submit, async () => {
        try {
          await api(`/phone-calls/${encodeURIComponent(id)}/reassign`, { method: "POST", body: { employee_id: select.value } });
          dialog.close("done");
          toast(`The call is now with ${this.agentName(select.value)}.`, "success");
        } catch (err) { error.textContent = err.message; error.hidden = false; }
      });
    });
  }

  async agentAction(e) {
    const button = e.target.closest("button.set-away");
    const id = button?.closest("tr")?.dataset.agent;
    if (!id) return;
    await busy(button, async () => {
      try { await api(`/presence/${encodeURIComponent(id)}`, { method: "PUT", body: { available: false } }); toast(`${this.agentName(id)} gets no more offers until they choose Available.`, "success"); }
      catch (error) { toast(error.message, "error"); }
    });
  }
}

customElements.define("supervisor-page", SupervisorPage);
