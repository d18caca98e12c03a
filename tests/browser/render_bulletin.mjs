// Renders an HTML bulletin in headless Debian Chromium and takes a full-page screenshot.
//   node render_bulletin.mjs BULLETIN.html SCREENSHOT.png [CONTENT-SECURITY-POLICY]
// With a policy, the page is served as the server serves it: with that Content-Security-Policy
// header (from an intercepted http://bulletin.test/ request), so a violation is a console error.
// Exits 1 when the page logs a console error, throws, violates its policy, asks for anything over
// the network (the bulletin must carry no external assets), renders empty or unstyled; prints
// what it found.
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { readFileSync, statSync } from 'node:fs';

const [input, output, policy] = process.argv.slice(2);
const servedAt = 'http://bulletin.test/';
if (!input || !output) {
  console.error('usage: node render_bulletin.mjs BULLETIN.html SCREENSHOT.png');
  process.exit(2);
}
const problems = [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1240, height: 1754 } });  // A4 at 150 dpi
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('file:') && !(policy && url === servedAt)) {
      problems.push(`external request: ${url}`);
    }
  });
  if (policy) {
    await page.route(servedAt, (route) => route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': policy },
      body: readFileSync(input),
    }));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`policy violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    await page.goto(servedAt, { waitUntil: 'load' });
  } else {
    await page.goto(pathToFileURL(input).href, { waitUntil: 'load' });
  }
  const summary = await page.evaluate(() => ({
    title: document.title,
    tables: document.querySelectorAll('table').length,
    rows: document.querySelectorAll('tr').length,
    svgs: document.querySelectorAll('svg').length,
    height: document.body.scrollHeight,
    headerBackground: getComputedStyle(document.querySelector('th')).backgroundColor,
  }));
  // The style sheet applied (th{background:#eee}): a policy that blocked it would leave it bare.
  if (summary.headerBackground !== 'rgb(238, 238, 238)') {
    problems.push(`the style sheet did not apply: th background ${summary.headerBackground}`);
  }
  if (summary.tables === 0 || summary.svgs === 0 || summary.height < 200) {
    problems.push(`the page looks empty: ${JSON.stringify(summary)}`);
  }
  await page.screenshot({ path: output, fullPage: true });
  const bytes = statSync(output).size;
  if (bytes < 10000) problems.push(`the screenshot is only ${bytes} bytes`);
  console.log(`rendered "${summary.title}": ${summary.tables} tables, ${summary.rows} rows, ` +
              `${summary.svgs} charts, ${summary.height}px high; screenshot ${output} (${bytes} bytes)`);
} finally {
  await browser.close();
}
for (const problem of problems) console.error(problem);
process.exit(problems.length === 0 ? 0 : 1);
