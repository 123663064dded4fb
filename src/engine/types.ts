/**
 * Inputs and outputs of the pure assessment engine: `assess(input) -> AssessReport`. Everything the
 * engine needs is in the input (no I/O, no clock, no database); every decision names its rules.
 */
import type { Confidence, Provenance } from '../rules/types.js';
import type { Settings, Workspace } from '../model/workspace.js';
import type { Msg } from '../i18n/index.js';

export type Fact = number | boolean;

/** What evidence scanners measured for one dataset (src/evidence). */
export interface MeasuredDataset {
  /** Measured facts (e.g. maxFaceBoxMinSidePx, rawImageryHours, distinctVehicles). */
  facts: Record<string, Fact>;
  /** Measured distinct persons, when a manifest was scanned. */
  personalInfo?: { persons?: number; sensitivePersons?: number; chargingConsumptionPersons?: number };
  /** The files measured, for the report. */
  sources: { kind: string; path: string; format?: string; contentHash: string; cached: boolean }[];
  /** Measurements a person must review before they are relied on (e.g. a detector's box just under a threshold). */
  review?: Msg[];
  /** Notes on the measurement (e.g. a detector disagreeing with the annotations, which win). */
  warnings?: Msg[];
}

/** Distinct persons and vehicles, by category (CNT-1, CNT-3, DRAFT-J12). */
export interface LedgerVolume {
  persons: number;
  sensitivePersons: number;
  chargingConsumptionPersons: number;
  vehicles: number;
}

/**
 * New distinct persons (and vehicles) the ledger first saw on one China calendar date, per organisation
 * and year: summing the days before a date gives the year-to-date count before it (CNT-2), exactly.
 */
export interface LedgerDay extends LedgerVolume {
  organization: string;
  year: number;
  /** YYYY-MM-DD in China (UTC+8) of the earliest entry that sent these persons. */
  date: string;
}

/** One recorded (executed) transfer, as the engine needs it to cross-check the workspace. */
export interface LedgerEntrySummary {
  id: string;
  organization: string;
  /** ISO instant (UTC) the transfer happened. */
  time: string;
  /** Its date in China (UTC+8). */
  date: string;
  year: number;
  datasets: string[];
  recipient: string;
  kind: string;
  mechanism: string | null;
  approvalReference: string | null;
  /** Recorded although `assess` found it prohibited or undeclared (`ledger record --force`). */
  forced: boolean;
  /** Distinct persons and vehicles in this entry alone. */
  volume: LedgerVolume;
}

/** What `assess` reads from the ledger (src/ledger/baseline.ts): cheap to read, exact. */
export interface LedgerBaseline {
  /** Where it came from (pglite:…, postgres://… redacted, or the summary file). */
  source: string;
  /** Sorted by organisation, year, date. */
  days: LedgerDay[];
  /** Every entry of the organisations and years asked for. */
  entries: LedgerEntrySummary[];
  /**
   * For a planned transfer whose identifier hashes are known: how many persons it adds beyond what the
   * ledger already holds (exact de-duplication). Without it the engine estimates (see docs/judgments.md).
   */
  newPersonsByTransfer?: Record<string, { persons: number; sensitivePersons: number; chargingConsumptionPersons: number }>;
}

export interface AssessInput {
  workspace: Workspace;
  asOf: string;
  measured?: Record<string, MeasuredDataset>;
  ledger?: LedgerBaseline;
  /** Working-day calendar for SA-6 extension windows (default: the built-in one). */
  calendar?: WorkingDayCalendar;
}

/** What the engine needs of the working-day calendar (src/lifecycle/calendar.ts implements it). */
export interface WorkingDayCalendar {
  /** The day `n` working days before `date` (SA-6's window opening); throws for a year it does not know. */
  subtractWorkingDays(date: string, n: number): string;
  /** Provisional calendar years a count between two dates went through (UPD-11), when the calendar knows. */
  provisionalYearsBetween?(a: string, b: string): number[];
}

export type DataLevel = 'core' | 'important' | 'general';
export type TransferPath = 'security-assessment' | 'standard-contract-or-certification' | 'exempt' | 'prohibited';

export interface Finding {
  rule: string;
  aliases?: string[];
  pack: string;
  fact: string;
  value: Fact | null;
  comparator: string;
  threshold: Fact;
  unit?: string;
  source: string;
  confidence: Confidence;
  /** Set when the rule's wording is itself in doubt (carried over from the draft): shown next to the confidence. */
  provenance?: Provenance;
  /** Binding findings decide the level; advisory ones (UNCONFIRMED, Q-4...) are shown and counted. */
  binding: boolean;
  /** Why a finding is advisory, or what a reader must know about it (e.g. applied beyond its listed data types). */
  notes: Msg[];
  /** Where the value came from. */
  basis: 'declared' | 'measured' | 'year-to-date' | 'derived';
  /** A workspace override changed this rule. */
  overridden?: boolean;
  title: { en: string; zh: string };
}

export interface FactComparison {
  fact: string;
  declared: Fact | null;
  measured: Fact | null;
  /** The declaration understates what was measured (a red flag for reviewers). */
  understated: boolean;
}

export interface DatasetResult {
  id: string;
  name: string;
  scenario: string;
  dataType: string;
  pack: string;
  level: DataLevel;
  important: boolean;
  declaredLevel: DataLevel | null;
  findings: Finding[];
  advisories: Finding[];
  facts: Record<string, Fact>;
  factComparison: FactComparison[];
  evidence: MeasuredDataset['sources'];
  /** Persons in the dataset; zero when it is anonymised (AUTO-4) and nothing contradicts that. */
  personalInfo: { persons: number; sensitivePersons: number; chargingConsumptionPersons: number; basis: 'declared' | 'measured' | 'anonymised' };
  negativeListHits: { list: string; item: string; title: { en: string; zh: string }; mechanism: string }[];
  /** Positive-list (e.g. Shanghai Lingang) items the dataset is on, with whether their conditions hold. */
  positiveListHits: { list: string; item: string; title: { en: string; zh: string }; conditionsMet: boolean; failed: Msg[] }[];
  warnings: Msg[];
  /** Measured facts awaiting a person's review (MeasuredDataset.review): the transfer is not settled until answered. */
  measurementReview?: Msg[];
  /**
   * The dataset's level under the other automobile packs its transfers were judged by (a transfer is
   * judged under the pack in force on its own date), where that level differs from `level`.
   */
  levelsByPack?: { pack: string; level: DataLevel; transfers: string[] }[];
}

export interface ClaimCheck {
  claim: string;
  rule: string | null;
  /** The datasets the claim is about (all of the transfer's when the claim does not name them). */
  datasets: string[];
  supported: boolean;
  reason: Msg;
  /**
   * A supported claim, per dataset it is about: whether it took the dataset out of the transfer, under
   * which rule (the claim's, or the rule that kept it in: EXEMPT-8, EXEMPT-AUTO-4, EXEMPT-AUTO-5), and why.
   */
  coverage?: { dataset: string; exempted: boolean; rule: string; reason: Msg }[];
}

export interface CounterState {
  persons: number;
  sensitivePersons: number;
  chargingConsumptionPersons: number;
}

/** How a transfer's persons were added to the year-to-date count (CNT-1: distinct natural persons). */
export type CountingMethod =
  /** Its identifiers were hashed: only persons the ledger had not seen this year were added. */
  | 'exact-hashes'
  /** Already in the ledger: counted there, by date. */
  | 'ledger-recorded'
  /** No hashes: each dataset counts once a year at its largest size; a re-send adds only its growth. */
  | 'dataset-once-per-year'
  /** The transfer states its own distinct persons. */
  | 'transfer-declared'
  /** Exempt and not counted (CNT-6 / Q-2), or anonymised, or no PI. */
  | 'not-counted';

export interface TransferResult {
  id: string;
  date: string;
  organization: string;
  recipient: string;
  country: string;
  datasets: string[];
  kind: string;
  status: 'planned' | 'executed';
  path: TransferPath;
  exemption: string | null;
  rules: string[];
  packs: string[];
  containsImportantData: boolean;
  /** This transfer's own persons (declared or measured; never below what the ledger recorded for it). */
  volume: CounterState;
  /** What it added to the year-to-date counters, and how (CNT-1). */
  counted: CounterState & { method: CountingMethod };
  /** Counters of the organisation for the year including this transfer (what the path was judged on). */
  yearToDate: CounterState & {
    counted: boolean;
    /** Persons sent before this transfer: from the ledger (by date) and from earlier workspace transfers. */
    before: { ledger: CounterState; workspace: CounterState };
    excludingExempt: CounterState;
    includingExempt: CounterState;
    /** Every volume band these counters reach (PATH-SA-2, PATH-SA-3, PATH-SC-1, PATH-SC-2), not only the deciding one. */
    thresholdsReached: string[];
  };
  /** PATH-SC-3: the group aggregate, when it raised this transfer's path. */
  splitting: {
    group: string;
    kind: string;
    entities: string[];
    /** How many transfers make up the aggregate, and the first of them in date order (at most SPLITTING_LISTED). */
    parts: number;
    transfers: string[];
    yearTotal: CounterState;
    path: TransferPath;
  } | null;
  /** Datasets an exemption claim took out of the transfer (the rest are judged normally). */
  exemptedDatasets: { dataset: string; rule: string }[];
  claims: ClaimCheck[];
  covered: boolean;
  coveredBy: string | null;
  missing: Msg[];
  legalReview: Msg[];
  duties: Msg[];
  /** The ledger's view of this transfer, when it was recorded. */
  ledger: { recorded: boolean; forced: boolean; recordedVolume: CounterState | null };
  explanation: Msg;
  /**
   * The level each of its datasets had under the pack of the transfer's date, where it differs from
   * the datasets table's (judged under the pack in force on the report's date).
   */
  levelsOnDate?: { dataset: string; pack: string; level: DataLevel; reportPack: string; reportLevel: DataLevel }[];
}

export interface AppliedOverride {
  kind: 'threshold' | 'promote' | 'rule';
  rule: string;
  pack?: string;
  detail: string;
  reason: string;
}

export interface PackUse {
  id: string;
  title: { en: string; zh: string };
  effective: string;
  status: 'in-force' | 'draft';
  usedBy: string[];
  /** Why it was applied: in force on the dates, pinned, a draft standing in for the final text, or before it took effect. */
  reason: 'in-force' | 'pinned' | 'draft' | 'before-effective';
  notes: Msg[];
}

/** An organisation's year-to-date counts on the as-of date, with where they come from. */
export interface OrganizationYear {
  organization: string;
  year: number;
  yearToDate: CounterState;
  sources: { ledger: CounterState; workspace: CounterState };
  /** The national thresholds the counts are drawn against (PATH-SC-1, PATH-SA-2, PATH-SA-3). */
  thresholds: { scPersons: number; saPersons: number; saSensitivePersons: number };
  /** Every volume band the year-to-date counters reach on the as-of date (PATH-SA-2, PATH-SA-3, PATH-SC-1, PATH-SC-2). */
  thresholdsReached: string[];
}

/** A recorded ledger entry the workspace does not account for. */
export interface LedgerFinding {
  entry: string;
  organization: string;
  date: string;
  kind: 'undeclared' | 'prohibited' | 'uncovered' | 'forced' | 'volume-differs';
  message: Msg;
}

/** A transfer lists at most this many of its group's parts: the list would otherwise grow with the square of the transfers. */
export const SPLITTING_LISTED = 20;

export const ASSESS_SCHEMA = 'chujing.assess/2';

export interface AssessReport {
  schema: typeof ASSESS_SCHEMA;
  asOf: string;
  organization: { id: string; name: string; ciio: boolean; ftz: string | null };
  packs: PackUse[];
  settings: Settings;
  overrides: AppliedOverride[];
  datasets: DatasetResult[];
  transfers: TransferResult[];
  organizations: OrganizationYear[];
  summary: {
    datasets: number;
    important: number;
    core: number;
    transfers: number;
    byPath: Record<TransferPath, number>;
    uncovered: number;
    prohibited: number;
    advisories: number;
    legalReview: number;
    ledgerFindings: number;
  };
  ledger: { source: string; recordedTransfers: number; findings: LedgerFinding[] } | null;
  /** Report-wide notes: packs applied outside their period, settings that change answers… */
  warnings: Msg[];
  /** Everything the user must act on, one message each (code + subject in params). */
  actions: Msg[];
}

export type { Workspace };
