// The right-hand panel of the desk: who is calling (screen-pop matches, search, one-click link,
// inline "new customer"), their addresses, recent jobs, and booking a job linked to the call.
// It redraws on every insight frame of the call (several a second while the caller speaks), so
// it updates in place: a part is rebuilt only when what it shows changed, and the search field is
// never rebuilt while its call is shown — the agent typing in it keeps focus, caret and text.
import { h, reconcile } from "../../lib/html.js";
import { api, ApiError } from "../../lib/api.js";
import { session } from "../../lib/session.js";
import { calls } from "../../lib/calls.js";
import { customerName, formatPhone, addressLine, formatSchedule, parseAddress, splitName } from "../../lib/format.js";
import { toast, debounce, confirmOnOthersCall } from "../../lib/ui.js";
import { customerDialog, addressDialog, addressItem, jobDialog, statusBadge } from "../customers-page/customers-page.js";

/** The jobs booked on a call, oldest first (`job_id` alone from a server that lists no `job_ids`). */
function bookedJobIds(call) {
  if (Array.isArray(call?.job_ids)) return call.job_ids;
  return call?.job_id ? [call.job_id] : [];
}

function insightValue(insights, kind) {
  const found = [...(insights || [])].reverse().find((i) => i.kind === kind);
  return found ? (found.normalized || found.value) : null;
}
function insightRaw(insights, kind) {
  const found = [...(insights || [])].reverse().find((i) => i.kind === kind);
  return found ? found.value : null;
}

class CallerPanel extends HTMLElement {
  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.classList.add("caller-panel");
    this.call = null;
    this.insights = [];
    this.matches = [];
    this.customer = null;
    this.draw();
  }

  get canEdit() {
    const c = this.call;
    if (!c) return false;
    return c.employee_id === session.me?.employee_id || session.isAdmin;
  }

  /** Sets the call (and its insights/matches); reloads the linked customer when it changed. */
  async update({ call, insights, matches }) {
    const previousCustomer = this.call?.customer_id;
    const previousCall = this.call?.phone_call_id;
    this.call = call;
    if (insights) this.insights = insights;
    if (matches) this.matches = matches;
    if (call?.phone_call_id !== previousCall) { this.searchResults = null; this.searchTerm = ""; this.jobs = null; this.bookedJobs = new Map(); }
    if (call?.customer_id && (call.customer_id !== previousCustomer || !this.customer || this.customer.id !== call.customer_id)) {
      await this.loadCustomer(call.customer_id);
    } else if (!call?.customer_id) {
      this.customer = null;
    }
    await this.loadBookedJobs(call);
    this.draw();
  }

  /** Every job booked on the call (`job_ids`), each fetched once while the call is shown. */
  async loadBookedJobs(call) {
    this.bookedJobs ??= new Map();
    for (const id of bookedJobIds(call)) {
      if (this.bookedJobs.has(id)) continue;
      try { this.bookedJobs.set(id, await api(`/jobs/${encodeURIComponent(id)}`)); } catch { /* listed by number once it loads */ }
    }
  }

  /**
   * Loads the linked customer and their recent jobs. Several loads can be in flight (a link is
   * followed by its realtime update); only the newest may land, and none started before the agent
   * saved to the customer (`customerVersion`), which would put the record back as it was.
   */
  async loadCustomer(id) {
    const version = this.customerVersion = (this.customerVersion || 0) + 1;
    try {
      const customer = await api(`/customers/${encodeURIComponent(id)}`);
      const data = await api("/jobs", { query: { customer_id: id, page_size: 5, sort_by: "scheduled_start" } });
      if (version !== this.customerVersion) return;
      this.customer = customer;
      this.jobs = data.jobs;
    } catch (error) {
      if (version !== this.customerVersion) return;
      this.customer = null;
      toast(error.message, "error");
    }
  }

  /** A customer record the agent just saved: it wins over any load still in flight. */
  customerSaved(customer) {
    this.customerVersion = (this.customerVersion || 0) + 1;
    this.customer = customer;
  }

  section(title, ...children) {
    const id = `cp-${title.toLowerCase().replace(/\W+/g, "-")}`;
    return h("section", { class: "cp-section", "aria-labelledby": id }, h("h3", { id, class: "cp-title", text: title }), ...children);
  }

  draw() {
    const call = this.call;
    // The desk's call header names the linked customer: tell it whenever who that is (or their name) changes.
    const linkedKey = this.customer ? `${this.customer.id}:${customerName(this.customer)}` : "";
    if (linkedKey !== this.linkedKey) {
      this.linkedKey = linkedKey;
      this.dispatchEvent(new CustomEvent("linked-customer", { detail: { customer: this.customer } }));
    }
    if (!call) {
      reconcile(this, [["empty", () => h("div", { class: "cp-empty muted" }, h("p", { text: "Select a call to see who is calling." }))]]);
      return;
    }
    const parts = [];
    const canEdit = this.canEdit;
    if (!canEdit) {
      const note = call.state === "ringing" ? "Accept the call to link a customer and book a job."
        : call.state === "missed" && !call.employee_id ? "Take the callback to link a customer and book a job."
        : "This call belongs to another agent; you can look, not change.";
      parts.push([`note:${note}`, () => h("p", { class: "form-note small", text: note })]);
    }
    if (this.customer) {
      parts.push(
        [JSON.stringify(["linked", this.customer, canEdit, this.learnable()]), () => this.linkedBlock()],
        [JSON.stringify(["addresses", this.customer.addresses, canEdit, insightRaw(this.insights, "address")]), () => this.addressesBlock()],
        [JSON.stringify(["jobs", bookedJobIds(call), call.state, canEdit, [...(this.bookedJobs || new Map()).values()], this.jobs]), () => this.jobsBlock()]);
    } else {
      // Kept for as long as this call is shown without a customer: the search field lives in it.
      parts.push([`find:${call.phone_call_id}`, () => this.findBlock()]);
    }
    reconcile(this, parts);
    if (!this.customer) this.drawFind();
  }

  linkedBlock() {
    const c = this.customer;
    const unlink = h("button", { type: "button", class: "button small link", text: "Change", disabled: !this.canEdit });
    unlink.addEventListener("click", () => this.link(""));
    const phones = [c.mobile_number, c.home_number, c.work_number].filter(Boolean).map(formatPhone);
    return this.section("Caller",
      h("div", { class: "linked-customer" },
        h("div", { class: "row spread" },
          h("div", {}, h("span", { class: "badge ok", text: "✓ Linked" }), " ", h("a", { class: "cust-name", href: `#/customers/${encodeURIComponent(c.id)}`, text: customerName(c) })),
          unlink),
        phones.length ? h("div", { class: "small", text: phones.join(" · ") }) : null,
        c.email ? h("div", { class: "small", text: c.email }) : null,
        c.company && (c.first_name || c.last_name) ? h("div", { class: "small muted", text: c.company }) : null,
        c.notes ? h("div", { class: "small muted cust-notes", text: c.notes }) : null,
        this.learnPart()));
  }

  /**
   * What the call knows that the linked customer's record does not: the calling number (into the
   * first empty phone field) and the e-mail heard. One click saves each; nothing is overwritten
   * without saying so.
   */
  learnable() {
    const c = this.customer;
    const call = this.call;
    if (!c || !call || !this.canEdit) return [];
    const digits = (v) => String(v || "").replace(/\D/g, "").replace(/^1(?=\d{10}$)/, "");
    const out = [];
    const number = digits(call.phone_number);
    const field = ["mobile_number", "home_number", "work_number"].find((f) => !c[f]);
    if (number.length >= 7 && field && ![c.mobile_number, c.home_number, c.work_number].some((p) => digits(p) === number)) {
      out.push({ field, value: formatPhone(call.phone_number), label: `Save ${formatPhone(call.phone_number)} as ${field.split("_")[0]} number` });
    }
    const email = insightValue(this.insights, "email");
    if (email && email.toLowerCase() !== (c.email || "").toLowerCase()) {
      out.push({ field: "email", value: email, label: c.email ? `Replace e-mail with ${email}` : `Save e-mail ${email}` });
    }
    return out;
  }

  learnPart() {
    const items = this.learnable();
    if (!items.length) return null;
    return h("div", { class: "learn row wrap" }, items.map((item) => {
      const button = h("button", { type: "button", class: "button small learn-save", text: item.label });
      button.addEventListener("click", () => this.saveToCustomer(item, button));
      return button;
    }));
  }

  async saveToCustomer(item, button) {
    const customer = this.customer;
    button.disabled = true;
    try {
      const updated = await api(`/customers/${encodeURIComponent(customer.id)}`, { method: "PUT", body: { [item.field]: item.value } });
      toast(`${item.field === "email" ? "E-mail" : "Number"} saved to ${customerName(updated)}.`, "success");
      if (this.customer?.id === updated.id) { this.customerSaved(updated); this.draw(); }
    } catch (error) {
      button.disabled = false;
      toast(error.message, "error");
    }
  }

  /** The find section's moving parts: the screen-pop matches (from insight frames) and who may edit. */
  drawFind() {
    const box = this.querySelector(".find-block");
    if (!box) return;
    const canEdit = this.canEdit;
    reconcile(box, [
      [JSON.stringify(["matches", this.matches, canEdit, this.call.phone_number]), () => this.matchesPart()],
      ["search", () => this.searchPart()],
    ]);
    // Accepting the call makes these usable without rebuilding the search around them.
    for (const button of box.querySelectorAll(".search-part .link-button, .search-part .new-customer")) button.disabled = !canEdit;
  }

  findBlock() {
    return this.section("Caller", h("div", { class: "find-block" }));
  }

  matchesPart() {
    if (!this.matches.length) return h("p", { class: "small muted", text: `No customer has ${formatPhone(this.call.phone_number) || "this number"} on file.` });
    return h("div", { class: "find-part matches-part" },
      h("div", { class: "cp-sub", text: `Possible match${this.matches.length > 1 ? "es" : ""} for ${formatPhone(this.call.phone_number)}` }),
      h("ul", { class: "match-list" }, this.matches.map((m) => this.customerRow(m, true))));
  }

  searchPart() {
    const input = h("input", { type: "search", id: "caller-search", class: "caller-search", placeholder: "Search customers   ( / )", autocomplete: "off", value: this.searchTerm || "" });
    const label = h("label", { for: "caller-search", class: "visually-hidden", text: "Search customers to link" });
    const results = h("ul", { class: "match-list search-results", "aria-live": "polite" });
    const runSearch = debounce(() => this.search(input.value.trim(), results), 250);
    input.addEventListener("input", runSearch);
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") { e.preventDefault(); results.querySelector(".link-button")?.click(); }
    });
    if (this.searchResults) this.fillResults(results, this.searchResults);
    const create = h("button", { type: "button", class: "button primary new-customer", disabled: !this.canEdit, text: "New customer" });
    create.addEventListener("click", () => this.createCustomer());
    return h("div", { class: "find-part search-part" },
      h("div", { class: "field search-row" }, label, input), results, h("div", { class: "row" }, create, h("span", { class: "small muted", text: "pre-filled from the call" })));
  }

  customerRow(c, isMatch) {
    const btn = h("button", { type: "button", class: "button small link-button", disabled: !this.canEdit, text: "Link" });
    btn.setAttribute("aria-label", `Link ${customerName(c)} to this call`);
    btn.addEventListener("click", () => this.link(c.id));
    const phone = formatPhone(c.mobile_number || c.home_number || c.work_number);
    return h("li", { class: isMatch ? "match screen-pop" : "match" },
      h("div", { class: "match-text" },
        h("strong", { text: customerName(c) }),
        h("span", { class: "small muted", text: [phone, c.email, c.addresses?.[0] ? addressLine(c.addresses[0]) : ""].filter(Boolean).join(" · ") })),
      btn);
  }

  async search(term, results) {
    this.searchTerm = term;
    this.searchAbort?.abort();
    if (!term) { this.searchResults = null; results.replaceChildren(); return; }
    const controller = new AbortController();
    this.searchAbort = controller;
    try {
      const data = await api("/customers", { query: { q: term, page_size: 8 }, signal: controller.signal });
      this.searchResults = data.customers;
      this.fillResults(results, data.customers);
    } catch (error) { if (error.name !== "AbortError") results.replaceChildren(h("li", { class: "small muted", text: error.message })); }
  }

  fillResults(results, customers) {
    results.replaceChildren(...(customers.length ? customers.map((c) => this.customerRow(c, false)) : [h("li", { class: "small muted", text: "No customer found. Create one below." })]));
  }

  /** Searches with a value (from an insight chip). */
  searchFor(value) {
    const input = this.querySelector(".caller-search");
    if (!input) return;
    input.value = value;
    input.dispatchEvent(new Event("input"));
    input.focus();
  }

  focusLink() {
    const first = this.querySelector(".screen-pop .link-button:not(:disabled)");
    if (first) { first.focus(); return true; }
    const input = this.querySelector(".caller-search");
    if (input) { input.focus(); return true; }
    return false;
  }

  focusSearch() {
    const input = this.querySelector(".caller-search");
    if (input) { input.focus(); input.select(); return true; }
    return false;
  }

  /** Links (or with "" unlinks) a customer to `call` — the one shown when the action started. */
  async link(customerId, call = this.call) {
    if (!(await confirmOnOthersCall(call, customerId ? "Link the customer" : "Unlink the customer"))) return;
    try {
      const updated = await api(`/phone-calls/${encodeURIComponent(call.phone_call_id)}`, { method: "PUT", body: { customer_id: customerId } });
      calls.upsert(updated);
      toast(customerId ? "Customer linked to the call." : "Customer unlinked.", "success");
      if (!this.shows(call)) return;
      await this.update({ call: updated });
      if (customerId) this.querySelector(".cust-name")?.focus();
      else this.querySelector(".caller-search")?.focus();
    } catch (error) { toast(error.message, "error"); }
  }

  /**
   * Whether `call` is still the one on the panel. A dialog opened for it stays open while the agent
   * accepts another call over it (offers float above dialogs): what it saves belongs to its call.
   */
  shows(call) { return this.call?.phone_call_id === call.phone_call_id; }

  prefillFromCall() {
    const ins = this.insights;
    const name = splitName(insightRaw(ins, "name"));
    const addressText = insightRaw(ins, "address");
    const phone = insightValue(ins, "phone") || this.call.phone_number;
    return {
      ...name,
      email: insightValue(ins, "email") || "",
      mobile_number: formatPhone(phone),
      lead_source: "Phone call",
      address: addressText ? parseAddress(addressText) : {},
      fromCall: true,
    };
  }

  async createCustomer() {
    const call = this.call;
    const created = await customerDialog({ prefill: this.prefillFromCall(), title: "New customer from this call" });
    if (!created) return;
    toast(`${customerName(created)} was created.`, "success");
    await this.link(created.id, call);
  }

  /** The customer's addresses after an edit or removal (a new array, so the part redraws). */
  addressesChanged(customer, addresses) {
    customer.addresses = addresses;
    if (this.customer === customer) { this.customerSaved(customer); this.draw(); }
  }

  addressesBlock() {
    const customer = this.customer;
    const addresses = this.customer.addresses || [];
    const suggested = insightRaw(this.insights, "address");
    const heardIsNew = suggested && !addresses.some((a) => addressLine(a).toLowerCase().includes((parseAddress(suggested).street || "").toLowerCase()));
    // The address heard on the call is one click from a filled-in form (the agent checks it, then saves).
    const add = h("button", { type: "button", class: "button small add-address", disabled: !this.canEdit, text: heardIsNew ? "Add the address heard" : "Add address" });
    add.addEventListener("click", () => this.addAddress());
    return this.section("Addresses",
      addresses.length
        ? h("ul", { class: "plain-list compact" }, addresses.map((a) => addressItem(this.customer.id, a, {
            editable: this.canEdit, addresses, onChange: (next) => this.addressesChanged(customer, next),
          })))
        : h("p", { class: "small muted", text: "No address on file yet." }),
      h("div", { class: "row" }, add, heardIsNew ? h("span", { class: "small muted", text: `Heard: “${suggested}”` }) : null));
  }

  async addAddress() {
    const customer = this.customer;
    const raw = insightRaw(this.insights, "address");
    const prefill = raw ? { ...parseAddress(raw), source: raw } : {};
    const address = await addressDialog(customer.id, prefill);
    if (!address) return null;
    // A new object, so the addresses part sees a change (and the customer shown may be another now).
    customer.addresses = [...(customer.addresses || []), address];
    if (this.customer === customer) this.customerSaved(customer);
    toast("Address added.", "success");
    this.draw();
    return address;
  }

  jobsBlock() {
    // A completed call is a record: further jobs are booked from the customer's page.
    const closed = this.call.state === "completed";
    const booked = bookedJobIds(this.call);
    const book = h("button", {
      type: "button", class: "button primary book-job", disabled: !this.canEdit || closed, text: booked.length ? "Book another job" : "Book job",
      title: closed ? "This call is completed. Book further jobs from the customer's page." : null,
    });
    book.addEventListener("click", () => this.bookJob());
    // Every job booked on this call, in booking order.
    const onCall = booked.length
      ? h("ul", { class: "plain-list compact call-jobs", "aria-label": "Jobs booked on this call" }, booked.map((id) => {
          const job = this.bookedJobs?.get(id);
          return h("li", { class: "linked-job", "data-job-id": id },
            h("span", { class: "badge ok", text: "✓ Job linked" }), " ",
            job ? h("a", { href: `#/jobs?job=${encodeURIComponent(id)}`, text: `#${job.invoice_number} · ${formatSchedule(job.schedule)}` }) : h("span", { class: "muted", text: "…" }),
            job?.description ? h("div", { class: "small muted", text: job.description }) : null);
        }))
      : null;
    const jobs = (this.jobs || []).filter((j) => !booked.includes(j.id));
    return this.section("Jobs",
      onCall,
      h("div", { class: "row" }, book),
      jobs.length ? [h("div", { class: "cp-sub", text: "Recent jobs" }), h("ul", { class: "plain-list compact" }, jobs.map((j) => h("li", {},
        h("div", { class: "row spread" }, h("a", { href: `#/jobs?job=${encodeURIComponent(j.id)}`, text: `#${j.invoice_number}` }), statusBadge(j.work_status)),
        h("div", { class: "small", text: formatSchedule(j.schedule) }),
        j.description ? h("div", { class: "small muted", text: j.description }) : null)))] : h("p", { class: "small muted", text: "No earlier jobs." }));
  }

  async bookJob() {
    if (!this.customer || !this.canEdit) return false;
    const call = this.call;
    const customer = this.customer;
    // A booking sheet already open (the page beside it stays live, so "b" can be pressed again): back to it.
    const open = document.querySelector("dialog.sheet[open] job-form");
    if (open) { open.querySelector("input:not([type=hidden]), select, textarea")?.focus(); return true; }
    if (!(await confirmOnOthersCall(call, "Book a job"))) return true;
    if (!customer.addresses?.length) {
      toast("A job needs an address: add it first.", "info");
      const address = await this.addAddress();
      if (!address) return true;
    }
    const ins = this.insights;
    const heard = insightRaw(ins, "address");
    const street = heard ? (parseAddress(heard).street || "").toLowerCase() : "";
    const addressMatch = street ? customer.addresses.find((a) => (a.street || "").toLowerCase() === street) : null;
    const service = insightRaw(ins, "service");
    const urgency = insightRaw(ins, "urgency");
    const prefill = {
      address_id: addressMatch?.id,
      requested_time: insightValue(ins, "requested_time"),
      description: service ? service[0].toUpperCase() + service.slice(1) : "",
      notes: [urgency ? `Urgency: ${urgency}` : "", insightRaw(ins, "requested_time") ? `Caller asked for: ${insightRaw(ins, "requested_time")}` : ""].filter(Boolean).join("\n"),
      lead_source: "Phone call",
    };
    const job = await jobDialog({ customer, prefill });
    if (!job) return true;
    try {
      const updated = await api(`/phone-calls/${encodeURIComponent(call.phone_call_id)}`, { method: "PUT", body: { job_id: job.id } });
      calls.upsert(updated);
      toast(`Job #${job.invoice_number} booked and linked to the call.`, "success");
      if (!this.shows(call)) return true;
      this.bookedJobs.set(job.id, job);
      this.jobs = [job, ...(this.jobs || [])];
      await this.update({ call: updated });
    } catch (error) {
      toast(`Job #${job.invoice_number} was booked, but linking it to the call failed: ${error.message}`, "error");
    }
    return true;
  }
}

customElements.define("caller-panel", CallerPanel);
