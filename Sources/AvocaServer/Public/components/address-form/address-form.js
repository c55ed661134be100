// Add an address to a customer, or edit one. Set `customerId` and optionally `prefill` (add) or
// `address` (edit) before connecting. Fires `saved` (detail: Address) and `cancel`.
import { html, render } from "../../lib/html.js";
import { api } from "../../lib/api.js";
import { US_STATES } from "../../lib/format.js";
import { showErrors, busy, formValues } from "../../lib/ui.js";

let counter = 0;

/** The address inputs (shared with the customer form); names are prefixed with `prefix`. */
export function addressFields(prefix = "", prefill = {}, required = true) {
  const id = `addr${++counter}`;
  const req = required ? "required" : "";
  return html`
    <div class="field"><label for="${id}-street">Street</label>
      <input id="${id}-street" name="${prefix}street" autocomplete="address-line1" ${req} value="${prefill.street || ""}"></div>
    <div class="field"><label for="${id}-line2">Apartment, suite (optional)</label>
      <input id="${id}-line2" name="${prefix}street_line_2" autocomplete="address-line2" value="${prefill.street_line_2 || ""}"></div>
    <div class="field-row address-row">
      <div class="field"><label for="${id}-city">City</label><input id="${id}-city" name="${prefix}city" autocomplete="address-level2" ${req} value="${prefill.city || ""}"></div>
      <div class="field"><label for="${id}-state">State</label>
        <select id="${id}-state" name="${prefix}state" autocomplete="address-level1" ${req}>
          <option value="">—</option>
          ${US_STATES.map((s) => html`<option value="${s}" ${prefill.state === s ? "selected" : ""}>${s}</option>`)}
        </select></div>
      <div class="field"><label for="${id}-zip">ZIP</label><input id="${id}-zip" name="${prefix}zip" autocomplete="postal-code" inputmode="numeric" pattern="[0-9]{5}(-[0-9]{4})?" ${req} value="${prefill.zip || ""}"></div>
    </div>
    <div class="field"><label for="${id}-type">Type</label>
      <select id="${id}-type" name="${prefix}type"><option value="service">Service</option><option value="billing" ${prefill.type === "billing" ? "selected" : ""}>Billing</option></select></div>`;
}

/** Reads the address inputs named with `prefix`; null when the street is empty. */
export function readAddress(values, prefix = "") {
  const get = (k) => values[prefix + k];
  if (!get("street") && !get("city") && !get("zip")) return null;
  return {
    street: get("street") || "", street_line_2: get("street_line_2") || null, city: get("city") || "",
    state: get("state") || "", zip: get("zip") || "", country: "US", type: get("type") || "service",
  };
}

/** Client-side checks with the server's field names. */
export function addressProblems(address, prefix = "") {
  const problems = {};
  if (!address) return problems;
  if (!address.street) problems[prefix + "street"] = "Enter the street.";
  if (!address.city) problems[prefix + "city"] = "Enter the city.";
  if (!address.state) problems[prefix + "state"] = "Choose the state.";
  if (!/^\d{5}(-\d{4})?$/.test(address.zip)) problems[prefix + "zip"] = "5 digits (or ZIP+4).";
  return problems;
}

class AddressForm extends HTMLElement {
  connectedCallback() {
    if (this.built) return;
    this.built = true;
    render(this, html`
      <form class="form-grid" novalidate>
        <div class="form-error" role="alert" tabindex="-1" hidden></div>
        ${this.prefill?.source ? html`<p class="form-note small">Filled in from the call: “${this.prefill.source}”. Check it before saving.</p>` : ""}
        ${addressFields("", this.address || this.prefill || {})}
        <div class="form-actions">
          <button type="button" class="button cancel">Cancel</button>
          <button type="submit" class="button primary">${this.address ? "Save address" : "Add address"}</button>
        </div>
      </form>`);
    const form = this.querySelector("form");
    this.querySelector(".cancel").addEventListener("click", () => this.dispatchEvent(new CustomEvent("cancel")));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const address = readAddress(formValues(form)) || {};
      const problems = addressProblems(readAddress(formValues(form)) || { street: "", city: "", state: "", zip: "" });
      if (Object.keys(problems).length) { showErrors(form, { message: "Please complete the address.", fields: problems }); return; }
      await busy(form.querySelector("[type=submit]"), async () => {
        try {
          const base = `/customers/${encodeURIComponent(this.customerId)}/addresses`;
          const saved = this.address
            ? await api(`${base}/${encodeURIComponent(this.address.id)}`, { method: "PUT", body: address })
            : await api(base, { method: "POST", body: address });
          this.dispatchEvent(new CustomEvent("saved", { detail: saved }));
        } catch (error) { showErrors(form, error); }
      });
    });
  }
}

customElements.define("address-form", AddressForm);
