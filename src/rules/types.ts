/**
 * Rule packs are data: every threshold, comparator, period and list lives here once, with its rule ID
 * from regulation.md, its source and its confidence. The engine only interprets them.
 */
export type Confidence = 'confirmed' | 'recalled' | 'UNCONFIRMED';

/**
 * Where a rule's wording comes from, when that is itself in doubt. `carried-over-unconfirmed`: carried
 * from the 2025 draft into cn-auto@2026 because the official annex could not be read (regulation.md
 * §13, Q-6). A display and provenance status only: it changes no legal outcome (the rule stays as
 * binding as its confidence makes it) — docs/judgments.md.
 */
export type Provenance = 'carried-over-unconfirmed';
export type Comparator = '>=' | '>' | '<=' | '<' | '==' | '!=';

export interface Bilingual {
  en: string;
  zh: string;
}

/** One test of a fact: `fact comparator threshold`. */
export interface Condition {
  fact: string;
  comparator: Comparator;
  threshold: number | boolean;
  unit?: string;
}

/**
 * A judgment rule (判断规则) for important data: it holds when ANY of its conditions holds (the seed
 * joins the conditions of one rule with "or", e.g. DRAFT-J6 face or plate).
 */
export interface JudgmentRule {
  id: string;
  /** Also-known-as IDs from regulation.md (e.g. IMP-DA-R1 for the face condition of DRAFT-J6). */
  aliases?: string[];
  title: Bilingual;
  conditions: Condition[];
  /** Restrict to data types (ids); omitted = every data type. */
  dataTypes?: string[];
  /** Restrict to scenarios (ids); omitted = every scenario. */
  scenarios?: string[];
  /**
   * `dataset`: a fact of the dataset itself. `year-to-date`: a fact accumulated since 1 January
   * across transfers (DRAFT-J12 charging consumption persons), evaluated per transfer.
   */
  scope?: 'dataset' | 'year-to-date';
  outcome: 'important' | 'core';
  source: string;
  confidence: Confidence;
  /**
   * Why a confirmed-looking rule is still only advisory (e.g. Q-4 asks for legal review). Advisory
   * rules are shown and counted, never by themselves making data important, unless promoted.
   */
  advisory?: Bilingual;
  /**
   * An advisory rule that a setting makes binding (an open question of regulation.md §12): binding when
   * `settings[setting] === value`, advisory otherwise.
   */
  bindingSetting?: { setting: string; value: string };
  note?: Bilingual;
  provenance?: Provenance;
}

export interface DataTypeDef {
  id: string;
  title: Bilingual;
}

export interface ScenarioDef {
  id: string;
  title: Bilingual;
  dataTypes: DataTypeDef[];
}

/** A rule that is not a judgment rule: paths, exemptions, counting conventions, procedures. */
export interface ReferenceRule {
  id: string;
  title: Bilingual;
  source: string;
  confidence: Confidence;
  note?: Bilingual;
  provenance?: Provenance;
}

/** National path thresholds (S-PROV), used by the engine's path determination. */
export interface PathThresholds {
  /** PATH-SA-2: non-sensitive persons YTD at which SA is required (>=). */
  saPersons: Condition;
  /** PATH-SA-3: sensitive persons YTD at which SA is required (>=). */
  saSensitivePersons: Condition;
  /** PATH-SC-1: non-sensitive persons YTD at which SC/CERT is required (>=). */
  scPersons: Condition;
  /** PATH-SC-2: sensitive persons YTD above which SC/CERT is required (no floor: > 0). */
  scSensitivePersons: Condition;
}

/** Periods of the approvals' life cycle (lifecycle/ reads them; nothing else hard-codes them). */
export interface LifecyclePeriods {
  /** SA-4: validity of a security-assessment result, years from issuance. */
  saValidityYears: number;
  /** SA-6: extension applied for within this many working days before expiry. */
  saExtensionWindowWorkingDays: number;
  /** SA-6: a granted extension adds this many years. */
  saExtensionYears: number;
  /** SC-2: file within this many working days after the contract takes effect. */
  scFilingWorkingDays: number;
  /** SC-3: the provincial CAC answers within this many working days. */
  scReviewWorkingDays: number;
  /** CERT-4: certificate validity, years. */
  certValidityYears: number;
  /** CERT-4: re-apply this many months before expiry. */
  certRenewalMonthsBefore: number;
  /** SEC-LOG-1: minimum log retention, years. */
  logRetentionYears: number;
  /**
   * SA-6-C1 (UPD-9): one of the conditions for an SA extension: the persons grow by no more than
   * `maxGrowthPercent` over the next `years` years. Shown with the extension window, never decisive.
   */
  saExtensionGrowth?: { rule: string; maxGrowthPercent: number; years: number; source: string; confidence: Confidence };
}

export interface RulePack {
  /** e.g. `cn-auto@2025-draft` */
  id: string;
  family: 'cn-national' | 'cn-auto';
  version: string;
  title: Bilingual;
  /** First day the pack applies to a transfer (by the transfer's date). */
  effective: string;
  source: string;
  status: 'in-force' | 'draft';
  note?: Bilingual;
  scenarios: ScenarioDef[];
  /** Scenario ids of other versions mapped to this pack's ids (portability between versions). */
  scenarioAliases?: Record<string, string>;
  judgmentRules: JudgmentRule[];
  /** Exemption claims this pack recognises, by claim name -> rule ID. */
  exemptions: Partial<Record<string, string>>;
  references: ReferenceRule[];
  pathThresholds?: PathThresholds;
  periods?: LifecyclePeriods;
  /**
   * Q-3 / UPD-2: whether a supported automobile exemption claim (EXEMPT-AUTO-1..3) also exempts
   * important data of its kind under this pack (setting autoExemptionForImportantData: by-pack).
   */
  autoExemptionsReachImportantData?: { value: boolean; source: string };
  /**
   * UPD-2: the important data each automobile exemption reaches ("other important data is not exempted
   * by these claims"), by exemption rule ID. Without an entry, the exemption reaches no important data.
   */
  autoExemptionReach?: Record<string, ExemptionReach>;
}

/**
 * The kind of important data an automobile exemption is about (UPD-2). An important dataset is of the
 * kind when every binding finding that made it important is one of `importantBy`, or, for importance
 * declared without a rule (IMP-GEN-3), when its data type is one of `dataTypes`.
 */
export interface ExemptionReach {
  kind: Bilingual;
  /** Judgment rules (by ID or alias), optionally only through some of their facts. */
  importantBy: { rule: string; facts?: string[] }[];
  /** Data types whose declared importance is of the kind. */
  dataTypes: string[];
  source: string;
  confidence: Confidence;
}
