// The command-center console: sign-in, the role-aware shell, hash routing and the alert area.
import "leaflet/dist/leaflet.css";
import "./console.css";
import { ApiError, User, cached, clearCache, del, get, post, setCsrf } from "./api";
import { clear, field, h } from "./dom";
import { language, setLanguage, setUtcOffset, t } from "./i18n";
import { startAlerts, stopAlerts, unlockAudio } from "./alerts";
import { queueScreen } from "./queues";
import { caseScreen } from "./case";
import { intakeScreen } from "./intake";
import { mapScreen, reportScreen } from "./supervisor";
import { wallScreen } from "./wall";
import { adminScreen } from "./admin";
import { Session, hasRole, state } from "./state";

const root = document.getElementById("app") as HTMLElement;
let alertArea: HTMLElement | null = null;
interface NavItem { hash: string; label: () => string; roles: string[] }
const nav: NavItem[] = [
  { hash: "#/intake", label: () => t("navIntake"), roles: ["operator"] },
  { hash: "#/queues", label: () => t("navQueues"), roles: ["operator", "shift_leader", "dispatcher", "supervisor", "admin"] },
  { hash: "#/tasks", label: () => t("navTasks"), roles: ["unit", "officer"] },
  { hash: "#/report-problem", label: () => t("navReportProblem"), roles: ["officer"] },
  { hash: "#/map", label: () => t("navMap"), roles: ["supervisor", "shift_leader", "dispatcher", "admin"] },
  { hash: "#/report", label: () => t("navReport"), roles: ["supervisor", "shift_leader", "admin"] },
  { hash: "#/wall", label: () => t("navWall"), roles: ["supervisor", "shift_leader", "dispatcher", "operator", "admin"] },
  { hash: "#/admin", label: () => t("navAdmin"), roles: ["admin"] },
];
function homeFor(): string {
  if (state.session?.kiosk) return "#/wall";
  return nav.find((n) => hasRole(...n.roles))?.hash ?? "#/queues";
}

/** The deployment's UTC offset (work calendar), so that times read as the command center's. */
async function loadOffset(): Promise<void> {
  try { setUtcOffset((await cached<{ utc_offset: string }>("/api/v1/calendar")).utc_offset); } catch { /* browser time */ }
}

function signInScreen(message = ""): void {
  stopAlerts();
  const user = h("input", { name: "username", autocomplete: "username", required: true });
  const pass = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const error = h("p", { class: "error", role: "alert" }, message);
  const form = h("form", { class: "signin", "aria-label": t("signIn") },
    h("h1", {}, t("app")), field(t("username"), user), field(t("password"), pass), error,
    h("button", { type: "submit" }, t("signIn")), langButton());
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    unlockAudio();
    try {
      const r = await post<Session & { user: User }>("/api/v1/sessions",
        { username: user.value, password: pass.value, cookie: true });
      state.session = { user: r.user, csrf_token: r.csrf_token };
      setCsrf(r.csrf_token);
      await loadOffset();
      // Stay on the screen asked for before signing in (a link, a reload), else the role's home.
      if (!location.hash || location.hash === "#/") location.hash = homeFor();
      else render();
    } catch (err) {
      error.textContent = err instanceof ApiError && err.status === 429 ? t("locked") : t("badLogin");
    }
  });
  clear(root, h("main", { id: "main" }, form));
  user.focus();
}

function langButton(): HTMLElement {
  return h("button", { type: "button", class: "link", lang: language() === "zh" ? "en" : "zh",
    onclick: () => { setLanguage(language() === "zh" ? "en" : "zh"); render(); } }, t("lang"));
}

async function signOut(): Promise<void> {
  try { await del("/api/v1/sessions/current"); } catch { /* signed out anyway */ }
  state.session = null;
  alertArea = null;
  setCsrf("");
  clearCache();
  location.hash = "";
  signInScreen();
}

function shell(): HTMLElement {
  const u = state.session!.user;
  const current = location.hash.split("/").slice(0, 2).join("/");
  const kiosk = state.session!.kiosk === true;
  const links = nav.filter((n) => (kiosk ? n.hash === "#/wall" : hasRole(...n.roles))).map((n) =>
    h("li", {}, h("a", { href: n.hash, "aria-current": current === n.hash ? "page" : undefined }, n.label())));
  return h("header", { class: "top" },
    h("span", { class: "brand" }, t("app")),
    h("nav", { "aria-label": "main" }, h("ul", {}, links)),
    h("span", { class: "who" }, `${t("signedInAs")}: ${u.display_name} (${u.roles.join(", ")})`),
    langButton(),
    kiosk ? null : h("button", { type: "button", class: "link", id: "signout", onclick: signOut }, t("signOut")));
}

export function render(): void {
  state.cleanup?.();
  state.cleanup = null;
  if (!state.session) { signInScreen(); return; }
  // The home screen by role; the hashchange that follows draws it.
  if (!location.hash || location.hash === "#/") { location.replace(homeFor()); return; }
  const parts = location.hash.replace(/^#\//, "").split("/").map(decodeURIComponent);
  const main = h("main", { id: "main", tabindex: "-1" });
  // The alert area outlives navigation: an alert stays until dismissed (or pushed out).
  alertArea ??= h("section", { id: "alerts", "aria-label": t("alerts"), "aria-live": "assertive" });
  const alerts = alertArea;
  const wall = parts[0] === "wall";
  clear(root, wall ? null : shell(), alerts, main);
  document.body.classList.toggle("wall-mode", wall);
  startAlerts(alerts);
  const screens: Record<string, (el: HTMLElement, args: string[]) => void | Promise<void>> = {
    queues: queueScreen, tasks: queueScreen, cases: caseScreen, intake: intakeScreen,
    "report-problem": intakeScreen, map: mapScreen, report: reportScreen, wall: wallScreen, admin: adminScreen,
  };
  const screen = screens[parts[0]] ?? queueScreen;
  Promise.resolve(screen(main, parts)).catch((err) => {
    if (err instanceof ApiError && err.status === 401) { state.session = null; signInScreen(); return; }
    main.append(h("p", { class: "error", role: "alert" }, String(err?.message ?? err)));
  });
}


/** A wall machine opens `/#/kiosk/<kiosk token>` once: the token becomes its (read-only,
 *  long-lived) session cookie and leaves the address bar. */
async function kioskSignIn(): Promise<void> {
  const m = /^#\/kiosk\/(.+)$/.exec(location.hash);
  if (!m) return;
  history.replaceState(null, "", `${location.pathname}#/wall`);
  try {
    await post("/api/v1/sessions", { token: decodeURIComponent(m[1]), cookie: true });
  } catch { /* a refused token: the sign-in page follows */ }
}

async function boot(): Promise<void> {
  setLanguage(language());
  await kioskSignIn();
  try {
    const r = await get<Session>("/api/v1/sessions/current");
    state.session = { user: r.user, csrf_token: r.csrf_token, kiosk: r.kiosk === true };
    setCsrf(r.csrf_token);
    await loadOffset();
  } catch {
    state.session = null;
  }
  window.addEventListener("hashchange", render);
  window.addEventListener("gridcase:signed-out", () => { state.session = null; signInScreen(); });
  document.addEventListener("click", unlockAudio, { once: true });
  render();
}
void boot();
