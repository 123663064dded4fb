/**
 * `chujing scan …`: measure the rules' facts from files. Sub-commands live beside this file.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerScanAnnotations } from './scan-annotations.js';
import { registerScanImagery } from './scan-imagery.js';
import { registerScanManifest } from './scan-manifest.js';

export function registerScan(program: Command, ctx: CliContext): void {
  const scan = program.command('scan').description('measure facts from data files: annotations, manifests, drive logs, images, video');
  scan.exitOverride();
  registerScanAnnotations(scan, ctx);
  registerScanManifest(scan, ctx);
  registerScanImagery(scan, ctx);
}
