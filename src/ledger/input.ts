/**
 * Turning user input into ledger entries: JSON entries (`ledger record`) and a workspace transfer plus
 * a manifest (`ledger import`). Everything is checked against the workspace before anything is
 * written: an unknown organisation, recipient, dataset, transfer or field rejects the whole batch.
 */
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { ChujingError, type ErrorIssue } from '../errors.js';
import { hashIdentifier, IDENTIFIER_CATEGORIES, type IdentifierCategory } from '../evidence/keyed-hash.js';
import { zodIssues } from '../model/load.js';
import { ID_PATTERN, MECHANISMS, TRANSFER_KINDS, type Workspace } from '../model/workspace.js';
import { LEDGER_CATEGORIES, type LedgerCategory } from './categories.js';
import { normaliseTime, type LedgerEntryContent } from './entry.js';
import { HashPacker } from './hash-batches.js';
import { msg } from '../i18n/index.js';
import type { RecordItem } from './record.js';

/** A parsed JSON entry: its content, where it came from (for errors) and its identifier hashes. */
export type JsonEntryItem = RecordItem & { content: LedgerEntryContent; where: Omit<ErrorIssue, 'message'> };

const identifier = z
  .string()
  .regex(new RegExp(`^(?:${IDENTIFIER_CATEGORIES.join('|')}):.+$`), { message: `expected TYPE:VALUE with TYPE one of ${IDENTIFIER_CATEGORIES.join(', ')}` });
// (zod's messages stay English here: they go through zodIssues, the loader's converter, like the workspace's.)

const count = z.number().int().nonnegative();

export const ledgerEntryInputSchema = z
  .object({
    id: z.string().regex(ID_PATTERN, { message: 'an id uses letters, digits, ., _, : and -' }),
    time: z.string().refine((v) => normaliseTime(v) !== null, { message: 'expected a date YYYY-MM-DD (in China) or a date-time with its offset, e.g. 2026-03-01T10:00:00+08:00' }),
    organization: z.string().optional(),
    datasets: z.array(z.string().min(1)).min(1),
    recipient: z.string().min(1),
    kind: z.enum(TRANSFER_KINDS).default('transmit'),
    mechanism: z.enum(MECHANISMS).nullable().optional(),
    approvalReference: z.string().min(1).nullable().optional(),
    channel: z.string().min(1).nullable().optional(),
    operator: z.string().min(1).nullable().optional(),
    records: count.nullable().optional(),
    bytes: count.nullable().optional(),
    identifiers: z
      .object(Object.fromEntries(LEDGER_CATEGORIES.map((c) => [c, z.array(identifier).optional()])) as Record<LedgerCategory, z.ZodOptional<z.ZodArray<typeof identifier>>>)
      .strict()
      .optional(),
  })
  .strict();

export type LedgerEntryInput = z.infer<typeof ledgerEntryInputSchema>;

const fileSchema = z.union([z.array(ledgerEntryInputSchema), z.object({ entries: z.array(ledgerEntryInputSchema) }).strict(), ledgerEntryInputSchema]);

function knownIds(ws: Workspace) {
  return {
    organizations: new Set([ws.organization.id, ...ws.affiliates.map((a) => a.id)]),
    recipients: new Set(ws.recipients.map((r) => r.id)),
    datasets: new Set(ws.datasets.map((d) => d.id)),
  };
}

function checkReferences(ws: Workspace, c: { organization: string; recipient: string; datasets: string[] }, where: Omit<ErrorIssue, 'message'>): ErrorIssue[] {
  const known = knownIds(ws);
  const issues: ErrorIssue[] = [];
  const field = (f: string) => (where.field ? `${where.field}.${f}` : f);
  if (!known.organizations.has(c.organization)) issues.push({ ...where, field: field('organization'), message: msg('ledger.unknown-organization', { id: c.organization }), expected: msg('ledger.one-of', { values: [...known.organizations] }) });
  if (!known.recipients.has(c.recipient)) issues.push({ ...where, field: field('recipient'), message: msg('ledger.unknown-recipient', { id: c.recipient }), expected: msg('ledger.recipient-expected') });
  for (const d of c.datasets) if (!known.datasets.has(d)) issues.push({ ...where, field: field('datasets'), message: msg('ledger.unknown-dataset', { id: d }), expected: msg('ledger.dataset-expected') });
  return issues;
}

/** A sensitive or charging-consumption person is a person too (persons counts everyone, CNT-3). */
async function* identifierHashes(ids: LedgerEntryInput['identifiers'], key: KeyObject): AsyncGenerator<Buffer> {
  const packer = new HashPacker();
  const listed = new Set(ids?.persons ?? []);
  const persons = [...(ids?.persons ?? [])];
  for (const c of ['sensitivePersons', 'chargingConsumptionPersons'] as const) {
    for (const v of ids?.[c] ?? []) {
      if (!listed.has(v)) {
        listed.add(v);
        persons.push(v);
      }
    }
  }
  const lists: [LedgerCategory, string[]][] = [
    ['persons', persons],
    ['sensitivePersons', ids?.sensitivePersons ?? []],
    ['chargingConsumptionPersons', ids?.chargingConsumptionPersons ?? []],
    ['vehicles', ids?.vehicles ?? []],
  ];
  for (const [cat, values] of lists) {
    for (const v of values) {
      const i = v.indexOf(':');
      const full = packer.push(cat, hashIdentifier(key, v.slice(0, i) as IdentifierCategory, v.slice(i + 1)));
      if (full) yield full;
    }
  }
  const last = packer.flush();
  if (last) yield last;
}

/** Parse and check a JSON file of entries (one entry, a list, or { entries: [...] }). */
export function entriesFromJson(text: string, display: string, ws: Workspace, key: KeyObject): JsonEntryItem[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ChujingError('bad-input', msg('ledger.bad-entries', { file: display }), [{ file: display, message: msg('ledger.not-json', { detail: (e as Error).message }), expected: msg('ledger.entries-expected') }]);
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    // Report against the most specific form the user meant.
    const form = Array.isArray(data) ? z.array(ledgerEntryInputSchema) : data && typeof data === 'object' && 'entries' in data ? z.object({ entries: z.array(ledgerEntryInputSchema) }).strict() : ledgerEntryInputSchema;
    const r = form.safeParse(data);
    const issues: ErrorIssue[] = r.success ? [{ message: msg('ledger.not-entry-format') }] : zodIssues(r.error);
    throw new ChujingError('bad-input', msg('ledger.bad-entries', { file: display }), issues.map((i) => ({ ...i, file: display })));
  }
  const list = Array.isArray(parsed.data) ? parsed.data : 'entries' in parsed.data ? parsed.data.entries : [parsed.data];
  const issues: ErrorIssue[] = [];
  const items = list.map((e, i) => {
    const content: LedgerEntryContent = {
      id: e.id,
      time: normaliseTime(e.time)!,
      organization: e.organization ?? ws.organization.id,
      datasets: e.datasets,
      recipient: e.recipient,
      kind: e.kind,
      mechanism: e.mechanism ?? null,
      approvalReference: e.approvalReference ?? null,
      channel: e.channel ?? null,
      operator: e.operator ?? null,
      records: e.records ?? null,
      bytes: e.bytes ?? null,
    };
    const where = { file: display, field: list.length > 1 || Array.isArray(parsed.data) || 'entries' in parsed.data ? `entries[${i}]` : undefined };
    issues.push(...checkReferences(ws, content, where));
    return { content, where, hashes: identifierHashes(e.identifiers, key) };
  });
  if (issues.length) throw new ChujingError('bad-input', msg('ledger.bad-entries', { file: display }), issues);
  return items;
}

export interface TransferEntryOptions {
  transferId: string;
  time?: string;
  approvalId?: string;
  operator?: string;
  records?: number;
  bytes?: number;
}

/** The ledger entry of a workspace transfer (the manifest supplies the persons). */
export function contentFromTransfer(ws: Workspace, o: TransferEntryOptions): LedgerEntryContent {
  const t = ws.transfers.find((x) => x.id === o.transferId);
  if (!t) {
    throw new ChujingError('bad-input', msg('ledger.unknown-transfer', { id: o.transferId }), [
      { field: '--transfer', message: msg('ledger.no-transfer', { id: o.transferId }), expected: ws.transfers.length ? msg('ledger.one-of', { values: ws.transfers.map((x) => x.id) }) : msg('ledger.no-transfers') },
    ]);
  }
  let mechanism: string | null = null;
  let approvalReference: string | null = null;
  if (o.approvalId) {
    const a = ws.approvals.find((x) => x.id === o.approvalId);
    if (!a) {
      throw new ChujingError('bad-input', msg('ledger.unknown-approval', { id: o.approvalId }), [
        { field: '--approval', message: msg('ledger.no-approval', { id: o.approvalId }), expected: ws.approvals.length ? msg('ledger.one-of', { values: ws.approvals.map((x) => x.id) }) : msg('common.none') },
      ]);
    }
    mechanism = a.mechanism;
    approvalReference = a.reference ?? a.id;
  }
  const time = normaliseTime(o.time ?? t.date);
  if (!time) throw new ChujingError('bad-input', msg('ledger.bad-date', { what: '--time', value: o.time ?? t.date }), [{ field: '--time', message: String(o.time), expected: msg('ledger.time-expected') }]);
  const content: LedgerEntryContent = {
    id: t.id,
    time,
    organization: t.organization ?? ws.organization.id,
    datasets: t.datasets,
    recipient: t.recipient,
    kind: t.kind,
    mechanism,
    approvalReference,
    channel: t.channel ?? null,
    operator: o.operator ?? null,
    records: o.records ?? null,
    bytes: o.bytes ?? null,
  };
  const issues = checkReferences(ws, content, { field: `transfers[${ws.transfers.indexOf(t)}]` });
  if (issues.length) throw new ChujingError('bad-input', msg('ledger.unknown-reference', { id: t.id }), issues);
  return content;
}
