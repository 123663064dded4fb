/**
 * Which transfers a document covers: `--transfer`, `--recipient`, `--scenario`, `--organization`
 * narrow the workspace's transfers (they combine); each document kind then keeps the transfers that
 * need it. An unknown name, or a transfer that needs no such document (a self-assessment for an exempt
 * transfer), is bad input with a message that says why — never an empty document.
 */
import { badInput } from '../../errors.js';
import { msg, type Msg } from '../../i18n/index.js';
import type { DocumentKind } from './model.js';
import type { DocumentsView, TransferView } from './view.js';

export interface Selection {
  transfer?: string;
  recipient?: string;
  scenario?: string;
  organization?: string;
}

const hasPersonalInfo = (t: TransferView) => t.volume.persons > 0 || t.volume.sensitivePersons > 0;

/** Why a transfer needs no document of this kind (null: it needs one). */
export function whyNotNeeded(kind: DocumentKind, t: TransferView): Msg | null {
  const because = (code: string) => msg(code, { transfer: t.id, path: t.exemption === 'FREE-1' ? msg('path.free') : msg(`path.${t.path}`), exemption: t.exemption ?? '' });
  const organisationLevel = kind === 'plan' || kind === 'security-checklist' || kind === 'annual';
  if (t.path === 'prohibited' && !organisationLevel) return because('doc.select.prohibited');
  switch (kind) {
    case 'self-assessment':
    case 'declaration':
      if (t.path === 'security-assessment') return null;
      return because(t.path === 'exempt' ? 'doc.select.exempt-no-sa' : 'doc.select.not-sa');
    case 'sc-filing':
      if (t.path === 'standard-contract-or-certification') return null;
      return because(t.path === 'exempt' ? 'doc.select.exempt-no-sc' : 'doc.select.sa-not-sc');
    case 'pipia':
      return hasPersonalInfo(t) ? null : because('doc.select.no-pi');
    case 'plan':
    case 'security-checklist':
    case 'annual':
      return null;
  }
}

/**
 * The default when no transfer is named: the transfers that must be filed or declared with this
 * document. A PIPIA is kept for every transfer with PI (PI-5), but by default it is drafted for the
 * standard-contract and certification transfers, the ones it is filed with (SC-2, CERT-3).
 */
function inDefault(kind: DocumentKind, t: TransferView): boolean {
  if (kind === 'pipia') return t.path === 'standard-contract-or-certification' && hasPersonalInfo(t);
  return whyNotNeeded(kind, t) === null;
}

const list = (ids: string[]) => (ids.length > 12 ? [...ids.slice(0, 12), '…'] : ids);

export function selectTransfers(view: DocumentsView, kind: DocumentKind, selection: Selection): TransferView[] {
  const { transfer, recipient, scenario, organization } = selection;
  if (transfer !== undefined && !view.transfers.some((t) => t.id === transfer)) {
    const m = msg('doc.select.unknown', { what: msg('doc.select.what.transfer'), id: transfer });
    throw badInput(m, [{ field: '--transfer', message: m, expected: msg('doc.select.one-of', { ids: list(view.transfers.map((t) => t.id)) }) }]);
  }
  if (recipient !== undefined && !view.recipients.some((r) => r.id === recipient)) {
    const m = msg('doc.select.unknown', { what: msg('doc.select.what.recipient'), id: recipient });
    throw badInput(m, [{ field: '--recipient', message: m, expected: msg('doc.select.one-of', { ids: list(view.recipients.map((r) => r.id)) }) }]);
  }
  const scenarios = [...new Set(view.datasets.map((d) => d.scenario))];
  if (scenario !== undefined && !scenarios.includes(scenario)) {
    const m = msg('doc.select.unknown', { what: msg('doc.select.what.scenario'), id: scenario });
    throw badInput(m, [{ field: '--scenario', message: m, expected: msg('doc.select.one-of', { ids: list(scenarios) }) }]);
  }
  if (organization !== undefined && !view.entities.some((e) => e.id === organization)) {
    const m = msg('doc.select.unknown', { what: msg('doc.select.what.organization'), id: organization });
    throw badInput(m, [{ field: '--organization', message: m, expected: msg('doc.select.one-of', { ids: list(view.entities.map((e) => e.id)) }) }]);
  }

  const scenarioOf = new Map(view.datasets.map((d) => [d.id, d.scenario]));
  const narrowed = view.transfers.filter(
    (t) =>
      (transfer === undefined || t.id === transfer) &&
      (recipient === undefined || t.recipient === recipient) &&
      (organization === undefined || t.organization === organization) &&
      (scenario === undefined || t.datasets.some((d) => scenarioOf.get(d) === scenario)),
  );
  const named = transfer !== undefined || recipient !== undefined || scenario !== undefined;
  const chosen = narrowed.filter((t) => (named ? whyNotNeeded(kind, t) === null : inDefault(kind, t)));
  if (chosen.length > 0) return chosen;

  // Nothing to write about: say why, transfer by transfer (the first few).
  const reasons = narrowed.slice(0, 8).map((t) => whyNotNeeded(kind, t) ?? msg('doc.select.not-default', { transfer: t.id, path: t.exemption === 'FREE-1' ? msg('path.free') : msg(`path.${t.path}`) }));
  const flag = transfer !== undefined ? '--transfer' : recipient !== undefined ? '--recipient' : scenario !== undefined ? '--scenario' : organization !== undefined ? '--organization' : 'WORKSPACE';
  const summary = transfer !== undefined && reasons[0] ? reasons[0] : msg('doc.select.none', { kind: msg(`doc.kind.${kind}`) });
  throw badInput(summary, [
    ...(narrowed.length === 0 ? [{ field: flag, message: msg('doc.select.no-transfers') }] : reasons.map((r) => ({ field: flag, message: r }))),
  ]);
}
