/**
 * The JSON the pages read: the engine's own types (src/engine/types.ts, the assess --json contract),
 * with messages as they arrive over the wire, and the web endpoints' envelopes (src/server/web).
 */
import type { AssessReport, DatasetResult, Finding, OrganizationYear, TransferResult } from '../../src/engine/types.js';
import type { Deadline } from '../../src/lifecycle/deadlines.js';
import type { StatusReport } from '../../src/lifecycle/status.js';
import type { WireMsg } from './i18n.js';

/** A type as it arrives in JSON: every Msg also carries its text. */
/** A message is `{code, params}` and nothing else (as isMsg decides): an object with a code, params and
 * more fields (an extension condition) is an object whose fields are mapped. */
type Wire<T> = T extends { code: string; params: infer _P }
  ? Exclude<keyof T, 'code' | 'params'> extends never
    ? WireMsg
    : { [K in keyof T]: Wire<T[K]> }
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export type Transfer = Wire<TransferResult>;
export type Dataset = Wire<DatasetResult> & { transfers: number; titles?: { scenario: { en: string; zh: string } | null; dataType: { en: string; zh: string } | null } };
export type FindingW = Wire<Finding>;
export type Summary = AssessReport['summary'];
export type Status = Wire<StatusReport>;
export type DeadlineW = Wire<Deadline>;
export type Approval = Status['approvals'][number];

export interface PageOf<T> {
  asOf: string;
  revision: string;
  summary: Summary;
  total: number;
  matched: number;
  offset: number;
  limit: number;
  items: T[];
}

export interface Overview {
  asOf: string;
  revision: string;
  organization: AssessReport['organization'];
  summary: Summary;
  organizations: (OrganizationYear & { name: string })[];
  packs: (Omit<Wire<AssessReport['packs'][number]>, 'usedBy'> & { usedBy: number })[];
  settings: Record<string, unknown>;
  overrides: AssessReport['overrides'];
  warnings: WireMsg[];
  uncovered: { total: number; items: TransferBrief[] };
  prohibited: { total: number; items: TransferBrief[] };
  deadlines: { horizonDays: number; until: string; items: DeadlineW[] };
  unknownDeadlines: number;
  calendar: { provisionalYearsUsed: number[] };
  actions: { total: number; items: WireMsg[] };
  ledger: { source: string; recordedTransfers: number; findings: number } | null;
  reload: { at: string; code: string; message: WireMsg | string } | null;
  /** The server's health problems (as /v1/health lists them), besides the workspace's. */
  problems: WireMsg[];
}

export interface TransferBrief {
  id: string;
  date: string;
  organization: string;
  recipient: string;
  datasets: string[];
  path: Transfer['path'];
  missing: WireMsg[];
}

export interface Choices {
  revision: string;
  organizations: { id: string; name: string }[];
  datasets: { id: string; name: string; scenario: string; dataType: string }[];
  recipients: { id: string; name: string; country: string }[];
  approvals: { id: string; mechanism: string }[];
  transfers: number;
  rulePack: string | null;
}

export interface EvidenceFile {
  path: string;
  exists: boolean;
  size: number | null;
  modified: string | null;
  folder: boolean;
}
