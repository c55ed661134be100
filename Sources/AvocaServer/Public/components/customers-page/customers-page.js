// Customers: search-as-you-type list with paging, create/edit, and a customer's page with
// addresses, jobs and calls.
import { html, render, h } from "../../lib/html.js";
import { api, ApiError } from "../../lib/api.js";
import { currentRoute, link, navigate } from "../../lib/router.js";
import { customerName, formatPhone, addressLine, formatDateTime, formatSchedule, humanize, formatDuration } from "../../lib/format.js";
import { openDialog, toast, debounce, confirmAction } from "../../lib/ui.js";
import "../customer-form/customer-form.js";
import "../address-form/address-form.js";
import "../job-form/job-form.js";

/** Housecall Pro's job statuses as a CSR says them. */
export const JOB_STATUS_WORDS = {
  unscheduled: "Not scheduled", scheduled: "Scheduled", in_progress: "In progress", complete_rated: "Done, rated",
  complete_unrated: "Done", user_canceled: "Canceled by the customer", pro_canceled: "Canceled by us",
};

export function statusBadge(status) {
  const kind = { scheduled: "info", in_progress: "warn", complete_rated: "ok", complete_unrated: "ok", user_canceled: "bad", pro_canceled: "bad", unscheduled: "neutral" }[status] || "neutral";
  return h("span", { class: `badge ${kind}`, text: JOB_STATUS_WORDS[status] || humanize(status) });
}

/** Opens the create/edit customer dialog; resolves with the saved customer or null. */
export function customerDialog({ customer, prefill, title } = {}) {
  return new Promise((resolve) => {
    const form = document.createElement("customer-form");
    form.customer = customer;
    form.prefill = prefill;
    let saved = null;
    // A side sheet: the transcript of the call it is for stays in view beside it.
    const dialog = openDialog({ title: title || (customer ? "Edit customer" : "New customer"), body: form, sheet: true, onClose: () => resolve(saved) });
    form.addEventListener("saved", (e) => { saved = e.detail; dialog.close("saved"); });
    form.addEventListener("cancel", () => dialog.close("cancel"));
  });
}

/** Opens the add-address dialog, or with `address` the edit one; resolves with the saved address or null. */
export function addressDialog(customerId, prefill, address = null) {
  return new Promise((resolve) => {
    const form = document.createElement("address-form");
    form.customerId = customerId;
    form.prefill = prefill;
    form.address = address;
    let saved = null;
    const dialog = openDialog({ title: address ? "Edit address" : "Add address", body: form, onClose: () => resolve(saved) });
    form.addEventListener("saved", (e) => { saved = e.detail; dialog.close("saved"); });
    form.addEventListener("cancel", () => dialog.close("cancel"));
  });
}

/**
 * Asks, then removes an address; true when it is gone. One a job uses stays on file (the server
 * refuses, naming the jobs, so their history keeps its place): the refusal is the toast.
 */
export async function removeAddress(customerId, address) {
  if (!(await confirmAction(`Remove ${addressLine(address)}?`, { confirmLabel: "Remove address", danger: true }))) return false;
  try {
    await api(`/customers/${encodeURIComponent(customerId)}/addresses/${encodeURIComponent(address.id)}`, { method: "DELETE" });
    toast("Address removed.", "success");
    return true;
  } catch (error) {
    toast(error.message, "error");
    return false;
  }
}

/** An address as a list row: the line, its type and (when `editable`) Edit / Remove, calling `onChange(addresses)`. */
export function addressItem(customerId, address, { editable, addresses, onChange }) {
  const edit = h("button", { type: "button", class: "button small link edit-address", text: "Edit", "aria-label": `Edit ${addressLine(address)}` });
  const remove = h("button", { type: "button", class: "button small link remove-address", text: "Remove", "aria-label": `Remove ${addressLine(address)}` });
  edit.addEventListener("click", async () => {
    const saved = await addressDialog(customerId, null, address);
    if (!saved) return;
    toast("Address saved.", "success");
    onChange(addresses.map((a) => (a.id === saved.id ? saved : a)));
  });
  remove.addEventListener("click", async () => {
    if (await removeAddress(customerId, address)) onChange(addresses.filter((a) => a.id !== address.id));
  });
  return h("li", { class: "address-item", "data-address-id": address.id },
    h("span", { text: addressLine(address) }), " ", h("span", { class: "badge neutral", text: humanize(address.type || "service") }),
    editable ? h("span", { class: "address-actions" }, edit, remove) : null);
}

export function jobDialog({ customer, job, prefill }) {
  return new Promise((resolve) => {
    const form = document.createElement("job-form");
    form.mode = job ? "reschedule" : "create";
    form.customer = customer;
    form.job = job;
    form.prefill = prefill;
    let saved = null;
    const dialog = openDialog({ title: job ? `Reschedule job #${job.invoice_number}` : `Book a job for ${customerName(customer)}`, body: form, sheet: true, onClose: () => resolve(saved) });
    form.addEventListener("saved", (e) => { saved = e.detail; dialog.close("saved"); });
    form.addEventListener("cancel", () => dialog.close("cancel"));
  });
}

class CustomersPage extends HTMLElement {
  route(r) {
    document.title = "Customers · Avoca";
    if (r.rest[0]) this.showDetail(r.rest[0]);
    else this.showList();
  }

  focusSearch() {
    const input = this.querySelector("input[type=search]");
    if (input) { input.focus(); input.select(); return true; }
    return false;
  }

  // ---- list ----
  showList() {
    this.listState ??= { q: "", page: 1, pageSize: 25 };
    render(this, html`
      <div class="page">
        <div class="page-header">
          <h1>Customers</h1>
          <button type="button" class="button primary new-customer">New customer</button>
        </div>
        <div class="card">
          <div class="card-header list-tools">
            <div class="field search-field grow">
              <label for="cust-search" class="visually-hidden">Search customers</label>
              <input id="cust-search" type="search" placeholder="Search by name, phone, e-mail, company or address   ( / )" autocomplete="off" value="${this.listState.q}">
            </div>
            <span class="list-status muted small" role="status" aria-live="polite"></span>
          </div>
          <div class="table-wrap">
            <table class="table customers-table">
              <thead><tr><th scope="col">Name</th><th scope="col">Phone</th><th scope="col">E-mail</th><th scope="col">Address</th><th scope="col">Added</th></tr></thead>
              <tbody></tbody>
            </table>
          </div>
          <div class="pager">
            <span class="pager-info muted small"></span>
            <div class="row">
              <label class="small muted" for="cust-size">Rows</label>
              <select id="cust-size" class="page-size">${[10, 25, 50, 100].map((n) => html`<option value="${n}" ${n === this.listState.pageSize ? "selected" : ""}>${n}</option>`)}</select>
              <button type="button" class="button small prev">‹ Previous</button>
              <button type="button" class="button small next">Next ›</button>
            </div>
          </div>
        </div>
      </div>`);
    const search = this.querySelector("#cust-search");
    const run = debounce(() => { this.listState.page = 1; this.loadList(); }, 250);
    search.addEventListener("input", () => { this.listState.q = search.value.trim(); run(); });
    this.querySelector(".page-size").addEventListener("change", (e) => { this.listState.pageSize = Number(e.target.value); this.listState.page = 1; this.loadList(); });
    this.querySelector(".prev").addEventListener("click", () => { this.listState.page -= 1; this.loadList(); });
    this.querySelector(".next").addEventListener("click", () => { this.listState.page += 1; this.loadList(); });
    this.querySelector(".new-customer").addEventListener("click", async () => {
      const created = await customerDialog();
      if (!created) return;
      toast(`${customerName(created)} was added.`, "success");
      // Unless the agent answered a call over the dialog meanwhile: the desk keeps them.
      if (currentRoute().name === "customers") navigate(link(["customers", created.id]));
    });
    this.loadList();
  }

  async loadList() {
    this.listAbort?.abort();
    const controller = new AbortController();
    this.listAbort = controller;
    const { q, page, pageSize } = this.listState;
    const status = this.querySelector(".list-status");
    status.textContent = "Searching…";
    let data;
    try {
      data = await api("/customers", { query: { q, page, page_size: pageSize }, signal: controller.signal });
    } catch (error) {
      if (error.name === "AbortError") return;
      status.textContent = error.message;
      return;
    }
    if (controller !== this.listAbort) return;
    const tbody = this.querySelector("tbody");
    // A broad search stops counting at 1,000 (total_items_capped): say so rather than pretend.
    const total = data.total_items.toLocaleString() + (data.total_items_capped ? "+" : "");
    status.textContent = q
      ? (data.total_items_capped ? `${total} matches — type more to narrow` : `${total} match${data.total_items === 1 ? "" : "es"}`)
      : `${total} customer${data.total_items === 1 ? "" : "s"}`;
    if (!data.customers.length) {
      tbody.replaceChildren(h("tr", {}, h("td", { colspan: 5, class: "empty" }, q ? `No customer matches “${q}”.` : "No customers yet. Create the first one.")));
    } else {
      tbody.replaceChildren(...data.customers.map((c) => {
        const row = h("tr", { class: "clickable" },
          h("td", {}, h("a", { href: link(["customers", c.id]), text: customerName(c) }), c.company && (c.first_name || c.last_name) ? h("div", { class: "muted small", text: c.company }) : null),
          h("td", { class: "nowrap", text: formatPhone(c.mobile_number || c.home_number || c.work_number) }),
          h("td", { text: c.email || "" }),
          h("td", { text: c.addresses?.length ? addressLine(c.addresses[0]) + (c.addresses.length > 1 ? ` (+${c.addresses.length - 1})` : "") : "" }),
          h("td", { class: "nowrap muted", text: formatDateTime(c.created_at) }));
        row.addEventListener("click", (e) => { if (!e.target.closest("a")) navigate(link(["customers", c.id])); });
        return row;
      }));
    }
    const first = data.total_items ? (data.page - 1) * data.page_size + 1 : 0;
    const last = Math.min(data.total_items, data.page * data.page_size);
    const pages = `${Math.max(1, data.total_pages).toLocaleString()}${data.total_items_capped ? "+" : ""}`;
    this.querySelector(".pager-info").textContent = `${first}–${last} of ${total} · page ${data.page} of ${pages}`;
    this.querySelector(".prev").disabled = data.page <= 1;
    this.querySelector(".next").disabled = data.customers.length < data.page_size || (!data.total_items_capped && data.page >= data.total_pages);
  }

  // ---- detail ----
  async showDetail(id) {
    this.listAbort?.abort();
    render(this, html`<div class="page"><p class="muted"><span class="spinner" aria-hidden="true"></span> Loading customer…</p></div>`);
    let customer;
    try { customer = await api(`/customers/${encodeURIComponent(id)}`); }
    catch (error) {
      render(this, html`<div class="page"><div class="form-error" role="alert">${error.status === 404 ? "This customer does not exist." : error.message}</div><p><a href="#/customers">Back to customers</a></p></div>`);
      return;
    }
    this.customer = customer;
    document.title = `${customerName(customer)} · Avoca`;
    render(this, html`
      <div class="page customer-detail">
        <nav class="breadcrumb small" aria-label="Breadcrumb"><a href="#/customers">Customers</a> › <span aria-current="page">${customerName(customer)}</span></nav>
        <div class="page-header">
          <h1>${customerName(customer)}</h1>
          <div class="row">
            <button type="button" class="button edit">Edit customer</button>
            <button type="button" class="button primary book">Book job</button>
          </div>
        </div>
        <div class="detail-grid">
          <section class="card" aria-labelledby="cd-contact"><div class="card-header"><h2 id="cd-contact">Contact</h2></div><div class="card-body"><dl class="facts"></dl></div></section>
          <section class="card" aria-labelledby="cd-addr"><div class="card-header"><h2 id="cd-addr">Addresses</h2><button type="button" class="button small add-address">Add address</button></div><ul class="plain-list addresses"></ul></section>
          <section class="card span-2" aria-labelledby="cd-jobs"><div class="card-header"><h2 id="cd-jobs">Jobs</h2><a class="button small" href="${link(["jobs"], { customer_id: customer.id })}">Open in Jobs</a></div><div class="jobs-slot"><p class="empty">Loading…</p></div></section>
          <section class="card span-2" aria-labelledby="cd-calls"><div class="card-header"><h2 id="cd-calls">Calls</h2></div><div class="calls-slot"><p class="empty">Loading…</p></div></section>
        </div>
      </div>`);
    this.fillFacts();
    this.fillAddresses();
    this.querySelector(".edit").addEventListener("click", async () => {
      const saved = await customerDialog({ customer: this.customer });
      if (saved) { toast("Customer saved.", "success"); this.showDetail(saved.id); }
    });
    this.querySelector(".add-address").addEventListener("click", async () => {
      const address = await addressDialog(this.customer.id);
      if (address) { this.customer.addresses = [...(this.customer.addresses || []), address]; this.fillAddresses(); toast("Address added.", "success"); }
    });
    this.querySelector(".book").addEventListener("click", async () => {
      if (!this.customer.addresses?.length) { toast("Add an address first — a job needs one.", "info"); this.querySelector(".add-address").click(); return; }
      const job = await jobDialog({ customer: this.customer });
      if (job) { toast(`Job #${job.invoice_number} booked.`, "success"); this.loadJobs(); }
    });
    this.loadJobs();
    this.loadCalls();
  }

  fillFacts() {
    const c = this.customer;
    const facts = [
      ["E-mail", c.email], ["Mobile", formatPhone(c.mobile_number)], ["Home", formatPhone(c.home_number)], ["Work", formatPhone(c.work_number)],
      ["Company", c.company], ["Tags", (c.tags || []).join(", ")], ["Lead source", c.lead_source], ["Notifications", c.notifications_enabled ? "On" : "Off"],
      ["Notes", c.notes], ["Customer since", formatDateTime(c.created_at)],
    ].filter(([, v]) => v);
    this.querySelector(".facts").replaceChildren(...facts.flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]));
  }

  fillAddresses() {
    const list = this.querySelector(".addresses");
    const addresses = this.customer.addresses || [];
    if (!addresses.length) { list.replaceChildren(h("li", { class: "empty", text: "No address yet." })); return; }
    const onChange = (next) => { this.customer.addresses = next; this.fillAddresses(); };
    list.replaceChildren(...addresses.map((a) => addressItem(this.customer.id, a, { editable: true, addresses, onChange })));
  }

  async loadJobs() {
    const slot = this.querySelector(".jobs-slot");
    try {
      const data = await api("/jobs", { query: { customer_id: this.customer.id, page_size: 50, sort_by: "scheduled_start" } });
      if (!data.jobs.length) { slot.replaceChildren(h("p", { class: "empty", text: "No jobs yet." })); return; }
      slot.replaceChildren(h("div", { class: "table-wrap" }, h("table", { class: "table" },
        h("thead", {}, h("tr", {}, ["Job", "When", "Address", "Status"].map((t) => h("th", { scope: "col", text: t })))),
        h("tbody", {}, data.jobs.map((j) => h("tr", {},
          h("td", {}, h("a", { href: link(["jobs"], { job: j.id }), text: `#${j.invoice_number}` }), j.description ? h("div", { class: "muted small", text: j.description }) : null),
          h("td", { text: formatSchedule(j.schedule) }),
          h("td", { text: addressLine(j.address) }),
          h("td", {}, statusBadge(j.work_status))))))));
    } catch (error) { slot.replaceChildren(h("p", { class: "empty", text: error.message })); }
  }

  async loadCalls() {
    const slot = this.querySelector(".calls-slot");
    try {
      const data = await api("/phone-calls", { query: { customer_id: this.customer.id, page_size: 20 } });
      if (!data.phone_calls.length) { slot.replaceChildren(h("p", { class: "empty", text: "No calls linked to this customer yet." })); return; }
      slot.replaceChildren(h("ul", { class: "plain-list" }, data.phone_calls.map((call) => {
        const seconds = call.end_date_time ? (new Date(call.end_date_time) - new Date(call.start_date_time)) / 1000 : null;
        return h("li", {},
          h("a", { href: link(["desk", call.phone_call_id]), text: formatDateTime(call.start_date_time) }),
          ` · ${formatPhone(call.phone_number)} · ${humanize(call.state)}`,
          seconds !== null ? ` · ${formatDuration(seconds)}` : "",
          call.outcome ? ` · ${humanize(call.outcome)}` : "");
      })));
    } catch (error) {
      slot.replaceChildren(h("p", { class: "empty", text: error instanceof ApiError && error.status === 404 ? "Call history is not available on this server yet." : error.message }));
    }
  }
}

customElements.define("customers-page", CustomersPage);
