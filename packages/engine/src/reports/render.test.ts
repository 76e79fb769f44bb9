import { describe, expect, it } from 'vitest';
import type { MonthlyReport } from './monthly.ts';
import { formatFigure } from './monthly.ts';
import { figureLine, renderCsv, renderHtml, renderJson, renderPdf } from './render.ts';
import { figures, pdfText, report } from './report-fixture.ts';

/** Tags of an HTML document balance (void elements and `/>` aside), or the first mismatch. */
function unbalanced(html: string): string | null {
  const voids = new Set(['meta', 'br', 'link', 'img', 'hr', 'input']);
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(\/?)>/g)) {
    const [, close, name = '', self] = m;
    const tag = name.toLowerCase();
    if (voids.has(tag) || self === '/') continue;
    if (close === '/') {
      if (stack.pop() !== tag) return tag;
    } else stack.push(tag);
  }
  return stack.length === 0 ? null : (stack.at(-1) ?? null);
}

describe('report renderers', () => {
  it('formats figures the same way everywhere', () => {
    expect(figures.map(formatFigure)).toEqual(['96.3 %', '44.3 d', '$12345.67', 'no data', '-2.5 pts']);
  });

  it('HTML is well formed, self-contained, escapes text and shows every figure with its status', () => {
    const html = renderHtml(report);
    expect(unbalanced(html)).toBeNull();
    expect(html).not.toMatch(/<script|<link|src=|href="http/);
    expect(html).toContain('Smith &amp; Jones &lt;Family&gt; Practice');
    for (const f of figures) {
      const row = new RegExp(`<tr id="fig-${f.key}"[^]*?</tr>`).exec(html)?.[0] ?? '';
      expect(row).toContain(formatFigure(f).replace(/&/g, '&amp;'));
      if (f.benchmark !== undefined) expect(row).toContain(`class="${f.benchmark.status}"`);
    }
    // Charts: denials by reason, the trend vs the prior month and AR aging are inline SVG.
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain('aria-label="AR aging by payer and responsible party"');
  });

  it('CSV has one row per figure, quoted where needed', () => {
    const lines = renderCsv(report).trimEnd().split('\n');
    expect(lines).toHaveLength(figures.length + 1);
    expect(lines[1]).toBe(
      'p-1,2026-03,Submission,clean_claim_rate,Clean claim rate,percent,0.9625,96.3 %,77,80,0.95,default,pass,2,1 2',
    );
    expect(lines[4]).toContain(',no data,');
  });

  it('JSON round-trips the report', () => {
    expect(JSON.parse(renderJson(report))).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('PDF shows the same figures as the JSON', async () => {
    const pdf = await renderPdf(report);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    const json = JSON.parse(renderJson(report)) as MonthlyReport;
    for (const f of json.figures) {
      expect(text).toContain(figureLine(f));
      expect(text).toContain(formatFigure(f));
    }
    expect(text).toContain('CO-197: 3');
  });
});
