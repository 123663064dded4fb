// Placeholder wiring for `chujing scan`, replaced by its implementation (see the scan issue).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerScan(_program: Command, _ctx: CliContext): void {}
