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
  // Numbers are bounded by digits only: "tel13812345678" or "ID110101199003078515号" are still found.
  // Resident identity card: 17 digits and a check digit or X (and the old 15-digit form).
  /(?<!\d)\d{17}[\dXx](?!\d)/g,
  /(?<!\d)\d{15}(?!\d)/g,
  // ICCID (89 + 17-18 digits) and IMSI (460 + 12 digits) before shorter numbers.
  /(?<!\d)89\d{17,18}(?!\d)/g,
  /(?<!\d)460\d{12}(?!\d)/g,
  // Mainland mobile numbers, with an optional +86 / 86 prefix and the usual separators.
  /(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g,
  // VIN: 17 characters without I, O, Q, mixing letters and digits (ISO 3779), not inside a longer code.
  /(?<![A-HJ-NPR-Z0-9])(?=[A-HJ-NPR-Z0-9]{17}(?![A-HJ-NPR-Z0-9]))(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}/g,
];

/** Fullwidth asterisks, as masked numbers are written in Chinese documents; no Markdown or HTML meaning. */
export const REDACTED = '＊＊＊';

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
