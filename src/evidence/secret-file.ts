/**
 * A key file readable by group or others lets anyone on the machine read the organisation's HMAC key
 * (and forge seals and checkpoints) or the anchor signing key (and sign anchors): refused, as ssh
 * refuses a private key readable by others, unless the user says the risk is accepted
 * (`--allow-readable-key-file`, docs/threat-model.md). Issue 19.
 */
import { statSync } from 'node:fs';
import { ChujingError } from '../errors.js';
import { msg } from '../i18n/index.js';

/** The flag that accepts a key file readable by group or others. */
export const ALLOW_READABLE_KEY_FLAG = '--allow-readable-key-file';

/**
 * Throw bad-input (exit 2) when `path` can be read by group or others. `display` names it in the message,
 * `field` is the option that named it. No check where permission bits mean nothing (Windows), or when
 * the risk is accepted. An unreadable or missing file is left to the caller's own read error.
 */
export function checkSecretFileMode(path: string, display: string, field: string, allowReadable = false): void {
  if (allowReadable || process.platform === 'win32') return;
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    return;
  }
  if ((mode & 0o077) === 0) return;
  const octal = mode.toString(8).padStart(4, '0');
  throw new ChujingError('bad-input', msg('storage.key-file-readable', { file: display, mode: octal }), [
    { file: display, field, message: msg('storage.key-file-readable-detail', { mode: octal }), expected: msg('storage.key-file-readable-expected', { file: display, flag: ALLOW_READABLE_KEY_FLAG }) },
  ]);
}
