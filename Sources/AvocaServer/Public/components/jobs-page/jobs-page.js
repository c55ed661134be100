// Jobs: filters (date range, status, customer), list with paging, and per job: reschedule (with
// the overlap rule), cancel, notes.
import { html, render, h } from "../../lib/html.js";
import { api } from "../../lib/api.js";
import { link, navigate } from "../../lib/router.js";
import { customerName, addressLine, formatSchedule, formatDateTime, isoDate } from "../../lib/format.js";
import { openDialog, toast, debounce, confirmAction, showErrors, busy } from "../../lib/ui.js";
import { statusBadge, jobDialog } from "../customers-page/customers-page.js";

const STATUS_FILTERS = [["", "Any status"], ["unscheduled", "Not scheduled"], ["scheduled", "Scheduled"], ["in_progress", "In progress"], ["completed", "Done"], ["canceled", "Canceled"]];
const CANCELED = new Set(["user_canceled", "pro_canceled"]);

class JobsPage extends HTMLElement {
  route(r) {
    document.title = "Jobs · Avoca";
    if (!this.built) this.build();
    const customerId = r.params.get("customer_id");
    if (customerId && customerId !== this.filters.customer_id) {
      // One customer's jobs: their whole history, not only what is coming.
      this.filters.from = "";
      this.querySelector("#jf-from").value = "";
      this.setCustomer(customerId);
    }
    else if (!this.loadedOnce) this.load();
    const jobId = r.params.get("job");
    if (jobId) this.openJob(jobId);
  }

  focusSearch() { this.querySelector(".customer-search")?.focus(); return true; }

  build() {
    this.built = true;
    // A CSR opens Jobs to see what is coming: from today on, soonest first. Clear shows every job.
    this.filters = { from: isoDate(new Date()), to: "", status: "", customer_id: "", customer_label: "" };
    this.page = 1;
    render(this, html`
      <div class="page">
        <div class="page-header"><h1>Jobs</h1></div>
        <div class="card">
          <form class="card-header job-filters" role="search" aria-label="Filter jobs">
            <div class="field"><label for="jf-from">Scheduled from</label><input id="jf-from" type="date" name="from"></div>
            <div class="field"><label for="jf-to">to</label><input id="jf-to" type="date" name="to"></div>
            <div class="field"><label for="jf-status">Status</label>
              <select id="jf-status" name="status">${STATUS_FILTERS.map(([v, t]) => html`<option value="${v}">${t}</option>`)}</select></div>
            <div class="field customer-filter"><label for="jf-customer">Customer</label>
              <div class="picker">
                <input id="jf-customer" class="customer-search" type="search" autocomplete="off" placeholder="Any customer" role="combobox" aria-expanded="false" aria-controls="jf-customer-list" aria-autocomplete="list">
                <ul id="jf-customer-list" class="picker-list card" role="listbox" hidden></ul>
              </div></div>
            <button type="button" class="button clear-filters">Clear</button>
          </form>
          <div class="table-wrap">
            <table class="table jobs-table">
              <thead><tr><th scope="col">Job</th><th scope="col">Customer</th><th scope="col">When</th><th scope="col">Address</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
              <tbody></tbody>
            </table>
          </div>
          <div class="pager"><span class="pager-info muted small" role="status"></span>
            <div class="row"><button type="button" class="button small prev">‹ Previous</button><button type="button" class="button small next">Next ›</button></div></div>
        </div>
      </div>`);
    const form = this.querySelector(".job-filters");
    form.elements.namedItem("from").value = this.filters.from;
    form.addEventListener("submit", (e) => e.preventDefault());
    form.addEventListener("change", (e) => {
      if (e.target.name === "from" || e.target.name === "to" || e.target.name === "status") {
        this.filters[e.target.name] = e.target.value;
        this.page = 1;
        this.load();
      }
    });
    this.querySelector(".clear-filters").addEventListener("click", () => {
      form.reset();
      this.filters = { from: "", to: "", status: "", customer_id: "", customer_label: "" };
      this.page = 1;
      if (location.hash.includes("customer_id")) navigate("#/jobs", { replace: true });
      this.load();
    });
    this.querySelector(".prev").addEventListener("click", () => { this.page -= 1; this.load(); });
    this.querySelector(".next").addEventListener("click", () => { this.page += 1; this.load(); });
    this.wirePicker();
  }

  wirePicker() {
    const input = this.querySelector(".customer-search");
    const list = this.querySelector(".picker-list");
    let controller;
    const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); };
    const choose = (c) => {
      this.filters.customer_id = c ? c.id : "";
      this.filters.customer_label = c ? customerName(c) : "";
      input.value = this.filters.customer_label;
      close();
      this.page = 1;
      this.load();
    };
    const search = debounce(async () => {
      const q = input.value.trim();
      controller?.abort();
      if (!q) { close(); if (this.filters.customer_id) choose(null); return; }
      controller = new AbortController();
      try {
        const data = await api("/customers", { query: { q, page_size: 8 }, signal: controller.signal });
        list.replaceChildren(...(data.customers.length ? data.customers.map((c, i) => {
          const li = h("li", { role: "option", id: `jf-opt-${i}`, tabindex: "-1", class: "picker-option" }, h("strong", { text: customerName(c) }), " ", h("span", { class: "muted small", text: c.email || "" }));
          li.addEventListener("mousedown", (e) => { e.preventDefault(); choose(c); });
          li.addEventListener("keydown", (e) => { if (e.key === "Enter") choose(c); });
          li.customer = c;
          return li;
        }) : [h("li", { class: "muted small picker-empty", text: "No match" })]));
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } catch (error) { if (error.name !== "AbortError") toast(error.message, "error"); }
    }, 250);
    input.addEventListener("input", search);
    input.addEventListener("keydown", (e) => {
      const options = [...list.querySelectorAll(".picker-option")];
      if (e.key === "ArrowDown" && options.length) { e.preventDefault(); options[0].focus(); }
      if (e.key === "Enter" && options.length) { e.preventDefault(); choose(options[0].customer); }
      if (e.key === "Escape") close();
    });
    list.addEventListener("keydown", (e) => {
      const options = [...list.querySelectorAll(".picker-option")];
      const i = options.indexOf(document.activeElement);
      if (e.key === "ArrowDown") { e.preventDefault(); options[Math.min(options.length - 1, i + 1)]?.focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (i <= 0 ? input : options[i - 1]).focus(); }
      if (e.key === "Escape") { close(); input.focus(); }
    });
    input.addEventListener("blur", () => setTimeout(() => { if (!list.contains(document.activeElement)) close(); }, 100));
  }

  async setCustomer(id) {
    this.filters.customer_id = id;
    try {
      const c = await api(`/customers/${encodeURIComponent(id)}`);
      this.filters.customer_label = customerName(c);
      this.querySelector(".customer-search").value = this.filters.customer_label;
    } catch { /* the filter still applies */ }
    this.page = 1;
    this.load();
  }

  async load() {
    this.loadedOnce = true;
    this.abort?.abort();
    const controller = new AbortController();
    this.abort = controller;
    const f = this.filters;
    const tbody = this.querySelector("tbody");
    const info = this.querySelector(".pager-info");
    info.textContent = "Loading…";
    let data;
    try {
      data = await api("/jobs", {
        signal: controller.signal,
        query: { scheduled_start_min: f.from, scheduled_start_max: f.to, work_status: f.status ? [f.status] : undefined, customer_id: f.customer_id, page: this.page, page_size: 25, sort_by: "scheduled_start", sort_direction: f.from && !f.to ? "asc" : "desc" },
      });
    } catch (error) {
      if (error.name === "AbortError") return;
      info.textContent = error.message;
      return;
    }
    if (!data.jobs.length) tbody.replaceChildren(h("tr", {}, h("td", { colspan: 6, class: "empty", text: "No jobs match these filters." })));
    else tbody.replaceChildren(...data.jobs.map((job) => this.row(job)));
    info.textContent = `${data.total_items} job${data.total_items === 1 ? "" : "s"} · page ${data.page} of ${Math.max(1, data.total_pages)}`;
    this.querySelector(".prev").disabled = data.page <= 1;
    this.querySelector(".next").disabled = data.page >= data.total_pages;
  }

  row(job) {
    const canceled = CANCELED.has(job.work_status);
    const open = h("button", { type: "button", class: "button link job-open", text: `#${job.invoice_number}` });
    open.addEventListener("click", () => this.openJob(job.id, job));
    const actions = h("td", { class: "actions" });
    if (!canceled) {
      const reschedule = h("button", { type: "button", class: "button small", text: "Reschedule" });
      reschedule.addEventListener("click", () => this.reschedule(job));
      const cancel = h("button", { type: "button", class: "button small danger", text: "Cancel" });
      cancel.addEventListener("click", () => this.cancel(job));
      actions.append(reschedule, " ", cancel);
    }
    const notes = h("button", { type: "button", class: "button small", text: `Notes (${job.notes?.length || 0})` });
    notes.addEventListener("click", () => this.openJob(job.id, job));
    actions.prepend(notes, " ");
    return h("tr", {},
      h("td", {}, open, job.description ? h("div", { class: "muted small", text: job.description }) : null),
      h("td", {}, job.customer ? h("a", { href: link(["customers", job.customer.id]), text: customerName(job.customer) }) : ""),
      h("td", { text: formatSchedule(job.schedule) }),
      h("td", { text: addressLine(job.address) }),
      h("td", {}, statusBadge(job.work_status)),
      actions);
  }

  async reschedule(job) {
    const saved = await jobDialog({ job });
    if (saved) { toast(`Job #${saved.invoice_number} moved to ${formatSchedule(saved.schedule)}.`, "success"); this.load(); }
    return saved;
  }

  async cancel(job) {
    const who = h("select", { id: "cancel-who" }, h("option", { value: "pro", text: "We canceled it" }), h("option", { value: "user", text: "The customer canceled it" }));
    const yes = h("button", { type: "button", class: "button danger", text: "Cancel job" });
    const no = h("button", { type: "button", class: "button", text: "Keep job" });
    const body = h("div", { class: "form-grid" },
      h("p", { text: `Cancel job #${job.invoice_number} (${formatSchedule(job.schedule)})? A canceled job frees its time slot.` }),
      h("div", { class: "field" }, h("label", { for: "cancel-who", text: "Who canceled?" }), who),
      h("div", { class: "form-actions" }, no, yes));
    const dialog = openDialog({ title: "Cancel job", body });
    no.addEventListener("click", () => dialog.close("no"));
    yes.addEventListener("click", async () => {
      await busy(yes, async () => {
        try {
          await api(`/jobs/${encodeURIComponent(job.id)}/cancel`, { method: "POST", body: { canceled_by: who.value } });
          dialog.close("yes");
          toast(`Job #${job.invoice_number} canceled.`, "success");
          this.load();
        } catch (error) { showErrors(body, error); }
      });
    });
  }

  async openJob(id, known) {
    let job = known;
    try { job = await api(`/jobs/${encodeURIComponent(id)}`); } catch (error) { if (!job) { toast(error.message, "error"); return; } }
    const body = h("div", { class: "job-detail stack" });
    const dialog = openDialog({ title: `Job #${job.invoice_number}`, body, wide: true, onClose: () => { if (location.hash.includes("job=")) history.replaceState(null, "", location.hash.replace(/([?&])job=[^&]*&?/, "$1").replace(/[?&]$/, "")); } });
    const draw = () => {
      const canceled = CANCELED.has(job.work_status);
      const facts = h("dl", { class: "facts" },
        h("dt", { text: "Customer" }), h("dd", {}, job.customer ? h("a", { href: link(["customers", job.customer.id]), text: customerName(job.customer) }) : ""),
        h("dt", { text: "When" }), h("dd", { text: formatSchedule(job.schedule) + (job.schedule?.arrival_window ? ` (arrival window ${job.schedule.arrival_window} min)` : "") }),
        h("dt", { text: "Address" }), h("dd", { text: addressLine(job.address) }),
        h("dt", { text: "Status" }), h("dd", {}, statusBadge(job.work_status)),
        job.description ? [h("dt", { text: "Job" }), h("dd", { text: job.description })] : null,
        h("dt", { text: "Assigned" }), h("dd", { text: (job.assigned_employees || []).map((e) => `${e.first_name} ${e.last_name}`).join(", ") || "Nobody yet" }),
        h("dt", { text: "Created" }), h("dd", { text: formatDateTime(job.created_at) }));
      const notes = h("ul", { class: "notes-list" }, (job.notes || []).length ? job.notes.map((n) => {
        const del = h("button", { type: "button", class: "button small link", "aria-label": `Delete note: ${n.content.slice(0, 40)}`, text: "Delete" });
        del.addEventListener("click", async () => {
          if (!(await confirmAction("Delete this note?", { confirmLabel: "Delete", danger: true }))) return;
          try {
            await api(`/jobs/${encodeURIComponent(job.id)}/notes/${encodeURIComponent(n.id)}`, { method: "DELETE" });
            job.notes = job.notes.filter((x) => x.id !== n.id);
            draw();
            this.load();
          } catch (error) { toast(error.message, "error"); }
        });
        return h("li", {}, h("div", { class: "note-text", text: n.content }), h("div", { class: "row spread small muted" }, h("span", { text: formatDateTime(n.created_at) }), del));
      }) : [h("li", { class: "muted", text: "No notes yet." })]);
      const noteForm = h("form", { class: "form-grid note-form" },
        h("div", { class: "field" }, h("label", { for: "new-note", text: "Add a note" }), h("textarea", { id: "new-note", name: "content", required: true })),
        h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button primary", text: "Add note" })));
      noteForm.addEventListener("submit", async (e) => {
        e.preventDefault();
        const content = noteForm.content.value.trim();
        if (!content) { showErrors(noteForm, { message: "Write the note first.", fields: { content: "Required." } }); return; }
        await busy(noteForm.querySelector("[type=submit]"), async () => {
          try {
            const note = await api(`/jobs/${encodeURIComponent(job.id)}/notes`, { method: "POST", body: { content } });
            job.notes = [...(job.notes || []), note];
            draw();
            body.querySelector("#new-note")?.focus();
            this.load();
          } catch (error) { showErrors(noteForm, error); }
        });
      });
      const actions = h("div", { class: "row" });
      if (!canceled) {
        const re = h("button", { type: "button", class: "button", text: "Reschedule" });
        re.addEventListener("click", async () => { dialog.close(); const saved = await this.reschedule(job); if (saved) this.openJob(saved.id, saved); });
        const ca = h("button", { type: "button", class: "button danger", text: "Cancel job" });
        ca.addEventListener("click", () => { dialog.close(); this.cancel(job); });
        actions.append(re, ca);
      }
      body.replaceChildren(facts, actions, h("h3", { text: "Notes" }), notes, noteForm);
    };
    draw();
  }
}

customElements.define("jobs-page", JobsPage);
