/** `chujing schema`: print the JSON Schema of the workspace format (src/produce/schema.ts builds it). */
import type { Command } from 'commander';
import { workspaceJsonSchema } from '../../produce/schema.js';
import type { CliContext } from '../context.js';
import { writeJson } from '../options.js';

export function registerSchema(program: Command, ctx: CliContext): void {
  program
    .command('schema')
    .description('print the JSON Schema of the workspace format')
    .action(async () => writeJson(ctx.stdout, await workspaceJsonSchema()));
}
