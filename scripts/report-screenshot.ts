/**
 * Renders an HTML report in headless Chromium (Debian's /usr/bin/chromium) and saves a PNG screenshot:
 * `npx tsx scripts/report-screenshot.ts demo-output/reports/pr001/2026-03.html docs/report-screenshot.png`.
 */
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const [html, png] = process.argv.slice(2);
if (html === undefined || png === undefined) {
  console.error('usage: report-screenshot.ts REPORT.html OUT.png');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  await page.setContent(readFileSync(html, 'utf8'), { waitUntil: 'load' });
  await page.screenshot({ path: png, fullPage: false });
} finally {
  await browser.close();
}
