/** `chujing validate [WORKSPACE]`: check a workspace (format and references) without assessing it. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { badInput } from '../../errors.js';
import { msg, t, toJson } from '../../i18n/index.js';
import { loadWorkspace } from '../../model/load.js';
import { checkReferences } from '../../model/references.js';
import type { CliContext } from '../context.js';

export const VALIDATE_SCHEMA = 'chujing.validate/1';

export function registerValidate(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('check a workspace: YAML, fields, references between datasets, transfers, recipients and approvals')
    .argument('[workspace]', 'workspace file or folder', '.')
    .option('--json', 'print the result as JSON (chujing.validate/1); errors too are JSON, on stdout')
    .action(async (target: string, opts: { json?: boolean }) => {
      const loaded = loadWorkspace(resolve(ctx.cwd, target), ctx.cwd);
      checkReferences(loaded);
      if (loaded.workspace.datasets.some((d) => d.evidence.length > 0)) {
        // Evidence files must exist, stay inside the workspace and be of the right kind (not measured here).
        const { checkWorkspaceEvidence } = await import('../../evidence/check.js');
        const issues = checkWorkspaceEvidence(loaded);
        if (issues.length > 0) throw badInput(msg('evidence.check.summary', { count: issues.length }), issues);
      }
      const ws = loaded.workspace;
      const counts = { datasets: ws.datasets.length, recipients: ws.recipients.length, transfers: ws.transfers.length, approvals: ws.approvals.length };
      if (opts.json) ctx.stdout.write(toJson({ schema: VALIDATE_SCHEMA, valid: true, files: loaded.files, ...counts }, ctx.lang()));
      else ctx.stdout.write(`${t(ctx.lang(), 'validate.ok', { files: loaded.files.length, ...counts })}\n`);
    });
}
