/**
 * Checks a schema-valid workspace for what a schema cannot see: duplicate ids; references to datasets,
 * recipients, organisations, rules and list items that do not exist; scenarios, data types and facts
 * unknown to every pack (with "did you mean"); transfers to a recipient in mainland China, which are not
 * outbound (OUT-1..4); FTZ lists whose items the user must supply or that belong to another zone (FTZ-1);
 * approval dates in an order the procedure does not allow (HIST-1..8, src/model/history.ts). All problems are collected and
 * reported together, each with its file and line. An unknown name is an error, never ignored.
 */
import { badInput, type ErrorIssue } from '../errors.js';
import { msg, type Msg } from '../i18n/index.js';
import { ALL_PACKS, AUTO_PACKS, BUILT_IN_NEGATIVE_LISTS, CUSTOM_FACT, FACTS, OTHER_SCENARIO, factDef, knownScenarios } from '../rules/index.js';
import type { LoadedWorkspace } from './load.js';
import { limitsFromEnv } from './limits.js';
import { suggest } from './suggest.js';
import { historyIssues } from './history.js';
import type { Workspace } from './workspace.js';

type Locate = (field: string) => { file?: string; line?: number; column?: number };

/** Mainland China: a recipient here is not abroad. HK, MO and TW are outbound (OUT-4). */
const MAINLAND = 'CN';

export function referenceIssues(ws: Workspace, locate: Locate = () => ({})): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const issue = (field: string, message: Msg, expected?: Msg) => issues.push({ ...locate(field), field, message, ...(expected ? { expected } : {}) });
  const oneOf = (known: Iterable<string>, name?: string) => {
    const all = [...known];
    const close = name ? suggest(name, all) : [];
    return close.length ? msg('ref.did-you-mean', { names: close }) : msg('ref.one-of', { names: all.length ? all : [msg('common.none')] });
  };
  const ids = (list: { id: string }[], key: string) => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (seen.has(item.id)) issue(`${key}[${i}].id`, msg('ref.duplicate-id', { id: item.id }), msg('ref.unique-ids', { key }));
      seen.add(item.id);
    });
    return seen;
  };
  const datasets = ids(ws.datasets, 'datasets');
  const recipients = ids(ws.recipients, 'recipients');
  ids(ws.transfers, 'transfers');
  ids(ws.approvals, 'approvals');
  ids(ws.negativeLists, 'negativeLists');
  const entities = new Set([ws.organization.id]);
  ws.affiliates.forEach((a, i) => {
    if (entities.has(a.id)) issue(`affiliates[${i}].id`, msg('ref.duplicate-organisation', { id: a.id }), msg('ref.unique-organisation'));
    entities.add(a.id);
  });

  const autoPackIds = AUTO_PACKS.map((p) => p.id);
  if (ws.rulePack && !autoPackIds.includes(ws.rulePack)) issue('rulePack', msg('ref.unknown-pack', { id: ws.rulePack }), oneOf(autoPackIds, ws.rulePack));

  // FTZ lists: built-in ones, user lists, and user-filled built-ins (Chongqing, Fujian) that need items.
  const builtIn = new Map(BUILT_IN_NEGATIVE_LISTS.map((l) => [l.id, l]));
  ws.negativeLists.forEach((l, i) => {
    const b = builtIn.get(l.id);
    if (b && !b.fillable) issue(`negativeLists[${i}].id`, msg('ref.list-is-built-in', { id: l.id }), msg('ref.list-new-id'));
  });
  const lists = new Map([...BUILT_IN_NEGATIVE_LISTS, ...ws.negativeLists].map((l) => [l.id, l]));
  [ws.organization, ...ws.affiliates].forEach((e, i) => {
    if (!e.ftz) return;
    const field = i === 0 ? 'organization.ftz.list' : `affiliates[${i - 1}].ftz.list`;
    const list = lists.get(e.ftz.list);
    if (!list) issue(field, msg('ref.unknown-list', { id: e.ftz.list }), oneOf(lists.keys(), e.ftz.list));
    // FTZ-1 / EXEMPT-7: a zone's list governs only the processors registered in that zone.
    else if (list.zone !== e.ftz.zone) {
      const own = [...lists.values()].filter((l) => l.zone === e.ftz!.zone).map((l) => l.id);
      issue(field, msg('law.ftz.zone-mismatch', { zone: e.ftz.zone, list: list.id, listZone: list.zone }), msg('law.ftz.zone-expected', { zone: e.ftz.zone, lists: own.length ? own : [msg('common.none')], listZone: list.zone }));
    } else if (list.items.length === 0) issue(field, msg('ref.list-needs-items', { id: list.id, name: list.name }), msg('ref.list-items-expected', { id: list.id }));
  });
  const listItems = new Map<string, 'negative' | 'positive'>();
  for (const l of lists.values()) for (const item of l.items) listItems.set(item.id, l.kind);

  // Scenarios, data types and facts must be known to a pack (a typo must never make data "general").
  const scenarios = knownScenarios();
  const customFacts = new Set(ws.overrides.rules.map((r) => r.fact));
  const factNames = Object.keys(FACTS).filter((f) => !factDef(f)?.derived);
  ws.datasets.forEach((d, i) => {
    if (d.scenario !== OTHER_SCENARIO) {
      const types = scenarios.get(d.scenario);
      if (!types) issue(`datasets[${i}].scenario`, msg('ref.unknown-scenario', { scenario: d.scenario }), oneOf([...scenarios.keys(), OTHER_SCENARIO], d.scenario));
      else if (!types.has(d.dataType)) issue(`datasets[${i}].dataType`, msg('ref.unknown-data-type', { dataType: d.dataType, scenario: d.scenario }), oneOf(types, d.dataType));
    }
    for (const [name, value] of Object.entries(d.facts)) {
      const field = `datasets[${i}].facts.${name}`;
      const def = factDef(name);
      if (def?.derived) issue(field, msg('ref.derived-fact', { fact: name }));
      else if (def) {
        if (typeof value !== def.type) issue(field, msg('ref.fact-type', { fact: name, type: typeof value }), msg(`ref.fact-type-${def.type}`));
      } else if (!CUSTOM_FACT.test(name)) issue(field, msg('ref.unknown-fact', { fact: name }), oneOf(factNames, name));
      else if (!customFacts.has(name)) issue(field, msg('ref.custom-fact-unused', { fact: name }), msg('ref.custom-fact-expected'));
    }
    d.negativeListItems.forEach((id, j) => listItems.get(id) === 'negative' || issue(`datasets[${i}].negativeListItems[${j}]`, msg('ref.unknown-list-item', { id }), oneOf([...listItems].filter(([, k]) => k === 'negative').map(([k]) => k), id)));
    d.positiveListItems.forEach((id, j) => listItems.get(id) === 'positive' || issue(`datasets[${i}].positiveListItems[${j}]`, msg('ref.unknown-list-item', { id }), oneOf([...listItems].filter(([, k]) => k === 'positive').map(([k]) => k), id)));
  });

  const recipientCountry = new Map(ws.recipients.map((r) => [r.id, r.country]));
  ws.transfers.forEach((t, i) => {
    t.datasets.forEach((id, j) => {
      if (!datasets.has(id)) issue(`transfers[${i}].datasets[${j}]`, msg('ref.unknown-dataset', { transfer: t.id, id }), oneOf(datasets, id));
    });
    if (!recipients.has(t.recipient)) issue(`transfers[${i}].recipient`, msg('ref.unknown-recipient', { transfer: t.id, id: t.recipient }), oneOf(recipients, t.recipient));
    else if (recipientCountry.get(t.recipient) === MAINLAND) issue(`transfers[${i}].recipient`, msg('ref.domestic-recipient', { transfer: t.id, id: t.recipient }), msg('ref.overseas-recipient'));
    if (t.organization && !entities.has(t.organization)) issue(`transfers[${i}].organization`, msg('ref.unknown-organisation', { id: t.organization }), oneOf(entities, t.organization));
    if (t.rulePack && !autoPackIds.includes(t.rulePack)) issue(`transfers[${i}].rulePack`, msg('ref.unknown-pack', { id: t.rulePack }), oneOf(autoPackIds, t.rulePack));
    const claims = t.exemptionClaims.map((c) => (typeof c === 'string' ? c : c.claim));
    if (new Set(claims).size !== claims.length) issue(`transfers[${i}].exemptionClaims`, msg('ref.claim-twice'));
    t.exemptionClaims.forEach((c, j) => {
      // A claim covers only the datasets it is about: on a transfer of several, it must say which.
      if (t.datasets.length > 1 && (typeof c === 'string' || !c.datasets)) {
        issue(`transfers[${i}].exemptionClaims[${j}]`, msg('ref.claim-needs-datasets', { transfer: t.id, claim: typeof c === 'string' ? c : c.claim }), msg('ref.claim-datasets-expected', { datasets: t.datasets }));
      }
      if (typeof c === 'string') return;
      c.datasets?.forEach((id, k) => t.datasets.includes(id) || issue(`transfers[${i}].exemptionClaims[${j}].datasets[${k}]`, msg('ref.claim-dataset', { id, transfer: t.id }), oneOf(t.datasets, id)));
    });
  });

  ws.approvals.forEach((a, i) => {
    const c = a.covers;
    c.datasets?.forEach((id, j) => datasets.has(id) || issue(`approvals[${i}].covers.datasets[${j}]`, msg('ref.approval-dataset', { approval: a.id, id }), oneOf(datasets, id)));
    c.recipients?.forEach((id, j) => recipients.has(id) || issue(`approvals[${i}].covers.recipients[${j}]`, msg('ref.approval-recipient', { approval: a.id, id }), oneOf(recipients, id)));
    c.organizations?.forEach((id, j) => entities.has(id) || issue(`approvals[${i}].covers.organizations[${j}]`, msg('ref.approval-organisation', { approval: a.id, id }), oneOf(entities, id)));
    if (a.renews && !ws.approvals.some((x) => x.id === a.renews)) issue(`approvals[${i}].renews`, msg('ref.unknown-approval', { id: a.renews }), oneOf(ws.approvals.map((x) => x.id), a.renews));
    const live = a.status !== 'applied' && a.status !== 'rejected';
    if (a.mechanism === 'security-assessment' && live && !a.issued) issue(`approvals[${i}].issued`, msg('ref.sa-no-issued', { approval: a.id }), msg('ref.sa-issued-expected'));
    if (a.mechanism === 'certification' && live && !a.issued) issue(`approvals[${i}].issued`, msg('ref.cert-no-issued', { approval: a.id }), msg('ref.cert-issued-expected'));
    if (a.mechanism === 'standard-contract' && !a.effective) issue(`approvals[${i}].effective`, msg('ref.sc-no-effective', { approval: a.id }), msg('ref.sc-effective-expected'));
  });
  // HIST-1..8: the dates of each approval in the only order its procedure allows.
  for (const h of historyIssues(ws)) issue(h.field, h.message, h.expected);

  // SEC-ER-1: incidents name transfers and datasets.
  const transferIds = new Set(ws.transfers.map((t) => t.id));
  ws.security.incidents.forEach((inc, i) => {
    inc.transfers.forEach((id, j) => transferIds.has(id) || issue(`security.incidents[${i}].transfers[${j}]`, msg('ref.incident-transfer', { id }), oneOf(transferIds, id)));
    inc.datasets.forEach((id, j) => datasets.has(id) || issue(`security.incidents[${i}].datasets[${j}]`, msg('ref.incident-dataset', { id }), oneOf(datasets, id)));
  });

  const ruleIds = new Set(ALL_PACKS.flatMap((p) => p.judgmentRules.map((r) => r.id)));
  ws.overrides.thresholds.forEach((o, i) => {
    if (!ruleIds.has(o.rule)) issue(`overrides.thresholds[${i}].rule`, msg('ref.unknown-rule', { id: o.rule }), oneOf(ruleIds, o.rule));
    else if (o.fact) {
      const facts = new Set(ALL_PACKS.flatMap((p) => p.judgmentRules.filter((r) => r.id === o.rule).flatMap((r) => r.conditions.map((c) => c.fact))));
      if (!facts.has(o.fact)) issue(`overrides.thresholds[${i}].fact`, msg('ref.rule-has-no-fact', { rule: o.rule, fact: o.fact }), oneOf(facts, o.fact));
    }
    if (o.threshold === undefined && o.comparator === undefined) issue(`overrides.thresholds[${i}]`, msg('ref.override-empty'));
    if (o.pack && !ALL_PACKS.some((p) => p.id === o.pack)) issue(`overrides.thresholds[${i}].pack`, msg('ref.unknown-pack', { id: o.pack }), oneOf(ALL_PACKS.map((p) => p.id), o.pack));
  });
  ws.overrides.promote.forEach((o, i) => ruleIds.has(o.rule) || issue(`overrides.promote[${i}].rule`, msg('ref.unknown-rule', { id: o.rule }), oneOf(ruleIds, o.rule)));
  ws.overrides.rules.forEach((r, i) => {
    if (ruleIds.has(r.id)) issue(`overrides.rules[${i}].id`, msg('ref.rule-exists', { id: r.id }), msg('ref.new-rule-id'));
    if (!factDef(r.fact) && !CUSTOM_FACT.test(r.fact)) issue(`overrides.rules[${i}].fact`, msg('ref.unknown-fact', { fact: r.fact }), oneOf([...factNames, 'x-…'], r.fact));
  });
  return issues;
}

/** Throw one bad-input error holding every reference problem of a loaded workspace. */
export function checkReferences(loaded: LoadedWorkspace): void {
  const found = referenceIssues(loaded.workspace);
  if (found.length) {
    // Located together (one pass per file), and at most the loader's issue limit listed.
    const { maxIssues } = limitsFromEnv();
    const where = loaded.sources.locateAll(found.slice(0, maxIssues).map((i) => i.field ?? ''));
    const issues: ErrorIssue[] = where.map((w, i) => ({ ...w, ...found[i]! }));
    if (found.length > maxIssues) issues.push({ message: msg('loader.limit.more-issues', { count: found.length - maxIssues, shown: maxIssues }) });
    throw badInput(msg('ref.problems', { file: issues[0]!.file ?? 'workspace', count: found.length }), issues);
  }
}
