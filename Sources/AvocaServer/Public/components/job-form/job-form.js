// Book a job (mode "create": `customer`, optional `prefill`) or reschedule one (mode
// "reschedule": `job`). A 409 job_overlap keeps the form and shows the conflicting job(s).
// Fires `saved` (detail: Job) and `cancel`.
import { html, render, h } from "../../lib/html.js";
import { api, ApiError } from "../../lib/api.js";
import { session } from "../../lib/session.js";
import { addressLine, formatSchedule, humanize, isoDate, timeZoneLabel, zonedISO, zonedTime } from "../../lib/format.js";
import { showErrors, clearErrors, busy, formValues } from "../../lib/ui.js";

let counter = 0;
const SLOTS = [["08:00", "10:00"], ["10:00", "12:00"], ["12:00", "14:00"], ["14:00", "16:00"], ["16:00", "18:00"]];

function slotLabel([start, end]) {
  const fmt = (t) => new Date(`2000-01-01T${t}:00`).toLocaleTimeString(undefined, { hour: "numeric" });
  return `${fmt(start)}–${fmt(end)}`;
}

/** Splits an existing schedule (or an ISO requested time) into the form's inputs. */
function scheduleDefaults(schedule, requested) {
  const tomorrow = new Date(Date.now() + 86400000);
  const d = { kind: "slot", date: isoDate(tomorrow), start: "08:00", end: "10:00", startDate: isoDate(tomorrow), endDate: isoDate(tomorrow), arrival: 60 };
  const from = (value) => {
    if (!value) return null;
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return { date: value };
    const t = new Date(value);
    if (Number.isNaN(t.getTime())) return null;
    return { date: isoDate(t), time: zonedTime(t) };
  };
  if (schedule && schedule.scheduled_start) {
    const s = from(schedule.scheduled_start);
    const e = from(schedule.scheduled_end);
    if (s && !s.time) Object.assign(d, { kind: "days", startDate: s.date, endDate: e?.date || s.date, date: s.date });
    else if (s) Object.assign(d, { date: s.date, start: s.time, end: e?.time || s.time });
    if (typeof schedule.arrival_window === "number") d.arrival = schedule.arrival_window;
  } else if (requested) {
    const s = from(requested);
    if (s) {
      d.date = s.date; d.startDate = s.date; d.endDate = s.date;
      if (s.time && s.time !== "00:00") {
        d.start = s.time;
        const [hh, mm] = s.time.split(":").map(Number);
        d.end = `${String(Math.min(23, hh + 2)).padStart(2, "0")}:${String(mm).padStart(2, "0")}`;
      }
    }
  }
  return d;
}

class JobForm extends HTMLElement {
  connectedCallback() {
    if (this.built) return;
    this.built = true;
    const reschedule = this.mode === "reschedule";
    const id = `jf${++counter}`;
    const prefill = this.prefill || {};
    const d = scheduleDefaults(reschedule ? this.job.schedule : null, prefill.requested_time);
    const addresses = (this.customer?.addresses || []);
    const arrivalOptions = [0, 30, 60, 120, 180, 240];
    if (!arrivalOptions.includes(d.arrival)) arrivalOptions.push(d.arrival);
    render(this, html`
      <form class="form-grid job-form" novalidate>
        <div class="form-error" role="alert" tabindex="-1" hidden></div>
        <div class="conflict-slot"></div>
        ${reschedule ? "" : html`
          <div class="field"><label for="${id}-address">Service address</label>
            <select id="${id}-address" name="address_id" required>
              ${addresses.length ? "" : html`<option value="">No address yet — add one first</option>`}
              ${addresses.map((a) => html`<option value="${a.id}" ${prefill.address_id === a.id ? "selected" : ""}>${addressLine(a)}</option>`)}
            </select></div>
          <div class="field"><label for="${id}-desc">What is the job?</label>
            <input id="${id}-desc" name="description" value="${prefill.description || ""}" placeholder="e.g. Water heater leaking"></div>`}
        <fieldset class="schedule-kind"><legend>When <span class="muted small">· times in ${timeZoneLabel()}</span></legend>
          <div class="row kind-switch">
            <label class="checkline"><input type="radio" name="kind" value="slot" ${d.kind === "slot" ? "checked" : ""}> Time slot</label>
            <label class="checkline"><input type="radio" name="kind" value="days" ${d.kind === "days" ? "checked" : ""}> Whole day(s)</label>
          </div>
          <div class="slot-fields form-grid">
            <div class="field-row">
              <div class="field"><label for="${id}-date">Date</label><input id="${id}-date" type="date" name="date" value="${d.date}"></div>
              <div class="field"><label for="${id}-start">From</label><input id="${id}-start" type="time" name="start" step="900" value="${d.start}"></div>
              <div class="field"><label for="${id}-end">To</label><input id="${id}-end" type="time" name="end" step="900" value="${d.end}"></div>
            </div>
            <div class="slot-chips" role="group" aria-label="Common time slots">
              ${SLOTS.map((s) => html`<button type="button" class="chip-button" data-start="${s[0]}" data-end="${s[1]}" aria-pressed="${String(s[0] === d.start && s[1] === d.end)}">${slotLabel(s)}</button>`)}
            </div>
          </div>
          <div class="days-fields field-row">
            <div class="field"><label for="${id}-sd">First day</label><input id="${id}-sd" type="date" name="start_date" value="${d.startDate}"></div>
            <div class="field"><label for="${id}-ed">Last day</label><input id="${id}-ed" type="date" name="end_date" value="${d.endDate}"></div>
          </div>
        </fieldset>
        <div class="field"><label for="${id}-arrival">Arrival window</label>
          <select id="${id}-arrival" name="arrival">
            ${arrivalOptions.map((m) => html`<option value="${m}" ${m === d.arrival ? "selected" : ""}>${m === 0 ? "Exact time" : m < 60 ? `${m} minutes` : `${m / 60} hour${m === 60 ? "" : "s"}`}</option>`)}
          </select></div>
        ${reschedule ? "" : html`<div class="field"><label for="${id}-notes">Notes for the technician</label>
          <textarea id="${id}-notes" name="notes" placeholder="Gate code, pets, what the caller described…">${prefill.notes || ""}</textarea></div>`}
        <div class="form-actions">
          <button type="button" class="button cancel">Cancel</button>
          <button type="submit" class="button primary">${reschedule ? "Reschedule" : "Book job"}</button>
        </div>
      </form>`);
    const form = this.querySelector("form");
    const syncKind = () => {
      const days = form.kind.value === "days";
      form.querySelector(".slot-fields").hidden = days;
      form.querySelector(".days-fields").hidden = !days;
    };
    form.addEventListener("change", (e) => { if (e.target.name === "kind") syncKind(); });
    syncKind();
    form.querySelectorAll(".chip-button").forEach((b) => b.addEventListener("click", () => {
      form.start.value = b.dataset.start;
      form.end.value = b.dataset.end;
      form.querySelectorAll(".chip-button").forEach((x) => x.setAttribute("aria-pressed", String(x === b)));
    }));
    // A slot typed by hand lights up its chip (or none).
    form.addEventListener("input", (e) => {
      if (e.target.name !== "start" && e.target.name !== "end") return;
      form.querySelectorAll(".chip-button").forEach((x) => x.setAttribute("aria-pressed", String(x.dataset.start === form.start.value && x.dataset.end === form.end.value)));
    });
    this.querySelector(".cancel").addEventListener("click", () => this.dispatchEvent(new CustomEvent("cancel")));
    form.addEventListener("submit", (e) => { e.preventDefault(); this.submit(form); });
  }

  readSchedule(form) {
    const v = formValues(form);
    const problems = {};
    let start;
    let end;
    if (v.kind === "days") {
      if (!v.start_date) problems.start_date = "Choose the first day.";
      if (!v.end_date) problems.end_date = "Choose the last day.";
      if (v.start_date && v.end_date && v.end_date < v.start_date) problems.end_date = "The last day cannot be before the first.";
      start = v.start_date; end = v.end_date;
    } else {
      if (!v.date) problems.date = "Choose a date.";
      if (!v.start) problems.start = "Choose a start time.";
      if (!v.end) problems.end = "Choose an end time.";
      if (v.start && v.end && v.end <= v.start) problems.end = "The end must be after the start.";
      if (v.date && v.start && v.end) { start = zonedISO(v.date, v.start); end = zonedISO(v.date, v.end); }
    }
    return { start, end, arrival: Number(v.arrival || 0), problems, values: v };
  }

  async submit(form) {
    clearErrors(form);
    const slot = form.querySelector(".conflict-slot");
    slot.replaceChildren();
    const { start, end, arrival, problems, values } = this.readSchedule(form);
    const reschedule = this.mode === "reschedule";
    if (!reschedule && !values.address_id) problems.address_id = "Choose or add a service address.";
    if (Object.keys(problems).length) { showErrors(form, { message: "Please check the highlighted fields.", fields: problems }); return; }
    await busy(form.querySelector("[type=submit]"), async () => {
      try {
        let job;
        if (reschedule) {
          job = await api(`/jobs/${encodeURIComponent(this.job.id)}/schedule`, { method: "PUT", body: { start_time: start, end_time: end, arrival_window_in_minutes: arrival } });
        } else {
          const body = {
            customer_id: this.customer.id, address_id: values.address_id,
            schedule: { scheduled_start: start, scheduled_end: end, arrival_window: arrival },
            assigned_employee_ids: session.me ? [session.me.employee_id] : [],
            lead_source: this.prefill?.lead_source || undefined,
          };
          if (values.description) body.description = values.description;
          if (values.notes) body.notes = values.notes;
          job = await api("/jobs", { method: "POST", body });
        }
        this.dispatchEvent(new CustomEvent("saved", { detail: job }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) {
          await this.showConflict(slot, error);
          return;
        }
        const f = {};
        for (const [k, v] of Object.entries(error.fields || {})) {
          f[{ start_time: "start", end_time: "end", scheduled_start: "date", "schedule.scheduled_start": "date", "schedule.scheduled_end": "end" }[k] || k] = v;
        }
        error.fields = f;
        showErrors(form, error);
      }
    });
  }

  async showConflict(slot, error) {
    const ids = error.conflictingJobIds || [];
    const list = h("ul");
    const box = h("div", { class: "conflict", role: "alert", tabindex: "-1" },
      h("h4", { text: "This overlaps another job for the customer" }),
      h("p", { class: "small", text: `${error.message} Pick another time, or cancel or move the other job first.` }),
      list);
    slot.replaceChildren(box);
    box.focus();
    for (const id of ids) {
      const item = h("li", { text: "Loading…" });
      list.append(item);
      try {
        const job = await api(`/jobs/${encodeURIComponent(id)}`);
        item.replaceChildren(
          h("strong", { text: `Job #${job.invoice_number}` }), " — ", formatSchedule(job.schedule),
          job.address ? ` — ${addressLine(job.address)}` : "", ` (${humanize(job.work_status)})`, " ",
          h("a", { href: `#/jobs?job=${encodeURIComponent(job.id)}`, text: "Open" }));
      } catch {
        item.textContent = `Job ${id}`;
      }
    }
  }
}

customElements.define("job-form", JobForm);
