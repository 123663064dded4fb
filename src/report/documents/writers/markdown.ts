/**
 * Markdown writer (CommonMark + GFM tables): for review in git and pasting into wikis. Placeholders are
 * bold and bracketed so that they stand out in the raw text as well as rendered.
 */
import type { Block, CheckState, Content, DocumentTree } from '../model.js';

const CHECK_MARK: Record<CheckState, string> = { ready: '[x]', attested: '[x]', draft: '[~]', missing: '[ ]', 'not-applicable': '[-]' };

/** Characters that would start Markdown syntax inside running text ('#' and '>' only matter at a line start). */
function escape(s: string): string {
  return s.replace(/([\\`*_[\]<|])/g, '\\$1').replace(/^([#>])/gm, '\\$1');
}

/**
 * Bold text. CommonMark's flanking rules do not close `**` after punctuation that is followed by a
 * letter (common in Chinese: `**【待填写1】**文字`), so such text is bold through inline HTML instead.
 */
function strong(s: string): string {
  const punct = /^[\p{P}\p{S}]|[\p{P}\p{S}]$/u;
  if (punct.test(s)) return `<strong>${s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;')}</strong>`;
  return `**${escape(s)}**`;
}

function inline(content: Content<string>, inTable = false): string {
  const out = content
    .map((i) => {
      switch (i.kind) {
        case 'text':
          return i.strong ? strong(i.text) : escape(i.text);
        case 'rule':
          return `\`${i.id}\``;
        case 'code':
          return `\`${i.text.replace(/`/g, "'")}\``;
        case 'placeholder':
          return strong(i.prompt);
      }
    })
    .join('');
  return inTable ? out.replace(/\n/g, '<br>') : out;
}

function block(b: Block<string>, lines: string[]): void {
  switch (b.kind) {
    case 'heading':
      lines.push(`${'#'.repeat(b.level + 1)} ${escape(b.text)}`, '');
      return;
    case 'paragraph': {
      const text = inline(b.content);
      lines.push(b.tone === 'normal' || !b.tone ? text : `> ${text.replace(/\n/g, '\n> ')}`, '');
      return;
    }
    case 'list':
      b.items.forEach((item, i) => lines.push(`${b.ordered ? `${i + 1}.` : '-'} ${inline(item)}`));
      lines.push('');
      return;
    case 'table':
      lines.push(`| ${b.head.map((h) => escape(h)).join(' | ')} |`, `|${b.head.map(() => ' --- ').join('|')}|`);
      for (const row of b.rows) lines.push(`| ${row.map((c) => inline(c, true) || ' ').join(' | ')} |`);
      lines.push('');
      return;
    case 'fields':
      lines.push('| | |', '| --- | --- |');
      for (const r of b.rows) lines.push(`| ${escape(r.label)} | ${inline(r.value, true) || ' '} |`);
      lines.push('');
      return;
    case 'checklist':
      for (const item of b.items) {
        const state = item.stateText ? `${strong(item.stateText)} ` : '';
        lines.push(`- ${CHECK_MARK[item.state]} ${state}${inline(item.label)}${item.detail ? ` — ${inline(item.detail)}` : ''}`);
      }
      lines.push('');
      return;
    case 'page-break':
      lines.push('---', '');
      return;
  }
}

export function writeMarkdown(doc: DocumentTree<string>): string {
  const lines: string[] = [`# ${escape(doc.title)}`, ''];
  for (const s of doc.subtitle) lines.push(`${escape(s)}  `);
  if (doc.subtitle.length) lines.push('');
  for (const b of doc.body) block(b, lines);
  return `${lines.join('\n').trimEnd()}\n`;
}
