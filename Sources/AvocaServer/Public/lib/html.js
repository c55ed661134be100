// The one place HTML is parsed from strings. Every interpolated value is escaped unless it is
// itself the result of `html`, so data can never become markup.

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

/** Markup produced by the `html` tag (already safe). */
export class SafeHTML {
  constructor(text) { this.text = text; }
  toString() { return this.text; }
}

/** Escapes text for use in element content or in a quoted attribute value. */
export function escapeHTML(value) {
  return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

function piece(value) {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHTML) return value.text;
  if (Array.isArray(value)) return value.map(piece).join("");
  return escapeHTML(value);
}

/** Tagged template: html`<p>${text}</p>` escapes `text`; nested html`` and arrays compose. */
export function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1];
  return new SafeHTML(out);
}

/** Parses safe markup into a fragment. */
export function fragment(markup) {
  if (!(markup instanceof SafeHTML)) throw new TypeError("fragment() only accepts html`` results");
  const template = document.createElement("template");
  template.innerHTML = markup.text; // the only innerHTML sink in the console; input is escaped
  return template.content;
}

/** Replaces the children of `target` with safe markup. */
export function render(target, markup) {
  target.replaceChildren(fragment(markup));
  return target;
}

/** Creates an element with properties/attributes and children (text or nodes). */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/**
 * Brings the children of `target` to `parts`, a list of [key, build] pairs, touching only what
 * changed: a child whose key is still wanted stays the very same node — so a redraw never takes
 * focus, caret, typed text or scroll position from it — and `build()` runs only for new keys.
 * A key says everything its part shows (e.g. the JSON of its data). Returns the children in order.
 */
export function reconcile(target, parts) {
  const known = new Map();
  for (const child of target.children) if (child.dataset.key !== undefined) known.set(child.dataset.key, child);
  const nodes = parts.map(([key, build]) => {
    const kept = known.get(key);
    if (kept) return kept;
    const node = build();
    node.dataset.key = key;
    return node;
  });
  const wanted = new Set(nodes);
  for (const child of [...target.children]) if (!wanted.has(child)) child.remove();
  const focused = target.contains(document.activeElement) ? document.activeElement : null;
  let next = target.firstElementChild;
  for (const node of nodes) {
    if (node === next) { next = next.nextElementSibling; continue; }
    target.insertBefore(node, next); // only new (or reordered) parts move
  }
  // A reordered part was taken out and put back, which blurs it: give the focus back.
  if (focused?.isConnected && document.activeElement !== focused) focused.focus({ preventScroll: true });
  return nodes;
}
