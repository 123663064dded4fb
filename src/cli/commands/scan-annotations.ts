// Wiring for `chujing scan annotations` (replaced by its implementation).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerScanAnnotations(_scan: Command, _ctx: CliContext): void {}
