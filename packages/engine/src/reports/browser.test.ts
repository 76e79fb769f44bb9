import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { renderHtml } from './render.ts';
import { figures, report } from './report-fixture.ts';

// Debian's chromium (CI installs it); on a machine without it the test is skipped, never faked.
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const HAVE_CHROMIUM = existsSync(CHROMIUM);
// A skip says why in the test's own name, so a report of "1 skipped" cannot be mistaken for a pass.
const TITLE = HAVE_CHROMIUM
  ? 'the monthly report in headless Chromium'
  : `the monthly report in headless Chromium — SKIPPED: no browser at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
if (!HAVE_CHROMIUM) process.stderr.write(`browser.test.ts: ${TITLE}\n`);

describe.skipIf(!HAVE_CHROMIUM)(TITLE, () => {
  it('renders with no script or console error, no external request, every figure and the charts visible', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('request', (r) => {
        if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
      });
      await page.setContent(renderHtml(report), { waitUntil: 'load' });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      const text = await page.innerText('body');
      for (const f of figures) expect(text).toContain(f.label);
      const charts = page.locator('svg');
      expect(await charts.count()).toBeGreaterThan(0);
      const box = await charts.first().boundingBox();
      expect((box?.width ?? 0) > 50 && (box?.height ?? 0) > 20).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
