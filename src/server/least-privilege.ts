/**
 * What a gateway may see. A gateway token sits in an egress proxy: it needs to act (allow or deny), to
 * say which decision it acted on, and why in codes a proxy can log or pass on — not the organisation's
 * year-to-date counts, its approvals' references, the other callers' requests or the engine's reasoning.
 * Officers, viewers and admins keep the full decision (docs/threat-model.md lists who sees what).
 */
import type { Msg } from '../i18n/index.js';
import type { Principal } from './auth.js';
import type { DecisionBody } from './decisions.js';

export const GATEWAY_DECISION_SCHEMA = 'chujing.decision.gateway/1';

export interface GatewayDecision {
  schema: typeof GATEWAY_DECISION_SCHEMA;
  id: string;
  decidedAt: string;
  result: 'allow' | 'deny';
  path: DecisionBody['path'];
  /** The reasons' message codes, most important first (their text is for people: see the decision page). */
  reasons: string[];
  workspaceRevision: string;
  /** The ledger entry recorded (its id and seq), when executed. */
  execution: { status: string; seq: number; entry: string } | null;
}

export function seesOnlyOwnDecisions(p: Principal): boolean {
  return p.role === 'gateway';
}

/** The first reason's code: what X-Chujing-Reason carries. */
export function reasonCode(d: { reasons: (Msg | { code: string })[] }): string {
  return d.reasons[0]?.code ?? '';
}

/** The decision as this caller may see it. */
export function decisionFor<T extends DecisionBody>(p: Principal, d: T): T | GatewayDecision {
  return seesOnlyOwnDecisions(p) ? gatewayDecision(d) : d;
}

/** What a gateway acts on (also the answer to `Prefer: return=minimal`). */
export function gatewayDecision(d: DecisionBody): GatewayDecision {
  return {
    schema: GATEWAY_DECISION_SCHEMA,
    id: d.id,
    decidedAt: d.decidedAt,
    result: d.result,
    path: d.path,
    reasons: d.reasons.map((r) => r.code),
    workspaceRevision: d.workspaceRevision,
    execution: d.execution ? { status: d.execution.status, seq: d.execution.seq, entry: d.execution.entry } : null,
  };
}
