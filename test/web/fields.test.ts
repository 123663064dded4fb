/**
 * The edit forms' data side (web/src/form): a form opened and saved unchanged gives back the entry as
 * written (so saving never rewrites what the user did not touch), an edit changes only its field and
 * keeps what the form does not show, and the schema's issues land on the right field with the right
 * message in both languages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { render } from '../../src/i18n/index.js';
import { ENTRY_SCHEMAS, FORMS, entryOf, fieldOfPath, keepMine, pathOfServerField, valuesOf, type Collection } from '../../web/src/form/fields.js';
import { problemsOf } from '../../web/src/form/issues.js';
import { REPO_ROOT } from '../helpers/cli.js';

const EXAMPLE = join(REPO_ROOT, 'examples', 'acme-auto');
const files = ['chujing.yaml', 'datasets/customer.yaml', 'datasets/engineering.yaml', 'transfers/2025.yaml', 'transfers/2026.yaml'];
const entries: { collection: Collection; entry: any }[] = files.flatMap((f) => {
  const doc = parse(readFileSync(join(EXAMPLE, f), 'utf8')) as Record<string, unknown>;
  return (['datasets', 'recipients', 'transfers', 'approvals'] as Collection[]).flatMap((c) => ((doc[c] as any[]) ?? []).map((entry) => ({ collection: c, entry })));
});

describe('edit forms', () => {
  it('give back every example entry unchanged when nothing is edited', () => {
    expect(entries.length).toBeGreaterThan(30);
    for (const { collection, entry } of entries) {
      expect(entryOf(collection, entry, valuesOf(collection, entry)), `${collection} ${entry.id}`).toEqual(entry);
    }
  });

  it('"keep my version" merges three ways: my edits win, the colleague keeps the fields I did not touch', () => {
    const t = entries.find((e) => e.collection === 'transfers' && e.entry.purpose && e.entry.recipient)!;
    const opened = valuesOf('transfers', t.entry);
    const theirsEntry = { ...t.entry, purpose: 'their purpose', channel: 'their-channel' };
    const mine = { ...opened, purpose: 'my purpose' };
    const merged = keepMine(FORMS.transfers, opened, mine, valuesOf('transfers', theirsEntry));
    expect(merged.purpose).toBe('my purpose');
    expect(merged.channel).toBe('their-channel');
    expect(entryOf('transfers', theirsEntry, merged)).toEqual({ ...theirsEntry, purpose: 'my purpose' });
    // Nothing edited: the merge is their version exactly.
    expect(keepMine(FORMS.transfers, opened, opened, valuesOf('transfers', theirsEntry))).toEqual(valuesOf('transfers', theirsEntry));
  });

  it('change only the edited field and keep what the form does not show', () => {
    const t = entries.find((e) => e.collection === 'transfers' && e.entry.exemptionClaims?.some((c: unknown) => typeof c === 'object'))!;
    const values = valuesOf('transfers', t.entry);
    values.purpose = 'a new purpose';
    const out = entryOf('transfers', t.entry, values);
    expect(out).toEqual({ ...t.entry, purpose: 'a new purpose' });
    // A claim written with its basis stays as written while ticked; unticking removes it.
    const claims = values.exemptionClaims as string[];
    const none = entryOf('transfers', t.entry, { ...values, exemptionClaims: [] });
    expect(none.exemptionClaims).toEqual([]);
    const more = entryOf('transfers', t.entry, { ...values, exemptionClaims: [...claims, 'emergency'] });
    expect(more.exemptionClaims).toEqual([...t.entry.exemptionClaims, 'emergency']);
    // A dataset's evidence entries are not in the form and are kept.
    const d = entries.find((e) => e.collection === 'datasets' && e.entry.evidence?.length)!;
    const dv = valuesOf('datasets', d.entry);
    dv.name = 'renamed';
    expect(entryOf('datasets', d.entry, dv)).toEqual({ ...d.entry, name: 'renamed' });
  });

  it('leave an emptied optional field out (the default applies) and keep typed numbers as numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom('', ' '), (n, blank) => {
        const base = { id: 't-x', date: '2026-01-01', datasets: ['d'], recipient: 'r', purpose: 'p', channel: 'sftp' };
        const v = valuesOf('transfers', base);
        const out = entryOf('transfers', base, { ...v, persons: n.toLocaleString('en-US'), channel: blank });
        expect(out.persons).toBe(n);
        expect('channel' in out).toBe(false);
        expect(ENTRY_SCHEMAS.transfers.safeParse(out).success).toBe(true);
      }),
    );
  });

  it('put each schema issue on its field, with the message in both languages', () => {
    const recipient = entryOf('recipients', {}, { ...valuesOf('recipients', {}), id: 'acme jp', country: 'Japan' });
    const r = ENTRY_SCHEMAS.recipients.safeParse(recipient);
    expect(r.success).toBe(false);
    const problems = problemsOf('recipients', r.error!, recipient);
    const byField = Object.fromEntries(problems.map((p) => [p.field, p.code]));
    expect(byField).toEqual({ id: 'web.form.id-pattern', name: 'web.form.required', country: 'web.form.country' });
    const country = problems.find((p) => p.field === 'country')!;
    expect(render('zh', { code: country.code, params: country.params as never })).toBe('须为两个大写字母的国家或地区代码（ISO 3166-1），如 DE');
    expect(render('en', { code: country.code, params: country.params as never })).toContain('ISO 3166-1');

    const transfer = entryOf('transfers', {}, { ...valuesOf('transfers', {}), id: 't-1', date: '2026-02-30', persons: 'many', retentionAbroadMonths: '0', purpose: 'p', recipient: 'r' });
    const t = ENTRY_SCHEMAS.transfers.safeParse(transfer);
    const tp = Object.fromEntries(problemsOf('transfers', t.error!, transfer).map((p) => [p.field, p.code]));
    expect(tp).toEqual({ date: 'web.form.date', datasets: 'web.form.required', persons: 'web.form.number', retentionAbroadMonths: 'web.form.more-than' });

    const dataset = entryOf('datasets', {}, { ...valuesOf('datasets', {}), id: 'd', name: 'n', scenario: 'other', dataType: 'x', 'personalInfo.persons': '10', 'personalInfo.sensitivePersons': '11' });
    const dp = problemsOf('datasets', ENTRY_SCHEMAS.datasets.safeParse(dataset).error!, dataset);
    expect(dp).toEqual([{ field: 'personalInfo.sensitivePersons', code: 'web.form.sensitive-over-persons', params: {} }]);
  });

  it('names every form field in both languages', () => {
    for (const [collection, fields] of Object.entries(FORMS)) {
      for (const f of fields) {
        for (const code of [`web.field.${f.path}`, ...(f.help ? [`web.help.${f.path}`] : []), ...(f.row ?? []).map((r) => `web.field.${f.path}.${r.path}`)]) {
          expect(render('zh', { code, params: {} }), `${collection}: ${code}`).not.toMatch(/^\[/);
        }
      }
    }
  });

  it('edits a standard contract\'s signing date (HIST-4) like the other dates, every field of the schema offered', () => {
    const contract = { id: 'sc-x', mechanism: 'standard-contract', effective: '2026-03-02', covers: { datasets: ['d'] } };
    const values = valuesOf('approvals', contract);
    expect(values.signed).toBe('');
    const signed = entryOf('approvals', contract, { ...values, signed: '2026-02-27' });
    expect(signed).toEqual({ ...contract, signed: '2026-02-27' });
    expect(ENTRY_SCHEMAS.approvals.safeParse(signed).success).toBe(true);
    expect(entryOf('approvals', signed, valuesOf('approvals', signed))).toEqual(signed);
    // Every date field of an approval in the schema has its input.
    const shape = ENTRY_SCHEMAS.approvals.shape as Record<string, unknown>;
    for (const date of ['applied', 'issued', 'signed', 'effective', 'filed', 'answered', 'expires']) {
      expect(date in shape, date).toBe(true);
      expect(FORMS.approvals.find((f) => f.path === date)?.kind, date).toBe('date');
    }
    expect(render('zh', { code: 'web.field.signed', params: {} })).toBe('合同签订日期');
  });

  it('reads the server\'s field names back to form fields', () => {
    expect(pathOfServerField('body.covers.datasets[0]')).toEqual(['covers', 'datasets', 0]);
    expect(fieldOfPath('approvals', pathOfServerField('body.covers.datasets[0]')!)?.path).toBe('covers.datasets');
    expect(fieldOfPath('transfers', pathOfServerField('body.datasets[1]')!)?.path).toBe('datasets');
    expect(pathOfServerField('header.if-match')).toBeNull();
  });
});
