// Renders an HTML bulletin in headless Debian Chromium and takes a full-page screenshot.
//   node render_bulletin.mjs BULLETIN.html SCREENSHOT.png
// Exits 1 when the page logs a console error, throws, asks for anything over the network (the
// bulletin must carry no external assets) or renders empty; prints what it found.
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { statSync } from 'node:fs';

const [input, output] = process.argv.slice(2);
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
    if (!request.url().startsWith('file:')) problems.push(`external request: ${request.url()}`);
  });
  await page.goto(pathToFileURL(input).href, { waitUntil: 'load' });
  const summary = await page.evaluate(() => ({
    title: document.title,
    tables: document.querySelectorAll('table').length,
    rows: document.querySelectorAll('tr').length,
    svgs: document.querySelectorAll('svg').length,
    height: document.body.scrollHeight,
  }));
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
