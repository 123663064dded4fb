/**
 * What the documents need to know, and nothing more: a narrow view of the engine's report, the
 * workspace and the approvals' life cycle. Builders read only this, so a change in the engine's output
 * touches one adapter (adapter.ts), not seven documents. Messages stay messages (`Text`): the builders
 * place them, `localize()` renders them.
 *
 * Every figure here is copied from the engine's report (the same object `assess --json` prints); the
 * documents never recount.
 */
import type { Text } from '../../i18n/index.js';
import type { Confidence, LifecyclePeriods, Provenance } from '../../rules/types.js';
import type { Settings } from '../../model/workspace.js';

export type Bilingual = { en: string; zh: string };
export type TransferPath = 'security-assessment' | 'standard-contract-or-certification' | 'exempt' | 'prohibited';
export type Fact = number | boolean;

export interface Counter {
  persons: number;
  sensitivePersons: number;
  chargingConsumptionPersons: number;
}

export interface EntityView {
  id: string;
  name: string;
  processorType: string;
  ciio: boolean;
  /** FTZ zone and list, when registered in one. */
  ftz: { zone: string; list: string } | null;
  group: string | null;
  /** The workspace's main organisation (the others are affiliates). */
  main: boolean;
}

export interface FindingView {
  rule: string;
  aliases: string[];
  pack: string;
  fact: string;
  value: Fact | null;
  comparator: string;
  threshold: Fact;
  unit: string | null;
  source: string;
  confidence: Confidence;
  /** Carried over from the draft, to be checked against the official annex (regulation.md §13). */
  provenance: Provenance | null;
  binding: boolean;
  basis: 'declared' | 'measured' | 'year-to-date' | 'derived';
  overridden: boolean;
  title: Bilingual;
  notes: Text[];
}

export interface DatasetView {
  id: string;
  name: string;
  description: string | null;
  scenario: string;
  scenarioTitle: Bilingual | null;
  dataType: string;
  dataTypeTitle: Bilingual | null;
  pack: string;
  level: 'core' | 'important' | 'general';
  important: boolean;
  declaredLevel: 'core' | 'important' | 'general' | null;
  origin: 'domestic' | 'foreign';
  anonymised: boolean;
  findings: FindingView[];
  advisories: FindingView[];
  facts: Record<string, Fact>;
  factComparison: { fact: string; declared: Fact | null; measured: Fact | null; understated: boolean }[];
  /** Files measured: kind, path inside the workspace, format, content hash (never their content). */
  evidence: { kind: string; path: string; format: string | null; contentHash: string }[];
  personalInfo: Counter & { basis: string; categories: string[]; subjects: string[] };
  negativeListHits: { list: string; item: string; title: Bilingual }[];
  warnings: Text[];
  /** Its level under the other packs its transfers were judged by, where it differs (engine's levelsByPack). */
  levelsByPack: { pack: string; level: 'core' | 'important' | 'general'; transfers: string[] }[];
  /** Measured facts awaiting a person's review (face or plate just under a threshold). */
  measurementReview: Text[];
}

export interface RecipientView {
  id: string;
  name: string;
  country: string;
  storageCountry: string | null;
  affiliate: boolean;
}

export type CountingMethod = 'exact-hashes' | 'ledger-recorded' | 'dataset-once-per-year' | 'transfer-declared' | 'not-counted';

export interface TransferView {
  id: string;
  date: string;
  organization: string;
  recipient: string;
  country: string;
  datasets: string[];
  kind: string;
  status: 'planned' | 'executed';
  purpose: string;
  channel: string | null;
  retentionAbroadMonths: number | null;
  path: TransferPath;
  exemption: string | null;
  rules: string[];
  packs: string[];
  containsImportantData: boolean;
  /** This transfer's own distinct persons. */
  volume: Counter;
  /** What it added to the year-to-date counters, and how. */
  counted: Counter & { method: CountingMethod };
  /** The organisation's counters for the year including this transfer (what its path was judged on). */
  yearToDate: Counter;
  /** Every volume band `yearToDate` reaches (PATH-SA-2, PATH-SA-3, PATH-SC-1, PATH-SC-2), from the engine. */
  thresholdsReached: string[];
  /** Recorded in the ledger (the evidence that it was sent and logged). */
  recorded: boolean;
  splitting: { group: string; entities: string[]; transfers: string[]; yearTotal: Counter; path: TransferPath } | null;
  exemptedDatasets: { dataset: string; rule: string }[];
  /** Its datasets whose level under the pack in force on its date differs from the datasets table's (engine's levelsOnDate). */
  levelsOnDate: { dataset: string; pack: string; level: 'core' | 'important' | 'general'; reportPack: string; reportLevel: 'core' | 'important' | 'general' }[];
  claims: { claim: string; rule: string | null; supported: boolean; reason: Text }[];
  covered: boolean;
  coveredBy: string | null;
  missing: Text[];
  legalReview: Text[];
  duties: Text[];
  explanation: Text;
}

/** An organisation's year: year-to-date counts on the as-of date and where they come from. */
export interface YearView {
  organization: string;
  year: number;
  yearToDate: Counter;
  sources: { ledger: Counter; workspace: Counter };
  thresholds: { scPersons: number; saPersons: number; saSensitivePersons: number };
  /** Every volume band the year-to-date counts reach on the as-of date, from the engine. */
  thresholdsReached: string[];
}

export interface DeadlineView {
  kind: 'sa-expiry' | 'sa-extension-window' | 'sc-filing' | 'sc-review' | 'cert-expiry' | 'cert-renewal';
  date: string | null;
  until: string | null;
  state: string;
  rules: string[];
  provisionalYears: number[];
  doneOn: string | null;
  /** The life cycle's notes on the date: why a year is provisional (law.calendar.*), a near-unknown warning. */
  notes: Text[];
  /** SA-6 extension window open or coming: its conditions (SA-6-C1, UPD-9), always UNCONFIRMED. */
  conditions: ExtensionConditionView[];
}

/** A condition for extending a security-assessment result, as the life cycle states it (never decided). */
export interface ExtensionConditionView {
  rule: string;
  source: string;
  confidence: Confidence;
  status: 'unconfirmed';
  params: { maxGrowthPercent: number; years: number };
  message: Text;
  /** The growth seen so far against what the condition allows, or why there are no figures. */
  comparison: Text;
  exceeds: boolean | null;
}

export interface ApprovalView {
  id: string;
  mechanism: 'security-assessment' | 'standard-contract' | 'certification';
  status: string;
  reference: string | null;
  group: string | null;
  organizations: string[];
  applied: string | null;
  issued: string | null;
  effective: string | null;
  filed: string | null;
  answered: string | null;
  validity: { start: string | null; end: string | null };
  state: string;
  covers: { datasets: string[] | null; recipients: string[] | null; purposes: string[] | null };
  deadlines: DeadlineView[];
}

export interface PackView {
  id: string;
  title: Bilingual;
  effective: string;
  status: 'in-force' | 'draft';
  reason: string;
  usedBy: string[];
  notes: Text[];
}

/** SEC-ER-1 and the attestations of the security-checklist: what the organisation recorded. */
export interface SecurityView {
  attestations: { requirement: string; statement: string; by: string; date: string; reference: string | null }[];
  incidents: {
    id: string;
    date: string;
    kind: string;
    summary: string;
    transfers: string[];
    datasets: string[];
    reportedTo: string | null;
    reportedOn: string | null;
    reference: string | null;
    individualsNotified: boolean | null;
    closed: string | null;
  }[];
}

/** What the tool itself holds about the outbound log (SEC-LOG-1): the ledger and its verification. */
export interface LedgerView {
  source: string;
  recordedTransfers: number;
  findings: { entry: string; organization: string; date: string; kind: string; message: Text }[];
  /** `ledger verify` on the whole chain, when it was run for this document. */
  verification: { intact: boolean; entries: number; checkpoints: number; firstBreak: string | null } | null;
}

export interface DocumentsView {
  asOf: string;
  organization: EntityView;
  entities: EntityView[];
  datasets: DatasetView[];
  recipients: RecipientView[];
  transfers: TransferView[];
  years: YearView[];
  approvals: ApprovalView[];
  packs: PackView[];
  settings: Settings;
  overrides: { kind: string; rule: string; pack: string | null; detail: string; reason: string }[];
  periods: LifecyclePeriods;
  ledger: LedgerView | null;
  security: SecurityView;
  warnings: Text[];
  /** Provisional working-day calendar years that a date in the life cycle went through. */
  provisionalYears: number[];
}
