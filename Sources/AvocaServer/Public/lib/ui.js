// Small UI helpers shared by components: toasts, dialogs, form errors, clipboard, downloads.
import { h } from "./html.js";
import { session } from "./session.js";

/** Shows a short message in the toast stack (role=status). kind: info | success | error. */
export function toast(message, kind = "info") {
  document.dispatchEvent(new CustomEvent("avoca-toast", { detail: { message, kind } }));
}

/**
 * Opens a modal <dialog> with a title and body node. Resolves to the dialog's returnValue when it
 * closes. `dialog.close(value)` from inside closes it.
 *
 * `sheet: true` opens it instead as a side sheet: a non-modal dialog docked right, under the
 * header, so the page beside it — the call's transcript on the desk — stays visible and live while
 * the agent fills the form (Escape or × closes it, as for a modal one).
 */
export function openDialog({ title, body, wide = false, sheet = false, onClose }) {
  const heading = h("h2", { class: "dialog-title", id: `dlg-${Math.random().toString(36).slice(2)}`, text: title });
  const closeButton = h("button", { type: "button", class: "icon-button dialog-close", "aria-label": "Close", text: "×" });
  const kind = sheet ? "dialog sheet" : wide ? "dialog dialog-wide" : "dialog";
  const dialog = h("dialog", { class: kind, "aria-labelledby": heading.id },
    h("header", { class: "dialog-header" }, heading, closeButton),
    h("div", { class: "dialog-body" }, body));
  closeButton.addEventListener("click", () => dialog.close("cancel"));
  document.body.append(dialog);
  const done = new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (onClose) onClose(dialog.returnValue);
      resolve(dialog.returnValue);
    });
  });
  if (sheet) {
    // A non-modal dialog has no built-in Escape: the sheet closes on it like a modal one does.
    dialog.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !e.defaultPrevented) { e.preventDefault(); dialog.close("cancel"); }
    });
    dialog.show();
  } else {
    dialog.showModal();
  }
  document.dispatchEvent(new CustomEvent("avoca-dialog-open"));
  const focusable = body.querySelector("[autofocus], input:not([type=hidden]), select, textarea, button");
  if (focusable) focusable.focus();
  dialog.done = done;
  return dialog;
}

/** A yes/no question. Resolves true when confirmed. */
/**
 * An admin changing another agent's call is asked first (the agent is mid-call with it); for the
 * owner, or a call nobody owns, it is `true` at once.
 */
export async function confirmOnOthersCall(call, what) {
  const owner = call?.employee_id;
  if (!owner || owner === session.me?.employee_id) return true;
  return confirmAction(`This is ${call.employee_name || "another agent"}'s call. ${what} anyway? They see the change at once.`, { confirmLabel: what });
}

export async function confirmAction(message, { confirmLabel = "Confirm", danger = false } = {}) {
  const yes = h("button", { type: "button", class: danger ? "button danger" : "button primary", text: confirmLabel });
  const no = h("button", { type: "button", class: "button", text: "Cancel" });
  const body = h("div", {}, h("p", { text: message }), h("div", { class: "form-actions" }, no, yes));
  const dialog = openDialog({ title: "Please confirm", body });
  yes.addEventListener("click", () => dialog.close("yes"));
  no.addEventListener("click", () => dialog.close("no"));
  no.focus();
  return (await dialog.done) === "yes";
}

/** Clears the error marks of a form. */
export function clearErrors(form) {
  form.querySelectorAll(".field-error").forEach((el) => el.remove());
  form.querySelectorAll("[aria-invalid]").forEach((el) => { el.removeAttribute("aria-invalid"); el.removeAttribute("aria-describedby"); });
  const summary = form.querySelector(".form-error");
  if (summary) { summary.hidden = true; summary.textContent = ""; }
}

/**
 * Shows an API error on a form: the message in the form's `.form-error` box (role=alert), and
 * each entry of `fields` next to the input with that name.
 */
export function showErrors(form, error, extraFieldNames = {}) {
  clearErrors(form);
  let summary = form.querySelector(".form-error");
  if (!summary) {
    summary = h("div", { class: "form-error", role: "alert" });
    form.prepend(summary);
  }
  let message = error.message || String(error);
  if (error.status === 429 && error.retryAfter) message += ` Try again in ${error.retryAfter} s.`;
  summary.textContent = message;
  summary.hidden = false;
  let firstInvalid = null;
  for (const [name, text] of Object.entries(error.fields || {})) {
    const key = extraFieldNames[name] || name;
    const input = form.querySelector(`[name="${CSS.escape(key)}"]`) || form.querySelector(`[name$="${CSS.escape(key.split(".").pop())}"]`);
    if (!input) { summary.append(h("div", { text: `${name}: ${text}` })); continue; }
    const note = h("div", { class: "field-error", id: `${input.id || input.name}-error`, text });
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", note.id);
    input.closest(".field")?.append(note) ?? input.after(note);
    firstInvalid ??= input;
  }
  (firstInvalid || summary).focus?.();
}

/** Disables a form's submit button while `work` runs. */
export async function busy(button, work) {
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try { return await work(); } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = label;
  }
}

export async function copyText(text, what = "Copied") {
  try {
    await navigator.clipboard.writeText(text);
    toast(`${what} to the clipboard.`, "success");
  } catch {
    toast("Copying is not allowed here; select the text and copy it.", "error");
  }
}

/** Offers `text` as a download named `filename` (a Blob URL; nothing leaves the browser). */
export function downloadText(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const a = h("a", { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Values of a form as an object of trimmed strings (empty → undefined). */
export function formValues(form) {
  const out = {};
  for (const [key, value] of new FormData(form).entries()) {
    const v = typeof value === "string" ? value.trim() : value;
    out[key] = v === "" ? undefined : v;
  }
  return out;
}

/** Debounces `fn` by `ms`. */
export function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}
