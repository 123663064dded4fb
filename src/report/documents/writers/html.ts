/**
 * HTML writer: one self-contained file (no script, no external stylesheet, font or image), A4 print
 * CSS, fonts from the system. The page and the faces are those of the self-assessment template
 * (layout.ts): 仿宋 body with a fixed line pitch, 黑体 first-level and 楷体 second-level headings
 * (bold in the DOCX only, see css()), tables 五号; each face named as Windows and macOS name it, then by a free TrueType font Debian ships.
 *
 * The same file is what the PDF writer prints (headless Chromium), so it must not depend on the screen:
 * identifiers, dates and figures never break inside (`t-2026-/013`), a line that introduces a table,
 * list or form stays on the page where it starts, and a heading stays with what follows it.
 */
import type { Lang } from '../../../i18n/index.js';
import type { Block, Content, DocumentTree } from '../model.js';
import { CSS_FACES, CSS_HEI, LINE_PITCH_PT, MAX_UNBREAKABLE, PAGE_MARGINS_MM, SIZE_PT, UNBREAKABLE_TOKEN } from './layout.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Escaped text with every identifier, date and figure in a span that does not wrap. */
function textHtml(s: string): string {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(UNBREAKABLE_TOKEN)) {
    if (m[0].length > MAX_UNBREAKABLE) continue;
    out += `${esc(s.slice(last, m.index))}<span class="nw">${esc(m[0])}</span>`;
    last = m.index + m[0].length;
  }
  return out + esc(s.slice(last));
}

function css(lang: Lang): string {
  const zh = lang === 'zh';
  const f = CSS_FACES[lang];
  const pt = SIZE_PT[lang];
  const m = PAGE_MARGINS_MM;
  // Chinese: 仿宋 body at a fixed pitch; 黑体 headings, table heads and emphasis are not bold (the face
  // is the weight). The template's bold (the title, the 楷体 second-level headings) is in the DOCX only:
  // no free Chinese font has a bold face, and Chromium prints an emboldened glyph as a Type 3 font (44
  // of them and +1.2 MB for the self-assessment's headings alone); a text-shadow bold doubles the
  // headings' text in the PDF's bookmarks and tags. So synthesis is off and the faces carry the levels.
  // Identifiers stay in the body face in Chinese (as in official documents; a monospaced face is also
  // much wider and starves the Chinese columns of a table); English sets them monospaced.
  // English: one serif, bold sans heads (Liberation has real bold faces).
  const bold = zh ? 'font-weight: 400;' : 'font-weight: 700;';
  return `
@page { size: A4; margin: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm; }
html { background: #fff; color: #000; ${zh ? 'font-synthesis: none;' : ''} }
body { font-family: ${f.body}; font-size: ${pt.body}pt; line-height: ${zh ? `${LINE_PITCH_PT}pt` : 1.5}; margin: 0 auto; max-width: ${(210 - m.left - m.right).toFixed(1)}mm; padding: 12mm 0; }
@media print { body { max-width: none; padding: 0; } }
h1.title { font-family: ${f.title}; ${bold} font-size: ${pt.title}pt; text-align: center; margin: 0 0 6pt; line-height: 1.4; }
p.subtitle { text-align: center; margin: 0; font-size: ${pt.subtitle}pt; line-height: 1.5; text-indent: 0; }
div.subtitles { margin-bottom: 18pt; }
h2, h3, h4 { margin: 0; ${zh ? 'text-indent: 2em;' : ''} break-after: avoid; page-break-after: avoid; break-inside: avoid; }
h2 { font-family: ${f.h1}; font-weight: ${zh ? 400 : 700}; font-size: ${pt.h1}pt; ${zh ? '' : 'margin: 14pt 0 4pt;'} }
h3 { font-family: ${f.h2}; ${bold} font-size: ${pt.h2}pt; ${zh ? '' : 'margin: 10pt 0 4pt;'} }
h4 { font-family: ${f.h3}; font-weight: ${zh ? 400 : 700}; font-size: ${pt.h3}pt; ${zh ? '' : 'margin: 8pt 0 3pt;'} }
p { margin: 0 0 ${zh ? 0 : 6}pt; ${zh ? 'text-indent: 2em;' : ''} }
p.lead { break-after: avoid; page-break-after: avoid; }
p.note, p.warning { font-size: ${pt.note}pt; line-height: 1.5; border-left: 3pt solid #888; padding-left: 6pt; text-indent: 0; margin: 3pt 0 6pt; }
p.note { color: #333; }
p.warning { border-left-color: #b00; }
${zh ? `strong { font-family: ${CSS_HEI}; font-weight: 400; }` : ''}
ul, ol { margin: 0 0 6pt; padding-left: 2em; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 10pt; font-size: ${pt.table}pt; line-height: 1.4; page-break-inside: auto; }
tr { page-break-inside: avoid; break-inside: avoid; }
th, td { border: 0.75pt solid #000; padding: 3pt 4pt; vertical-align: top; text-align: left; }
th { font-family: ${zh ? CSS_HEI : f.h1}; font-weight: ${zh ? 400 : 700}; background: #e8e8e8; }
thead { display: table-header-group; }
table.fields th { width: 32%; }
span.nw { white-space: nowrap; }
code { ${zh ? 'font-family: inherit; font-size: inherit;' : `font-family: ${f.mono}; font-size: 0.9em;`} }
mark.placeholder { background: #fff3a0; border: 0.75pt dashed #a08000; padding: 0 2pt; color: #000; }
span.state { font-family: ${zh ? CSS_HEI : f.h1}; font-size: 0.9em; padding: 0 3pt; border: 0.75pt solid #000; white-space: nowrap; }
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
          return i.strong ? `<strong>${textHtml(i.text)}</strong>` : textHtml(i.text);
        case 'rule':
          return `<code class="rule">${textHtml(i.id)}</code>`;
        case 'code':
          return `<code>${textHtml(i.text)}</code>`;
        case 'placeholder':
          return `<mark class="placeholder" data-n="${i.n}">${textHtml(i.prompt)}</mark>`;
      }
    })
    .join('')
    .replace(/\n/g, '<br>');
}

/** A block a lead-in line must stay with. */
const introduced = (b: Block<string> | undefined) => b !== undefined && ['table', 'fields', 'list', 'checklist'].includes(b.kind);

function block(b: Block<string>, next: Block<string> | undefined): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level + 1}>${textHtml(b.text)}</h${b.level + 1}>`;
    case 'paragraph': {
      const classes = [...(b.tone && b.tone !== 'normal' ? [b.tone] : []), ...(introduced(next) ? ['lead'] : [])];
      return classes.length ? `<p class="${classes.join(' ')}">${inline(b.content)}</p>` : `<p>${inline(b.content)}</p>`;
    }
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      return `<${tag}>${b.items.map((i) => `<li>${inline(i)}</li>`).join('')}</${tag}>`;
    }
    case 'table': {
      // Column widths as classes (one rule per width, see widthRules): no inline styles.
      const cols = b.widths ? `<colgroup>${b.widths.map((w) => `<col class="w-${Math.round(w)}">`).join('')}</colgroup>` : '';
      const head = `<thead><tr>${b.head.map((h) => `<th>${textHtml(h)}</th>`).join('')}</tr></thead>`;
      const rows = b.rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('');
      return `<table>${cols}${head}<tbody>${rows}</tbody></table>`;
    }
    case 'fields':
      return `<table class="fields"><tbody>${b.rows.map((r) => `<tr><th scope="row">${textHtml(r.label)}</th><td>${inline(r.value)}</td></tr>`).join('')}</tbody></table>`;
    case 'checklist':
      return `<ul class="checklist">${b.items
        .map((i) => `<li><span class="state state-${i.state}">${textHtml(i.stateText ?? i.state)}</span> ${inline(i.label)}${i.detail ? ` — ${inline(i.detail)}` : ''}</li>`)
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
  const body = doc.body.map((b, i) => block(b, doc.body[i + 1])).join('\n');
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
<h1 class="title">${textHtml(doc.title)}</h1>
<div class="subtitles">${doc.subtitle.map((s) => `<p class="subtitle">${textHtml(s)}</p>`).join('')}</div>
${body}
</body>
</html>
`;
}
