// The `?` overlay listing the keyboard shortcuts.
import { h } from "../../lib/html.js";

const SHORTCUTS = [
  ["a", "Accept the call offered to you (or the ringing call you are looking at); over an open dialog too, when you are not in a field"],
  ["j", "Next call in the queue"],
  ["k", "Previous call in the queue"],
  ["/", "Focus the search field"],
  ["l", "Link the caller: focus the customer search (desk)"],
  ["b", "Book a job for the linked customer (desk)"],
  ["w", "Wrap up: go to the outcome form (desk)"],
  ["?", "Show or hide this help"],
  ["Esc", "Close a dialog or this help"],
];

class HelpOverlay extends HTMLElement {
  toggle() {
    if (this.dialog?.open) { this.dialog.close(); return; }
    this.open();
  }

  open() {
    if (!this.dialog) {
      const rows = SHORTCUTS.map(([key, text]) => h("tr", {}, h("th", { scope: "row" }, h("kbd", { text: key })), h("td", { text: text })));
      const close = h("button", { type: "button", class: "button", text: "Close" });
      this.dialog = h("dialog", { class: "dialog help-dialog", "aria-labelledby": "help-title" },
        h("header", { class: "dialog-header" }, h("h2", { class: "dialog-title", id: "help-title", text: "Keyboard shortcuts" })),
        h("div", { class: "dialog-body" },
          h("table", { class: "shortcut-table" }, h("tbody", {}, rows)),
          h("p", { class: "muted small", text: "Shortcuts are single keys. They do nothing while you type in a field or while a dialog is open (except a for an offered call), and never use Ctrl or ⌘, so browser shortcuts keep working." }),
          h("div", { class: "form-actions" }, close)));
      close.addEventListener("click", () => this.dialog.close());
      this.dialog.addEventListener("keydown", (e) => { if (e.key === "?") { e.preventDefault(); this.dialog.close(); } });
      this.append(this.dialog);
    }
    this.dialog.showModal();
  }
}

customElements.define("help-overlay", HelpOverlay);
