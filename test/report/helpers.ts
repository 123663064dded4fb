/**
 * Reading generated documents back the way their readers do: the DOCX as a Word package (unzipped,
 * its XML parsed — paragraphs with their styles), the PDF with poppler (pdftotext, pdftoppm), the CLI
 * in-process with captured output.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { main } from '../../src/cli/main.js';
import type { CliContext } from '../../src/cli/context.js';
import type { Content, DocumentTree } from '../../src/report/documents/model.js';
import { REPO_ROOT } from '../helpers/cli.js';

export const EXAMPLE = join(REPO_ROOT, 'examples', 'acme-auto');
export const AS_OF = '2026-11-23';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in-process (as `chujing ...`), capturing its output. */
export async function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s) => void (stdout += s), isTTY: false },
    stderr: { write: (s) => void (stderr += s), isTTY: false },
    env: { LANG: 'en_US.UTF-8', ...options.env },
    cwd: options.cwd ?? REPO_ROOT,
  });
  return { code, stdout, stderr };
}

export function context(cwd = REPO_ROOT): CliContext {
  return {
    stdout: { write: () => undefined, isTTY: false },
    stderr: { write: () => undefined, isTTY: false },
    env: { LANG: 'en_US.UTF-8' },
    cwd,
    exitCode: 0,
    lang: () => 'en',
  };
}

/** A private copy of the example workspace (the tests may edit it). */
export function copyExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chujing-docs-'));
  cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.includes(`${join('acme-auto', '.chujing')}`) });
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface DocxParagraph {
  style: string | null;
  text: string;
}

type XmlNode = Record<string, unknown>;

function childrenOf(node: XmlNode): XmlNode[] {
  for (const [k, v] of Object.entries(node)) if (k !== ':@' && Array.isArray(v)) return v as XmlNode[];
  return [];
}
const nameOf = (node: XmlNode) => Object.keys(node).find((k) => k !== ':@') ?? '';

/** Every text of a node's subtree, in order (w:t runs; w:br as a line break). */
function textOf(node: XmlNode): string {
  const name = nameOf(node);
  if (name === '#text') return String(node['#text']);
  if (name === 'w:br') return '\n';
  return childrenOf(node).map(textOf).join('');
}

export interface DocxPackage {
  files: string[];
  paragraphs: DocxParagraph[];
  /** All text of the body (paragraphs and table cells), joined by newlines. */
  text: string;
  styles: string[];
}

/** Open a DOCX as Word does: a ZIP package whose XML parts are well-formed; paragraphs and styles from the XML. */
export function readDocx(bytes: Uint8Array): DocxPackage {
  const zip = unzipSync(bytes);
  const files = Object.keys(zip);
  for (const f of files.filter((f) => f.endsWith('.xml') || f.endsWith('.rels'))) {
    const valid = XMLValidator.validate(strFromU8(zip[f]!));
    if (valid !== true) throw new Error(`${f} is not well-formed XML: ${JSON.stringify(valid)}`);
  }
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, trimValues: false, processEntities: true, htmlEntities: true });
  const doc = parser.parse(strFromU8(zip['word/document.xml']!)) as XmlNode[];
  const paragraphs: DocxParagraph[] = [];
  const walk = (nodes: XmlNode[]) => {
    for (const n of nodes) {
      if (nameOf(n) === 'w:p') {
        let style: string | null = null;
        const props = childrenOf(n).find((c) => nameOf(c) === 'w:pPr');
        const ps = props ? childrenOf(props).find((c) => nameOf(c) === 'w:pStyle') : undefined;
        if (ps) style = String((ps[':@'] as Record<string, string>)['@_w:val']);
        paragraphs.push({ style, text: textOf(n) });
      } else walk(childrenOf(n));
    }
  };
  walk(doc);
  const stylesXml = parser.parse(strFromU8(zip['word/styles.xml']!)) as XmlNode[];
  const styles: string[] = [];
  const walkStyles = (nodes: XmlNode[]) => {
    for (const n of nodes) {
      if (nameOf(n) === 'w:style') styles.push(String((n[':@'] as Record<string, string>)['@_w:styleId']));
      else walkStyles(childrenOf(n));
    }
  };
  walkStyles(stylesXml);
  return { files, paragraphs, text: paragraphs.map((p) => p.text).join('\n'), styles };
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

export const pdfText = (file: string) => run('pdftotext', ['-layout', file, '-']);
export const pdfInfo = (file: string) => run('pdfinfo', [file]);
export const pdfFonts = (file: string) => run('pdffonts', [file]);

/**
 * Render page `page` of a PDF to a greyscale image (pdftoppm, PGM) and return the share of dark
 * pixels: 0 for a blank page.
 */
export function darkShare(file: string, page: number, dir: string): number {
  const base = join(dir, `page-${page}`);
  run('pdftoppm', ['-gray', '-r', '40', '-f', String(page), '-l', String(page), '-singlefile', file, base]);
  const pgm = readFileSync(`${base}.pgm`);
  // P5 header: "P5\n<w> <h>\n<max>\n" then one byte per pixel.
  const header = pgm.subarray(0, 64).toString('latin1');
  const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(header);
  if (!m) throw new Error('not a PGM image');
  const pixels = pgm.subarray(m[0].length);
  let dark = 0;
  for (const p of pixels) if (p < 128) dark++;
  return dark / pixels.length;
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  unicode: boolean;
}

/** pdffonts' table: name, type, whether embedded and whether it maps to Unicode. */
export function pdfFontList(file: string): PdfFont[] {
  return pdfFonts(file)
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      // name type… encoding emb sub uni objectID gen: the type may contain spaces ("CID TrueType").
      const m = /^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(l);
      if (!m) throw new Error(`pdffonts line not understood: ${l}`);
      return { name: m[1]!, type: m[2]!, embedded: m[4] === 'yes', unicode: m[6] === 'yes' };
    });
}

/** The PDF's bookmarks (document outline), depth first, as poppler's pdftohtml reads them. */
export function pdfOutline(file: string): string[] {
  const xml = run('pdftohtml', ['-xml', '-i', '-q', '-stdout', file]);
  const outline = /<outline>([\s\S]*)<\/outline>/.exec(xml)?.[1] ?? '';
  const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, '&');
  return [...outline.matchAll(/<item[^>]*>([^<]*)<\/item>/g)].map((m) => decode(m[1]!).replace(/\s+/g, ' ').trim());
}

/** Every string a reader sees in a localized document tree: title, subtitles, headings, cells, runs. */
export function documentStrings(doc: DocumentTree<string>): string[] {
  const out: string[] = [doc.title, ...doc.subtitle];
  const content = (c: Content<string>) => c.forEach((i) => out.push(i.kind === 'rule' ? i.id : i.kind === 'placeholder' ? i.prompt : i.text));
  for (const b of doc.body) {
    if (b.kind === 'heading') out.push(b.text);
    else if (b.kind === 'paragraph') content(b.content);
    else if (b.kind === 'list') b.items.forEach(content);
    else if (b.kind === 'table') {
      out.push(...b.head);
      b.rows.flat().forEach(content);
    } else if (b.kind === 'fields') b.rows.forEach((r) => (out.push(r.label), content(r.value)));
    else if (b.kind === 'checklist') b.items.forEach((i) => (content(i.label), i.detail && content(i.detail)));
  }
  return out;
}
