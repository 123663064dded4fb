/** `chujing schema`: the JSON Schema of the workspace format, for editors and CI checks. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { writeJson } from '../options.js';

/** Loaded only when asked for: zod's JSON Schema generation is not needed by any other command. */
export async function workspaceJsonSchema(): Promise<Record<string, unknown>> {
  const [{ z }, { workspaceSchema }] = await Promise.all([import('zod'), import('../../model/workspace.js')]);
  const schema = z.toJSONSchema(workspaceSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { $id: 'https://chujing.dev/schema/workspace-v1.json', title: 'chujing workspace (version 1)', ...schema };
}

export function registerSchema(program: Command, ctx: CliContext): void {
  program
    .command('schema')
    .description('print the JSON Schema of the workspace format')
    .action(async () => writeJson(ctx.stdout, await workspaceJsonSchema()));
}
