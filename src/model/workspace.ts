/**
 * The workspace format: an organisation's data inventory, recipients, transfers and approvals, as YAML
 * reviewed in git ("compliance as code"). This zod schema is the single definition: validation, the
 * published JSON Schema (`chujing schema`) and the TypeScript types all come from it.
 */
import { z } from 'zod';
import { isIsoDate } from './dates.js';
import { TEXT_ENCODINGS } from './encodings.js';

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
/** Ids go into URLs, ledger entries and file names: 200 characters is far more than any needs. */
export const MAX_ID_LENGTH = 200;

const id = (what: string) =>
  z
    .string()
    .regex(ID_PATTERN, { message: `${what} must start with a letter or digit and use only letters, digits, '.', '_', ':' or '-'` })
    .max(MAX_ID_LENGTH, { message: `${what} id is longer than ${MAX_ID_LENGTH} characters` })
    .describe(`Identifier of the ${what}: letters, digits, '.', '_', ':' and '-'.`);

export const isoDate = z
  .string()
  .refine(isIsoDate, { message: 'expected a calendar date YYYY-MM-DD' })
  .describe('A calendar date YYYY-MM-DD (a date in China).');

const count = (what: string) =>
  z.number().int({ message: `${what} must be a whole number` }).nonnegative({ message: `${what} must not be negative` });

/** SCOPE-2: the eight kinds of automobile data processor listed by the guidelines, plus `other`. */
export const PROCESSOR_TYPES = [
  'oem',
  'parts-supplier',
  'software-supplier',
  'telecom-operator',
  'autonomous-driving-provider',
  'platform-operator',
  'dealer',
  'maintenance',
  'mobility-service',
  'other',
] as const;

/** OUT-1..3: the three kinds of outbound transfer. */
export const TRANSFER_KINDS = ['transmit', 'remote-access', 'offshore-processing'] as const;

/** The exemptions a user may claim; each is checked against the facts, never trusted blindly. */
export const EXEMPTION_CLAIMS = [
  'trade-no-pi', // EXEMPT-1
  'foreign-transit', // EXEMPT-2
  'contract-necessity', // EXEMPT-3
  'hr-management', // EXEMPT-4
  'emergency', // EXEMPT-5
  'vulnerability-remediation', // EXEMPT-AUTO-1
  'security-incident', // EXEMPT-AUTO-2
  'defect-recall-ota', // EXEMPT-AUTO-3
] as const;
export type ExemptionClaimName = (typeof EXEMPTION_CLAIMS)[number];

export const DATA_LEVELS = ['core', 'important', 'general'] as const;
export const MECHANISMS = ['security-assessment', 'standard-contract', 'certification'] as const;
export const ANNOTATION_FORMATS = ['coco', 'kitti', 'yolo', 'voc', 'wider', 'ccpd', 'openalpr', 'csv'] as const;

const ftzSchema = z
  .object({
    zone: z.string().min(1).describe('Pilot free trade zone, e.g. beijing, tianjin, shanghai-lingang.'),
    list: id('negative list').describe('Id of the FTZ negative list that applies (a built-in list such as `beijing-ftz-2024` or one in `negativeLists`).'),
  })
  .strict();

const entitySchema = z
  .object({
    id: id('organisation'),
    name: z.string().min(1).describe('Legal name of the processor (the domestic legal entity, PROC-2).'),
    processorType: z.enum(PROCESSOR_TYPES).describe('Kind of automobile data processor (SCOPE-2).'),
    ciio: z.boolean().default(false).describe('Designated critical information infrastructure operator (PATH-SA-4).'),
    ftz: ftzSchema.nullable().default(null).describe('Registered in a pilot free trade zone with a negative list (EXEMPT-7, FTZ-1..5); null if not.'),
    group: z.string().min(1).optional().describe('Group this entity belongs to: used for consolidated filings (PROC-3) and the anti-splitting check (PATH-SC-3).'),
  })
  .strict();

const thresholdValue = z.union([z.number(), z.boolean()]);
export const COMPARATORS = ['>=', '>', '<=', '<', '==', '!='] as const;

const extraRuleSchema = z
  .object({
    id: id('rule').describe('Your own rule id, e.g. ORG-1. Must not clash with a pack rule.'),
    title: z.object({ en: z.string().min(1), zh: z.string().optional() }).strict(),
    fact: z.string().min(1).describe('Fact the rule tests (a dataset fact name, e.g. rawImageryHours).'),
    comparator: z.enum(COMPARATORS),
    threshold: thresholdValue,
    outcome: z.enum(['important', 'core']).default('important'),
    appliesTo: z
      .object({ scenarios: z.array(z.string()).optional(), dataTypes: z.array(z.string()).optional() })
      .strict()
      .optional()
      .describe('Restrict to these scenarios / data types; omitted = every dataset.'),
    source: z.string().min(1).describe('Where the rule comes from (internal policy number, regulator notice...).'),
    reason: z.string().min(1).describe('Why the organisation added it (shown in every report).'),
  })
  .strict();

const overridesSchema = z
  .object({
    thresholds: z
      .array(
        z
          .object({
            rule: z.string().min(1).describe('Rule id in a pack, e.g. DRAFT-J7.'),
            fact: z.string().min(1).optional().describe('Which condition of the rule, when it has several (e.g. rawImageryHours of DRAFT-J7).'),
            threshold: thresholdValue.optional(),
            comparator: z.enum(COMPARATORS).optional(),
            pack: z.string().optional().describe('Limit the override to one pack; omitted = every pack that has the rule.'),
            reason: z.string().min(1),
          })
          .strict(),
      )
      .default([]),
    promote: z
      .array(z.object({ rule: z.string().min(1), reason: z.string().min(1) }).strict())
      .default([])
      .describe('UNCONFIRMED (advisory) rules the organisation treats as binding.'),
    rules: z.array(extraRuleSchema).default([]).describe('Organisation-specific judgment rules.'),
  })
  .strict()
  .default({ thresholds: [], promote: [], rules: [] });

/**
 * Choices the regulation leaves open (regulation.md §12). Each default is the conservative reading the
 * spec names; every report shows the values in force.
 */
export const settingsSchema = z
  .object({
    sensitiveOverlap: z
      .enum(['count-in-both', 'sensitive-only'])
      .default('count-in-both')
      .describe('Q-1 / CNT-3: a person with sensitive PI also counts in the non-sensitive counter (count-in-both, conservative) or only in the sensitive one.'),
    countExemptTransfers: z
      .boolean()
      .default(false)
      .describe('Q-2 / CNT-6: whether persons sent under EXEMPT-1..5/7 and the automobile exemptions count toward the year-to-date totals. Both totals are always reported.'),
    autoExemptionForImportantData: z
      .enum(['by-pack', 'security-assessment', 'exempt'])
      .default('by-pack')
      .describe('Q-3 / EXEMPT-AUTO-4 / UPD-2: whether a supported automobile exemption (vulnerability, incident, recall) also exempts important data of its kind. by-pack: yes under cn-auto@2026 (UPD-2), no under the draft; always flagged for legal review.'),
    auto21OutsideImagery: z
      .enum(['guideline-thresholds', 'any-face-or-plate'])
      .default('guideline-thresholds')
      .describe('IMP-A21-4 under the guideline packs: outside-vehicle imagery is important data when its faces/plates reach the guidelines\' pixel thresholds (DRAFT-J6; guideline-thresholds), or whenever it contains any face or plate (any-face-or-plate, the 2021 text read literally). Before the guidelines the 2021 text applies as written.'),
    auto21PersonsAsImportant: z
      .enum(['advisory', 'important'])
      .default('advisory')
      .describe('Q-4: whether IMP-A21-5 (PI of more than 100,000 persons = important data, 2021 rule) makes data important, or is only shown as an advisory for legal review.'),
    splittingCheck: z
      .enum(['group-same-scenario', 'group', 'off'])
      .default('group-same-scenario')
      .describe('PATH-SC-3 / CNT-5: when two or more entities of a group send PI of the same kind in a year and together reach a higher band, every part needs the aggregate\'s mechanism. group-same-scenario: same business scenario (normalised across pack versions; uncatalogued data is one kind); group: all of the group\'s PI, whatever its label; off: per entity only.'),
    boxMeasure: z
      .enum(['min-side', 'max-side'])
      .default('min-side')
      .describe('Q-5: which side of a face/plate bounding box is compared with the pixel threshold. min-side follows the seed text (DRAFT-J6); max-side is stricter.'),
    detectorReviewBand: z
      .number()
      .gt(0)
      .max(1)
      .default(0.7)
      .describe('Q-14: measured from pixels (scan images / scan video), a largest face or plate box at or above this fraction of its threshold but below it is not "below": the detectors\' boxes are estimates (docs/evidence.md, Accuracy). 0.7 by default; 1 turns the band off.'),
    detectorNearThreshold: z
      .enum(['needs-review', 'important'])
      .default('needs-review')
      .describe('Q-14: a detector box within the review band is a legal-review finding (needs-review: assess exits 1 until a person confirms it on the evidence entry or annotations are supplied) or is treated as reaching the threshold (important).'),
    logRetentionYears: z.number().int().min(3).default(3).describe('SEC-LOG-1: ledger retention in years (at least 3).'),
    hmacKeyEnv: z
      .string()
      .default('CHUJING_HMAC_KEY')
      .describe('Environment variable holding the organisation\'s secret key for hashing identifiers (HMAC-SHA-256). The key itself never goes in the workspace.'),
  })
  .strict()
  .prefault({});

/** `images` and `video` evidence: files measured with the face and plate detectors (docs/evidence.md). */
function imageryEvidence<K extends 'images' | 'video'>(kind: K) {
  return z
    .object({
      kind: z.literal(kind),
      path: z.string().min(1).describe('Image or video file, or a folder of them, relative to the workspace file (measured with the face and plate detectors; docs/evidence.md).'),
      fps: z.number().positive().max(60).optional().describe('video: frames per second of video measured (default 1).'),
      keyframes: z.boolean().optional().describe('video: measure keyframes only.'),
      exhaustive: z.boolean().optional().describe('video: decode every sampled frame even after both thresholds are reached.'),
      confirmed: z
        .object({
          faces: z.enum(['below', 'reached']).optional(),
          plates: z.enum(['below', 'reached']).optional(),
          by: z.string().min(1),
          date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
          note: z.string().optional(),
        })
        .strict()
        .optional()
        .describe('A person looked at the files listed by `scan images --list` and confirms whether the largest real face / plate reaches the threshold (answers a needs-review finding).'),
    })
    .strict();
}

const evidenceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('annotations'),
      path: z.string().min(1).describe('File or folder, relative to the workspace file.'),
      format: z.enum(ANNOTATION_FORMATS),
      classes: z
        .object({ face: z.array(z.string()).optional(), plate: z.array(z.string()).optional() })
        .strict()
        .optional()
        .describe('Which class names count as a face and as a licence plate (defaults per format).'),
      options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe('Format options (csv column mapping, yolo sizes file...).'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('manifest'),
      path: z.string().min(1),
      format: z.enum(['csv', 'jsonl']).optional().describe('Default: from the file extension.'),
      columns: z.record(z.string(), z.string()).optional().describe('Map of identifier category to column name (vin, iccid, imsi, personId, phone, sensitive, charging; docs/evidence.md).'),
      encoding: z.enum(TEXT_ENCODINGS).optional().describe('Text encoding (default: a BOM, else UTF-8, else GB18030 when the header row decodes into known column names).'),
    })
    .strict(),
  imageryEvidence('images'),
  imageryEvidence('video'),
  z
    .object({
      kind: z.literal('drivelog'),
      path: z.string().min(1),
      format: z.enum(['csv', 'jsonl']).optional(),
      columns: z.record(z.string(), z.string()).optional(),
      encoding: z.enum(TEXT_ENCODINGS).optional(),
    })
    .strict(),
]);

const personalInfoSchema = z
  .object({
    persons: count('persons').default(0).describe('Distinct natural persons whose PI is in the dataset (CNT-1), including those with sensitive PI.'),
    sensitivePersons: count('sensitivePersons').default(0).describe('Distinct persons whose sensitive PI is in the dataset (PI-4: biometrics, trajectories, in-cabin images...).'),
    chargingConsumptionPersons: count('chargingConsumptionPersons').default(0).describe('Distinct persons whose charging consumption data is in the dataset (DRAFT-J12).'),
    categories: z.array(z.string().min(1)).default([]).describe('PI categories, e.g. name, phone, trajectory, face-image (PI-2 notice).'),
    subjects: z
      .array(z.enum(['customers', 'drivers', 'passengers', 'pedestrians', 'employees', 'other']))
      .default([])
      .describe('Whose PI it is; hr-management (EXEMPT-4) requires employees only.'),
  })
  .strict()
  .prefault({});

const datasetSchema = z
  .object({
    id: id('dataset'),
    name: z.string().min(1),
    scenario: z.string().min(1).describe('Business scenario from the rule pack (e.g. driving-automation), or `other` for data outside the catalogue.'),
    dataType: z.string().min(1).describe('Data type of the scenario (e.g. algorithm-training-data); free text when scenario is `other`.'),
    level: z.enum(DATA_LEVELS).nullable().default(null).describe('Declared level. core => prohibited; important => security assessment; general does not lower a measured finding.'),
    origin: z.enum(['domestic', 'foreign']).default('domestic').describe('foreign: collected abroad and only processed in China (EXEMPT-2).'),
    anonymised: z.boolean().default(false).describe('Irreversibly anonymised (AUTO-4): anonymised data is not PI, so its persons do not count toward the year-to-date totals. A claim that measurements contradict (faces/plates at the thresholds, identifiers in a manifest) is reported and not honoured.'),
    facts: z
      .record(z.string(), z.union([z.number().nonnegative({ message: 'a fact must not be negative' }), z.boolean()]))
      .default({})
      .describe('Declared facts named as in regulation.md §4.4 (rawImageryHours, distinctVehicles, maxFaceBoxMinSidePx...; `chujing schema` lists them with their types). Evidence replaces them with measured values. Organisation rules may test their own facts named x-…'),
    evidence: z.array(evidenceSchema).default([]).describe('Files to measure the facts from.'),
    personalInfo: personalInfoSchema,
    negativeListItems: z.array(z.string()).default([]).describe('FTZ negative-list items this dataset is on (list-item ids), when known.'),
    positiveListItems: z.array(z.string()).default([]).describe('FTZ positive-list items (e.g. Shanghai Lingang LG-ICV-2) this dataset falls under; their conditions are checked against its facts.'),
    description: z.string().optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.personalInfo.sensitivePersons > d.personalInfo.persons) {
      ctx.addIssue({
        code: 'custom',
        path: ['personalInfo', 'sensitivePersons'],
        message: `sensitivePersons (${d.personalInfo.sensitivePersons}) is more than persons (${d.personalInfo.persons}); persons counts everyone, sensitive or not`,
      });
    }
  });

const recipientSchema = z
  .object({
    id: id('recipient'),
    name: z.string().min(1),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, { message: 'expected an ISO 3166-1 alpha-2 country code such as DE' })
      .describe('ISO 3166-1 alpha-2 code. HK, MO and TW are treated as outbound (OUT-4).'),
    storageCountry: z.string().regex(/^[A-Z]{2}$/).optional().describe('Where the recipient stores the data, if not `country` (SC-5 change detection).'),
    affiliate: z.boolean().default(false).describe('Part of the same group (intra-group transfer).'),
  })
  .strict();

const exemptionClaimSchema = z.union([
  z.enum(EXEMPTION_CLAIMS),
  z
    .object({
      claim: z.enum(EXEMPTION_CLAIMS),
      basis: z.string().min(1).optional().describe('Why it applies (the contract, the emergency, the labour rules...).'),
      reference: z.string().min(1).optional().describe('Reference of the prior report or filing (vulnerability report to MIIT, incident report, recall filing).'),
      activity: z
        .enum(['international-trade', 'cross-border-transport', 'academic-cooperation', 'transnational-manufacturing', 'transnational-marketing'])
        .optional()
        .describe('For trade-no-pi (EXEMPT-1): which listed activity (without one, data with no PI and no important data is FREE-1).'),
      datasets: z
        .array(z.string().min(1))
        .optional()
        .describe('The datasets of the transfer the claim is about (default: all of them). The others are judged normally.'),
    })
    .strict(),
]);

const transferSchema = z
  .object({
    id: id('transfer'),
    date: isoDate.describe('Date of the transfer (planned or executed).'),
    organization: z.string().optional().describe('Entity that sends (an organization or affiliate id); default: the main organization.'),
    kind: z.enum(TRANSFER_KINDS).default('transmit'),
    datasets: z.array(z.string().min(1)).min(1, { message: 'a transfer must name at least one dataset' }),
    recipient: z.string().min(1),
    purpose: z.string().min(1),
    exemptionClaims: z.array(exemptionClaimSchema).default([]),
    persons: count('persons').optional().describe('Distinct persons in this transfer, if fewer than the datasets hold (default: sum over the datasets).'),
    sensitivePersons: count('sensitivePersons').optional(),
    chargingConsumptionPersons: count('chargingConsumptionPersons').optional(),
    channel: z.string().optional().describe('How the data leaves (sftp, api, remote desktop...).'),
    retentionAbroadMonths: z.number().int().positive().optional().describe('How long the recipient keeps the data (SA-5/SC-5 change detection).'),
    status: z.enum(['planned', 'executed']).default('planned'),
    rulePack: z.string().optional().describe('Pin the automobile rule pack for this transfer.'),
  })
  .strict();

const scopeSchema = z
  .object({
    organizations: z.array(z.string()).optional().describe('Entities covered (group approvals cover several); default: the main organization.'),
    datasets: z.array(z.string()).optional(),
    dataTypes: z.array(z.string()).optional(),
    recipients: z.array(z.string()).optional(),
    countries: z.array(z.string()).optional(),
    purposes: z.array(z.string()).optional(),
    maxPersons: count('maxPersons').optional().describe('Largest number of persons per year covered.'),
    maxSensitivePersons: count('maxSensitivePersons').optional(),
    storageCountries: z.array(z.string()).optional(),
    retentionAbroadMonths: z.number().int().positive().optional(),
  })
  .strict()
  .prefault({});

const approvalSchema = z
  .object({
    id: id('approval'),
    mechanism: z.enum(MECHANISMS),
    reference: z.string().optional().describe('Number of the CAC result, filing or certificate.'),
    status: z.enum(['applied', 'approved', 'filed', 'certified', 'rejected', 'revoked', 'expired']).default('approved'),
    applied: isoDate.optional().describe('Date applied / declared.'),
    issued: isoDate.optional().describe('Security assessment: date the result was issued (validity runs from it, SA-4). Certification: date the certificate was issued (CERT-4).'),
    signed: isoDate.optional().describe('Standard contract: date the contract was signed (it cannot take effect before, HIST-4).'),
    effective: isoDate.optional().describe('Standard contract: date the contract took effect (filing due within 10 working days, SC-2).'),
    filed: isoDate.optional().describe('Standard contract: date filed with the provincial CAC.'),
    answered: isoDate
      .optional()
      .describe('Standard contract: date the provincial CAC answered the filing (SC-3 expects an answer within 15 working days of filing).'),
    renews: id('approval')
      .optional()
      .describe('Id of the earlier approval this one renews or replaces: a certificate re-applied for before expiry (CERT-4), a new security assessment or filing after a change of scope (SA-5, SC-5). Marks the earlier one\'s renewal as done.'),
    expires: isoDate.optional().describe('Explicit expiry, overriding the computed one (e.g. a contract term).'),
    extensions: z
      .array(z.object({ applied: isoDate, granted: isoDate.optional() }).strict())
      .default([])
      .describe('SA-6 extensions: each granted one adds 3 years.'),
    group: z.string().optional().describe('Group (joint) approval for several entities of one group (PROC-3, QA-3).'),
    covers: scopeSchema,
  })
  .strict();

const listConditionSchema = z
  .object({ fact: z.string().min(1), comparator: z.enum(COMPARATORS), threshold: thresholdValue })
  .strict()
  .describe('A fact test; an absent fact counts as 0 / false.');

const negativeListItemSchema = z
  .object({
    id: id('list item'),
    title: z.object({ en: z.string().min(1), zh: z.string().optional() }).strict(),
    match: z
      .object({
        scenarios: z.array(z.string()).optional(),
        dataTypes: z.array(z.string()).optional(),
        facts: z.array(z.string()).optional().describe('Any of these facts true / above zero puts the data on the list.'),
      })
      .strict()
      .default({}),
    requires: z.array(listConditionSchema).default([]).describe('Positive lists: conditions the data must meet for the item to apply (all of them).'),
    mechanism: z
      .enum(MECHANISMS)
      .default('security-assessment')
      .describe('Negative lists: the mechanism data on this item needs (security-assessment, or standard-contract / certification for PI items), FTZ-1.'),
  })
  .strict();

export const negativeListSchema = z
  .object({
    id: id('negative list'),
    kind: z.enum(['negative', 'positive']).default('negative').describe('negative: listed data needs the item\'s mechanism, other data is exempt (EXEMPT-7); positive: listed data meeting the conditions is exempt, other data follows the national rules.'),
    zone: z.string().min(1),
    name: z.string().min(1),
    source: z.string().min(1),
    confidence: z.enum(['confirmed', 'recalled', 'UNCONFIRMED']).default('UNCONFIRMED'),
    excludesCiio: z.boolean().default(false).describe('The list does not apply to critical information infrastructure operators.'),
    fillable: z.boolean().default(false).describe('Built-in lists whose items the user supplies (Chongqing, Fujian).'),
    items: z.array(negativeListItemSchema).min(1),
  })
  .strict();

/**
 * SEC-ER-1 and the security checklist (regulation.md §7): what the organisation attests about the
 * protection requirements chujing cannot see (a data-security officer appointed, encryption in
 * transit…), and the outbound data-security incidents it had. Optional; `chujing report
 * security-checklist` shows each requirement with its attestations and the incidents. Statements are
 * free text for people: never put identity numbers or phone numbers in them.
 */
export const SECURITY_REQUIREMENTS = ['SEC-MGT-1', 'SEC-MGT-2', 'SEC-TECH-1', 'SEC-TECH-2', 'SEC-TECH-3', 'SEC-LOG-1', 'SEC-ER-1'] as const;
export const INCIDENT_KINDS = ['leak', 'tampering', 'destruction', 'loss', 'illegal-access', 'other'] as const;

export const securitySchema = z
  .object({
    attestations: z
      .array(
        z
          .object({
            requirement: z.enum(SECURITY_REQUIREMENTS).describe('The protection requirement attested (regulation.md §7).'),
            statement: z.string().min(1).describe('What the organisation attests, in its own words.'),
            by: z.string().min(1).describe('The role or office that attests (e.g. data-security officer), not a person\'s identity.'),
            date: isoDate.describe('Date of the attestation.'),
            reference: z.string().min(1).optional().describe('Internal document holding the evidence (policy number, audit report).'),
          })
          .strict(),
      )
      .default([]),
    incidents: z
      .array(
        z
          .object({
            id: id('incident'),
            date: isoDate.describe('Date the incident was discovered.'),
            kind: z.enum(INCIDENT_KINDS),
            summary: z.string().min(1).describe('What happened, to which data (characteristics, never the data itself).'),
            transfers: z.array(z.string()).default([]).describe('Transfers concerned (ids).'),
            datasets: z.array(z.string()).default([]).describe('Datasets concerned (ids).'),
            reportedTo: z.string().min(1).optional().describe('Authority the incident was reported to.'),
            reportedOn: isoDate.optional(),
            reference: z.string().min(1).optional().describe('Reference of the report.'),
            individualsNotified: z.boolean().optional().describe('Whether the individuals concerned were notified.'),
            closed: isoDate.optional().describe('Date the incident was closed.'),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()
  .prefault({});

export const workspaceSchema = z
  .object({
    version: z.literal(1).describe('Workspace format version.'),
    include: z.array(z.string()).optional().describe('Glob patterns of further YAML files (relative to this file) whose lists are merged in.'),
    organization: entitySchema,
    affiliates: z.array(entitySchema).default([]).describe('Other entities of the group whose transfers this workspace also records (PATH-SC-3, PROC-3).'),
    rulePack: z.string().optional().describe('Pin the automobile rule pack (e.g. cn-auto@2025-draft); default: the pack in force on each transfer\'s date.'),
    settings: settingsSchema,
    overrides: overridesSchema,
    negativeLists: z.array(negativeListSchema).default([]),
    datasets: z.array(datasetSchema).default([]),
    recipients: z.array(recipientSchema).default([]),
    transfers: z.array(transferSchema).default([]),
    approvals: z.array(approvalSchema).default([]),
    security: securitySchema.describe('Attestations of the protection requirements and outbound data-security incidents (SEC-*, SEC-ER-1).'),
  })
  .strict();

export type Workspace = z.infer<typeof workspaceSchema>;
export type WorkspaceInput = z.input<typeof workspaceSchema>;
export type Entity = z.infer<typeof entitySchema>;
export type Dataset = z.infer<typeof datasetSchema>;
export type Recipient = z.infer<typeof recipientSchema>;
export type Transfer = z.infer<typeof transferSchema>;
export type Approval = z.infer<typeof approvalSchema>;
export type ApprovalScope = z.infer<typeof scopeSchema>;
export type Settings = z.infer<typeof settingsSchema>;
export type Overrides = z.infer<typeof overridesSchema>;
export type ExtraRule = z.infer<typeof extraRuleSchema>;
export type EvidenceEntry = z.infer<typeof evidenceSchema>;
export type NegativeList = z.infer<typeof negativeListSchema>;
export type ExemptionClaim = z.infer<typeof exemptionClaimSchema>;
export type Mechanism = (typeof MECHANISMS)[number];
export type Security = z.infer<typeof securitySchema>;

export function claimName(claim: ExemptionClaim): ExemptionClaimName {
  return typeof claim === 'string' ? claim : claim.claim;
}

/** The list-valued top-level keys that `include:` files may contribute to. */
export const MERGEABLE_KEYS = ['datasets', 'recipients', 'transfers', 'approvals', 'affiliates', 'negativeLists'] as const;
