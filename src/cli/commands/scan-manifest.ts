// Wiring for `chujing scan manifest` (replaced by its implementation).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerScanManifest(_scan: Command, _ctx: CliContext): void {}
