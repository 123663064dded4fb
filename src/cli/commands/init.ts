/** `chujing init [DIR]`: write a commented starter workspace that validates and assesses as it is. */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ChujingError } from '../../errors.js';
import { WORKSPACE_FILE } from '../../model/workspace-file.js';
import type { CliContext } from '../context.js';

export const STARTER_WORKSPACE = `# chujing workspace — compliance as code. Run \`chujing schema\` for every field,
# \`chujing validate\` to check this file, \`chujing assess\` to get the paths.
version: 1

organization:
  id: my-company                # short id, used in transfers and approvals
  name: My Automotive (China) Co., Ltd.
  processorType: oem            # oem | parts-supplier | software-supplier | telecom-operator |
                                # autonomous-driving-provider | platform-operator | dealer |
                                # maintenance | mobility-service | other      (SCOPE-2)
  ciio: false                   # designated critical information infrastructure operator (PATH-SA-4)
  ftz: null                     # or { zone: beijing, list: beijing-ftz-2024 }  (EXEMPT-7, FTZ-3)

# rulePack: cn-auto@2026      # pin a pack; default: the pack in force on each transfer's date

settings:                       # open questions of the regulation, conservative defaults (shown in every report)
  sensitiveOverlap: count-in-both        # Q-1
  countExemptTransfers: false            # Q-2 / CNT-6
  autoExemptionForImportantData: security-assessment   # Q-3
  auto21PersonsAsImportant: advisory     # Q-4
  boxMeasure: min-side                   # Q-5
  hmacKeyEnv: CHUJING_HMAC_KEY           # where the secret for hashing identifiers is read from

datasets:
  - id: crm-buyers
    name: Car buyers in the CRM (name, phone)
    scenario: other             # a catalogue scenario (chujing rules) or other
    dataType: customer-records
    personalInfo:
      persons: 50000            # distinct persons (CNT-1)
      sensitivePersons: 0
      categories: [name, phone]
      subjects: [customers]

  - id: road-test-video
    name: Outside-vehicle road-test video
    scenario: driving-automation
    dataType: algorithm-training-data
    facts:                      # declared facts (regulation.md §4.4); evidence files replace them
      rawImageryHours: 1200
      distinctVehicles: 40
      maxFaceBoxMinSidePx: 20
      maxPlateBoxMinSidePx: 12
    # evidence:
    #   - { kind: annotations, path: data/labels.json, format: coco }

recipients:
  - id: hq
    name: Overseas headquarters
    country: DE

transfers:
  - id: t-001
    date: 2026-03-01
    kind: transmit              # transmit | remote-access | offshore-processing  (OUT-1..3)
    datasets: [crm-buyers]
    recipient: hq
    purpose: global CRM
    exemptionClaims: []         # e.g. [contract-necessity] with a basis; checked against the facts

approvals: []                   # security-assessment | standard-contract | certification
`;

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description(`write a commented starter ${WORKSPACE_FILE}`)
    .argument('[dir]', 'folder to create it in', '.')
    .option('--force', 'overwrite an existing file')
    .action((dir: string, opts: { force?: boolean }) => {
      const folder = resolve(ctx.cwd, dir);
      const file = join(folder, WORKSPACE_FILE);
      if (existsSync(file) && !opts.force) {
        throw new ChujingError('bad-input', `${file} already exists`, [{ file, message: 'refusing to overwrite', expected: 'another folder, or --force' }]);
      }
      mkdirSync(folder, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, STARTER_WORKSPACE);
      renameSync(tmp, file);
      ctx.stdout.write(ctx.lang() === 'zh' ? `已创建 ${file}。下一步：chujing assess ${dir}\n` : `wrote ${file}. Next: chujing assess ${dir}\n`);
    });
}
