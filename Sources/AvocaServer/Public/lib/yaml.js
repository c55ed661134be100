// A small YAML reader for the subset the OpenAPI document uses: block mappings and sequences,
// flow mappings/sequences, single/double-quoted and plain scalars, `|`/`>` blocks, comments.
// Not a general YAML parser (no anchors, tags, multi-document streams).

export class YAMLError extends Error {
  constructor(message, line) { super(`${message} (line ${line + 1})`); this.line = line; }
}

function typed(plain) {
  const s = plain.trim();
  if (s === "" || s === "~" || s === "null" || s === "Null" || s === "NULL") return null;
  if (/^(true|True|TRUE)$/.test(s)) return true;
  if (/^(false|False|FALSE)$/.test(s)) return false;
  if (/^[-+]?\d+$/.test(s)) return Number.parseInt(s, 10);
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(s)) return Number.parseFloat(s);
  return s;
}

function unquoteDouble(body, line) {
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e) => {
    switch (e[0]) {
      case "n": return "\n";
      case "t": return "\t";
      case "r": return "\r";
      case "0": return "\0";
      case "u": case "x": return String.fromCharCode(Number.parseInt(e.slice(1), 16));
      case '"': case "\\": case "/": case " ": return e;
      default: throw new YAMLError(`unknown escape \\${e}`, line);
    }
  });
}

/** Index just past a quoted scalar starting at `i` (which holds the quote). */
function quotedEnd(text, i, line) {
  const q = text[i];
  let j = i + 1;
  while (j < text.length) {
    if (q === '"' && text[j] === "\\") { j += 2; continue; }
    if (text[j] === q) {
      if (q === "'" && text[j + 1] === "'") { j += 2; continue; }
      return j + 1;
    }
    j++;
  }
  throw new YAMLError("unterminated quoted scalar", line);
}

function readQuoted(text, i, line) {
  const end = quotedEnd(text, i, line);
  const body = text.slice(i + 1, end - 1);
  return { value: text[i] === "'" ? body.replace(/''/g, "'") : unquoteDouble(body, line), end };
}

/** Removes a trailing comment (` #…`) outside quotes and flow-quoted scalars. */
function stripComment(text, line) {
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if ((c === '"' || c === "'") && (i === 0 || /[\s\[{,:]/.test(text[i - 1]))) { i = quotedEnd(text, i, line); continue; }
    if (c === "#" && (i === 0 || /\s/.test(text[i - 1]))) return text.slice(0, i).trimEnd();
    i++;
  }
  return text.trimEnd();
}

/** Parses one flow value (`{…}`, `[…]`, quoted or plain) from `text` at `i`. */
function parseFlow(text, start, line) {
  let i = start;
  const ws = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  const plain = (stops) => {
    const from = i;
    while (i < text.length && !stops.includes(text[i])) {
      if (text[i] === ":" && stops.includes(":") ) break;
      i++;
    }
    return text.slice(from, i).trim();
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const map = {};
      for (;;) {
        ws();
        if (text[i] === "}") { i++; return map; }
        let key;
        if (text[i] === '"' || text[i] === "'") { const r = readQuoted(text, i, line); key = r.value; i = r.end; }
        else {
          const from = i;
          while (i < text.length && !(text[i] === ":" && /[\s,}\]]/.test(text[i + 1] ?? " ")) && text[i] !== "," && text[i] !== "}") i++;
          key = text.slice(from, i).trim();
        }
        ws();
        if (text[i] === ":") { i++; map[key] = value(); }
        else map[key] = null;
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "}") { i++; return map; }
        throw new YAMLError("expected , or } in flow mapping", line);
      }
    }
    if (c === "[") {
      i++;
      const list = [];
      for (;;) {
        ws();
        if (text[i] === "]") { i++; return list; }
        list.push(value());
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "]") { i++; return list; }
        throw new YAMLError("expected , or ] in flow sequence", line);
      }
    }
    if (c === '"' || c === "'") { const r = readQuoted(text, i, line); i = r.end; return r.value; }
    return typed(plain([",", "]", "}"]));
  };
  const result = value();
  return { value: result, end: i };
}

function flowBalanced(text) {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === '"' || c === "'") && (i === 0 || /[\s\[{,:]/.test(text[i - 1]))) { try { i = quotedEnd(text, i, 0) - 1; } catch { return false; } continue; }
    if (c === "{" || c === "[") depth++;
    if (c === "}" || c === "]") depth--;
  }
  return depth <= 0;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s'"{\[\]#,&*!|>%@`-][^]*?|-[^\s][^]*?)\s*:(?:\s+|$)/;

/** Parses a YAML document (the subset above) into plain objects, arrays and scalars. */
export function parseYAML(source) {
  const raw = source.replace(/\r\n?/g, "\n").split("\n");
  const lines = raw.map((text, n) => {
    const indent = text.length - text.trimStart().length;
    if (/^\t/.test(text.slice(indent - 1, indent))) throw new YAMLError("tabs are not allowed for indentation", n);
    return { indent, text: text.trim(), n };
  });
  let pos = 0;
  const isContent = (l) => l.text !== "" && !l.text.startsWith("#") && l.text !== "---";
  const peek = () => { while (pos < lines.length && !isContent(lines[pos])) pos++; return lines[pos]; };

  const blockScalar = (header, parentIndent) => {
    const folded = header[0] === ">";
    const chomp = header.includes("-") ? "strip" : header.includes("+") ? "keep" : "clip";
    const collected = [];
    let blockIndent = null;
    while (pos < lines.length) {
      const l = lines[pos];
      const rawText = raw[l.n];
      if (l.text === "") { collected.push(""); pos++; continue; }
      if (l.indent <= parentIndent) break;
      if (blockIndent === null) blockIndent = l.indent;
      if (l.indent < blockIndent) break;
      collected.push(rawText.slice(blockIndent));
      pos++;
    }
    let trailing = 0;
    while (collected.length && collected[collected.length - 1] === "") { collected.pop(); trailing++; }
    let text = folded
      ? collected.reduce((acc, ln, idx) => (idx === 0 ? ln : acc + (ln === "" || /^\s/.test(ln) ? "\n" : (collected[idx - 1] === "" ? "" : " ")) + ln), "")
      : collected.join("\n");
    if (chomp === "clip" && collected.length) text += "\n";
    if (chomp === "keep") text += "\n".repeat(trailing + 1);
    return text;
  };

  // A value written after `key:` or `- ` on the same line.
  const inlineValue = (rest, ownerIndent, line) => {
    if (rest === "") return undefined;
    if (rest[0] === "|" || rest[0] === ">") return blockScalar(rest, ownerIndent);
    if (rest[0] === "{" || rest[0] === "[") {
      let text = rest;
      while (!flowBalanced(text) && pos < lines.length) {
        const next = lines[pos++];
        if (isContent(next)) text += " " + stripComment(next.text, next.n);
      }
      const { value, end } = parseFlow(text, 0, line);
      if (text.slice(end).trim() !== "") throw new YAMLError("unexpected text after flow collection", line);
      return value;
    }
    if (rest[0] === '"' || rest[0] === "'") {
      let text = rest;
      // Multi-line quoted scalars: keep reading until the quote closes.
      for (;;) {
        try { const r = readQuoted(text, 0, line); return r.value; } catch (e) {
          if (pos >= lines.length) throw e;
          const next = lines[pos++];
          text += next.text === "" ? "\n" : " " + next.text;
        }
      }
    }
    // Plain scalar, possibly continued on more-indented lines.
    let text = rest;
    for (;;) {
      const next = peek();
      if (!next || next.indent <= ownerIndent || KEY.test(next.text) || next.text.startsWith("- ")) break;
      text += " " + stripComment(next.text, next.n);
      pos++;
    }
    return typed(text);
  };

  const parseBlock = (minIndent) => {
    const first = peek();
    if (!first || first.indent < minIndent) return null;
    if (first.text === "-" || first.text.startsWith("- ")) return parseSequence(first.indent);
    return parseMapping(first.indent);
  };

  const parseSequence = (indent) => {
    const list = [];
    for (;;) {
      const l = peek();
      if (!l || l.indent !== indent || !(l.text === "-" || l.text.startsWith("- "))) break;
      const after = l.text === "-" ? "" : l.text.slice(2);
      const rest = stripComment(after.trimStart(), l.n);
      if (rest === "") { pos++; list.push(parseBlock(indent + 1)); continue; }
      if (KEY.test(rest) && !/^[{\["']/.test(rest.trim()) || /^("|')/.test(rest) && KEY.test(rest)) {
        // "- key: value": a mapping whose first key sits at the column after the dash.
        const column = indent + 2 + (after.length - after.trimStart().length);
        lines[pos] = { indent: column, text: rest, n: l.n };
        list.push(parseMapping(column));
        continue;
      }
      pos++;
      list.push(inlineValue(rest, indent, l.n));
    }
    return list;
  };

  const parseMapping = (indent) => {
    const map = {};
    for (;;) {
      const l = peek();
      if (!l || l.indent !== indent) {
        if (l && l.indent > indent) throw new YAMLError("bad indentation", l.n);
        break;
      }
      if (l.text.startsWith("- ") || l.text === "-") break;
      const text = stripComment(l.text, l.n);
      const m = KEY.exec(text);
      if (!m) throw new YAMLError(`expected "key: value", found ${JSON.stringify(l.text.slice(0, 40))}`, l.n);
      const rawKey = m[1];
      const key = rawKey[0] === '"' || rawKey[0] === "'" ? readQuoted(rawKey, 0, l.n).value : rawKey.trim();
      const rest = text.slice(m[0].length).trim();
      pos++;
      let value = inlineValue(rest, indent, l.n);
      if (value === undefined) {
        const next = peek();
        if (next && next.indent > indent) value = parseBlock(next.indent);
        else if (next && next.indent === indent && (next.text.startsWith("- ") || next.text === "-")) value = parseSequence(indent);
        else value = null;
      }
      map[key] = value;
    }
    return map;
  };

  const doc = parseBlock(0);
  const rest = peek();
  if (rest) throw new YAMLError(`unexpected content ${JSON.stringify(rest.text.slice(0, 40))}`, rest.n);
  return doc;
}
