/**
 * Validating a parsed workspace against the format (workspaceSchema), with bounded memory for large
 * transfer lists: zod builds a validated copy of everything it checks, so validating a million transfers
 * at once holds the parsed and the validated copies together (measured: 870 bytes per transfer at the
 * peak, 630 parsed + 480 validated, strings shared). Here the transfers are validated one by one and
 * each parsed transfer is let go as soon as its copy is made. The issues are the same, in the same order,
 * as one `safeParse` of the whole (src/model/validate.test.ts compares them); when the transfer list's
 * schema is anything but a plain array of transfers with a default, the whole is validated at once.
 */
import { z } from 'zod';
import { workspaceSchema, type Workspace } from './workspace.js';

/** Below this many transfers the saving is not worth a second code path. */
export const PIECEWISE_FROM = 10_000;

type Result = { success: true; data: Workspace } | { success: false; error: z.ZodError };

/** The transfer schema, when `transfers` is exactly `z.array(transferSchema).default([])` without checks. */
function plainTransferElement(): z.ZodType | undefined {
  const field = workspaceSchema.shape.transfers as unknown as z.ZodType;
  if (!(field instanceof z.ZodDefault)) return undefined;
  const inner = field.unwrap() as z.ZodType;
  if (!(inner instanceof z.ZodArray) || (inner._zod.def.checks?.length ?? 0) > 0) return undefined;
  return inner.element as z.ZodType;
}

export function validateWorkspace(input: Record<string, unknown>, piecewiseFrom = PIECEWISE_FROM): Result {
  const raw = input.transfers;
  const element = Array.isArray(raw) && raw.length >= piecewiseFrom ? plainTransferElement() : undefined;
  if (!element || !Array.isArray(raw)) return workspaceSchema.safeParse(input) as Result;

  const head = workspaceSchema.safeParse({ ...input, transfers: [] });
  const transfers: unknown[] = new Array(raw.length);
  const transferIssues: z.core.$ZodIssue[] = [];
  for (let i = 0; i < raw.length; i++) {
    const r = element.safeParse(raw[i]);
    if (r.success) transfers[i] = r.data;
    else for (const issue of r.error.issues) transferIssues.push({ ...issue, path: ['transfers', i, ...issue.path] });
    // The parsed transfer is no longer needed (the caller's copy of the list is dropped with it).
    raw[i] = undefined;
  }
  if (head.success && transferIssues.length === 0) {
    (head.data as { transfers: unknown[] }).transfers = transfers;
    return { success: true, data: head.data };
  }
  // zod reports an object's fields in the order of its shape, then the object's own issues (unknown keys).
  const keys = Object.keys(workspaceSchema.shape);
  const at = keys.indexOf('transfers');
  const headIssues = head.success ? [] : head.error.issues;
  const rank = (issue: z.core.$ZodIssue) => (issue.path.length === 0 ? keys.length : keys.indexOf(String(issue.path[0])));
  const before = headIssues.filter((i) => rank(i) < at);
  const after = headIssues.filter((i) => rank(i) > at);
  return { success: false, error: new z.ZodError([...before, ...transferIssues, ...after]) };
}
