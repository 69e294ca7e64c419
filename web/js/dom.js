// Tiny DOM helpers. User and server text only ever goes through textContent or
// attribute setters — never innerHTML.

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * h("button.primary", {type: "button", dataset: {testid: "x"}, on: {click}}, "text", child)
 * Strings become text nodes; arrays are flattened; null/false are skipped.
 */
export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split(".");
  const el = document.createElement(tag || "div");
  if (classes.length) el.className = classes.join(" ");
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function applyAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "on") {
      for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
    } else if (key === "text") el.textContent = value;
    else if (key === "className") el.className = value;
    else if (key === "value") el.value = value;
    else if (key === "checked" || key === "disabled" || key === "selected" || key === "hidden") {
      el[key] = Boolean(value);
    } else el.setAttribute(key, value === true ? "" : String(value));
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** Small inline SVG icons (no files, no fonts). */
export function icon(name, { size = 22, label = null } = {}) {
  const common = { width: size, height: size, viewBox: "0 0 24 24", class: `icon icon-${name}` };
  if (label) Object.assign(common, { role: "img", "aria-label": label });
  else common["aria-hidden"] = "true";
  const paths = {
    heart: svg("path", { d: "M12 21s-7.5-4.6-9.6-9.2C.9 8.3 3 4.5 6.6 4.5c2.1 0 3.6 1.2 5.4 3.2 1.8-2 3.3-3.2 5.4-3.2 3.6 0 5.7 3.8 4.2 7.3C19.5 16.4 12 21 12 21z", fill: "currentColor" }),
    flame: svg("path", { d: "M12 2c1 4-3 5.5-3 9.5A3 3 0 0 0 12 14a3 3 0 0 0 3-3c0-1-.4-2-1-2.8 3 1.3 5 4.2 5 7.3A7 7 0 0 1 5 15.5C5 9 12 7 12 2z", fill: "currentColor" }),
    bolt: svg("path", { d: "M13 2 4 14h7l-1 8 9-12h-7z", fill: "currentColor" }),
    speaker: [
      svg("path", { d: "M4 9h4l5-4v14l-5-4H4z", fill: "currentColor" }),
      svg("path", { d: "M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12", fill: "none", stroke: "currentColor", "stroke-width": "2", "stroke-linecap": "round" }),
    ],
    close: svg("path", { d: "M6 6l12 12M18 6 6 18", stroke: "currentColor", "stroke-width": "2.5", "stroke-linecap": "round" }),
    check: svg("path", { d: "M5 12.5l4.5 4.5L19 7.5", fill: "none", stroke: "currentColor", "stroke-width": "3", "stroke-linecap": "round", "stroke-linejoin": "round" }),
    star: svg("path", { d: "M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z", fill: "currentColor" }),
    lock: [
      svg("rect", { x: 5, y: 10, width: 14, height: 10, rx: 2, fill: "currentColor" }),
      svg("path", { d: "M8 10V7a4 4 0 0 1 8 0v3", fill: "none", stroke: "currentColor", "stroke-width": "2" }),
    ],
    book: svg("path", { d: "M4 5a2 2 0 0 1 2-2h13v16H6a2 2 0 0 0-2 2zM6 19h13v2H6", fill: "currentColor" }),
    trophy: svg("path", { d: "M7 3h10v3h3v2a4 4 0 0 1-4 4 5 5 0 0 1-3 3v3h3v3H8v-3h3v-3a5 5 0 0 1-3-3 4 4 0 0 1-4-4V6h3zm-1 5a2 2 0 0 0 1 2V8zm12 0v2a2 2 0 0 0 1-2z", fill: "currentColor" }),
    user: [
      svg("circle", { cx: 12, cy: 8, r: 4, fill: "currentColor" }),
      svg("path", { d: "M4 21a8 8 0 0 1 16 0z", fill: "currentColor" }),
    ],
    pencil: svg("path", { d: "M4 20h4L19 9l-4-4L4 16zM14 6l4 4", fill: "none", stroke: "currentColor", "stroke-width": "2", "stroke-linejoin": "round" }),
    dumbbell: svg("path", { d: "M2 10h3V7h3v10H5v-3H2zm20 0h-3V7h-3v10h3v-3h3zM8 11h8v2H8z", fill: "currentColor" }),
  };
  return svg("svg", common, paths[name] || []);
}

export function uuid() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Move focus to the first element matching a selector inside root, if any. */
export function focusFirst(root, selector = "h1, h2, [autofocus], input, button") {
  const el = root.querySelector(selector);
  if (el) {
    if (!el.hasAttribute("tabindex") && /^H\d$/.test(el.tagName)) el.setAttribute("tabindex", "-1");
    el.focus({ preventScroll: false });
  }
}
