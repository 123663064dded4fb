/** A rule's provenance next to its confidence (regulation.md §13: rules carried over from the draft). */
export const provenance = {
  'provenance.carried-over-unconfirmed': 'carried over from the draft, to be checked against the official annex',
  'confidence.with-provenance': '{confidence} ({provenance})',
} as const;
