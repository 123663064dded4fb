// Placeholder wiring for `chujing ledger`, replaced by its implementation (see the ledger issue).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerLedger(_program: Command, _ctx: CliContext): void {}
