/**
 * What the workspace schema says about a form, in the reader's language: each zod issue becomes a
 * message code of the `web.form.*` table, attached to the form field it is about. The schema's own
 * English wording (written for the YAML and the CLI) is not shown in the form: the code and the field
 * decide the words, so that Chinese readers get Chinese.
 */
import type { z } from 'zod';
import type { MessageCode } from '../../../src/i18n/catalog.js';
import { fieldOfPath, type Collection, type Field } from './fields.js';

export interface FieldProblem {
  /** The form field (its path), or null for the whole entry. */
  field: string | null;
  code: MessageCode;
  params: Record<string, unknown>;
  /** Where inside the field (a row of a list), when it matters. */
  index?: number;
}

type Issue = z.core.$ZodIssue;

/** The value an issue is about (zod does not report its input by default). */
function valueAt(entry: unknown, path: readonly PropertyKey[]): unknown {
  let cur = entry;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

function problemOf(issue: Issue, field: Field | null, input: unknown): Pick<FieldProblem, 'code' | 'params'> {
  const last = String(issue.path[issue.path.length - 1] ?? '');
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined || input === null) return { code: 'web.form.required', params: {} };
      if (issue.expected === 'int') return { code: 'web.form.whole-number', params: {} };
      if (issue.expected === 'number') return { code: 'web.form.number', params: {} };
      if (issue.expected === 'boolean') return { code: 'web.form.boolean', params: {} };
      return { code: 'web.form.invalid', params: {} };
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return { code: 'web.form.required', params: {} };
      if (issue.origin === 'array' || issue.origin === 'set') return { code: 'web.form.pick-one', params: {} };
      return { code: issue.inclusive === false ? 'web.form.more-than' : 'web.form.at-least', params: { minimum: min } };
    }
    case 'too_big':
      return { code: 'web.form.at-most', params: { maximum: Number(issue.maximum) } };
    case 'invalid_format':
      if (last === 'id' || last === 'renews') return { code: 'web.form.id-pattern', params: {} };
      if (last === 'country' || last === 'storageCountry') return { code: 'web.form.country', params: {} };
      return { code: 'web.form.pattern', params: {} };
    case 'invalid_value':
      return { code: 'web.form.one-of', params: { values: issue.values.map(String) } };
    case 'unrecognized_keys':
      return { code: 'web.form.unknown-fields', params: { keys: issue.keys } };
    case 'not_multiple_of':
      return { code: 'web.form.whole-number', params: {} };
    case 'custom':
      if (field?.kind === 'date' || field?.kind === 'rows') return { code: 'web.form.date', params: {} };
      if (last === 'sensitivePersons') return { code: 'web.form.sensitive-over-persons', params: {} };
      return { code: 'web.form.invalid', params: {} };
    default:
      return { code: 'web.form.invalid', params: {} };
  }
}

/** The problems of `entry`, which the schema refused with `error`. */
export function problemsOf(collection: Collection, error: z.ZodError, entry: unknown): FieldProblem[] {
  return error.issues.map((issue) => {
    const field = fieldOfPath(collection, issue.path as (string | number)[]);
    const depth = field ? field.path.split('.').length : 0;
    const index = typeof issue.path[depth] === 'number' ? (issue.path[depth] as number) : undefined;
    return { field: field?.path ?? null, ...problemOf(issue, field, valueAt(entry, issue.path)), ...(index !== undefined ? { index } : {}) };
  });
}
