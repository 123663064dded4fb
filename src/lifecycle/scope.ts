/**
 * Who and what an approval's scope reaches, shared by coverage and change detection so that the two
 * never disagree.
 */
import type { Approval, Dataset, Recipient, Transfer, Workspace } from '../model/workspace.js';

/**
 * Entities an approval covers. An explicit `covers.organizations` wins; a group (joint) approval without
 * one covers every entity of that group in the workspace (PROC-3, QA-3: a group company may declare or
 * file once for subsidiaries with similar scenarios); otherwise the main organisation.
 */
export function coveredOrganizations(ws: Workspace, approval: Approval): string[] {
  if (approval.covers.organizations?.length) return approval.covers.organizations;
  if (approval.group) {
    const members = [ws.organization, ...ws.affiliates].filter((e) => e.group === approval.group).map((e) => e.id);
    return members.length ? members : [ws.organization.id];
  }
  return [ws.organization.id];
}

/** The entity that sends a transfer (the main organisation unless the transfer names another). */
export function senderOf(ws: Workspace, transfer: Transfer): string {
  return transfer.organization ?? ws.organization.id;
}

export interface WorkspaceIndex {
  datasets: Map<string, Dataset>;
  recipients: Map<string, Recipient>;
}

export function indexWorkspace(ws: Workspace): WorkspaceIndex {
  return {
    datasets: new Map(ws.datasets.map((d) => [d.id, d])),
    recipients: new Map(ws.recipients.map((r) => [r.id, r])),
  };
}

/** Persons in a transfer: its own count, else the sum over its datasets (an upper bound, CNT-1). */
export function transferPersons(transfer: Transfer, index: WorkspaceIndex): { persons: number; sensitivePersons: number } {
  let persons = 0;
  let sensitivePersons = 0;
  for (const id of transfer.datasets) {
    const d = index.datasets.get(id);
    persons += d?.personalInfo.persons ?? 0;
    sensitivePersons += d?.personalInfo.sensitivePersons ?? 0;
  }
  return { persons: transfer.persons ?? persons, sensitivePersons: transfer.sensitivePersons ?? sensitivePersons };
}

/** Purposes are free text: compare them without case or surrounding blanks. */
export function samePurpose(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
