// Short-lived messages, announced politely to screen readers (errors assertively).
import { h } from "../../lib/html.js";
import { floatOnTop } from "../../lib/top-layer.js";

class ToastStack extends HTMLElement {
  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.polite = h("div", { class: "toast-region", role: "status", "aria-live": "polite" });
    this.urgent = h("div", { class: "toast-region", role: "alert", "aria-live": "assertive" });
    this.append(this.polite, this.urgent);
    // Above (and inside) any open dialog, so a toast is never under a backdrop; while a dialog is
    // open the stack docks beside it (toast-stack.css), off the dialog's buttons.
    this.layer = floatOnTop(this, document.body);
    document.addEventListener("avoca-toast", (e) => this.add(e.detail.message, e.detail.kind));
    // A dialog starts a new task: confirmations of the previous one would only cover its buttons.
    // Errors stay, raised above the new dialog.
    document.addEventListener("avoca-dialog-open", () => {
      this.polite.replaceChildren();
      if (this.urgent.childElementCount) this.raise();
    });
  }

  raise() { this.layer.show(); }

  add(message, kind = "info") {
    const close = h("button", { type: "button", class: "icon-button toast-close", "aria-label": "Dismiss", text: "×" });
    const icon = { success: "✓", error: "!", info: "i" }[kind] || "i";
    const item = h("div", { class: `toast toast-${kind}` }, h("span", { class: "toast-icon", "aria-hidden": "true", text: icon }), h("span", { class: "toast-text", text: message }), close);
    const remove = () => item.remove();
    close.addEventListener("click", remove);
    (kind === "error" ? this.urgent : this.polite).append(item);
    this.raise();
    setTimeout(remove, kind === "error" ? 8000 : 5000);
  }
}

customElements.define("toast-stack", ToastStack);
