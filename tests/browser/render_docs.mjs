// Opens the API reference a running server serves (GET /api/v1/docs) in headless Debian Chromium
// and waits for Swagger UI to render the document's operations.
//   node render_docs.mjs http://127.0.0.1:PORT SCREENSHOT.png MIN-OPERATIONS
// Exits 1 when the page logs a console error, throws, violates its Content-Security-Policy,
// asks another origin for anything, or renders fewer operations than MIN-OPERATIONS, or no
// operation summary the document has; prints what it found.
import { chromium } from 'playwright-core';
import { statSync } from 'node:fs';

const [origin, output, minimum] = process.argv.slice(2);
if (!origin || !output || !minimum) {
  console.error('usage: node render_docs.mjs http://127.0.0.1:PORT SCREENSHOT.png MIN-OPERATIONS');
  process.exit(2);
}
const problems = [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin + '/') && !url.startsWith('data:')) {
      problems.push(`request to another origin: ${url}`);
    }
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`policy violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  const answer = await page.goto(`${origin}/api/v1/docs`, { waitUntil: 'load' });
  if (answer.status() !== 200) problems.push(`GET /api/v1/docs answered ${answer.status()}`);
  // Swagger UI fetches /api/v1/openapi.yaml and draws one .opblock per operation.
  await page.waitForSelector('.opblock', { timeout: 30000 });
  const summary = await page.evaluate(() => ({
    title: document.querySelector('.info .title')?.textContent ?? '',
    operations: document.querySelectorAll('.opblock').length,
    summaries: [...document.querySelectorAll('.opblock-summary-description')].map((e) => e.textContent),
    errors: document.querySelectorAll('.errors-wrapper .error-wrapper').length,
  }));
  if (!summary.title.includes('gridcase API')) problems.push(`title: "${summary.title}"`);
  if (summary.operations < Number(minimum)) {
    problems.push(`${summary.operations} operations rendered, expected at least ${minimum}`);
  }
  if (!summary.summaries.includes('One case with its timers, event log and the caller\'s allowed actions')) {
    problems.push('the summary of GET /api/v1/cases/{case_no} is not on the page');
  }
  if (summary.errors > 0) problems.push(`Swagger UI reports ${summary.errors} errors in the document`);
  await page.screenshot({ path: output, fullPage: false });
  const bytes = statSync(output).size;
  if (bytes < 10000) problems.push(`the screenshot is only ${bytes} bytes`);
  console.log(`rendered "${summary.title.trim()}": ${summary.operations} operations; ` +
              `screenshot ${output} (${bytes} bytes)`);
} finally {
  await browser.close();
}
for (const problem of problems) console.error(problem);
process.exit(problems.length === 0 ? 0 : 1);
