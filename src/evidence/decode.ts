/**
 * Text of manifests and drive logs, from bytes, with the encoding checked rather than guessed at.
 *
 * Files from the real world come from Excel: UTF-8 with a byte-order mark, or GBK / GB18030 (what
 * Chinese Excel writes for "CSV"), sometimes UTF-16 with a BOM. Reading GBK as UTF-8 would silently turn
 * every Chinese character into U+FFFD, and two different identifiers into the same string: a count that
 * is wrong without a word. So:
 *
 * - a BOM decides (UTF-8, UTF-16 LE/BE);
 * - `--encoding` (or the workspace's `encoding:`) decides;
 * - otherwise the file must be valid UTF-8, except that when the **header row** is not UTF-8 but decodes
 *   as GB18030 into known column names, the file is read as GB18030 and the result says it was detected;
 * - any byte sequence that is not valid in the chosen encoding is bad input naming the file and line —
 *   never replaced, never skipped (a record cannot be trusted when its bytes cannot).
 *
 * Blocks are cut at line ends (0x0A is never part of a multi-byte character in UTF-8 or GB18030), so a
 * bad byte is reported on its own line and every block decodes on its own.
 */
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { badInput } from '../errors.js';
import { msg } from '../i18n/index.js';

import { TEXT_ENCODINGS, type TextEncodingName } from '../model/encodings.js';

export { TEXT_ENCODINGS, type TextEncodingName };

/** Spellings people type for the encodings above (GBK is a subset of GB18030: one decoder reads both). */
const ALIASES: Record<string, TextEncodingName> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-8-sig': 'utf-8',
  gb18030: 'gb18030',
  gbk: 'gb18030',
  gb2312: 'gb18030',
  cp936: 'gb18030',
  'utf-16le': 'utf-16le',
  utf16le: 'utf-16le',
  'utf-16be': 'utf-16be',
  utf16be: 'utf-16be',
};

/** `--encoding` value -> encoding; an unknown name is bad input, never ignored. */
export function parseEncoding(value: string, field = '--encoding'): TextEncodingName {
  const e = ALIASES[value.trim().toLowerCase()];
  if (!e) {
    throw badInput(msg('evidence.encoding.unknown', { value }), [
      { field, message: msg('evidence.encoding.unknown', { value }), expected: msg('evidence.encoding.expected') },
    ]);
  }
  return e;
}

export interface DecodedFileInfo {
  encoding: TextEncodingName;
  /** How the encoding was decided. */
  by: 'bom' | 'option' | 'default' | 'header';
}

export interface DecoderOptions {
  /** Name of the file in messages. */
  display: string;
  /** Chosen encoding (`--encoding`); undefined: BOM, UTF-8, or GB18030 detected from the header row. */
  encoding?: TextEncodingName;
  /** Whether a decoded header row names known columns (allows GB18030 to be detected). */
  knownHeader?: (firstLine: string) => boolean;
}

const HEADER_LIMIT = 1 << 16;

/**
 * Incremental decoder: `push(bytes)` returns the text of the complete lines so far, `end()` the rest.
 * Throws bad-input at the first line that is not valid in the encoding.
 */
export class ManifestDecoder {
  info: DecodedFileInfo | null = null;
  private pending: Buffer = Buffer.alloc(0);
  /** Line number of the first byte of `pending`. */
  private line = 1;
  private utf16: TextDecoder | null = null;
  private gb: TextDecoder | null = null;

  constructor(private readonly options: DecoderOptions) {}

  push(chunk: Buffer): string {
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    if (!this.info) {
      const nl = buf.indexOf(0x0a);
      // The encoding is decided on the header row: wait for it (or for enough bytes).
      if (nl < 0 && buf.length < HEADER_LIMIT) {
        this.pending = Buffer.from(buf);
        return '';
      }
      return this.start(buf, nl < 0 ? buf.length : nl, false);
    }
    return this.decodeLines(buf, false);
  }

  end(): string {
    const buf = this.pending;
    this.pending = Buffer.alloc(0);
    if (!this.info) {
      const nl = buf.indexOf(0x0a);
      return this.start(buf, nl < 0 ? buf.length : nl, true);
    }
    return this.decodeLines(buf, true);
  }

  private start(buf: Buffer, headerEnd: number, final: boolean): string {
    let body = buf;
    if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      this.info = { encoding: 'utf-8', by: 'bom' };
      body = buf.subarray(3);
    } else if (buf[0] === 0xff && buf[1] === 0xfe) {
      this.info = { encoding: 'utf-16le', by: 'bom' };
      body = buf.subarray(2);
    } else if (buf[0] === 0xfe && buf[1] === 0xff) {
      this.info = { encoding: 'utf-16be', by: 'bom' };
      body = buf.subarray(2);
    } else if (this.options.encoding) {
      this.info = { encoding: this.options.encoding, by: 'option' };
    } else {
      const header = buf.subarray(0, headerEnd);
      if (isUtf8(header)) this.info = { encoding: 'utf-8', by: 'default' };
      else if (this.decodesAsKnownGb18030(header)) this.info = { encoding: 'gb18030', by: 'header' };
      else throw this.notDecodable(1, 'utf-8');
    }
    return this.decodeLines(Buffer.from(body), final);
  }

  private decodesAsKnownGb18030(header: Buffer): boolean {
    try {
      const text = new TextDecoder('gb18030', { fatal: true }).decode(header);
      return this.options.knownHeader?.(text) ?? false;
    } catch {
      return false;
    }
  }

  private decodeLines(buf: Buffer, final: boolean): string {
    const enc = this.info!.encoding;
    if (enc === 'utf-16le' || enc === 'utf-16be') return this.decodeUtf16(buf, final);
    const cut = final ? buf.length : buf.lastIndexOf(0x0a) + 1;
    const block = buf.subarray(0, cut);
    this.pending = final ? Buffer.alloc(0) : Buffer.from(buf.subarray(cut));
    let text: string;
    if (enc === 'utf-8') {
      if (!isUtf8(block)) throw this.notDecodable(this.line + badLineIndex(block, isUtf8), enc);
      text = block.toString('utf8');
    } else {
      this.gb ??= new TextDecoder('gb18030', { fatal: true });
      try {
        text = this.gb.decode(block);
      } catch {
        const gb = this.gb;
        throw this.notDecodable(this.line + badLineIndex(block, (line) => canDecode(gb, line)), enc);
      }
    }
    this.line += countByte(block, 0x0a);
    return text;
  }

  private decodeUtf16(buf: Buffer, final: boolean): string {
    const enc = this.info!.encoding;
    this.utf16 ??= new TextDecoder(enc, { fatal: true });
    this.pending = Buffer.alloc(0);
    try {
      const text = this.utf16.decode(buf, { stream: !final });
      this.line += countChar(text, '\n');
      return text;
    } catch {
      throw this.notDecodable(this.line, enc);
    }
  }

  private notDecodable(line: number, encoding: TextEncodingName) {
    const m = msg('evidence.encoding.invalid', { encoding: encodingLabel(encoding) });
    return badInput(msg('evidence.encoding.invalid-file', { file: this.options.display, encoding: encodingLabel(encoding) }), [
      { file: this.options.display, line, message: m, expected: msg(encoding === 'utf-8' ? 'evidence.encoding.expected-utf8' : 'evidence.encoding.expected-valid', { encoding: encodingLabel(encoding) }) },
    ]);
  }
}

export function encodingLabel(e: TextEncodingName): string {
  return e === 'utf-8' ? 'UTF-8' : e === 'gb18030' ? 'GB18030' : e === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE';
}

function canDecode(decoder: TextDecoder, bytes: Uint8Array): boolean {
  try {
    decoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Index (0-based) of the first line of `block` that `ok` refuses (only called once one is known bad). */
function badLineIndex(block: Buffer, ok: (line: Uint8Array) => boolean): number {
  let start = 0;
  for (let i = 0; ; i++) {
    const nl = block.indexOf(0x0a, start);
    const end = nl < 0 ? block.length : nl;
    if (!ok(block.subarray(start, end))) return i;
    if (nl < 0) return i;
    start = nl + 1;
  }
}

function countByte(b: Uint8Array, byte: number): number {
  let n = 0;
  for (let i = (b as Buffer).indexOf(byte); i !== -1; i = (b as Buffer).indexOf(byte, i + 1)) n++;
  return n;
}

function countChar(s: string, c: string): number {
  let n = 0;
  for (let i = s.indexOf(c); i !== -1; i = s.indexOf(c, i + 1)) n++;
  return n;
}
