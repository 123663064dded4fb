/**
 * Inputs and outputs of the pure assessment engine: `assess(input) -> AssessReport`. Everything the
 * engine needs is in the input (no I/O, no clock, no database); every decision names its rules.
 */
import type { Confidence } from '../rules/types.js';
import type { Settings, Workspace } from '../model/workspace.js';

export type Fact = number | boolean;

/** What evidence scanners measured for one dataset (src/evidence). */
export interface MeasuredDataset {
  /** Measured facts (e.g. maxFaceBoxMinSidePx, rawImageryHours, distinctVehicles). */
  facts: Record<string, Fact>;
  /** Measured distinct persons, when a manifest was scanned. */
  personalInfo?: { persons?: number; sensitivePersons?: number; chargingConsumptionPersons?: number };
  /** The files measured, for the report. */
  sources: { kind: string; path: string; format?: string; contentHash: string; cached: boolean }[];
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
  source: string;
  confidence: Confidence;
  /** Binding findings decide the level; advisory ones (UNCONFIRMED, Q-4...) are shown and counted. */
  binding: boolean;
  /** Why a finding is advisory, or why a binding rule needs legal review. */
  note?: string;
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
  personalInfo: { persons: number; sensitivePersons: number; chargingConsumptionPersons: number; basis: 'declared' | 'measured' };
  negativeListHits: { list: string; item: string; title: string }[];
  warnings: string[];
}

export interface ClaimCheck {
  claim: string;
  rule: string | null;
  supported: boolean;
  reason: string;
}

export interface CounterState {
  persons: number;
  sensitivePersons: number;
  chargingConsumptionPersons: number;
}

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
  /** This transfer's own persons (after de-duplication against the ledger when known). */
  volume: CounterState;
  /** Counters of the organisation for the year including this transfer (what the path was judged on). */
  yearToDate: CounterState & { counted: boolean; excludingExempt: CounterState; includingExempt: CounterState };
  /** PATH-SC-3: the group aggregate, when the anti-splitting check changed the outcome. */
  splitting: { group: string; scenario: string; entities: string[]; yearToDate: CounterState } | null;
  claims: ClaimCheck[];
  covered: boolean;
  coveredBy: string | null;
  missing: string[];
  legalReview: string[];
  duties: string[];
  explanation: { en: string; zh: string };
}

export interface AppliedOverride {
  kind: 'threshold' | 'promote' | 'rule';
  rule: string;
  pack?: string;
  detail: string;
  reason: string;
}

export interface AssessReport {
  asOf: string;
  organization: { id: string; name: string; ciio: boolean; ftz: string | null };
  packs: { id: string; title: string; effective: string; status: string; usedBy: string[]; reason: string }[];
  settings: Settings;
  overrides: AppliedOverride[];
  datasets: DatasetResult[];
  transfers: TransferResult[];
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
  };
  ledger: { source: string; recordedTransfers: number } | null;
  /** Everything the user must act on, one line each. */
  actions: string[];
}

export type { Workspace };
