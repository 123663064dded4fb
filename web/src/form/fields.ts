/**
 * The edit forms, described as data: which field of a workspace entry each input edits, its kind and
 * its choices. The entry the form produces is validated by the workspace format's own zod schema
 * (src/model/workspace.ts, what `chujing validate` and the server use), and only the fields a form
 * shows are changed: everything else in the entry (evidence files, claim details, fields a later
 * version adds) is kept as written.
 */
import { ANNOTATION_FORMATS, DATA_LEVELS, EXEMPTION_CLAIMS, MECHANISMS, TRANSFER_KINDS, workspaceSchema } from '../../../src/model/workspace.js';
import type { Choices } from '../types.js';

export const COLLECTIONS = ['datasets', 'recipients', 'transfers', 'approvals'] as const;
export type Collection = (typeof COLLECTIONS)[number];

/** The workspace format's schema for one entry of each list (as src/server/schemas.ts derives them). */
export const ENTRY_SCHEMAS = {
  datasets: workspaceSchema.shape.datasets.unwrap().element,
  recipients: workspaceSchema.shape.recipients.unwrap().element,
  transfers: workspaceSchema.shape.transfers.unwrap().element,
  approvals: workspaceSchema.shape.approvals.unwrap().element,
} as const;

export type FieldKind = 'text' | 'textarea' | 'number' | 'date' | 'select' | 'bool' | 'checks' | 'list' | 'facts' | 'rows' | 'claims' | 'dataType';

export interface Option {
  value: string;
  /** A message code, or literal text (ids and names from the workspace). */
  label: string;
  literal?: boolean;
  /** A title in both languages (scenarios and data types of a rule pack). */
  title?: { en: string; zh?: string };
}

export interface Scenario {
  id: string;
  title: { en: string; zh?: string };
  dataTypes: { id: string; title: { en: string; zh?: string } }[];
}

export interface FormContext {
  choices: Choices;
  scenarios: Scenario[];
  editing: boolean;
}

export interface Field {
  /** Dotted path in the entry: `personalInfo.persons`, `covers.datasets`. Its label is `web.field.<path>`. */
  path: string;
  kind: FieldKind;
  required?: boolean;
  /** Shown but not changed when editing (the id: an edit names its entry by it). */
  fixedOnEdit?: boolean;
  options?: (ctx: FormContext) => Option[];
  /** For `rows`: the fields of one row (paths relative to the row). */
  row?: Field[];
  /** Has a help text `web.help.<path>`. */
  help?: boolean;
  /** Group heading (a message code) this field starts. */
  group?: string;
}

const codes = (prefix: string, values: readonly string[]): Option[] => values.map((v) => ({ value: v, label: `${prefix}${v}` }));
const literal = (items: { id: string; name?: string }[]): Option[] => items.map((i) => ({ value: i.id, label: i.name ? `${i.name} (${i.id})` : i.id, literal: true }));

const APPROVAL_STATUSES = ['applied', 'approved', 'filed', 'certified', 'rejected', 'revoked', 'expired'] as const;
const SUBJECTS = ['customers', 'drivers', 'passengers', 'pedestrians', 'employees', 'other'] as const;
export { ANNOTATION_FORMATS };

export const FORMS: Record<Collection, Field[]> = {
  transfers: [
    { path: 'id', kind: 'text', required: true, fixedOnEdit: true, help: true },
    { path: 'date', kind: 'date', required: true },
    { path: 'status', kind: 'select', options: () => [{ value: '', label: 'web.status.default' }, ...codes('web.status.', ['planned', 'executed'])] },
    { path: 'kind', kind: 'select', options: () => [{ value: '', label: 'web.kind.default' }, ...codes('web.kind.', TRANSFER_KINDS)] },
    { path: 'organization', kind: 'select', options: (c) => [{ value: '', label: 'web.field.organization.default' }, ...literal(c.choices.organizations)] },
    { path: 'recipient', kind: 'select', required: true, options: (c) => [{ value: '', label: 'web.form.choose' }, ...literal(c.choices.recipients.map((r) => ({ id: r.id, name: `${r.name}, ${r.country}` })))] },
    { path: 'datasets', kind: 'checks', required: true, options: (c) => literal(c.choices.datasets) },
    { path: 'purpose', kind: 'text', required: true },
    { path: 'exemptionClaims', kind: 'claims', help: true, options: () => codes('web.claim.', EXEMPTION_CLAIMS) },
    { path: 'persons', kind: 'number', help: true, group: 'web.form.group.volume' },
    { path: 'sensitivePersons', kind: 'number' },
    { path: 'chargingConsumptionPersons', kind: 'number' },
    { path: 'channel', kind: 'text', group: 'web.form.group.more' },
    { path: 'retentionAbroadMonths', kind: 'number' },
  ],
  datasets: [
    { path: 'id', kind: 'text', required: true, fixedOnEdit: true, help: true },
    { path: 'name', kind: 'text', required: true },
    { path: 'scenario', kind: 'select', required: true, options: (c) => [{ value: '', label: 'web.form.choose' }, ...c.scenarios.map((s) => ({ value: s.id, label: s.id, title: s.title })), { value: 'other', label: 'web.field.scenario.other' }] },
    { path: 'dataType', kind: 'dataType', required: true },
    { path: 'level', kind: 'select', help: true, options: () => [{ value: '', label: 'web.field.level.none' }, ...codes('level.', DATA_LEVELS)] },
    { path: 'origin', kind: 'select', options: () => [{ value: '', label: 'web.origin.default' }, ...codes('web.origin.', ['domestic', 'foreign'])] },
    { path: 'anonymised', kind: 'bool', help: true },
    { path: 'description', kind: 'textarea' },
    { path: 'personalInfo.persons', kind: 'number', group: 'web.form.group.personal-info' },
    { path: 'personalInfo.sensitivePersons', kind: 'number' },
    { path: 'personalInfo.chargingConsumptionPersons', kind: 'number' },
    { path: 'personalInfo.categories', kind: 'list', help: true },
    { path: 'personalInfo.subjects', kind: 'checks', options: () => codes('web.subject.', SUBJECTS) },
    { path: 'facts', kind: 'facts', help: true, group: 'web.form.group.facts' },
  ],
  recipients: [
    { path: 'id', kind: 'text', required: true, fixedOnEdit: true, help: true },
    { path: 'name', kind: 'text', required: true },
    { path: 'country', kind: 'text', required: true, help: true },
    { path: 'storageCountry', kind: 'text' },
    { path: 'affiliate', kind: 'bool' },
  ],
  approvals: [
    { path: 'id', kind: 'text', required: true, fixedOnEdit: true, help: true },
    { path: 'mechanism', kind: 'select', required: true, options: () => [{ value: '', label: 'web.form.choose' }, ...codes('mechanism.', MECHANISMS)] },
    { path: 'status', kind: 'select', options: () => [{ value: '', label: 'web.approval-status.default' }, ...codes('status.approval-status.', APPROVAL_STATUSES)] },
    { path: 'reference', kind: 'text' },
    { path: 'applied', kind: 'date', group: 'web.form.group.dates' },
    { path: 'issued', kind: 'date', help: true },
    { path: 'signed', kind: 'date', help: true },
    { path: 'effective', kind: 'date', help: true },
    { path: 'filed', kind: 'date' },
    { path: 'answered', kind: 'date' },
    { path: 'expires', kind: 'date' },
    { path: 'renews', kind: 'select', options: (c) => [{ value: '', label: 'web.field.renews.none' }, ...literal(c.choices.approvals)] },
    { path: 'extensions', kind: 'rows', help: true, row: [{ path: 'applied', kind: 'date', required: true }, { path: 'granted', kind: 'date' }] },
    { path: 'covers.organizations', kind: 'checks', group: 'web.form.group.scope', options: (c) => literal(c.choices.organizations) },
    { path: 'covers.datasets', kind: 'checks', options: (c) => literal(c.choices.datasets) },
    { path: 'covers.recipients', kind: 'checks', options: (c) => literal(c.choices.recipients) },
    { path: 'covers.countries', kind: 'list' },
    { path: 'covers.purposes', kind: 'list', help: true },
    { path: 'covers.maxPersons', kind: 'number' },
    { path: 'covers.maxSensitivePersons', kind: 'number' },
    { path: 'group', kind: 'text' },
  ],
};

// ---------------------------------------------------------------------------------------------
// Between an entry (JSON as written in the YAML) and the form's values.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type FactRow = { name: string; value: string };
export type ExtensionRow = Record<string, string>;
export type Value = string | boolean | string[] | FactRow[] | ExtensionRow[];
export type Values = Record<string, Value>;

function getPath(entry: Json, path: string): Json | undefined {
  let cur: Json | undefined = entry;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function setPath(entry: { [k: string]: Json }, path: string, value: Json | undefined): void {
  const keys = path.split('.');
  let cur: { [k: string]: Json } = entry;
  for (const k of keys.slice(0, -1)) {
    const next = cur[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      if (value === undefined) return;
      cur[k] = {};
    }
    cur = cur[k] as { [k: string]: Json };
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}

const claimName = (c: Json): string => (typeof c === 'string' ? c : c && typeof c === 'object' && !Array.isArray(c) && typeof c.claim === 'string' ? c.claim : '');
const str = (v: Json | undefined): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : String(v));

export function valuesOf(collection: Collection, entry: Json): Values {
  const out: Values = {};
  for (const f of FORMS[collection]) {
    const v = getPath(entry, f.path);
    switch (f.kind) {
      case 'bool':
        out[f.path] = v === true;
        break;
      case 'checks':
        out[f.path] = Array.isArray(v) ? v.map(str) : [];
        break;
      case 'claims':
        out[f.path] = Array.isArray(v) ? v.map(claimName).filter(Boolean) : [];
        break;
      case 'list':
        out[f.path] = Array.isArray(v) ? v.map(str).join(', ') : '';
        break;
      case 'facts':
        out[f.path] = v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v).map(([name, value]) => ({ name, value: str(value) })) : [];
        break;
      case 'rows':
        out[f.path] = Array.isArray(v) ? v.map((r) => Object.fromEntries((f.row ?? []).map((sub) => [sub.path, str(getPath(r, sub.path))]))) : [];
        break;
      default:
        out[f.path] = str(v);
    }
  }
  return out;
}

/** A typed number stays a number; anything else stays text, so the schema names it ("a number"). */
function numberOf(text: string): Json {
  const t = text.trim().replace(/[,，_\s]/g, '');
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : text.trim();
}

function factValue(text: string): Json {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  return numberOf(t);
}

/** The entry the form describes: `base` (as written) with the form's fields replaced. */
export function entryOf(collection: Collection, base: Json, values: Values): { [k: string]: Json } {
  const entry = structuredClone(base && typeof base === 'object' && !Array.isArray(base) ? base : {}) as { [k: string]: Json };
  for (const f of FORMS[collection]) {
    const had = getPath(base, f.path) !== undefined;
    const v = values[f.path];
    switch (f.kind) {
      case 'bool':
        setPath(entry, f.path, v === true ? true : had ? false : undefined);
        break;
      case 'checks': {
        const list = (v as string[]) ?? [];
        setPath(entry, f.path, list.length || had ? list : undefined);
        break;
      }
      case 'claims': {
        // Keep a claim as written (with its basis, reference…) while it stays ticked.
        const names = (v as string[]) ?? [];
        const before = (getPath(base, f.path) as Json[] | undefined) ?? [];
        const kept = before.filter((c) => names.includes(claimName(c)));
        const added = names.filter((n) => !kept.some((c) => claimName(c) === n));
        const all = [...kept, ...added];
        setPath(entry, f.path, all.length || had ? all : undefined);
        break;
      }
      case 'list': {
        const items = String(v ?? '')
          .split(/[,\n，、;；]/)
          .map((s) => s.trim())
          .filter(Boolean);
        setPath(entry, f.path, items.length || had ? items : undefined);
        break;
      }
      case 'facts': {
        const rows = ((v as FactRow[]) ?? []).filter((r) => r.name.trim() !== '' || r.value.trim() !== '');
        const obj: { [k: string]: Json } = {};
        for (const r of rows) obj[r.name.trim()] = factValue(r.value);
        setPath(entry, f.path, rows.length || had ? obj : undefined);
        break;
      }
      case 'rows': {
        const rows = ((v as ExtensionRow[]) ?? []).map((r) => {
          const o: { [k: string]: Json } = {};
          for (const sub of f.row ?? []) if ((r[sub.path] ?? '').trim() !== '') o[sub.path] = r[sub.path]!.trim();
          return o;
        });
        setPath(entry, f.path, rows.length || had ? rows : undefined);
        break;
      }
      case 'number': {
        const t = String(v ?? '');
        setPath(entry, f.path, t.trim() === '' ? undefined : numberOf(t));
        break;
      }
      default: {
        const t = String(v ?? '');
        // An optional field left empty is left out (the format's default applies), never written as "".
        setPath(entry, f.path, t.trim() === '' ? (f.required ? '' : undefined) : f.kind === 'textarea' ? t : t.trim());
      }
    }
  }
  // Mappings the form emptied (covers: {}, personalInfo: {}) are left out unless the YAML had them.
  for (const key of ['covers', 'personalInfo']) {
    const v = entry[key];
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 && getPath(base, key) === undefined) delete entry[key];
  }
  return entry;
}

/** The form field an issue's path falls in (`covers.maxPersons`, `datasets.0` → `datasets`), or null. */
export function fieldOfPath(collection: Collection, path: (string | number)[]): Field | null {
  const dotted = path.map(String);
  let best: Field | null = null;
  for (const f of FORMS[collection]) {
    const parts = f.path.split('.');
    if (parts.every((p, i) => dotted[i] === p) && (!best || parts.length > best.path.split('.').length)) best = f;
  }
  return best;
}

/** `body.covers.datasets[0]` (a server issue's field) → `['covers', 'datasets', 0]`. */
export function pathOfServerField(field: string | undefined): (string | number)[] | null {
  if (!field || !field.startsWith('body')) return null;
  const rest = field.slice(4).replace(/^\./, '');
  if (!rest) return [];
  return rest
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * "Keep my version" after a conflicting save, as a three-way merge: a field the user edited (differs
 * from the version the form was opened on) keeps the user's value; every other field takes the value
 * saved meanwhile by someone else.
 */
export function keepMine(fields: readonly Field[], opened: Values, mine: Values, theirs: Values): Values {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? '') === JSON.stringify(b ?? '');
  const out: Values = { ...theirs };
  for (const f of fields) {
    if (!same(mine[f.path], opened[f.path])) out[f.path] = mine[f.path]!;
    else if (theirs[f.path] !== undefined) out[f.path] = theirs[f.path]!;
    else delete out[f.path];
  }
  return out;
}
