// Admin: read-only tables of users, officers, units, categories and the work calendar.
import { categories, get } from "./api";
import { Child, clear, h } from "./dom";
import { t } from "./i18n";

function table(caption: string, heads: string[], rows: Child[][]): HTMLElement {
  return h("table", {}, h("caption", {}, caption), h("thead", {}, h("tr", {}, heads.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))));
}

export async function adminScreen(main: HTMLElement, args: string[]): Promise<void> {
  const tabs = ["users", "officers", "units", "categories", "calendar"] as const;
  const tab = (tabs as readonly string[]).includes(args[1]) ? args[1] as typeof tabs[number] : "users";
  const body = h("div", {}, t("loading"));
  clear(main, h("h1", {}, t("navAdmin")), h("nav", { class: "tabs", "aria-label": t("navAdmin") },
    tabs.map((x) => h("a", { href: `#/admin/${x}`, "aria-current": x === tab ? "page" : undefined }, t(x)))), body);
  if (tab === "users") {
    const r = await get<{ items: { username: string; display_name: string; roles: string[]; scope: string; active: boolean }[] }>("/api/v1/users");
    clear(body, table(t("users"), [t("username"), t("name"), t("roles"), t("scope"), t("active")],
      r.items.map((u) => [u.username, u.display_name, u.roles.join(", "), u.scope, u.active ? "✓" : "—"])));
  } else if (tab === "officers") {
    const r = await get<{ items: { code: string; name: string; phone: string | null; active: boolean; duties: { duty: string; cell: string; in_force: boolean }[] }[] }>("/api/v1/officers?limit=200");
    // Duties in force today: how many cells of each duty the officer holds.
    const duties = (o: { duties: { duty: string; in_force: boolean }[] }) => {
      const n = new Map<string, number>();
      for (const d of o.duties) if (d.in_force) n.set(d.duty, (n.get(d.duty) ?? 0) + 1);
      return [...n].map(([d, k]) => `${d} × ${k}`).join(", ") || "—";
    };
    clear(body, table(t("officers"), [t("officerCode"), t("name"), t("phone"), t("duties"), t("active")],
      r.items.map((o) => [o.code, o.name, o.phone ?? "—", duties(o), o.active ? "✓" : "—"])));
  } else if (tab === "units") {
    const r = await get<{ items: { code: string; name: string; type: string; scope: string; scope_name: string; active: boolean }[] }>("/api/v1/units");
    clear(body, table(t("units"), [t("unit"), t("name"), t("type"), t("scope"), t("active")],
      r.items.map((u) => [u.code, u.name, u.type, `${u.scope_name} ${u.scope}`, u.active ? "✓" : "—"])));
  } else if (tab === "categories") {
    const list = await categories();
    clear(body, table(t("categories"), [t("category"), t("name"), t("conditions")],
      list.map((c) => [c.key, c.name, h("ul", {}, c.conditions.map((x) => h("li", {}, `${x.id}: ${x.text} — ${x.limit.value} ${x.limit.unit}, ${x.unit_type}`)))])));
  } else {
    const c = await get<{ utc_offset: string; working_periods: { weekday: string; start: string; end: string }[]; fixed_holidays?: string[]; holidays?: string[] }>("/api/v1/calendar");
    clear(body, h("p", {}, `UTC${c.utc_offset}`), table(t("workingPeriods"), [t("day"), t("start"), t("end")], c.working_periods.map((p) => [p.weekday, p.start, p.end])),
      h("p", {}, `${t("holidays")}: ${[...(c.fixed_holidays ?? []), ...(c.holidays ?? [])].join(", ") || "—"}`));
  }
}
