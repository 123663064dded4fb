/**
 * Request and answer schemas of the API. Workspace entries (datasets, recipients, transfers, approvals)
 * are the workspace format's own zod schemas — the ones `chujing validate` and `chujing schema` use — so
 * a form, the YAML and the API accept exactly the same things. The decision request takes its transfer
 * fields from the workspace transfer schema.
 */
import { z } from 'zod';
import { normaliseTime } from '../ledger/index.js';
import { isIsoDate } from '../model/dates.js';
import { ID_PATTERN, MAX_ID_LENGTH, workspaceSchema } from '../model/workspace.js';

/** The workspace's list schemas, one entry each. */
export const ENTRY_SCHEMAS = {
  datasets: workspaceSchema.shape.datasets.unwrap().element,
  recipients: workspaceSchema.shape.recipients.unwrap().element,
  transfers: workspaceSchema.shape.transfers.unwrap().element,
  approvals: workspaceSchema.shape.approvals.unwrap().element,
} as const;
export type Collection = keyof typeof ENTRY_SCHEMAS;
export const COLLECTIONS = Object.keys(ENTRY_SCHEMAS) as Collection[];

const transferFields = ENTRY_SCHEMAS.transfers;

export const idParam = z.string().regex(ID_PATTERN, { message: "an id uses letters, digits, '.', '_', ':' and '-'" }).max(200);

const hex64 = z.string().regex(/^[0-9a-f]{64}$/i, { message: 'a keyed hash: 64 hexadecimal digits (HMAC-SHA-256 under the organisation key)' });

export const MAX_HASHES = 100_000;

export const personHashesSchema = z
  .object({
    persons: z.array(hex64).max(MAX_HASHES).optional().describe('Keyed hashes of every person whose PI is sent.'),
    sensitivePersons: z.array(hex64).max(MAX_HASHES).optional().describe('Of the persons, those whose sensitive PI is sent (they count as persons too).'),
    chargingConsumptionPersons: z.array(hex64).max(MAX_HASHES).optional().describe('Of the persons, those whose charging consumption data is sent (DRAFT-J12).'),
    vehicles: z.array(hex64).max(MAX_HASHES).optional().describe('Keyed hashes of the vehicles (VINs) whose data is sent.'),
  })
  .strict()
  .describe(
    'HMAC-SHA-256 hashes (hex) of the identifiers, made with the organisation key exactly as `chujing` makes them (src/evidence/keyed-hash.ts: HMAC of "category:normalised value"). Never the identifiers themselves. With hashes the decision counts exactly the persons the ledger has not yet seen this year.',
  );

const time = z
  .string()
  .refine((v) => normaliseTime(v) !== null, { message: 'expected a date YYYY-MM-DD (in China) or a date-time with its offset, e.g. 2026-10-01T09:30:00+08:00' })
  .describe('When the transfer goes: a date-time with its offset, or a date (in China). Default: now.');

const count = z.number().int().nonnegative().max(2_000_000_000);

export const decisionRequestSchema = transferFields
  .pick({ organization: true, persons: true, sensitivePersons: true, chargingConsumptionPersons: true, channel: true, retentionAbroadMonths: true })
  .extend({
    transfer: z
      .string()
      .min(1)
      .max(MAX_ID_LENGTH)
      .optional()
      .describe('A transfer the workspace declares: judge it as it goes now (its datasets, recipient, purpose... come from the workspace), and record its execution under its own id, so `assess` sees it as executed.'),
    datasets: transferFields.shape.datasets.optional(),
    recipient: transferFields.shape.recipient.optional(),
    purpose: transferFields.shape.purpose.optional(),
    kind: transferFields.shape.kind.unwrap().optional().describe('Default transmit.'),
    exemptionClaims: transferFields.shape.exemptionClaims.unwrap().optional(),
    time: time.optional(),
    hashes: personHashesSchema.optional(),
    execute: z.boolean().default(false).describe('When allowed, also record the transfer in the ledger, atomically with the decision (the egress point sends only after a 2xx).'),
    idempotencyKey: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\x21-\x7e]+$/, { message: 'printable ASCII without spaces' })
      .optional()
      .describe('The same key from the same caller returns the first answer instead of deciding (and recording) again.'),
    records: count.optional().describe('Records sent (for the ledger).'),
    bytes: count.optional().describe('Bytes sent (for the ledger).'),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.transfer !== undefined) {
      for (const f of ['organization', 'datasets', 'recipient', 'purpose', 'kind', 'exemptionClaims', 'channel', 'retentionAbroadMonths'] as const) {
        if (r[f] !== undefined) ctx.addIssue({ code: 'custom', path: [f], message: `comes from the workspace transfer ${r.transfer}; do not send it` });
      }
    } else {
      for (const f of ['datasets', 'recipient', 'purpose'] as const) if (r[f] === undefined) ctx.addIssue({ code: 'custom', path: [f], message: 'required field is missing (or name a workspace transfer in `transfer`)' });
    }
    const counts = r.persons !== undefined || r.sensitivePersons !== undefined || r.chargingConsumptionPersons !== undefined;
    if (counts && r.hashes) ctx.addIssue({ code: 'custom', path: ['hashes'], message: 'give either counts (persons, sensitivePersons, chargingConsumptionPersons) or keyed hashes, not both' });
    const persons = r.persons ?? 0;
    if (r.persons !== undefined && (r.sensitivePersons ?? 0) > persons) ctx.addIssue({ code: 'custom', path: ['sensitivePersons'], message: `sensitivePersons (${r.sensitivePersons}) is more than persons (${persons}); persons counts everyone, sensitive or not` });
    if (r.persons !== undefined && (r.chargingConsumptionPersons ?? 0) > persons) ctx.addIssue({ code: 'custom', path: ['chargingConsumptionPersons'], message: `chargingConsumptionPersons (${r.chargingConsumptionPersons}) is more than persons (${persons})` });
  })
  .describe('May this transfer go now? The transfer fields are those of a workspace transfer (`chujing schema`), or `transfer` names one the workspace declares.');
export type DecisionRequest = z.infer<typeof decisionRequestSchema>;

export const executionRequestSchema = z
  .object({
    decision: z.string().min(1).max(200).describe('The id of an allowing decision.'),
    time: time.optional().describe("When it was sent (default: the decision's transfer time)."),
    hashes: personHashesSchema.optional().describe('The same keyed hashes the decision was asked with (checked against its digest).'),
    records: count.optional(),
    bytes: count.optional(),
  })
  .strict();
export type ExecutionRequest = z.infer<typeof executionRequestSchema>;

export const asOfQuery = z
  .string()
  .refine(isIsoDate, { message: 'expected a calendar date YYYY-MM-DD' })
  .optional()
  .describe('The date to judge as of (default: today in China).');

const boolQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const assessmentQuery = z
  .object({
    asOf: asOfQuery,
    evidence: boolQuery.describe('Measure the evidence files (default true; false = --no-evidence).'),
    ledger: boolQuery.describe("Start the counters from the ledger (default true; false = --no-ledger)."),
  })
  .strict();

export const statusQuery = z
  .object({
    asOf: asOfQuery,
    soon: z
      .string()
      .regex(/^\d{1,4}$/, { message: 'a whole number of days' })
      .transform(Number)
      .optional()
      .describe('Approvals expiring within this many days are listed as expiring soon (default 90).'),
  })
  .strict();

export const statsQuery = z
  .object({
    year: z.string().regex(/^\d{4}$/, { message: 'a year, e.g. 2026' }).transform(Number).optional(),
    organization: z.string().min(1).max(MAX_ID_LENGTH).optional(),
  })
  .strict();

export const listQuery = z
  .object({
    limit: z.string().regex(/^\d{1,4}$/, { message: 'a number from 1 to 1000' }).transform(Number).refine((n) => n >= 1 && n <= 1000, { message: 'a number from 1 to 1000' }).optional(),
    before: z.string().regex(/^\d{1,18}$/, { message: 'a decision sequence number' }).transform(Number).optional(),
    result: z.enum(['allow', 'deny']).optional(),
  })
  .strict();

/** Loosely described documents whose exact shape is the CLI's (docs/assess-json.md, docs/lifecycle.md). */
export const assessmentResponse = z
  .looseObject({ asOf: z.string(), datasets: z.array(z.looseObject({ id: z.string() })), transfers: z.array(z.looseObject({ id: z.string(), path: z.string(), covered: z.boolean() })) })
  .describe('Exactly what `chujing assess --json` prints (docs/assess-json.md).');
export const statusResponse = z.looseObject({ schema: z.string(), asOf: z.string() }).describe('Exactly what `chujing status --json` prints (docs/lifecycle.md).');

const message = z.unknown().describe('A message: {code, params, text}.');

export const decisionResponse = z
  .object({
    schema: z.literal('chujing.decision/1'),
    id: z.string(),
    decidedAt: z.string(),
    caller: z.string(),
    result: z.enum(['allow', 'deny']),
    path: z.enum(['security-assessment', 'standard-contract-or-certification', 'exempt', 'prohibited']),
    exemption: z.string().nullable(),
    coveredBy: z.string().nullable(),
    approval: z.object({ id: z.string(), mechanism: z.string(), reference: z.string().nullable(), status: z.string() }).nullable(),
    rules: z.array(z.string()),
    packs: z.array(z.looseObject({ id: z.string() })),
    reasons: z.array(message).describe('What decided, and what a person can do about it.'),
    volume: z.looseObject({ basis: z.enum(['hashes', 'declared', 'datasets']) }),
    yearToDate: z.looseObject({ persons: z.number(), sensitivePersons: z.number() }),
    request: z.looseObject({ organization: z.string(), datasets: z.array(z.string()), recipient: z.string(), date: z.string() }),
    transfer: z.looseObject({ path: z.string() }).describe("The engine's full result for the transfer (as in assess --json transfers[])."),
    workspaceRevision: z.string(),
    execution: z.looseObject({ status: z.string(), organization: z.string(), seq: z.number() }).nullable(),
  })
  .describe('One decision, as answered and as kept in the decision log.');

/**
 * The decision as a gateway needs it to act (src/server/least-privilege.ts): allow or deny, the decision
 * id, the path, the reasons as message codes, the workspace revision and the execution — no year-to-date
 * counts, approval references or texts (those stay in the log, for GET /v1/decisions/{id}). A gateway token
 * always gets this; any caller gets it with `Prefer: return=minimal`. Serialised by a serialiser compiled
 * once from this schema (http.ts).
 */
export const decisionGatewayResponse = z
  .object({
    schema: z.literal('chujing.decision.gateway/1'),
    id: z.string(),
    decidedAt: z.string(),
    result: z.enum(['allow', 'deny']),
    path: z.enum(['security-assessment', 'standard-contract-or-certification', 'exempt', 'prohibited']),
    reasons: z.array(z.string()).describe('What decided, as message codes (docs/server.md), most important first; the texts are in GET /v1/decisions/{id}.'),
    workspaceRevision: z.string(),
    execution: z.object({ status: z.string(), seq: z.number(), entry: z.string() }).nullable(),
  })
  .strict()
  .describe('One decision as a gateway sees it (chujing.decision.gateway/1).');
