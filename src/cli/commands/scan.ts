/**
 * `chujing scan …`: measure the rules' facts from files. Sub-commands live beside this file.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { GROUP_SUMMARIES } from '../summaries.js';
import { registerScanAnnotations } from './scan-annotations.js';
import { registerScanManifest } from './scan-manifest.js';

export function registerScan(program: Command, ctx: CliContext): void {
  const scan = program.command('scan').description(GROUP_SUMMARIES.scan);
  scan.exitOverride();
  registerScanAnnotations(scan, ctx);
  registerScanManifest(scan, ctx);
}
