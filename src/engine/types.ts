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

/** Year-to-date distinct counts already recorded in the ledger (src/ledger). */
export interface LedgerCounts {
  organization: string;
  year: number;
  persons: number;
  sensitivePersons: number;
  chargingConsumptionPersons: number;
  vehicles: number;
}

export interface LedgerBaseline {
  counts: LedgerCounts[];
  /** Transfers already recorded in the ledger: their persons are in `counts`, so they are not added again. */
  recordedTransferIds: string[];
  /**
   * For a planned transfer whose identifier hashes are known: how many persons it adds beyond what the
   * ledger already holds (exact de-duplication). Without it the engine adds the transfer's declared
   * counts (a conservative sum).
   */
  newPersonsByTransfer?: Record<string, { persons: number; sensitivePersons: number; chargingConsumptionPersons: number }>;
  source: string;
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
