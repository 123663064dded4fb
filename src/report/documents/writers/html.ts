/**
 * HTML writer: one self-contained file (no script, no external stylesheet, font or image), A4 print
 * CSS, fonts from the system. The Chinese layout follows the conventions of official documents
 * (GB/T 9704): title in a Song face 二号 (22 pt), first-level headings in a Hei face 三号 (16 pt),
 * second-level in a bold Song face, body 四号 (14 pt) with a two-character first-line indent, tables
 * 五号 (10.5 pt). Noto Serif / Sans CJK SC (Debian's fonts-noto-cjk) stand in for 宋体/仿宋 and 黑体;
 * Windows and macOS fonts are listed after them.
 *
 * The same file is what the PDF writer prints (headless Chromium), so it must not depend on the screen.
 */
import type { Lang } from '../../../i18n/index.js';
import type { Block, Content, DocumentTree } from '../model.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const SERIF_ZH = '"Noto Serif CJK SC", "Source Han Serif SC", "FangSong", "STFangsong", "SimSun", "Songti SC", serif';
const SANS_ZH = '"Noto Sans CJK SC", "Source Han Sans SC", "SimHei", "Heiti SC", "Microsoft YaHei", sans-serif';
const SERIF_EN = '"Liberation Serif", "Times New Roman", "Noto Serif CJK SC", serif';
const SANS_EN = '"Liberation Sans", "Arial", "Noto Sans CJK SC", sans-serif';

/** Page margins of GB/T 9704 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), shared with the DOCX writer. */
export const PAGE_MARGINS_MM = { top: 37, bottom: 35, left: 28, right: 26 } as const;

function css(lang: Lang): string {
  const zh = lang === 'zh';
  const serif = zh ? SERIF_ZH : SERIF_EN;
  const sans = zh ? SANS_ZH : SANS_EN;
  const m = PAGE_MARGINS_MM;
  return `
@page { size: A4; margin: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm; }
html { background: #fff; color: #000; }
body { font-family: ${serif}; font-size: ${zh ? '14pt' : '11pt'}; line-height: 1.6; margin: 0 auto; max-width: 170mm; padding: 12mm 0; }
@media print { body { max-width: none; padding: 0; } }
h1.title { font-family: ${serif}; font-weight: 700; font-size: 22pt; text-align: center; margin: 0 0 6pt; line-height: 1.4; }
p.subtitle { text-align: center; margin: 0; font-size: ${zh ? '12pt' : '10pt'}; }
div.subtitles { margin-bottom: 18pt; }
h2 { font-family: ${sans}; font-weight: ${zh ? 400 : 700}; font-size: 16pt; margin: 18pt 0 6pt; page-break-after: avoid; break-after: avoid; }
h3 { font-family: ${serif}; font-weight: 700; font-size: ${zh ? '16pt' : '13pt'}; margin: 12pt 0 6pt; page-break-after: avoid; break-after: avoid; }
h4 { font-family: ${serif}; font-weight: 700; font-size: ${zh ? '14pt' : '11pt'}; margin: 10pt 0 4pt; page-break-after: avoid; break-after: avoid; }
p { margin: 0 0 6pt; ${zh ? 'text-indent: 2em;' : ''} }
p.note { font-size: ${zh ? '12pt' : '10pt'}; color: #333; border-left: 3pt solid #888; padding-left: 6pt; text-indent: 0; }
p.warning { font-size: ${zh ? '12pt' : '10pt'}; border-left: 3pt solid #b00; padding-left: 6pt; text-indent: 0; }
ul, ol { margin: 0 0 6pt; padding-left: 2em; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 10pt; font-size: 10.5pt; line-height: 1.4; page-break-inside: auto; }
tr { page-break-inside: avoid; break-inside: avoid; }
th, td { border: 0.75pt solid #000; padding: 3pt 4pt; vertical-align: top; text-align: left; }
th { font-family: ${sans}; font-weight: ${zh ? 400 : 700}; background: #e8e8e8; }
thead { display: table-header-group; }
table.fields th { width: 32%; }
code { font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", monospace; font-size: 0.9em; }
mark.placeholder { background: #fff3a0; border: 0.75pt dashed #a08000; padding: 0 2pt; color: #000; }
span.state { font-family: ${sans}; font-size: 0.9em; padding: 0 3pt; border: 0.75pt solid #000; white-space: nowrap; }
span.state-missing { background: #ffd9d9; }
span.state-ready, span.state-attested { background: #d9f2d9; }
span.state-draft { background: #fff3a0; }
hr.page-break { border: 0; page-break-after: always; break-after: page; }
`;
}

function inline(content: Content<string>): string {
  return content
    .map((i) => {
      switch (i.kind) {
        case 'text':
          return i.strong ? `<strong>${esc(i.text)}</strong>` : esc(i.text);
        case 'rule':
          return `<code class="rule">${esc(i.id)}</code>`;
        case 'code':
          return `<code>${esc(i.text)}</code>`;
        case 'placeholder':
          return `<mark class="placeholder" data-n="${i.n}">${esc(i.prompt)}</mark>`;
      }
    })
    .join('')
    .replace(/\n/g, '<br>');
}

function block(b: Block<string>): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level + 1}>${esc(b.text)}</h${b.level + 1}>`;
    case 'paragraph':
      return b.tone && b.tone !== 'normal' ? `<p class="${b.tone}">${inline(b.content)}</p>` : `<p>${inline(b.content)}</p>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      return `<${tag}>${b.items.map((i) => `<li>${inline(i)}</li>`).join('')}</${tag}>`;
    }
    case 'table': {
      // Column widths as classes (one rule per width, see widthRules): no inline styles.
      const cols = b.widths ? `<colgroup>${b.widths.map((w) => `<col class="w-${Math.round(w)}">`).join('')}</colgroup>` : '';
      const head = `<thead><tr>${b.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>`;
      const rows = b.rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('');
      return `<table>${cols}${head}<tbody>${rows}</tbody></table>`;
    }
    case 'fields':
      return `<table class="fields"><tbody>${b.rows.map((r) => `<tr><th scope="row">${esc(r.label)}</th><td>${inline(r.value)}</td></tr>`).join('')}</tbody></table>`;
    case 'checklist':
      return `<ul class="checklist">${b.items
        .map((i) => `<li><span class="state state-${i.state}">${esc(i.stateText ?? i.state)}</span> ${inline(i.label)}${i.detail ? ` — ${inline(i.detail)}` : ''}</li>`)
        .join('')}</ul>`;
    case 'page-break':
      return '<hr class="page-break">';
  }
}

function widthRules(doc: DocumentTree<string>): string {
  const widths = new Set<number>();
  for (const b of doc.body) if (b.kind === 'table' && b.widths) for (const w of b.widths) widths.add(Math.round(w));
  return [...widths].sort((a, b) => a - b).map((w) => `col.w-${w} { width: ${w}%; }`).join('\n');
}

export function writeHtml(doc: DocumentTree<string>, lang: Lang): string {
  const body = doc.body.map(block).join('\n');
  return `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="generator" content="chujing">
<title>${esc(doc.title)}</title>
<style>${css(lang)}${widthRules(doc)}
</style>
</head>
<body>
<h1 class="title">${esc(doc.title)}</h1>
<div class="subtitles">${doc.subtitle.map((s) => `<p class="subtitle">${esc(s)}</p>`).join('')}</div>
${body}
</body>
</html>
`;
}
