// The API reference: the served OpenAPI document (parsed by lib/yaml.js), grouped by tag, with
// parameters and request/response schemas ($ref resolved). Written in-house, no Swagger UI.
import { h } from "../../lib/html.js";
import { api } from "../../lib/api.js";
import { parseYAML } from "../../lib/yaml.js";

const METHODS = ["get", "post", "put", "patch", "delete"];

/** Text with `code` spans (the spec's descriptions use backticks). */
function prose(text, tag = "p") {
  if (!text) return null;
  const el = h(tag, { class: "prose" });
  String(text).trim().split(/(`[^`]+`)/).forEach((part) => {
    if (part.startsWith("`") && part.endsWith("`") && part.length > 1) el.append(h("code", { text: part.slice(1, -1) }));
    else el.append(part);
  });
  return el;
}

function refName(ref) { return ref.split("/").pop(); }

class ApiReference extends HTMLElement {
  async route() {
    document.title = "API reference · Avoca";
    if (this.loaded) return;
    this.replaceChildren(h("div", { class: "page" }, h("p", { class: "muted" }, h("span", { class: "spinner", "aria-hidden": "true" }), " Loading the API description…")));
    try {
      const text = await api("/openapi.yaml", { raw: true, auth: false });
      this.doc = parseYAML(text);
      this.loaded = true;
      this.draw();
    } catch (error) {
      this.replaceChildren(h("div", { class: "page" }, h("div", { class: "form-error", role: "alert", text: `The API description could not be loaded: ${error.message}` })));
    }
  }

  focusSearch() { this.querySelector(".api-filter")?.focus(); return true; }

  resolve(node) {
    let seen = 0;
    while (node && node.$ref && seen++ < 10) {
      const path = node.$ref.replace(/^#\//, "").split("/");
      node = path.reduce((n, key) => (n ? n[key] : undefined), this.doc);
    }
    return node;
  }

  operations() {
    const byTag = new Map((this.doc.tags || []).map((t) => [t.name, { tag: t, ops: [] }]));
    for (const [path, item] of Object.entries(this.doc.paths || {})) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const tag = (op.tags && op.tags[0]) || "Other";
        if (!byTag.has(tag)) byTag.set(tag, { tag: { name: tag }, ops: [] });
        byTag.get(tag).ops.push({ path, method, op, shared: item.parameters || [] });
      }
    }
    return [...byTag.values()].filter((g) => g.ops.length);
  }

  draw() {
    const doc = this.doc;
    const groups = this.operations();
    const filter = h("input", { type: "search", class: "api-filter", placeholder: "Filter operations   ( / )", "aria-label": "Filter operations" });
    const toc = h("nav", { class: "api-toc", "aria-label": "Operations" }, filter,
      groups.map((g) => h("div", { class: "toc-group" },
        h("div", { class: "toc-tag", text: g.tag.name }),
        h("ul", {}, g.ops.map(({ path, method, op }) => {
          const b = h("button", { type: "button", class: "toc-op", dataset: { target: `op-${op.operationId || method + path}` } },
            h("span", { class: `method m-${method}`, text: method.toUpperCase() }), h("span", { class: "toc-path", text: path }));
          b.addEventListener("click", () => {
            const target = this.querySelector(`[id="${CSS.escape(b.dataset.target)}"]`);
            if (target) { target.open = true; target.scrollIntoView({ block: "start" }); target.querySelector("summary").focus(); }
          });
          return h("li", { dataset: { search: `${method} ${path} ${op.summary || ""} ${op.operationId || ""}`.toLowerCase() } }, b);
        })))));
    const main = h("div", { class: "api-main" },
      h("header", { class: "api-head" },
        h("h1", {}, doc.info?.title || "API", " ", h("span", { class: "badge neutral", text: `v${doc.info?.version || "?"}` })),
        prose(doc.info?.description),
        h("p", { class: "small muted" }, "Base URL ", h("code", { text: `${location.origin}${doc.servers?.[0]?.url || ""}` }), " · ",
          h("a", { href: "/api/openapi.yaml", download: "avoca-openapi.yaml", text: "Download openapi.yaml" })),
        this.securityBlock()),
      groups.map((g) => h("section", { class: "api-tag", "aria-labelledby": `tag-${g.tag.name}` },
        h("h2", { id: `tag-${g.tag.name}`, text: g.tag.name }),
        prose(g.tag.description),
        g.ops.map((o) => this.operation(o)))));
    filter.addEventListener("input", () => {
      const q = filter.value.trim().toLowerCase();
      toc.querySelectorAll("li").forEach((li) => { li.hidden = q && !li.dataset.search.includes(q); });
      this.querySelectorAll(".api-op").forEach((op) => { op.hidden = q && !op.dataset.search.includes(q); });
      this.querySelectorAll(".api-tag").forEach((s) => { s.hidden = ![...s.querySelectorAll(".api-op")].some((op) => !op.hidden); });
    });
    this.replaceChildren(h("div", { class: "api-layout" }, toc, main));
  }

  securityBlock() {
    const schemes = this.doc.components?.securitySchemes || {};
    const items = Object.entries(schemes).map(([name, s]) =>
      h("li", {}, h("strong", { text: name }), ": ", s.type === "http" ? `HTTP ${s.scheme}${s.bearerFormat ? ` (${s.bearerFormat})` : ""}` : `${s.type} in ${s.in} "${s.name}"`, s.description ? [" — ", prose(s.description, "span")] : null));
    return items.length ? h("div", { class: "api-security" }, h("h3", { text: "Authentication" }), h("ul", {}, items)) : null;
  }

  operation({ path, method, op, shared }) {
    const id = `op-${op.operationId || method + path}`;
    const params = [...shared, ...(op.parameters || [])].map((p) => this.resolve(p));
    const isPublic = Array.isArray(op.security) && op.security.length === 0;
    const details = h("details", { class: "api-op card", id, dataset: { search: `${method} ${path} ${op.summary || ""} ${op.operationId || ""}`.toLowerCase() } },
      h("summary", {},
        h("span", { class: `method m-${method}`, text: method.toUpperCase() }),
        h("code", { class: "op-path", text: path }),
        prose(op.summary || "", "span") || h("span"),
        isPublic ? h("span", { class: "badge neutral", text: "No auth" }) : null));
    let filled = false;
    details.addEventListener("toggle", () => {
      if (!details.open || filled) return;
      filled = true;
      const body = h("div", { class: "op-body" },
        op.operationId ? h("p", { class: "small muted" }, "Operation ", h("code", { text: op.operationId })) : null,
        prose(op.description));
      if (params.length) {
        body.append(h("h4", { text: "Parameters" }), h("div", { class: "table-wrap" }, h("table", { class: "table param-table" },
          h("thead", {}, h("tr", {}, ["Name", "In", "Type", "Description"].map((t) => h("th", { scope: "col", text: t })))),
          h("tbody", {}, params.map((p) => h("tr", {},
            h("td", {}, h("code", { text: p.name }), p.required ? h("span", { class: "req", title: "required", text: " *" }) : null),
            h("td", { text: p.in }),
            h("td", {}, this.typeLabel(p.schema)),
            h("td", {}, prose(p.description, "span") || "")))))));
      }
      const reqBody = this.resolve(op.requestBody);
      if (reqBody) {
        body.append(h("h4", {}, "Request body", reqBody.required ? h("span", { class: "req", text: " (required)" }) : " (optional)"));
        for (const [type, media] of Object.entries(reqBody.content || {})) body.append(h("div", { class: "media" }, h("span", { class: "small muted", text: type }), this.schema(media.schema, 0, new Set())));
      }
      body.append(h("h4", { text: "Responses" }));
      for (const [status, raw] of Object.entries(op.responses || {})) {
        const r = this.resolve(raw) || {};
        const content = Object.entries(r.content || {});
        const kind = status.startsWith("2") ? "ok" : status.startsWith("4") ? "warn" : "neutral";
        const row = h("div", { class: "response" },
          h("div", { class: "response-head" }, h("span", { class: `badge ${kind}`, text: status }), prose(r.description, "span"), raw.$ref ? h("span", { class: "small muted", text: ` (${refName(raw.$ref)})` }) : null));
        if (r.headers) row.append(h("div", { class: "small muted" }, "Headers: ", Object.keys(r.headers).join(", ")));
        for (const [, media] of content) {
          const block = h("details", { class: "schema-toggle" }, h("summary", { text: `Body: ${media.schema?.$ref ? refName(media.schema.$ref) : "schema"}` }), this.schema(media.schema, 0, new Set()));
          if (status.startsWith("2")) block.open = true;
          row.append(block);
        }
        body.append(row);
      }
      details.append(body);
    });
    return details;
  }

  typeLabel(schema) {
    if (!schema) return "";
    if (schema.$ref) return h("span", { class: "type" }, refName(schema.$ref));
    const s = schema;
    let t = Array.isArray(s.type) ? s.type.join(" | ") : s.type || (s.allOf ? "object" : s.oneOf ? "one of" : "any");
    if (s.type === "array" && s.items) t = `array of ${s.items.$ref ? refName(s.items.$ref) : this.resolve(s.items)?.type || "any"}`;
    if (s.format) t += ` (${s.format})`;
    const parts = [h("span", { class: "type", text: t })];
    if (s.enum) parts.push(h("span", { class: "enum small" }, " one of ", s.enum.map((v, i) => [i ? ", " : "", h("code", { text: String(v) })])));
    if (s.default !== undefined) parts.push(h("span", { class: "small muted", text: ` default ${JSON.stringify(s.default)}` }));
    if (s.minimum !== undefined || s.maximum !== undefined) parts.push(h("span", { class: "small muted", text: ` ${s.minimum ?? ""}…${s.maximum ?? ""}` }));
    return h("span", {}, parts);
  }

  /** A schema as a nested property list; refs are expanded once per branch (cycles stop). */
  schema(raw, depth, seen) {
    if (!raw) return h("span", { class: "muted", text: "—" });
    const name = raw.$ref ? refName(raw.$ref) : null;
    if (name && seen.has(name)) return h("span", { class: "type", text: `${name} (see above)` });
    const nextSeen = name ? new Set([...seen, name]) : seen;
    const s = this.resolve(raw);
    if (!s) return h("span", { class: "muted", text: "unknown" });
    if (s.allOf) {
      const merged = { type: "object", properties: {}, required: [] };
      for (const part of s.allOf) {
        const p = this.resolve(part);
        Object.assign(merged.properties, p.properties || {});
        merged.required.push(...(p.required || []));
        if (p.description && !merged.description) merged.description = p.description;
      }
      return this.schema(merged, depth, nextSeen);
    }
    const wrap = h("div", { class: "schema" }, name ? h("div", { class: "schema-name" }, h("span", { class: "type", text: name }), s.description ? [" — ", prose(s.description, "span")] : null) : (s.description && depth === 0 ? prose(s.description) : null));
    if (s.type === "array" || (Array.isArray(s.type) && s.type.includes("array"))) {
      wrap.append(h("div", { class: "small muted", text: "array of:" }), this.schema(s.items, depth + 1, nextSeen));
      return wrap;
    }
    if (s.properties || s.additionalProperties) {
      const required = new Set(s.required || []);
      const list = h("ul", { class: "props" });
      for (const [prop, ps] of Object.entries(s.properties || {})) {
        const resolved = this.resolve(ps) || {};
        const item = h("li", {},
          h("code", { class: "prop-name", text: prop }),
          required.has(prop) ? h("span", { class: "req", title: "required", text: "*" }) : null, " ",
          this.typeLabel(ps),
          resolved.description && !ps.$ref ? [" — ", prose(resolved.description, "span")] : null);
        const complex = ps.$ref ? (resolved.properties || resolved.allOf || resolved.type === "array") : (resolved.properties || (resolved.type === "array" && resolved.items && (resolved.items.$ref || resolved.items.properties)));
        if (complex && depth < 6) {
          const inner = h("details", { class: "nested" }, h("summary", { text: "fields" }));
          let filled = false;
          inner.addEventListener("toggle", () => { if (inner.open && !filled) { filled = true; inner.append(this.schema(ps.$ref ? ps : (resolved.type === "array" ? resolved.items : resolved), depth + 1, nextSeen)); } });
          item.append(inner);
        }
        list.append(item);
      }
      if (s.additionalProperties && typeof s.additionalProperties === "object") list.append(h("li", {}, h("code", { class: "prop-name", text: "{any key}" }), " ", this.typeLabel(s.additionalProperties)));
      wrap.append(list);
      return wrap;
    }
    wrap.append(this.typeLabel(s));
    return wrap;
  }
}

customElements.define("api-reference", ApiReference);
