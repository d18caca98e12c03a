// A tiny element builder: h("div", {class: "x", onclick: f}, child, "text").
type Attrs = Record<string, unknown>;
export type Child = Node | string | number | null | undefined | false | Child[];

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {},
                                                         ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") {
      el.addEventListener(k.slice(2), v as EventListener);
    } else if (k === "class") {
      el.className = String(v);
    } else if (k in el && typeof v !== "string") {
      (el as unknown as Record<string, unknown>)[k] = v;
    } else {
      el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  append(el, children);
  return el;
}
export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
  }
}
export function clear(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}
let uid = 0;
export function nextId(prefix = "f"): string { return `${prefix}${++uid}`; }

/** A labelled form control. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  if (!control.id) control.id = nextId();
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control,
           hint ? h("small", {}, hint) : null);
}
export function lightDot(light: string | null | undefined, label: string): HTMLElement {
  return h("span", { class: `light light-${light ?? "none"}`, role: "img", "aria-label": label, title: label });
}
