// Queues by stage: one status at a time (or all), sortable and filterable, read page by page
// (keyset, 200 a page) and drawn virtualized so that thousands of rows scroll smoothly.
import { CHANNELS, CaseSummary, OPEN_STATUSES, Page, cached, categories, get, query } from "./api";
import { clear, field, h, lightDot } from "./dom";
import { channelName, fmtTime, statusName, t } from "./i18n";
import { hasRole, onLeave, scopeGrid } from "./state";
import { onFeed } from "./alerts";

const ROW = 36;

export function lightOf(c: CaseSummary): string | null {
  if (c.light) return c.light;
  if (!c.handling_deadline) return null;
  return new Date(c.handling_deadline).getTime() <= Date.now() ? "red" : "green";
}

function tabsFor(): string[] {
  if (hasRole("unit")) return ["dispatched", "handling", "suspended", "handled"];
  if (hasRole("officer")) return ["verifying", "handled", "all"];
  if (hasRole("operator") && !hasRole("shift_leader", "dispatcher")) return ["received", "verifying", "resolved", "replied", "closed", "all"];
  return [...OPEN_STATUSES, "rejected", "closed", "all"];
}

export async function queueScreen(main: HTMLElement, args: string[]): Promise<void> {
  const tabs = tabsFor();
  const status = args[1] && (tabs.includes(args[1]) || args[1] === "all") ? args[1] : tabs[0];
  const grid = args[2] ?? "";
  const base = args[0] === "tasks" ? "#/tasks" : "#/queues";
  const sort = h("select", {}, ...[["newest", t("newest")], ["oldest", t("oldest")], ["deadline", t("byDeadline")],
    ["updated", t("updated")]].map(([v, l]) => h("option", { value: v }, l)));
  const channel = h("select", {}, h("option", { value: "" }, t("all")),
    ...CHANNELS.map((c) => h("option", { value: c }, channelName(c))));
  const area = h("select", {}, h("option", { value: "" }, t("all")));
  const category = h("select", {}, h("option", { value: "" }, t("all")));
  // The areas under the caller's node and the catalogue, for two more filters.
  void cached<{ children: { code: string; name: string }[] }>(`/api/v1/grid/${scopeGrid()}`).then((n) =>
    area.append(...n.children.map((c) => h("option", { value: c.code }, `${c.name} ${c.code}`)))).catch(() => undefined);
  void categories().then((list) => category.append(...list.filter((c) => !c.retired_at)
    .map((c) => h("option", { value: c.key }, `${c.key} ${c.name}`)))).catch(() => undefined);
  const overdue = h("input", { type: "checkbox" });
  const q = h("input", { type: "search", maxlength: 200 });
  const countEl = h("span", { class: "count", "aria-live": "polite" });
  const filters = h("form", { class: "filters", role: "search" },
    field(t("sort"), sort), field(t("channel"), channel), grid ? null : field(t("area"), area), field(t("category"), category),
    h("div", { class: "field check" }, overdue, h("label", { for: (overdue.id = "f-overdue") }, t("overdueOnly"))),
    field(t("search"), q), h("button", { type: "submit" }, t("search")), countEl);
  const tabBar = h("nav", { class: "tabs", "aria-label": t("status") }, ...tabs.map((s) =>
    h("a", { href: `${base}/${s}${grid ? `/${grid}` : ""}`, "aria-current": s === status ? "page" : undefined },
      s === "all" ? t("all") : statusName(s))));
  const head = h("div", { class: "row head", role: "row" }, ...[t("light"), t("caseNo"), t("status"), t("channel"),
    t("description"), t("cell"), t("received"), t("deadline")].map((l) => h("span", { role: "columnheader" }, l)));
  const rowsEl = h("div", { class: "rows", role: "rowgroup" });
  // The table scrolls inside a focusable viewport; its header row stays on top (sticky) and only
  // the rows in view (and a few around) exist in the DOM.
  const spacer = h("div", { class: "spacer", role: "table", "aria-label": t("cases") },
    h("div", { class: "head-group", role: "rowgroup" }, head), rowsEl);
  const viewport = h("div", { class: "viewport", tabindex: "0", role: "region", "aria-label": t("cases") }, spacer);
  const table = h("div", { class: "queue" }, viewport);
  clear(main, h("h1", {}, `${base === "#/tasks" ? t("navTasks") : t("navQueues")}${grid ? ` · ${grid}` : ""}`),
    tabBar, filters, table);

  let items: CaseSummary[] = [];
  let cursor: string | null = null;
  let loading = false;
  let generation = 0;

  const draw = () => {
    const started = performance.now();
    spacer.style.height = `${(items.length + 1) * ROW}px`;
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW) - 10);
    const last = Math.min(items.length, first + Math.ceil(viewport.clientHeight / ROW) + 20);
    rowsEl.style.transform = `translateY(${(first + 1) * ROW}px)`;
    // Rows are recycled: the same few dozen elements get the visible cases' text.
    const visible = items.slice(first, last);
    while (rowsEl.children.length < visible.length) {
      rowsEl.append(h("div", { class: "row", role: "row" }, ...Array.from({ length: 8 }, () => h("span", { role: "cell" }))));
    }
    while (rowsEl.children.length > visible.length) rowsEl.lastElementChild!.remove();
    visible.forEach((c, i) => {
      const row = rowsEl.children[i] as HTMLElement;
      if (row.dataset.key === `${c.case_no}/${c.version}`) return;
      row.dataset.key = `${c.case_no}/${c.version}`;
      row.classList.toggle("claimed", !!c.claim);
      const cells = row.children;
      const light = lightOf(c);
      cells[0].replaceChildren(lightDot(light, light ? t(light as "green") : t("none")));
      cells[1].replaceChildren(h("a", { href: `#/cases/${c.case_no}` }, c.case_no));
      cells[2].textContent = statusName(c.status);
      cells[3].textContent = channelName(c.channel);
      cells[4].textContent = `${c.claim ? `[${t("claimedBy")}${c.claim.claimed_by}] ` : ""}${c.description ?? ""}`;
      (cells[4] as HTMLElement).title = c.description ?? "";
      cells[5].textContent = c.cell ?? "—";
      cells[6].textContent = fmtTime(c.received_at);
      cells[7].textContent = fmtTime(c.handling_deadline);
    });
    countEl.textContent = `${items.length}${cursor ? "+" : ""} ${t("count")}`;
    // Redraw times, kept while the browser test measures smoothness (data-trace set).
    if (viewport.dataset.trace) viewport.dataset.draws = `${viewport.dataset.draws ?? ""}${(performance.now() - started).toFixed(2)} `;
    if (cursor && !loading && last > items.length - 40) void more();
  };
  const more = async () => {
    const mine = generation;
    loading = true;
    try {
      const page = await get<Page<CaseSummary>>(`/api/v1/cases${query({
        status: status === "all" ? undefined : status, grid: grid || area.value || undefined, sort: sort.value,
        category: category.value,
        channel: channel.value, overdue: overdue.checked ? true : undefined, q: q.value.trim(),
        limit: 200, cursor,
      })}`);
      if (mine !== generation) return;
      items = items.concat(page.items);
      cursor = page.next_cursor;
    } finally {
      if (mine === generation) loading = false;
    }
    draw();
  };
  const reload = () => {
    generation++;
    items = [];
    rowsEl.replaceChildren();
    cursor = null;
    loading = false;
    viewport.scrollTop = 0;
    return more();
  };
  let frame = 0;
  viewport.addEventListener("scroll", () => { if (!frame) frame = requestAnimationFrame(() => { frame = 0; draw(); }); }, { passive: true });
  for (const c of [sort, channel, area, category, overdue]) c.addEventListener("change", () => void reload());
  filters.addEventListener("submit", (e) => { e.preventDefault(); void reload(); });
  // The live feed: a case entering or leaving this stage reloads the queue (at most every 2 s).
  let pending = 0;
  const off = onFeed((e) => {
    if (status !== "all" && e.from !== status && e.to !== status) return;
    if (!pending) pending = window.setTimeout(() => { pending = 0; void reload(); }, 2000);
  });
  onLeave(() => { off(); clearTimeout(pending); });
  await reload();
}
