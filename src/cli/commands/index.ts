/**
 * Every command by name, in the order `--help` lists them, with how to load its module: the CLI imports
 * only the module of the command it runs (start-up time, issue 9). The others are listed in `--help` by
 * stand-ins made from the command index that the build writes (scripts/command-index.mjs,
 * src/cli/command-index.ts).
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export type Register = (program: Command, ctx: CliContext) => void;

export const COMMAND_MODULES: { name: string; load: () => Promise<Register> }[] = [
  { name: 'assess', load: async () => (await import('./assess.js')).registerAssess },
  { name: 'check', load: async () => (await import('./check.js')).registerCheck },
  { name: 'validate', load: async () => (await import('./validate.js')).registerValidate },
  { name: 'init', load: async () => (await import('./init.js')).registerInit },
  { name: 'explain', load: async () => (await import('./explain.js')).registerExplain },
  { name: 'rules', load: async () => (await import('./rules.js')).registerRules },
  { name: 'schema', load: async () => (await import('./schema.js')).registerSchema },
  { name: 'scan', load: async () => (await import('./scan.js')).registerScan },
  { name: 'models', load: async () => (await import('./models.js')).registerModels },
  { name: 'worker', load: async () => (await import('./worker.js')).registerWorker },
  { name: 'ledger', load: async () => (await import('./ledger.js')).registerLedger },
  { name: 'status', load: async () => (await import('./status.js')).registerStatus },
  { name: 'report', load: async () => (await import('./report.js')).registerReport },
  { name: 'export', load: async () => (await import('./export.js')).registerExport },
  { name: 'serve', load: async () => (await import('./serve.js')).registerServe },
  { name: 'token', load: async () => (await import('./token.js')).registerToken },
];
