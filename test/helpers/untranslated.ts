/**
 * What counts as an untranslated string in Chinese output (test/cli/chinese.test.ts). Strict and
 * mechanical, so that it neither lets English prose through nor fails on a file name.
 *
 * A line is cut into what is prose and what is not. NOT prose (removed before looking):
 * - the user's own strings: every key and value of the workspace files the command read (ids, names,
 *   purposes… as the user wrote them), given as `userStrings`;
 * - code in backticks (`chujing --help`), file paths (anything with a / or ending in a file extension,
 *   dot files), URLs, flags with their value (--as-of, -w, --fail-on qualifying), environment variable
 *   names (CHUJING_HMAC_KEY), locale tags (zh_CN), dotted names (settings.boxMeasure), field paths
 *   (transfers[0].datasets[1]);
 * - identifiers: rule IDs and source keys (PATH-SA-1, S-PROV, Q-1), camelCase names (fact and setting
 *   names), multi-part lower-case identifiers (cn-auto@2026, count-in-both, adas-road-test, utf-16le),
 *   hexadecimal digests;
 * - in `--help`, the values listed after 可选： and 默认： (they are values the user types);
 * - the names of chujing's commands (assess, check…), given as `commands`, as the user types them.
 * What is left is prose. A Latin word of two or more letters in it is untranslated, unless it is one of
 * the technical names a Chinese text writes the same way (JSON, CSV, Excel…, TECH_WORDS below).
 *
 * Multi-part identifiers pass — except the engine's own vocabulary, the values that have a Chinese
 * text in the message tables (paths such as security-assessment, mechanisms, levels, states, kinds):
 * seeing one of those raw in Chinese prose means a message was not used (`vocabulary`).
 */
import { MESSAGES } from '../../src/i18n/index.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ALL_PACKS, BUILT_IN_NEGATIVE_LISTS, FACTS } from '../../src/rules/index.js';

/** Technical names written the same way in Chinese text. */
export const TECH_WORDS = new Set(
  [
    'chujing', 'JSON', 'JSONL', 'GB18030', 'YAML', 'CSV', 'XLSX', 'XML', 'BOM', 'UTF', 'GBK', 'GB', 'HMAC', 'SHA', 'Ed25519', 'PEM',
    'Excel', 'JUnit', 'GitHub', 'Actions', 'iCalendar', 'ics', 'PGlite', 'PostgreSQL', 'Schema', 'CI', 'API', 'HTTP', 'TCP', 'TLS',
    'px', 'km', 'YYYY', 'MM', 'DD', 'HH', 'SS', 'ID', 'VIN', 'ICCID', 'IMSI', 'CAC', 'OEM', 'ECU', 'OTA', 'FTZ', 'PI',
    'PIPL', 'PIPIA', 'ADAS', 'COCO', 'KITTI', 'YOLO', 'VOC', 'WIDER', 'CCPD', 'OpenALPR', 'LC_ALL', 'LC_MESSAGES', 'LANG',
    'KB', 'MB', 'GB', 'KiB', 'MiB', 'zh', 'en', 'min', 'max', 'git', 'APT',
    // file formats and protocols the web UI names (document formats, transfer channels, digests)
    'Word', 'DOCX', 'HTML', 'PDF', 'Markdown', 'SFTP', 'sha256',
    // proper names written in Latin letters in Chinese text too
    'DLA', 'Piper',
    // tools and models of the image and video scans (issue 21)
    'onnxruntime', 'ffmpeg', 'ffprobe', 'Debian', 'Ubuntu', 'YuNet', 'HyperLPR3', 'FACE',
  ].map((w) => w.toLowerCase()),
);

/** Raw values that have a Chinese text: printed raw in Chinese prose, they are untranslated. */
export function vocabulary(): Set<string> {
  const prefixes = ['path.', 'mechanism.', 'level.', 'status.dstate.', 'status.astate.', 'status.approval-status.', 'export.kind.', 'export.status.', 'pack-status.', 'pack-reason.'];
  const out = new Set<string>();
  for (const code of Object.keys(MESSAGES.en)) {
    const p = prefixes.find((x) => code.startsWith(x));
    if (p) {
      const value = code.slice(p.length);
      if (/-/.test(value)) out.add(value);
    }
  }
  return out;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface UntranslatedOptions {
  /** The user's own strings (keys and values of the workspace files read). */
  userStrings?: Iterable<string>;
  /** Help output: the values after 可选： / 默认： are values, not prose. */
  help?: boolean;
  /** chujing's command names. */
  commands?: Iterable<string>;
  /**
   * Codes that have a title in the message tables or the rule packs (fact names, scenario and data-type
   * ids): in prose they are untranslated, even where the identifier rules below would let them pass.
   * (The web UI shows such a code only after its title, in small type, which its test leaves out.)
   */
  codes?: Iterable<string>;
}

/** Every untranslated word of a text, with its line (empty when the text is Chinese throughout). */
export function untranslated(text: string, options: UntranslatedOptions = {}): { line: string; words: string[] }[] {
  const user = [...new Set(options.userStrings ?? [])].filter((s) => /[A-Za-z]{2}/.test(s)).sort((a, b) => b.length - a.length);
  const userRe = user.length ? new RegExp(`(?<![\\w.-])(?:${user.map(escapeRe).join('|')})(?![\\w.-])`, 'g') : null;
  const codes = [...new Set(options.codes ?? [])].sort((a, b) => b.length - a.length);
  const codesRe = codes.length ? new RegExp(`(?<![\\w.-])(?:${codes.map(escapeRe).join('|')})(?![\\w.-])`, 'g') : null;
  const vocab = vocabulary();
  const commands = new Set(options.commands ?? []);
  const out: { line: string; words: string[] }[] = [];
  for (const line of text.split(/\r?\n/)) {
    let s = line;
    if (userRe) s = s.replace(userRe, ' ');
    const early: string[] = [];
    if (codesRe) s = s.replace(codesRe, (c) => (early.push(c), ' '));
    if (options.help) s = s.replace(/(可选|默认)：[^（）]*/g, ' ');
    s = s
      .replace(/`[^`]*`/g, ' ')
      .replace(/https?:\/\/\S+/g, ' ')
      .replace(/[^\s，。；：、（）“”]*[/\\][^\s，。；：、（）“”]*/g, ' ') // paths
      .replace(/[\w.-]+\.(ya?ml|json|jsonl|csv|ics|md|xml|xlsx|txt|pem|pub|tmp)\b/gi, ' ')
      .replace(/(^|[\s(（\[，、：,])\.[\w.-]+/g, '$1 ') // dot files (.gitignore)
      .replace(/(^|[\s(（\[，、：,“])--?[a-z][\w-]*(=\S*|\s+[a-z][\w-]*(?=[\s，。；：、（）”]|$))?/g, '$1 ') // flags, with a value
      .replace(/\b[a-z]{2}[-_][A-Z]{2}\b/g, ' ') // locale tags (zh_CN)
      .replace(/\b[a-z][\w]*(?:\.[A-Za-z][\w]*)+\b/g, ' ') // dotted names (settings.boxMeasure)
      .replace(/\b[A-Za-z]\w*(?:\[\d+\])+(?:\.\w+(?:\[\d+\])*)*/g, ' ') // field paths (transfers[0].datasets[1])
      .replace(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g, ' ') // environment variables
      .replace(/\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b/g, ' ') // rule IDs, source keys
      .replace(/\b[0-9a-f]{8,}\b/g, ' '); // digests
    const words: string[] = [...early];
    // Multi-part identifiers pass unless they are vocabulary that has a Chinese text.
    s = s.replace(/\b[a-z0-9]+(?:[-_.@:][a-z0-9]+)+\b/g, (id) => {
      if (vocab.has(id)) words.push(id);
      return ' ';
    });
    s = s.replace(/\b[a-z][a-z0-9]*(?:[A-Z][A-Za-z0-9]*)+\b/g, ' '); // camelCase names
    for (const w of s.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []) if (/[A-Za-z].*[A-Za-z]|^[A-Za-z]{2}/.test(w) && !TECH_WORDS.has(w.toLowerCase()) && !commands.has(w)) words.push(w);
    if (words.length) out.push({ line, words });
  }
  return out;
}

/** Every message text in a JSON document (objects with code, params and text). */
export function messageTexts(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.code === 'string' && typeof o.text === 'string' && 'params' in o) out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(value);
  return out;
}

/** Every string value (and with `keys`, every key) of a YAML/JSON document: the user's own strings. */
export function stringsOf(value: unknown, keys = false): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (keys) out.push(k);
        walk(x);
      }
    }
  };
  walk(value);
  return out;
}

/** The user's own strings: every value of every YAML file under a workspace folder (ids, names, purposes…). */
export function userStringsOf(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() && !e.name.startsWith('.')) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(...stringsOf(parse(readFileSync(p, 'utf8'))));
    }
  };
  walk(dir);
  return out;
}

/** Codes that have a Chinese title (facts, built-in FTZ lists, scenarios and data types of every pack): raw in prose, untranslated. */
export const TITLED_CODES: string[] = [...Object.keys(FACTS), ...BUILT_IN_NEGATIVE_LISTS.map((l) => l.id), ...ALL_PACKS.flatMap((p) => p.scenarios.flatMap((sc) => [sc.id, ...sc.dataTypes.map((d) => d.id)]))];
