/**
 * Checks a schema-valid workspace for what a schema cannot see: duplicate ids, references to datasets,
 * recipients, organisations and rules that do not exist, scenarios and data types unknown to every pack.
 * All problems are collected and reported together, each with its file and line.
 */
import { badInput, type ErrorIssue } from '../errors.js';
import { ALL_PACKS, AUTO_PACKS, BUILT_IN_NEGATIVE_LISTS, OTHER_SCENARIO, knownScenarios } from '../rules/index.js';
import type { LoadedWorkspace } from './load.js';
import { limitsFromEnv } from './limits.js';
import { msg } from '../i18n/index.js';
import type { Workspace } from './workspace.js';

type Locate = (field: string) => { file?: string; line?: number; column?: number };

export function referenceIssues(ws: Workspace, locate: Locate = () => ({})): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const issue = (field: string, message: string, expected?: string) => issues.push({ ...locate(field), field, message, ...(expected ? { expected } : {}) });
  const ids = (list: { id: string }[], key: string) => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (seen.has(item.id)) issue(`${key}[${i}].id`, `duplicate id '${item.id}'`, `ids unique within ${key}`);
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
    if (entities.has(a.id)) issue(`affiliates[${i}].id`, `duplicate organisation id '${a.id}'`, 'a different id from the organization and other affiliates');
    entities.add(a.id);
  });
  const list = (xs: Iterable<string>) => [...xs].join(', ');

  const autoPackIds = AUTO_PACKS.map((p) => p.id);
  if (ws.rulePack && !autoPackIds.includes(ws.rulePack)) issue('rulePack', `unknown rule pack '${ws.rulePack}'`, `one of ${list(autoPackIds)}`);

  const lists = new Set([...BUILT_IN_NEGATIVE_LISTS.map((l) => l.id), ...ws.negativeLists.map((l) => l.id)]);
  [ws.organization, ...ws.affiliates].forEach((e, i) => {
    const field = i === 0 ? 'organization.ftz.list' : `affiliates[${i - 1}].ftz.list`;
    if (e.ftz && !lists.has(e.ftz.list)) issue(field, `unknown negative list '${e.ftz.list}'`, `one of ${list(lists)} or a list in negativeLists`);
  });

  const scenarios = knownScenarios();
  ws.datasets.forEach((d, i) => {
    if (d.scenario === OTHER_SCENARIO) return;
    const types = scenarios.get(d.scenario);
    if (!types) issue(`datasets[${i}].scenario`, `unknown scenario '${d.scenario}'`, `one of ${list(scenarios.keys())}, or ${OTHER_SCENARIO}`);
    else if (!types.has(d.dataType)) issue(`datasets[${i}].dataType`, `unknown data type '${d.dataType}' for scenario '${d.scenario}'`, `one of ${list(types)}`);
  });

  ws.transfers.forEach((t, i) => {
    t.datasets.forEach((id, j) => {
      if (!datasets.has(id)) issue(`transfers[${i}].datasets[${j}]`, `transfer '${t.id}' names dataset '${id}', which is not defined`, `one of ${list(datasets) || '(no datasets defined)'}`);
    });
    if (!recipients.has(t.recipient)) issue(`transfers[${i}].recipient`, `transfer '${t.id}' names recipient '${t.recipient}', which is not defined`, `one of ${list(recipients) || '(no recipients defined)'}`);
    if (t.organization && !entities.has(t.organization)) issue(`transfers[${i}].organization`, `unknown organisation '${t.organization}'`, `one of ${list(entities)}`);
    if (t.rulePack && !autoPackIds.includes(t.rulePack)) issue(`transfers[${i}].rulePack`, `unknown rule pack '${t.rulePack}'`, `one of ${list(autoPackIds)}`);
    const claims = t.exemptionClaims.map((c) => (typeof c === 'string' ? c : c.claim));
    if (new Set(claims).size !== claims.length) issue(`transfers[${i}].exemptionClaims`, 'the same exemption is claimed twice');
  });

  ws.approvals.forEach((a, i) => {
    const c = a.covers;
    c.datasets?.forEach((id, j) => datasets.has(id) || issue(`approvals[${i}].covers.datasets[${j}]`, `approval '${a.id}' covers dataset '${id}', which is not defined`, `one of ${list(datasets)}`));
    c.recipients?.forEach((id, j) => recipients.has(id) || issue(`approvals[${i}].covers.recipients[${j}]`, `approval '${a.id}' covers recipient '${id}', which is not defined`, `one of ${list(recipients)}`));
    c.organizations?.forEach((id, j) => entities.has(id) || issue(`approvals[${i}].covers.organizations[${j}]`, `approval '${a.id}' covers organisation '${id}', which is not defined`, `one of ${list(entities)}`));
    if (a.mechanism === 'security-assessment' && a.status !== 'applied' && a.status !== 'rejected' && !a.issued) {
      issue(`approvals[${i}].issued`, `security-assessment approval '${a.id}' has no issuance date`, 'issued: YYYY-MM-DD (validity runs from it, SA-4)');
    }
    if (a.mechanism === 'certification' && a.status !== 'applied' && a.status !== 'rejected' && !a.issued) {
      issue(`approvals[${i}].issued`, `certificate '${a.id}' has no issuance date`, 'issued: YYYY-MM-DD (CERT-4)');
    }
    if (a.mechanism === 'standard-contract' && !a.effective) issue(`approvals[${i}].effective`, `standard contract '${a.id}' has no effective date`, 'effective: YYYY-MM-DD (filing is due within 10 working days, SC-2)');
  });

  const ruleIds = new Set(ALL_PACKS.flatMap((p) => p.judgmentRules.map((r) => r.id)));
  ws.overrides.thresholds.forEach((o, i) => {
    if (!ruleIds.has(o.rule)) issue(`overrides.thresholds[${i}].rule`, `unknown rule '${o.rule}'`, 'a judgment rule id (see `chujing rules`)');
    else if (o.fact) {
      const facts = new Set(ALL_PACKS.flatMap((p) => p.judgmentRules.filter((r) => r.id === o.rule).flatMap((r) => r.conditions.map((c) => c.fact))));
      if (!facts.has(o.fact)) issue(`overrides.thresholds[${i}].fact`, `rule '${o.rule}' has no condition on '${o.fact}'`, `one of ${list(facts)}`);
    }
    if (o.threshold === undefined && o.comparator === undefined) issue(`overrides.thresholds[${i}]`, 'an override must change the threshold or the comparator');
    if (o.pack && !ALL_PACKS.some((p) => p.id === o.pack)) issue(`overrides.thresholds[${i}].pack`, `unknown rule pack '${o.pack}'`);
  });
  ws.overrides.promote.forEach((o, i) => ruleIds.has(o.rule) || issue(`overrides.promote[${i}].rule`, `unknown rule '${o.rule}'`, 'a judgment rule id (see `chujing rules`)'));
  ws.overrides.rules.forEach((r, i) => ruleIds.has(r.id) && issue(`overrides.rules[${i}].id`, `'${r.id}' is already a pack rule`, 'a new id such as ORG-1'));
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
    throw badInput(`${issues[0]!.file ?? 'workspace'}: ${found.length} problem${found.length > 1 ? 's' : ''} in the workspace`, issues);
  }
}
