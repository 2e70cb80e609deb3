/**
 * A report built from headings, paragraphs, tables and Vega-Lite charts, rendered to SVG in Node
 * (vega's headless View, no browser, no canvas) and written as one self-contained HTML file (no
 * scripts, no network needed to view it). Used by the notebooks and by `leadtime demo`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { codeVersion, homeDir } from '../../core/index.ts';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Renders a Vega-Lite spec to an SVG string, headless. */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const vg = compile(spec).spec;
  const view = new View(parse(vg), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export type Cell = string | number | null | undefined;

export const num = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);

export class Report {
  private readonly parts: string[] = [];
  private charts = 0;
  constructor(
    readonly name: string,
    readonly title: string,
    /** when the work the report describes started (performance.now()), for the footer's seconds */
    private readonly started = performance.now(),
  ) {}

  h2(text: string): this {
    this.parts.push(`<h2>${esc(text)}</h2>`);
    return this;
  }

  /** A paragraph of plain text (escaped); `**bold**` and `code` spans are kept. */
  p(text: string): this {
    const html = esc(text)
      .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>')
      .replace(/`([^`]+)`/g, '<code>$1</code>');
    this.parts.push(`<p>${html}</p>`);
    return this;
  }

  /**
   * Warnings a result carries (overload, censoring, ...), in a box at the top of what follows, so
   * a figure is not read past them; with none, a one-line note that there are none.
   */
  warnings(list: readonly { code: string; message: string }[], none = 'No warnings.'): this {
    if (list.length === 0) {
      this.parts.push(`<p class="no-warnings">${esc(none)}</p>`);
      return this;
    }
    this.parts.push(
      `<section class="warnings" role="alert"><h2>${list.length === 1 ? 'Warning' : `${list.length} warnings`}: read the figures below with care</h2><ul>${list
        .map((w) => `<li><b>${esc(w.code)}</b>: ${esc(w.message)}</li>`)
        .join('')}</ul></section>`,
    );
    return this;
  }

  table(columns: string[], rows: Cell[][]): this {
    const cell = (v: Cell) => (v === null || v === undefined ? '–' : esc(String(v)));
    this.parts.push(
      `<table><thead><tr>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((v) => `<td>${cell(v)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`,
    );
    return this;
  }

  async chart(spec: TopLevelSpec, caption?: string): Promise<this> {
    const svg = await toSvg({ background: 'white', ...spec } as TopLevelSpec);
    this.charts++;
    this.parts.push(
      `<figure class="chart" id="chart-${this.charts}">${svg}${caption ? `<figcaption>${esc(caption)}</figcaption>` : ''}</figure>`,
    );
    return this;
  }

  get chartCount(): number {
    return this.charts;
  }

  html(meta: Record<string, string | number> = {}): string {
    const footer = {
      generated: new Date().toISOString(),
      'code version': codeVersion(),
      seconds: ((performance.now() - this.started) / 1000).toFixed(1),
      ...meta,
    };
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(this.title)}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2430;max-width:980px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #e5e7eb;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-variant-numeric:tabular-nums}
th,td{padding:.25rem .6rem;border-bottom:1px solid #e5e7eb;text-align:left}th{color:#6b7280}
figure{margin:1rem 0}figcaption{color:#6b7280;font-size:.9rem}code{background:#f3f4f6;padding:0 .2rem}
footer{margin-top:3rem;color:#6b7280;font-size:.85rem}
.warnings{border:1px solid #f59e0b;border-left:6px solid #d97706;background:#fffbeb;padding:.25rem 1rem;margin:1rem 0}
.warnings h2{border:0;margin:.5rem 0;color:#92400e}.warnings li{margin:.25rem 0}.no-warnings{color:#15803d}
</style></head><body>
<h1>${esc(this.title)}</h1>
${this.parts.join('\n')}
<footer>${Object.entries(footer)
      .map(([k, v]) => `${esc(k)}: ${esc(String(v))}`)
      .join(' · ')}</footer>
</body></html>
`;
  }

  /** Writes `<home>/notebooks/<name>.html` and returns its path. */
  write(home: string, meta: Record<string, string | number> = {}): string {
    return this.writeTo(join(homeDir(home, 'notebooks'), `${this.name}.html`), meta);
  }

  /** Writes the report to a file (its directory must exist) and returns the path. */
  writeTo(file: string, meta: Record<string, string | number> = {}): string {
    writeFileSync(file, this.html(meta));
    return file;
  }
}
