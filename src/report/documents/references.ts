/**
 * How documents cite rules: every rule (SA-1, SEC-*, PROC-*, UPD-*, QA-5 …) lives in a rule pack, once,
 * with its ID, source and confidence; documents look it up there. What the documents add is structure:
 * the four aspects of the protection requirements, the statistics and the annual due date.
 */
import { lookupRule } from '../../rules/index.js';
import type { Bilingual, Confidence, Provenance } from '../../rules/types.js';


/** The security protection requirements in the guidelines' four aspects (UPD-1, regulation.md §7). */
export const SECURITY_ASPECTS = [
  { aspect: 'management', requirements: ['SEC-MGT-1', 'SEC-MGT-2'] },
  { aspect: 'technical', requirements: ['SEC-TECH-1', 'SEC-TECH-2', 'SEC-TECH-3'] },
  { aspect: 'logs', requirements: ['SEC-LOG-1'] },
  { aspect: 'emergency', requirements: ['SEC-ER-1'] },
] as const;
export type SecurityAspect = (typeof SECURITY_ASPECTS)[number]['aspect'];

/** QA-5: the CAC approval statistics the officer asks for, with the confidence regulation.md gives. */
export const CAC_APPROVAL_STATISTICS = { asOf: '2025-03', declared: 509, approved: 325, rule: 'QA-5' } as const;

/** AUTO-5: the annual report is due on this day of each year (month, day). */
export const ANNUAL_REPORT_DUE = { month: 12, day: 15, rule: 'AUTO-5' } as const;

export interface CitedRule {
  id: string;
  title: Bilingual;
  source: string;
  confidence: Confidence;
  provenance: Provenance | null;
  /** The packs that hold it (empty for the documents' own references). */
  packs: string[];
  note: Bilingual | null;
}

/**
 * Research items (UPD-* of regulation.md §13, QA-*) summarise a document; they are not rules. A
 * document cites the document they summarise, in the reader's language, never the item's ID.
 */
export const isResearchId = (id: string): boolean => /^(UPD|QA)-\d+$/.test(id);

/** A rule ID as cited in a document, from the rule packs. */
export function citedRule(id: string): CitedRule | null {
  const found = lookupRule(id);
  if (found.length) {
    const first = found[found.length - 1]!; // the newest pack's wording
    return {
      id,
      title: first.rule.title,
      source: first.rule.source,
      confidence: first.rule.confidence,
      provenance: first.rule.provenance ?? null,
      packs: [...new Set(found.map((f) => f.pack.id))],
      note: first.rule.note ?? null,
    };
  }
  return null;
}
