// Placeholder wiring for `chujing status`, replaced by its implementation (see the status issue).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerStatus(_program: Command, _ctx: CliContext): void {}
