// The command-center console (issue 17) in headless Debian Chromium against a real server:
//   node console.mjs BASE_URL
// with the passwords in the environment (CONSOLE_PASSWORD_<USERNAME>, e.g. CONSOLE_PASSWORD_OPERATOR)
// and the name of a supervisor of another street in CONSOLE_OTHER_SUPERVISOR. Walks: the operator
// signs in (cookie), takes a hotline case with the point picked on the map; the shift leader
// registers it; the dispatcher dispatches it by suggestion while the street's wall shows it live;
// a stale second tab is caught; the unit sees its task; a supervisor of another street does not
// see the case; keyboard-only intake; the admin's forms (users, tokens, officers, duties, units,
// time limits, calendar), each checked through the API; sign-out. Every screen is checked with axe-core (no serious
// or critical violation) and photographed into CONSOLE_SCREENSHOTS (default /tmp). Exits 1 on
// any failure, console error, page error, Content-Security-Policy violation or outside request.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const base = (process.argv[2] || '').replace(/\/$/, '');
if (!base) { console.error('usage: node console.mjs BASE_URL'); process.exit(2); }
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const shots = process.env.CONSOLE_SCREENSHOTS || '/tmp/gridcase-console-screenshots';
const docsShots = process.env.CONSOLE_DOCS_SCREENSHOTS;  // set: copies go there (docs/console)
mkdirSync(shots, { recursive: true });
const password = (user) => {
  const p = process.env[`CONSOLE_PASSWORD_${user.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`];
  if (!p) throw new Error(`no password for ${user} in the environment`);
  return p;
};
const problems = [];
const figures = {};
const started = Date.now();
const step = (text) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`);
function check(ok, text) { if (!ok) { problems.push(text); console.error(`FAIL: ${text}`); } }

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required'],
});

async function newPage(viewport = { width: 1440, height: 900 }, options = {}) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', ...options });
  const page = await context.newPage();
  // A refused API call (the 404 of another street's case, the 412 of the stale tab, the 422 of a
  // report day before the first case) is logged by Chromium as a failed resource: the walk checks
  // what it provokes itself, and any 5xx answer fails it.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4/.test(m.text())) problems.push(`console error: ${m.text()}`);
  });
  page.on('response', (r) => { if (r.status() >= 500) problems.push(`${r.status()} from ${r.request().method()} ${r.url()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) problems.push(`outside request: ${r.url()}`); });
  await page.addInitScript(() => {
    // Count the beeps: every alert starts one oscillator.
    window.__beeps = 0;
    const create = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function () { window.__beeps++; return create.call(this); };
    document.addEventListener('securitypolicyviolation', (e) => console.error(`policy violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return { context, page };
}

async function axe(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) problems.push(`axe ${name}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  step(`axe ${name}: ${result.violations.length} violations (${result.violations.map((v) => `${v.impact} ${v.id}`).join(', ')}), ${bad.length} serious or critical`);
}
async function shot(page, name) {
  const file = join(shots, `${name}.png`);
  await page.screenshot({ path: file });
  if (docsShots) { mkdirSync(docsShots, { recursive: true }); copyFileSync(file, join(docsShots, `${name}.png`)); }
}
async function signIn(page, user) {
  await page.goto(`${base}/`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password(user));
  await page.click('form.signin button[type=submit]');
  await page.waitForSelector('header.top nav');
}
async function signOut(page) {
  await page.click('#signout');
  await page.waitForSelector('form.signin');
  const r = await page.evaluate(async () => (await fetch('/api/v1/sessions/current')).status);
  check(r === 401, `after sign-out the session still answers ${r}`);
}
/** Opens an action's form on the case page, lets `fill` fill it, submits, waits for `status`. */
async function act(page, action, status, fill) {
  const f = await openAction(page, action);
  if (fill) await fill(f);
  await f.locator('button[type=submit]').click();
  await page.waitForSelector(`h1[data-status=${status}]`, { timeout: 15000 });
  step(`${action} → ${status}`);
}
/** The admin's write forms, each checked through the API afterwards. */
async function adminForms(page) {
  const api = (path) => page.evaluate(async (p) => { const r = await fetch(p); return { status: r.status, body: await r.json().catch(() => null) }; }, path);
  const suffix = Date.now().toString(36);
  const form = (title) => page.locator(`form.admin-form[aria-label="${title}"]`);
  // Users: a taken username is refused, the server's words next to the field; then a new account.
  await page.goto(`${base}/#/admin/users`);
  let f = form('新建用户');
  await f.waitFor();
  await f.locator('input[name=username]').fill('operator');
  await f.locator('input[name=display_name]').fill('重名测试');
  await f.locator('span[name=roles] input[value=dispatcher]').check();
  await f.locator('input[name=password]').fill('Console-admin-2026');
  await f.locator('button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('form.admin-form [role=alert]')?.textContent);
  const refusal = await f.locator('small[data-field=username]').textContent();
  const refusalDetail = await f.locator('[role=alert]').textContent();
  check(/operator|taken|exists|已/.test(refusal + refusalDetail) && refusal.length > 0, `the taken username is not named next to the field: "${refusal}" / "${refusalDetail}"`);
  check(await f.locator('input[name=username]').getAttribute('aria-invalid') === 'true', 'the refused username is not marked invalid');
  await axe(page, 'admin-user-refused');
  await shot(page, 'admin-user-refused');
  const user = `walk.${suffix}`;
  await f.locator('input[name=username]').fill(user);
  await f.locator('input[name=display_name]').fill('测试调度员');
  await f.locator('button[type=submit]').click();
  await page.waitForSelector(`form.admin-form[aria-label$="${user}"]`);
  check((await page.locator('main table').last().textContent()).includes(user), 'the new user is not listed');
  let u = await api(`/api/v1/users/${user}`);
  check(u.status === 200 && u.body.roles.join() === 'dispatcher', `the new user through the API: ${JSON.stringify(u)}`);
  // Edit: another role; the table and the API say so.
  f = page.locator(`form.admin-form[aria-label$="${user}"]`);
  await f.locator('span[name=roles] input[value=shift_leader]').check();
  await f.locator('button[type=submit]').click();
  await page.waitForFunction((n) => [...document.querySelectorAll('main table tr')].some((r) => r.textContent.includes(n) && r.textContent.includes('shift_leader')), user);
  u = await api(`/api/v1/users/${user}`);
  check(u.body.roles.includes('shift_leader'), `the edited roles through the API: ${JSON.stringify(u.body)}`);
  // A kiosk token: shown once, listed, revoked.
  f = form('签发令牌');
  await f.locator('input[name=label]').fill('walk wall');
  await f.locator('button[type=submit]').click();
  const token = page.locator('code.token');
  await token.waitFor();
  check(/^gct_/.test(await token.textContent()), 'the issued token is not shown');
  const tokenId = await token.getAttribute('data-token-id');
  await page.waitForSelector(`button[data-revoke="${tokenId}"]`);
  await axe(page, 'admin-user');
  await shot(page, 'admin-user');
  let tokens = await api(`/api/v1/users/${user}/tokens`);
  check(tokens.body.items.some((x) => String(x.id) === tokenId && x.kind === 'kiosk' && !x.revoked_at), `the kiosk token through the API: ${JSON.stringify(tokens.body)}`);
  await page.click(`button[data-revoke="${tokenId}"]`);
  await page.waitForSelector(`button[data-revoke="${tokenId}"]`, { state: 'detached' });
  tokens = await api(`/api/v1/users/${user}/tokens`);
  check(tokens.body.items.some((x) => String(x.id) === tokenId && x.revoked_at), `the revoked token through the API: ${JSON.stringify(tokens.body)}`);
  // A new password: the account signs in with it.
  f = form('重置密码');
  await f.locator('input[name=password]').fill('Walk-reset-2026!');
  await f.locator('button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('main p[role=status]')?.textContent);
  const signin = await page.evaluate(async (name) => (await fetch('/api/v1/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: name, password: 'Walk-reset-2026!' }) })).status, user);
  check(signin === 201, `the new password signs in with ${signin}`);
  step('admin: user refused, created, edited, password reset; kiosk token issued and revoked');
  // Officers and duties: a new officer; a sanitation duty of a demo officer ended today and its
  // cell assigned to the new officer (one officer per duty and cell).
  // "e2e-": the codes the end-to-end tests' counts of the demo district leave out.
  const code = `e2e-walk-${suffix}`;
  await page.goto(`${base}/#/admin/officers`);
  f = form('新建监督员');
  await f.waitFor();
  await f.locator('input[name=code]').fill(code);
  await f.locator('input[name=name]').fill('测试监督员');
  await f.locator('input[name=phone]').fill('13900000000');
  await f.locator('button[type=submit]').click();
  await page.waitForFunction((c) => [...document.querySelectorAll('main table td')].some((td) => td.textContent === c), code);
  await axe(page, 'admin-officers');
  check((await api(`/api/v1/officers/${code}`)).status === 200, 'the new officer is not there through the API');
  const demo = (await api('/api/v1/officers/KDL0004')).body;
  const held = demo.duties.find((d) => d.in_force && d.duty === 'sanitation' && !d.to);
  check(!!held, `KDL0004 holds no sanitation duty: ${JSON.stringify(demo).slice(0, 300)}`);
  await page.goto(`${base}/#/admin/duties/KDL0004`);
  await page.click(`button[data-end="${held.id}"]`);
  await page.waitForSelector(`button[data-end="${held.id}"]`, { state: 'detached' });
  const ended = (await api('/api/v1/officers/KDL0004')).body.duties.find((d) => d.id === held.id);
  check(ended && ended.to && !ended.in_force, `the ended duty through the API: ${JSON.stringify(ended)}`);
  f = form('指派责任网格');
  await f.locator('input[name=officer]').fill(code);
  await f.locator('select[name=duty]').selectOption('sanitation');
  await f.locator('input[name=cells]').fill(held.cell);
  await f.locator('button[type=submit]').click();
  await page.waitForSelector(`button[data-end]`);
  await axe(page, 'admin-duties');
  await shot(page, 'admin-duties');
  const assigned = (await api(`/api/v1/officers/${code}`)).body.duties;
  check(assigned.some((d) => d.cell === held.cell && d.duty === 'sanitation' && d.in_force), `the assigned duty through the API: ${JSON.stringify(assigned)}`);
  // Handed back to the demo officer from tomorrow (a duty that begins today cannot be handed over today).
  const tomorrow = await page.evaluate(() => new Date(Date.now() + 8 * 3600000 + 86400000).toISOString().slice(0, 10));
  f = form('交接网格');
  await f.locator('input[name=to]').fill('KDL0004');
  await f.locator('select[name=duty]').selectOption('sanitation');
  await f.locator('input[name=cells]').fill(held.cell);
  await f.locator('input[name=on]').fill(tomorrow);
  await f.locator('button[type=submit]').click();
  await page.waitForFunction(() => location.hash === '#/admin/duties/KDL0004');
  const back = (await api('/api/v1/officers/KDL0004')).body.duties;
  check(back.some((d) => d.cell === held.cell && d.from === tomorrow && !d.to), `the handover through the API: ${JSON.stringify(back.slice(0, 3))}`);
  step('admin: officer created; a duty ended, its cell assigned to the new officer and handed back');
  // A unit.
  const unitCode = `e2e-walk-${suffix}`;
  await page.goto(`${base}/#/admin/units`);
  f = form('新建处置单位');
  await f.waitFor();
  await f.locator('input[name=code]').fill(unitCode);
  await f.locator('input[name=name]').fill('测试环卫队');
  await f.locator('input[name=type]').fill('sanitation');
  await f.locator('button[type=submit]').click();
  await page.waitForFunction((c) => [...document.querySelectorAll('main table td')].some((td) => td.textContent === c), unitCode);
  await axe(page, 'admin-units');
  check((await api('/api/v1/units')).body.items.some((x) => x.code === unitCode && x.type === 'sanitation'), 'the new unit is not listed through the API');
  // A category's stage time limit.
  await page.goto(`${base}/#/admin/categories`);
  f = form('类别阶段时限');
  await f.waitFor();
  // event:0602: a category no other test reads the limits of (they run beside this one).
  await f.locator('select[name=key]').selectOption('event:0602');
  const key = await f.locator('select[name=key]').inputValue();
  await f.locator('input[name=check]').fill('4');
  await f.locator('select[name="check.unit"]').selectOption('work_hour');
  await f.locator('button[type=submit]').click();
  await page.waitForFunction(() => /check: 4 work_hour/.test(document.querySelector('main table')?.textContent || ''));
  await axe(page, 'admin-categories-form');
  const cats = (await api('/api/v1/categories')).body;
  const cat = (Array.isArray(cats) ? cats : cats.items).find((c) => c.key === key);
  check(cat?.time_limits?.check?.value === 4, `the time limit through the API: ${JSON.stringify(cat?.time_limits)}`);
  // The calendar: a holiday added (and removed again).
  const day = `2031-0${1 + (Date.now() % 9)}-1${Date.now() % 10}`;
  await page.goto(`${base}/#/admin/calendar`);
  f = form('添加日期');
  await f.waitFor();
  await f.locator('input[name=date]').fill(day);
  await f.locator('button[type=submit]').click();
  await page.waitForSelector(`button[data-remove="${day}"]`);
  await axe(page, 'admin-calendar');
  await shot(page, 'admin-calendar');
  check(((await api('/api/v1/calendar')).body.holidays || []).includes(day), `the holiday ${day} is not in the calendar through the API`);
  await page.click(`button[data-remove="${day}"]`);
  await page.waitForSelector(`button[data-remove="${day}"]`, { state: 'detached' });
  check(!((await api('/api/v1/calendar')).body.holidays || []).includes(day), `the holiday ${day} stayed after removal`);
  step('admin: a holiday added and removed');
}

async function openAction(page, action) {
  const box = page.locator(`details.action-box:has(form[data-action=${action}])`);
  await box.locator('summary').click();
  return box.locator('form');
}

try {
  // --- the operator: sign-in page, cookie, first load, intake with the point picked on the map.
  const op = await newPage();
  await op.page.goto(`${base}/`);
  await op.page.waitForSelector('form.signin');
  await axe(op.page, 'sign-in');
  await shot(op.page, 'sign-in');
  await signIn(op.page, 'operator');
  const cookies = await op.context.cookies();
  const session = cookies.find((c) => c.name === 'gridcase_session');
  check(session && session.httpOnly && session.sameSite === 'Strict', `session cookie ${JSON.stringify(session)}`);
  const noCsrf = await op.page.evaluate(async () => (await fetch('/api/v1/cases', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status);
  check(noCsrf === 403, `a POST without X-CSRF-Token answered ${noCsrf}, not 403`);
  // First load with a session: navigation start to the shell drawn.
  const t0 = Date.now();
  await op.page.goto(`${base}/#/intake`);
  await op.page.reload();
  await op.page.waitForSelector('form.intake select[name=category] option[value="event:0101"]', { state: 'attached' });
  figures.first_load_ms = await op.page.evaluate(() => Math.round(performance.now()));
  figures.first_load_wall_ms = Date.now() - t0;
  const js = await (await fetch(`${base}/console/console.js`)).arrayBuffer();
  const css = await (await fetch(`${base}/console/console.css`)).arrayBuffer();
  figures.js_gzip_bytes = gzipSync(Buffer.from(js), { level: 9 }).length;
  figures.css_gzip_bytes = gzipSync(Buffer.from(css), { level: 9 }).length;
  check(figures.js_gzip_bytes < 300 * 1024, `console.js is ${figures.js_gzip_bytes} bytes gzipped`);

  await op.page.selectOption('select[name=channel]', 'hotline_12319');
  await op.page.waitForSelector('.intake-grid .map[data-ready]');
  await op.page.fill('textarea[name=description]', '控制台测试：友谊大街路边占道经营 console test stall');
  // Pick the README's point on the map (a real click at its pixel).
  const pixel = await op.page.evaluate(() => {
    const el = document.querySelector('.intake-grid .map');
    const map = el.leafletMap;
    map.setView([40.65, 109.83], 17, { animate: false });
    const p = map.latLngToContainerPoint([40.65, 109.83]);
    const r = el.getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  });
  await op.page.mouse.click(pixel.x, pixel.y);
  await op.page.waitForFunction(() => /150203004007017/.test(document.querySelector('.where')?.textContent || ''), null, { timeout: 10000 });
  await op.page.waitForSelector('.dupes h2');
  await op.page.selectOption('select[name=category]', 'event:0101');
  await op.page.fill('input[name=reporter_name]', '王先生');
  await op.page.fill('input[name=reporter_phone]', '13912345678');
  await op.page.fill('input[name=call_operator]', '受理员');
  await axe(op.page, 'intake');
  await shot(op.page, 'intake');
  await op.page.click('form.intake button[type=submit]');
  await op.page.waitForSelector('#created-case', { timeout: 10000 });
  const caseNo = (await op.page.textContent('#created-case')).trim();
  step(`operator took ${caseNo}`);
  check(/^150203-\d{8}-\d{6}$/.test(caseNo), `case number ${caseNo}`);

  // Keyboard-only intake: Tab between fields, type, Enter to locate and to submit.
  await op.page.goto(`${base}/#/intake`);
  await op.page.reload();
  await op.page.waitForSelector('form.intake select[name=category] option[value="event:0102"]', { state: 'attached' });
  const tabTo = async (name) => {
    for (let i = 0; i < 80; i++) {
      if (await op.page.evaluate((n) => document.activeElement?.getAttribute('name') === n, name)) return;
      await op.page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${name}`);
  };
  await tabTo('channel');
  await op.page.keyboard.press('ArrowDown');  // hotline_12345
  await tabTo('description');
  await op.page.keyboard.type('键盘受理 keyboard-only intake');
  // The caller names an address: typed, looked up in the gazetteer, picked with Tab and Enter;
  // the point moves to it. Then they say where exactly: typed coordinates, Enter locates them.
  await tabTo('address');
  await op.page.keyboard.type('友谊大街10');
  await op.page.waitForSelector('.address-hits button', { timeout: 10000 });
  await op.page.keyboard.press('Tab');
  const hit = await op.page.evaluate(() => document.activeElement?.textContent || '');
  await op.page.keyboard.press('Enter');
  await op.page.waitForFunction((c) => (document.querySelector('.where')?.textContent || '').includes(c), hit.split(' · ')[1] || '1502030', { timeout: 10000 });
  check(/^友谊大街10/.test(await op.page.inputValue('input[name=address]')), `the address picked: ${hit}`);
  await tabTo('lon');
  await op.page.keyboard.press('Control+A');
  await op.page.keyboard.type('109.83');
  await tabTo('lat');
  await op.page.keyboard.press('Control+A');
  await op.page.keyboard.type('40.65');
  await op.page.keyboard.press('Enter');
  await op.page.waitForFunction(() => /150203004007017/.test(document.querySelector('.where')?.textContent || ''), null, { timeout: 10000 });
  await tabTo('reporter_phone');
  await op.page.keyboard.type('13700001111');
  await tabTo('call_operator');
  await op.page.keyboard.type('kb');
  const submit = op.page.locator('form.intake button[type=submit]');
  for (let i = 0; i < 30 && !(await submit.evaluate((b) => b === document.activeElement)); i++) await op.page.keyboard.press('Tab');
  await op.page.keyboard.press('Enter');
  await op.page.waitForSelector('#created-case', { timeout: 10000 });
  const kbCase = (await op.page.textContent('#created-case')).trim();
  step(`keyboard-only intake took ${kbCase}`);
  // The operator sends it to the cell's officer for verification.
  await op.page.goto(`${base}/#/cases/${kbCase}`);
  await op.page.waitForSelector('details.action-box');
  await act(op.page, 'request_verification', 'verifying');

  // The operator's desk claims the case: the other desks see who works on it.
  await op.page.goto(`${base}/#/cases/${caseNo}`);
  await op.page.click('.claim button');
  await op.page.waitForFunction(() => /operator/.test(document.querySelector('.claim')?.textContent || ''));
  step('operator claimed it');

  // Queues (the operator's received queue holds the new case).
  await op.page.goto(`${base}/#/queues/received`);
  await op.page.waitForSelector(`.queue a[href="#/cases/${caseNo}"]`, { timeout: 10000 });
  await axe(op.page, 'queues');
  await shot(op.page, 'queues');
  await signOut(op.page);

  // --- the shift leader registers it.
  const sl = await newPage();
  await signIn(sl.page, 'shift_leader');
  await sl.page.goto(`${base}/#/queues/received`);
  await sl.page.waitForSelector(`.queue .row.claimed a[href="#/cases/${caseNo}"]`, { timeout: 10000 });
  await sl.page.goto(`${base}/#/cases/${caseNo}`);
  await sl.page.waitForSelector('details.action-box');
  check(/operator/.test(await sl.page.textContent('.claim .warning')), 'the shift leader does not see the operator\'s claim');
  let form = await openAction(sl.page, 'register');
  await form.locator('select[name=category]').selectOption('event:0101');
  await form.locator('select[name=condition] option').first().waitFor({ state: 'attached' });
  await form.locator('button[type=submit]').click();
  await sl.page.waitForFunction(() => /已立案|registered/.test(document.querySelector('h1')?.textContent || ''), null, { timeout: 10000 });
  step('shift leader registered it');

  // --- the street's supervisor watches the wall; the dispatcher dispatches by suggestion.
  const sup = await newPage({ width: 1920, height: 1080 });
  await signIn(sup.page, 'supervisor');
  await sup.page.goto(`${base}/#/wall`);
  await sup.page.waitForSelector('main[data-ready]', { timeout: 30000 });
  const dsp = await newPage();
  await signIn(dsp.page, 'dispatcher');
  await dsp.page.goto(`${base}/#/cases/${caseNo}`);
  await dsp.page.waitForSelector('form[data-action=dispatch]', { state: 'attached' });
  const stale = await dsp.context.newPage();  // a second tab, left on the old version
  stale.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await stale.goto(`${base}/#/cases/${caseNo}`);
  await stale.waitForSelector('form[data-action=dispatch]', { state: 'attached' });
  form = await openAction(dsp.page, 'dispatch');
  await form.locator('.suggestions li').first().waitFor({ timeout: 10000 });
  // The first suggestion is the street's enforcement squad; its staff are offered as assignees.
  await form.locator('select[name=assignee] option[value=unit]').waitFor({ state: 'attached', timeout: 10000 });
  await form.locator('select[name=assignee]').selectOption('unit');
  await axe(dsp.page, 'case');
  await shot(dsp.page, 'case-dispatch');
  await form.locator('button[type=submit]').click();
  await dsp.page.waitForFunction(() => /已派遣|dispatched/.test(document.querySelector('h1')?.textContent || ''), null, { timeout: 10000 });
  step('dispatcher dispatched it');
  // The wall shows it live.
  await sup.page.waitForFunction((no) => document.querySelector('.feed')?.textContent.includes(no), caseNo, { timeout: 15000 });
  await sup.page.waitForTimeout(3500);  // the counts and the map refresh after the feed
  await axe(sup.page, 'wall');
  await shot(sup.page, 'wall');
  step('the wall showed it live');
  // The stale tab tries the same dispatch: 412, said and reloaded.
  const staleForm = await openAction(stale, 'dispatch');
  await staleForm.locator('select[name=unit] option').first().waitFor({ state: 'attached' });
  await staleForm.locator('button[type=submit]').click();
  await stale.waitForFunction(() => /已被他人修改|changed/.test(document.querySelector('.notice')?.textContent || ''), null, { timeout: 10000 });
  await stale.waitForFunction(() => /已派遣|dispatched/.test(document.querySelector('h1')?.textContent || ''), null, { timeout: 10000 });
  step('the stale tab was told and reloaded');
  await signOut(dsp.page);
  // The second tab of the same browser notices the session ended (its live feed is refused):
  // it goes back to the sign-in page by itself.
  await stale.waitForSelector('form.signin', { timeout: 20000 });
  step('the other tab of the signed-out session went back to the sign-in page');

  // --- the supervisor's map and report (their own street).
  await sup.page.setViewportSize({ width: 1440, height: 900 });
  await sup.page.goto(`${base}/#/map`);
  await sup.page.waitForSelector('main[data-features]', { timeout: 20000 });
  await axe(sup.page, 'supervisor-map');
  await shot(sup.page, 'supervisor-map');
  // Drill down: the case's community (a click on its polygon), then its cell, then the case.
  const community = await sup.page.evaluate(() => {
    const el = document.querySelector('main .map');
    const map = el.leafletMap;
    let hit = null;
    map.eachLayer((l) => { if (l.feature?.properties?.code === '150203004007') hit = l.getBounds().getCenter(); });
    const p = map.latLngToContainerPoint(hit);
    const r = el.getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  });
  await sup.page.mouse.click(community.x, community.y);
  await sup.page.waitForFunction(() => location.hash === '#/map/150203004007' && document.querySelector('main[data-features]'), null, { timeout: 15000 });
  await sup.page.click('main table a[href="#/queues/all/150203004007017"]');
  await sup.page.waitForSelector(`.queue a[href="#/cases/${caseNo}"]`, { timeout: 10000 });
  step('the supervisor drilled down street → community → cell → the case');
  await sup.page.goto(`${base}/#/report`);
  await sup.page.waitForSelector('main table', { timeout: 20000 });
  // The running month says to which moment it counts (as_of).
  const caption = await sup.page.textContent('main table caption');
  if (!/ · (截至|as of) \d\d/.test(caption ?? '')) throw new Error(`the report's caption has no as_of: ${caption}`);
  await axe(sup.page, 'report');
  await shot(sup.page, 'report');
  await sup.page.goto(`${base}/#/queues/all`);
  await sup.page.waitForSelector(`.queue a[href="#/cases/${caseNo}"]`, { timeout: 10000 });
  // Filters go to the server: another category hides the case, its own shows it again.
  const categoryFilter = sup.page.locator('.filters select').nth(3);
  await categoryFilter.locator('option[value="event:0102"]').waitFor({ state: 'attached' });
  await categoryFilter.selectOption('event:0102');
  await sup.page.waitForSelector(`.queue a[href="#/cases/${caseNo}"]`, { state: 'detached', timeout: 10000 });
  await categoryFilter.selectOption('event:0101');
  await sup.page.waitForSelector(`.queue a[href="#/cases/${caseNo}"]`, { timeout: 10000 });

  // --- a supervisor of another street does not see it.
  const other = await newPage();
  await signIn(other.page, process.env.CONSOLE_OTHER_SUPERVISOR);
  await other.page.goto(`${base}/#/cases/${caseNo}`);
  await other.page.waitForSelector('main .error');
  check(!(await other.page.locator('details.action-box').count()), 'the other street\'s supervisor sees the case');
  await other.page.goto(`${base}/#/queues/all`);
  await other.page.waitForSelector('.count');
  await other.page.waitForTimeout(500);
  check(!(await other.page.locator(`.queue a[href="#/cases/${caseNo}"]`).count()), 'the other street\'s supervisor lists the case');
  step('a supervisor of another street does not see it');

  // --- the unit's task list and the officer's phone.
  const unit = await newPage();
  await signIn(unit.page, 'unit');
  await unit.page.waitForFunction(() => /\d/.test(document.querySelector('.filters .count')?.textContent || ''));
  await axe(unit.page, 'unit-tasks');
  await shot(unit.page, 'unit-tasks');
  const officer = await newPage({ width: 390, height: 844 }, { geolocation: { latitude: 40.6501, longitude: 109.8302 }, permissions: ['geolocation'], isMobile: true, hasTouch: true });
  await signIn(officer.page, 'officer');
  await officer.page.waitForSelector('.queue');
  await axe(officer.page, 'officer-tasks');
  await shot(officer.page, 'officer-tasks');
  await officer.page.goto(`${base}/#/report-problem`);
  await officer.page.waitForSelector('input[name=photo][capture=environment]', { state: 'attached' });
  await axe(officer.page, 'officer-report');
  await shot(officer.page, 'officer-report');

  // The officer reports a problem from the street: the phone's location and a photo.
  const streetPhoto = { name: 'street.png', mimeType: 'image/png', buffer: await officer.page.screenshot({ clip: { x: 0, y: 0, width: 300, height: 300 } }) };
  await officer.page.fill('textarea[name=description]', '巡查发现：人行道暴露垃圾 patrol report');
  await officer.page.click('text=使用当前位置');
  await officer.page.waitForFunction(() => /150203004/.test(document.querySelector('.where')?.textContent || ''), null, { timeout: 10000 });
  await officer.page.selectOption('select[name=category]', 'event:0102');
  await officer.page.setInputFiles('input[name=photo]', streetPhoto);
  await officer.page.click('form.intake button[type=submit]');
  await officer.page.waitForSelector('#created-case', { timeout: 15000 });
  step(`the officer reported ${(await officer.page.textContent('#created-case')).trim()} with location and photo`);

  // --- the unit acknowledges and completes with a photo, the officer checks with one on the
  // phone, the operator replies and the shift leader closes.
  const photo = { name: 'scene.png', mimeType: 'image/png', buffer: await unit.page.screenshot({ clip: { x: 0, y: 0, width: 400, height: 300 } }) };
  await unit.page.goto(`${base}/#/cases/${caseNo}`);
  await unit.page.waitForSelector('details.action-box');
  await act(unit.page, 'acknowledge', 'handling');
  await act(unit.page, 'complete', 'handled', async (f) => {
    await f.locator('textarea[name=note]').fill('已清理完毕 cleared');
    await f.locator('input[name=photo]').setInputFiles(photo);
  });
  // The officer verifies the keyboard case on site, with a photo: it goes back to the operator.
  await officer.page.goto(`${base}/#/cases/${kbCase}`);
  await officer.page.waitForSelector('details.action-box');
  await act(officer.page, 'verify', 'received', async (f) => {
    await f.locator('select[name=result]').selectOption('confirmed');
    await f.locator('input[name=photo]').setInputFiles(streetPhoto);
  });
  // The check task reaches the officer at once: an alert naming the case (with the beep).
  await officer.page.waitForFunction((no) => [...document.querySelectorAll('#alerts .alert')].some((a) => a.textContent.includes(no)), caseNo, { timeout: 10000 });
  check(await officer.page.evaluate(() => window.__beeps) >= 1, 'the officer\'s alert made no sound');
  await shot(officer.page, 'officer-alert');
  step('the officer was alerted to the check task');
  await officer.page.goto(`${base}/#/cases/${caseNo}`);
  await officer.page.waitForSelector('.photos img');
  await act(officer.page, 'check', 'resolved', async (f) => {
    await f.locator('select[name=result]').selectOption('passed');
    await f.locator('input[name=photo]').setInputFiles(photo);
  });
  await officer.page.waitForFunction(() => [...document.querySelectorAll('.photos img')].filter((i) => i.complete && i.naturalWidth > 0).length >= 2, null, { timeout: 10000 });
  await axe(officer.page, 'officer-case');
  await shot(officer.page, 'officer-case');
  await signIn(op.page, 'operator');
  await op.page.goto(`${base}/#/cases/${caseNo}`);
  await op.page.waitForSelector('details.action-box');
  await act(op.page, 'reply', 'replied', (f) => f.locator('textarea[name=note]').fill('已处理，感谢反映。'));
  await sl.page.goto(`${base}/#/cases/${caseNo}`);
  await sl.page.reload();
  await sl.page.waitForSelector('h1[data-status=replied]');
  await act(sl.page, 'close', 'closed');
  await shot(sl.page, 'case-closed');

  // --- admin tables and the district's 4,556 cells drawn at once.
  const admin = await newPage();
  await signIn(admin.page, process.env.CONSOLE_ADMIN || 'admin');
  for (const tab of ['users', 'officers', 'units', 'calendar', 'categories']) {
    await admin.page.goto(`${base}/#/admin/${tab}`);
    await admin.page.waitForSelector('main table tbody tr');
    await axe(admin.page, `admin-${tab}`);
  }
  await shot(admin.page, 'admin');
  await adminForms(admin.page);
  // A queue of 1,000 cases (five pages, answered by the test) scrolls smoothly: frame times
  // while scrolling from top to bottom.
  let served = 0;
  await admin.page.route('**/api/v1/cases?*', (route) => {
    const cursor = Number(new URL(route.request().url()).searchParams.get('cursor') || 0);
    const items = Array.from({ length: 200 }, (_, i) => {
      const n = cursor + i;
      return { case_no: `150203-20261201-${String(n).padStart(6, '0')}`, status: 'dispatched', version: 1, channel: 'hotline_12319',
        description: `合成案件 synthetic case ${n}`, address: null, category: 'event:0102', cell: '150203004007017', unit: '150203004-sanitation',
        received_at: '2026-12-01T02:00:00Z', updated_at: '2026-12-01T02:00:00Z', handling_deadline: n % 3 ? '2026-12-30T02:00:00Z' : '2026-12-01T03:00:00Z',
        escalation_level: 0, rework_count: 0, claim: null };
    });
    served += items.length;
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ items, next_cursor: cursor + 200 < 1000 ? String(cursor + 200) : null }) });
  });
  await admin.page.goto(`${base}/#/queues/all`);
  await admin.page.waitForSelector('.queue .row a');
  const scroll = await admin.page.evaluate(async () => {
    const v = document.querySelector('.queue .viewport');
    const longTasks = [];
    new PerformanceObserver((l) => longTasks.push(...l.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
    const idle = [];
    let t = performance.now();
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      idle.push(now - t);
      t = now;
    }
    idle.sort((a, b) => a - b);
    v.dataset.trace = '1';
    const frames = [];
    let last = performance.now();
    for (let i = 0; i < 400 && v.scrollTop + v.clientHeight < v.scrollHeight - 2; i++) {
      v.scrollTop += 120;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      frames.push(now - last);
      last = now;
    }
    frames.sort((a, b) => a - b);
    const draws = v.dataset.draws.trim().split(' ').map(Number).sort((a, b) => a - b);
    return { rows: document.querySelector('.filters .count').textContent, dom_rows: document.querySelectorAll('.queue .rows .row').length,
      frames: frames.length, median_frame_ms: Math.round(frames[frames.length >> 1] * 10) / 10,
      p95_frame_ms: Math.round(frames[Math.floor(frames.length * 0.95)] * 10) / 10, max_frame_ms: Math.round(frames[frames.length - 1] * 10) / 10,
      idle_median_frame_ms: Math.round(idle[30] * 10) / 10, idle_p95_frame_ms: Math.round(idle[57] * 10) / 10,
      redraws: draws.length, median_redraw_ms: draws[draws.length >> 1], p95_redraw_ms: draws[Math.floor(draws.length * 0.95)],
      long_tasks: longTasks.length, longest_task_ms: Math.round(Math.max(0, ...longTasks)) };
  });
  await admin.page.unroute('**/api/v1/cases?*');
  figures.queue_1000 = scroll;
  check(served === 1000 && /^1000 /.test(scroll.rows), `the 1,000-case queue read ${served} and shows ${scroll.rows}`);
  // Smooth: the console's own redraw of the visible rows stays well inside a 16 ms frame. The
  // frame pace and long tasks are printed beside it: on a busy two-core runner (other builds
  // running) a headless frame is not 16 ms even when the page does nothing.
  // Held to the median (a busy machine preempts single frames; the p95 is printed): half the
  // redraws take well under a frame, and only the rows in view exist.
  check(scroll.median_redraw_ms < 8, `scrolling 1,000 cases: the median redraw took ${scroll.median_redraw_ms} ms`);
  check(scroll.dom_rows <= 60, `scrolling 1,000 cases: ${scroll.dom_rows} rows in the DOM`);
  await shot(admin.page, 'queue-1000');
  await admin.page.goto(`${base}/#/map/150203/cell`);
  await admin.page.waitForSelector('main[data-features]', { timeout: 30000 });
  figures.district_cells = Number(await admin.page.getAttribute('main', 'data-features'));
  figures.district_cells_draw_ms = Number(await admin.page.getAttribute('main', 'data-draw-ms'));
  await shot(admin.page, 'district-cells');
  // The wall's kiosk: the admin issues a kiosk token for the street supervisor's account; a wall
  // machine opens /#/kiosk/<token> once and shows the wall, read-only, the token gone from the
  // address bar.
  const kioskToken = await admin.page.evaluate(async () => {
    const { csrf_token } = await (await fetch('/api/v1/sessions/current')).json();
    const r = await fetch('/api/v1/users/supervisor/tokens', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf_token }, body: JSON.stringify({ kind: 'kiosk' }) });
    return r.status === 201 ? (await r.json()).token : `status ${r.status}`;
  });
  check(/^gct_/.test(kioskToken), `no kiosk token: ${kioskToken}`);
  const kiosk = await newPage({ width: 1920, height: 1080 });
  await kiosk.page.goto(`${base}/#/kiosk/${kioskToken}`);
  await kiosk.page.waitForSelector('main[data-ready]', { timeout: 30000 });
  check(await kiosk.page.evaluate(() => location.hash) === '#/wall', 'the kiosk token stayed in the address bar');
  const kioskWrite = await kiosk.page.evaluate(async () => (await fetch('/api/v1/cases', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status);
  check(kioskWrite === 403, `a kiosk's write answered ${kioskWrite}`);
  step('the wall signed in with a kiosk token, read-only');

  // English switch.
  await admin.page.click('header.top button[lang=en]');
  await admin.page.waitForFunction(() => /Sign out/.test(document.body.textContent || ''));
  await admin.page.goto(`${base}/#/cases/${caseNo}`);
  await admin.page.waitForSelector('h1[data-status=closed]');
  check(/closed/.test(await admin.page.textContent('h1')), 'the English case page does not say closed');
  await axe(admin.page, 'case-english');
  await shot(admin.page, 'case-english');
  await admin.page.click('header.top button[lang=zh]');
  await signOut(admin.page);
} catch (err) {
  problems.push(`walk stopped: ${err.stack || err}`);
} finally {
  await browser.close();
}
console.log(`console budgets: ${JSON.stringify(figures)}`);
for (const p of problems) console.error(p);
console.log(problems.length ? `console walk FAILED (${problems.length} problems)` : 'console walk passed');
process.exit(problems.length ? 1 : 0);
