/**
 * Raw identifiers of people and vehicles never appear in a document (IMP-GEN-5: characteristics, not
 * the data). The workspace holds none by design, but its free-text fields (purposes, names, attested
 * statements) are typed by people; this last filter replaces anything shaped like a PRC resident ID
 * number, a mainland mobile number, a VIN, an ICCID or an IMSI before a document is written.
 *
 * Hand-written (a handful of patterns): no library targets PRC identifiers, and the patterns are
 * deliberately broad — a false positive costs a masked figure in a draft, a false negative a leak.
 */

const PATTERNS: readonly RegExp[] = [
  // Resident identity card: 17 digits and a check digit or X (and the old 15-digit form).
  /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g,
  /(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])/g,
  // ICCID (89 + 17-18 digits) and IMSI (460 + 12 digits) before shorter numbers.
  /(?<![0-9A-Za-z])89\d{17,18}(?![0-9A-Za-z])/g,
  /(?<![0-9A-Za-z])460\d{12}(?![0-9A-Za-z])/g,
  // Mainland mobile numbers, with an optional +86 / 86 prefix and the usual separators.
  /(?<![0-9A-Za-z])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9A-Za-z])/g,
  // VIN: 17 characters without I, O, Q, mixing letters and digits (ISO 3779).
  /(?<![0-9A-Za-z])(?=[A-HJ-NPR-Z0-9]{17}(?![0-9A-Za-z]))(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}/g,
];

export const REDACTED = '[…]';

export function redactIdentifiers(text: string): string {
  let out = text;
  for (const p of PATTERNS) out = out.replace(p, REDACTED);
  return out;
}

/** Whether a text still holds something shaped like a raw identifier (used by the tests). */
export function findIdentifiers(text: string): string[] {
  const found: string[] = [];
  for (const p of PATTERNS) for (const m of text.matchAll(p)) found.push(m[0]);
  return found;
}
