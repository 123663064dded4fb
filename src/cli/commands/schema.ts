/** `chujing schema`: the JSON Schema of the workspace format, for editors and CI checks. */
import type { Command } from 'commander';
import { z } from 'zod';
import { workspaceSchema } from '../../model/workspace.js';
import type { CliContext } from '../context.js';
import { writeJson } from '../options.js';

export function workspaceJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(workspaceSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { $id: 'https://chujing.dev/schema/workspace-v1.json', title: 'chujing workspace (version 1)', ...schema };
}

export function registerSchema(program: Command, ctx: CliContext): void {
  program
    .command('schema')
    .description('print the JSON Schema of the workspace format')
    .action(() => writeJson(ctx.stdout, workspaceJsonSchema()));
}
