// Create or edit a customer. Properties (set before connecting): `customer` (edit), `prefill`
// (create: values and an optional `address`), `withAddress` (create: show the address section).
// Fires `saved` (detail: Customer) and `cancel`.
import { html, render } from "../../lib/html.js";
import { api } from "../../lib/api.js";
import { showErrors, busy, formValues } from "../../lib/ui.js";
import { addressFields, readAddress, addressProblems } from "../address-form/address-form.js";
import "../address-form/address-form.js";

let counter = 0;
const FIELDS = ["first_name", "last_name", "email", "company", "mobile_number", "home_number", "work_number", "lead_source", "notes"];

class CustomerForm extends HTMLElement {
  connectedCallback() {
    if (this.built) return;
    this.built = true;
    const c = this.customer || this.prefill || {};
    const editing = Boolean(this.customer);
    const id = `cf${++counter}`;
    const text = (name, label, attrs = {}) => html`
      <div class="field"><label for="${id}-${name}">${label}</label>
        <input id="${id}-${name}" name="${name}" type="${attrs.type || "text"}" autocomplete="${attrs.autocomplete || "off"}" value="${c[name] || ""}"></div>`;
    render(this, html`
      <form class="form-grid customer-form" novalidate>
        <div class="form-error" role="alert" tabindex="-1" hidden></div>
        ${this.prefill?.fromCall ? html`<p class="form-note small">Pre-filled from what the caller said. Check the spelling with them.</p>` : ""}
        <div class="field-row">${text("first_name", "First name")}${text("last_name", "Last name")}</div>
        <div class="field-row">${text("email", "E-mail", { type: "email" })}${text("company", "Company")}</div>
        <div class="field-row">${text("mobile_number", "Mobile", { type: "tel" })}${text("home_number", "Home", { type: "tel" })}${text("work_number", "Work", { type: "tel" })}</div>
        <div class="field-row">
          <div class="field"><label for="${id}-tags">Tags</label><input id="${id}-tags" name="tags" value="${(c.tags || []).join(", ")}"><span class="hint">Separate tags with commas.</span></div>
          ${text("lead_source", "Lead source")}
        </div>
        <div class="field"><label for="${id}-notes">Notes</label><textarea id="${id}-notes" name="notes">${c.notes || ""}</textarea></div>
        <label class="checkline"><input type="checkbox" name="notifications_enabled" ${c.notifications_enabled === false ? "" : "checked"}> Send the customer notifications (e-mail/SMS)</label>
        ${!editing && this.withAddress !== false ? html`
          <fieldset class="address-section"><legend>Service address (optional)</legend>
            <div class="form-grid">${addressFields("address.", c.address || {}, false)}</div>
          </fieldset>` : ""}
        <div class="form-actions">
          <button type="button" class="button cancel">Cancel</button>
          <button type="submit" class="button primary">${editing ? "Save changes" : "Create customer"}</button>
        </div>
      </form>`);
    const form = this.querySelector("form");
    this.querySelector(".cancel").addEventListener("click", () => this.dispatchEvent(new CustomEvent("cancel")));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const values = formValues(form);
      const body = {};
      for (const name of FIELDS) {
        // On edit, an emptied field is sent as null so it is cleared; on create it is left out.
        if (values[name] !== undefined) body[name] = values[name];
        else if (editing && this.customer[name]) body[name] = null;
      }
      body.tags = (values.tags || "").split(",").map((t) => t.trim()).filter(Boolean);
      body.notifications_enabled = form.notifications_enabled.checked;
      const problems = {};
      if (!["first_name", "last_name", "email", "mobile_number", "home_number", "work_number"].some((k) => body[k])) {
        problems.first_name = "Enter a name, an e-mail address or a phone number.";
      }
      if (body.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email)) problems.email = "This does not look like an e-mail address.";
      let address = null;
      if (!editing) {
        address = readAddress(values, "address.");
        Object.assign(problems, addressProblems(address, "address."));
        if (address) body.addresses = [address];
      }
      if (Object.keys(problems).length) { showErrors(form, { message: "Please check the highlighted fields.", fields: problems }); return; }
      await busy(form.querySelector("[type=submit]"), async () => {
        try {
          const saved = editing
            ? await api(`/customers/${encodeURIComponent(this.customer.id)}`, { method: "PUT", body })
            : await api("/customers", { method: "POST", body });
          this.dispatchEvent(new CustomEvent("saved", { detail: saved }));
        } catch (error) {
          // The server names address fields like "addresses[0].street"; map them to our inputs.
          const mapped = {};
          for (const [k, v] of Object.entries(error.fields || {})) mapped[k.replace(/^addresses(\[0\]|\.0)\./, "address.")] = v;
          error.fields = mapped;
          showErrors(form, error);
        }
      });
    });
  }
}

customElements.define("customer-form", CustomerForm);
