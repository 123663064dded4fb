/**
 * Keyed hashing of personal and vehicle identifiers (VIN, ICCID, IMSI, ID numbers, phone numbers).
 * An identifier is hashed with HMAC-SHA-256 under the organisation's secret the moment it is read; the
 * raw value is never stored or printed. The same key gives the same hash, so distinct persons can be
 * counted exactly across files and years without keeping who they are.
 */
import { createHmac, type KeyObject, createSecretKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ChujingError } from '../errors.js';
import { checkSecretFileMode } from './secret-file.js';

export const IDENTIFIER_CATEGORIES = ['vin', 'iccid', 'imsi', 'personId', 'phone'] as const;
export type IdentifierCategory = (typeof IDENTIFIER_CATEGORIES)[number];

/** Normalise so that formatting differences do not make one person two. */
export function normaliseIdentifier(category: IdentifierCategory, raw: string): string {
  const v = raw.trim();
  switch (category) {
    case 'vin':
    case 'iccid':
    case 'imsi':
    case 'personId':
      return v.replace(/[\s-]/g, '').toUpperCase();
    case 'phone': {
      const digits = v.replace(/\D/g, '');
      // Mainland numbers written with the country code (+86 / 0086) are the same number.
      return digits.replace(/^(?:0086|86)(?=1\d{10}$)/, '');
    }
  }
}

export interface HmacKeySource {
  /** Environment to read from (default process.env — only the CLI passes it). */
  env: Record<string, string | undefined>;
  /** Name of the variable holding the key (workspace settings.hmacKeyEnv). */
  envVar: string;
  /** Optional file holding the key (first line). */
  keyFile?: string;
  /** Accept a key file readable by group or others (`--allow-readable-key-file`): refused otherwise. */
  allowReadableKeyFile?: boolean;
  /** The option that named the key file, for the message (default `--key-file`). */
  keyFileField?: string;
}

/** Minimum key length: 16 bytes of secret, as HMAC keys shorter than that are guessable. */
const MIN_KEY_BYTES = 16;

export function resolveHmacKey(source: HmacKeySource): KeyObject {
  let secret: string | undefined;
  let from: string;
  if (source.keyFile) {
    from = `key file ${source.keyFile}`;
    checkSecretFileMode(source.keyFile, source.keyFile, source.keyFileField ?? '--key-file', source.allowReadableKeyFile);
    try {
      secret = readFileSync(source.keyFile, 'utf8').split(/\r?\n/)[0]?.trim();
    } catch (e) {
      throw new ChujingError('bad-input', `cannot read the HMAC key file ${source.keyFile}`, [
        { file: source.keyFile, message: (e as NodeJS.ErrnoException).code ?? 'unreadable', expected: 'a file whose first line is the secret key' },
      ]);
    }
  } else {
    from = `environment variable ${source.envVar}`;
    secret = source.env[source.envVar];
  }
  if (!secret) {
    throw new ChujingError('bad-input', `no HMAC key: set ${from} to the organisation's secret (at least ${MIN_KEY_BYTES} bytes)`, [
      { field: source.envVar, message: 'missing key for hashing identifiers', expected: `a secret of at least ${MIN_KEY_BYTES} bytes in ${from}` },
    ]);
  }
  if (Buffer.byteLength(secret) < MIN_KEY_BYTES) {
    throw new ChujingError('bad-input', `the HMAC key in ${from} is too short`, [
      { field: source.envVar, message: `key has ${Buffer.byteLength(secret)} bytes`, expected: `at least ${MIN_KEY_BYTES} bytes` },
    ]);
  }
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/** Identifies a key without revealing it (stored beside hashes so a key change is detected). */
export function keyFingerprint(key: KeyObject): string {
  return createHmac('sha256', key).update('chujing:key-fingerprint:v1').digest('hex').slice(0, 16);
}

/**
 * HMAC-SHA-256 of `category:normalised`, as 32 raw bytes. The category prefix keeps a VIN and a phone
 * number that happen to share digits apart.
 */
export function hashIdentifier(key: KeyObject, category: IdentifierCategory, raw: string): Buffer {
  return createHmac('sha256', key).update(`${category}:${normaliseIdentifier(category, raw)}`).digest();
}

export function hashIdentifierHex(key: KeyObject, category: IdentifierCategory, raw: string): string {
  return hashIdentifier(key, category, raw).toString('hex');
}
