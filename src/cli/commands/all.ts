/**
 * Every command's registration, imported eagerly: for tools and tests that need the whole command tree
 * (the help table test, the build's command index). The CLI itself loads only the command it runs
 * (`index.ts`, main.ts).
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerAssess } from './assess.js';
import { registerCheck } from './check.js';
import { registerExplain } from './explain.js';
import { registerExport } from './export.js';
import { registerInit } from './init.js';
import { registerLedger } from './ledger.js';
import { registerModels } from './models.js';
import { registerReport } from './report.js';
import { registerRules } from './rules.js';
import { registerScan } from './scan.js';
import { registerServe } from './serve.js';
import { registerSchema } from './schema.js';
import { registerStatus } from './status.js';
import { registerToken } from './token.js';
import { registerValidate } from './validate.js';
import { registerWorker } from './worker.js';

/** Every command, in the order `--help` lists them (the same order as COMMAND_MODULES in index.ts). */
export const COMMAND_REGISTRATIONS: ((program: Command, ctx: CliContext) => void)[] = [
  registerAssess,
  registerCheck,
  registerValidate,
  registerInit,
  registerExplain,
  registerRules,
  registerSchema,
  registerScan,
  registerModels,
  registerWorker,
  registerLedger,
  registerStatus,
  registerReport,
  registerExport,
  registerServe,
  registerToken,
];
