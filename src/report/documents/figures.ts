/**
 * The figures and ticks a document states, as data: what `--format json` carries under `figures`, and
 * what the builders print. Every value is copied from the engine's report (through the adapter) or is
 * a selection or sum of the engine's values; nothing here decides a legal question. The test
 * test/report/figures.test.ts compares them, document by document, with `assess --json` and
 * `status --json` for the same as-of date.
 */
import { yearOf } from '../../model/dates.js';
import type { Counter, DocumentsView, TransferView } from './view.js';

export interface TransferFigures {
  id: string;
  date: string;
  organization: string;
  status: TransferView['status'];
  path: TransferView['path'];
  exemption: string | null;
  covered: boolean;
  coveredBy: string | null;
  containsImportantData: boolean;
  recorded: boolean;
  volume: Counter;
  /** The year-to-date count including this transfer: what its path was judged on. */
  yearToDate: Counter;
  thresholdsReached: string[];
}

export interface OrganizationFigures {
  organization: string;
  year: number;
  /** The organisation's year-to-date count on the as-of date. */
  yearToDate: Counter;
  thresholdsReached: string[];
}

/**
 * How a declaration row may name a mechanism: "通过安全评估出境" only for transfers an approval covered
 * on their date; a planned transfer is "拟通过…"; an executed one without it "尚未取得…".
 */
export type VolumeRow = 'sa' | 'sa-planned' | 'sa-missing' | 'sc' | 'sc-planned' | 'sc-missing' | 'exempt' | 'prohibited' | 'not-counted';

export interface VolumeFigures {
  organization: string;
  year: number;
  /** The transfer whose year-to-date count is declared (the latest declared one of this organisation and year). */
  through: string;
  /** Its year-to-date count (the engine's). */
  yearToDate: Counter;
  rows: { row: VolumeRow; counter: Counter; transfers: string[] }[];
}

export interface Situation {
  criticalInfrastructureOperator: boolean;
  importantData: boolean;
  persons1M: boolean;
  sensitivePersons10K: boolean;
  rules: string[];
}

export interface AnnualFigures {
  year: number;
  /** Where "sent" comes from: the ledger's recorded transfers, or the workspace's executed transfers. */
  source: 'ledger' | 'workspace-executed';
  sent: string[];
  /** Transfers of the year not sent (planned, or dated after the as-of date): listed apart, never counted as sent. */
  planned: string[];
  /** Important data sent (never core data: core data may not be provided at all). */
  importantData: string[];
  /** Sent transfers that needed a mechanism and had none in force on their date. */
  executedWithoutMechanism: string[];
}

export interface ScFilingFigures {
  /** Transfers no contract covers: the latest filing date if the contract took effect on the transfer's date. */
  deadlines: { transfer: string; fileBy: string | null; passed: boolean }[];
  /** Organisations whose year-to-date count on the as-of date reached the SA threshold (PATH-SA-2 / PATH-SA-3). */
  securityAssessmentReached: { organization: string; rules: string[] }[];
}

export interface PlanFigures {
  steps: { transfer: string; step: string; state: string }[];
}

export interface DocumentFigures {
  asOf: string;
  transfers: TransferFigures[];
  organizations: OrganizationFigures[];
  situation?: Situation;
  volume?: VolumeFigures[];
  annual?: AnnualFigures;
  scFiling?: ScFilingFigures;
  plan?: PlanFigures;
}

const ZERO: Counter = { persons: 0, sensitivePersons: 0, chargingConsumptionPersons: 0 };
export const addCounters = (a: Counter, b: Counter): Counter => ({
  persons: a.persons + b.persons,
  sensitivePersons: a.sensitivePersons + b.sensitivePersons,
  chargingConsumptionPersons: a.chargingConsumptionPersons + b.chargingConsumptionPersons,
});

export function transferFigures(t: TransferView): TransferFigures {
  return {
    id: t.id,
    date: t.date,
    organization: t.organization,
    status: t.status,
    path: t.path,
    exemption: t.exemption,
    covered: t.covered,
    coveredBy: t.coveredBy,
    containsImportantData: t.containsImportantData,
    recorded: t.recorded,
    volume: { ...t.volume },
    yearToDate: { ...t.yearToDate },
    thresholdsReached: [...t.thresholdsReached],
  };
}

export function organizationFigures(view: DocumentsView, organizations: Iterable<string>): OrganizationFigures[] {
  const ids = new Set(organizations);
  return view.years.filter((y) => ids.has(y.organization)).map((y) => ({ organization: y.organization, year: y.year, yearToDate: { ...y.yearToDate }, thresholdsReached: [...y.thresholdsReached] }));
}

export function baseFigures(view: DocumentsView, transfers: TransferView[]): DocumentFigures {
  return { asOf: view.asOf, transfers: transfers.map(transferFigures), organizations: organizationFigures(view, transfers.map((t) => t.organization)) };
}

/** The volume row a transfer's persons belong to: named by what covered it on its date, not by what it should have. */
export function volumeRow(t: TransferView): VolumeRow {
  if (t.counted.method === 'not-counted') return 'not-counted';
  const state = t.covered ? '' : t.status === 'planned' ? '-planned' : '-missing';
  switch (t.path) {
    case 'security-assessment':
      return `sa${state}` as VolumeRow;
    case 'standard-contract-or-certification':
      return `sc${state}` as VolumeRow;
    case 'exempt':
      return 'exempt';
    case 'prohibited':
      return 'prohibited';
  }
}

const ROW_ORDER: VolumeRow[] = ['sa', 'sa-planned', 'sa-missing', 'sc', 'sc-planned', 'sc-missing', 'exempt', 'prohibited', 'not-counted'];

/**
 * UPD-9: the declared year-to-date count includes the persons already sent that year under a standard
 * contract or certification. Per organisation and year: the latest declared transfer's count (the
 * engine's), and the transfers up to it, by the row their coverage allows.
 */
export function declarationVolume(view: DocumentsView, declared: TransferView[]): VolumeFigures[] {
  const order = new Map(view.transfers.map((t, i) => [t.id, i]));
  const keys = [...new Set(declared.map((t) => `${t.organization}\u0000${yearOf(t.date)}`))];
  return keys.map((key) => {
    const [organization, y] = key.split('\u0000') as [string, string];
    const year = Number(y);
    const last = declared.filter((t) => t.organization === organization && yearOf(t.date) === year).sort((a, b) => order.get(a.id)! - order.get(b.id)!).at(-1)!;
    const upTo = view.transfers.filter((t) => t.organization === organization && yearOf(t.date) === year && order.get(t.id)! <= order.get(last.id)!);
    const rows = ROW_ORDER.map((row) => {
      const ts = upTo.filter((t) => volumeRow(t) === row);
      const counter = ts.reduce((acc, t) => addCounters(acc, row === 'not-counted' ? t.volume : t.counted), ZERO);
      return { row, counter, transfers: ts.map((t) => t.id) };
    }).filter((r) => r.transfers.length > 0);
    return { organization, year, through: last.id, yearToDate: { ...last.yearToDate }, rows };
  });
}

/** Step 1 of the declaration: which situations apply, from the engine's decisions and counts. */
export function situationOf(view: DocumentsView, transfers: TransferView[]): Situation {
  const reached = new Set(transfers.flatMap((t) => t.thresholdsReached));
  const decided = new Set(transfers.flatMap((t) => t.rules));
  const ciio = decided.has('PATH-SA-4');
  const importantData = transfers.some((t) => t.containsImportantData);
  const persons1M = reached.has('PATH-SA-2');
  const sensitivePersons10K = reached.has('PATH-SA-3');
  return {
    criticalInfrastructureOperator: ciio,
    importantData,
    persons1M,
    sensitivePersons10K,
    rules: [...(importantData ? ['PATH-SA-1'] : []), ...(persons1M ? ['PATH-SA-2'] : []), ...(sensitivePersons10K ? ['PATH-SA-3'] : []), ...(ciio ? ['PATH-SA-4'] : [])],
  };
}

/**
 * The annual report speaks of what was sent: the ledger's recorded transfers when there is a ledger,
 * else the transfers marked executed up to the as-of date. Everything else of the year is planned.
 */
export function annualFigures(view: DocumentsView, transfers: TransferView[]): AnnualFigures {
  const year = yearOf(view.asOf);
  const ofYear = transfers.filter((t) => yearOf(t.date) === year);
  const source: AnnualFigures['source'] = view.ledger ? 'ledger' : 'workspace-executed';
  const wasSent = (t: TransferView) => (source === 'ledger' ? t.recorded : t.status === 'executed' && t.date <= view.asOf);
  const sent = ofYear.filter(wasSent);
  const important = new Set(view.datasets.filter((d) => d.level === 'important').map((d) => d.id));
  return {
    year,
    source,
    sent: sent.map((t) => t.id),
    planned: ofYear.filter((t) => !wasSent(t)).map((t) => t.id),
    importantData: [
      ...new Set(
        sent.flatMap((t) => {
          const own = t.datasets.filter((d) => important.has(d));
          // Important by the year's total (DRAFT-J12, CNT-*): the transfer's datasets are what carried it.
          if (own.length || !t.containsImportantData || t.path === 'prohibited') return own;
          return t.datasets.filter((d) => view.datasets.find((x) => x.id === d)?.level !== 'core');
        }),
      ),
    ],
    executedWithoutMechanism: sent.filter((t) => !t.covered && t.path !== 'exempt').map((t) => t.id),
  };
}
