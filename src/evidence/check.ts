/**
 * `validate`'s look at the evidence: every `evidence:` entry of a loaded workspace is checked without
 * measuring anything — the path exists, stays inside the workspace (links included), is the right kind
 * of file (a manifest is a .csv / .jsonl file or a folder holding some; an annotation folder holds files
 * of its format), and its column categories and format options are known. Each problem is an issue with
 * the workspace file, line and field, so `validate` fails where `assess` would.
 */
import { statSync } from 'node:fs';
import { ChujingError, type ErrorIssue } from '../errors.js';
import { msg } from '../i18n/index.js';
import type { LoadedWorkspace } from '../model/load.js';
import { resolveInside } from '../model/paths.js';
import { DRIVELOG_CATEGORIES, MANIFEST_CATEGORIES } from './columns.js';
import { listEvidenceFiles } from './files.js';
import { PARSERS } from './annotations/index.js';
import { categoryOf } from './tabular.js';
import { acceptsName } from './imagery/names.js';
import { FILE_OPTIONS } from './measure.js';

const TABULAR = /\.(csv|jsonl|ndjson)$/i;

export function checkWorkspaceEvidence(loaded: LoadedWorkspace): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  loaded.workspace.datasets.forEach((dataset, i) => {
    dataset.evidence.forEach((entry, j) => {
      const field = `datasets[${i}].evidence[${j}]`;
      const at = (f: string) => ({ field: f, ...loaded.sources.locate(f) });
      const issue = (f: string, e: unknown) => {
        if (e instanceof ChujingError) for (const x of e.issues) issues.push({ ...x, ...at(f) });
        else throw e;
      };
      let abs: string;
      try {
        abs = resolveInside(loaded.dir, loaded.dir, entry.path);
      } catch (e) {
        return issue(`${field}.path`, e);
      }
      let isDir: boolean;
      try {
        isDir = statSync(abs).isDirectory();
      } catch {
        issues.push({ ...at(`${field}.path`), message: msg('evidence.check.missing', { path: entry.path }), expected: msg('evidence.file.expected') });
        return;
      }
      if (entry.kind === 'annotations') {
        const parser = PARSERS[entry.format];
        try {
          const { files } = listEvidenceFiles(abs, { accept: (n) => parser.accepts(n), root: loaded.dir, display: entry.path });
          if (files.length === 0) issues.push({ ...at(`${field}.path`), message: msg('evidence.check.no-files', { path: entry.path, format: entry.format }), expected: msg('evidence.annotations.expected-files', { format: entry.format }) });
        } catch (e) {
          issue(`${field}.path`, e);
        }
        for (const name of Object.keys(entry.options ?? {})) {
          if (!parser.options.includes(name)) {
            issues.push({ ...at(`${field}.options.${name}`), message: msg('evidence.check.unknown-option', { name, format: entry.format }), expected: msg('evidence.expected.one-of', { values: parser.options.join(', ') || '-' }) });
          }
        }
        for (const name of FILE_OPTIONS) {
          const v = entry.options?.[name];
          if (typeof v !== 'string') continue;
          try {
            const file = resolveInside(loaded.dir, loaded.dir, v);
            if (!statSync(file, { throwIfNoEntry: false })?.isFile()) issues.push({ ...at(`${field}.options.${name}`), message: msg('evidence.check.missing', { path: v }), expected: msg('evidence.file.expected') });
          } catch (e) {
            issue(`${field}.options.${name}`, e);
          }
        }
        return;
      }
      if (entry.kind === 'images' || entry.kind === 'video') {
        const accept = acceptsName(entry.kind);
        try {
          const { files } = listEvidenceFiles(abs, { accept, root: loaded.dir, display: entry.path });
          if (files.length === 0) issues.push({ ...at(`${field}.path`), message: msg('evidence.check.no-files', { path: entry.path, format: entry.kind }), expected: msg(`imagery.expected-files.${entry.kind}`) });
        } catch (e) {
          issue(`${field}.path`, e);
        }
        return;
      }
      // manifest / drivelog
      const known = entry.kind === 'manifest' ? MANIFEST_CATEGORIES : DRIVELOG_CATEGORIES;
      for (const name of Object.keys(entry.columns ?? {})) {
        if (categoryOf(known as readonly string[], name) === null) {
          issues.push({ ...at(`${field}.columns.${name}`), message: msg('evidence.check.unknown-column', { category: name }), expected: msg('evidence.expected.one-of', { values: known.join(', ') }) });
        }
      }
      try {
        const { files } = listEvidenceFiles(abs, { accept: (n) => TABULAR.test(n), root: loaded.dir, display: entry.path });
        if (files.length === 0) {
          issues.push({ ...at(`${field}.path`), message: msg('evidence.check.no-files', { path: entry.path, format: 'csv / jsonl' }), expected: msg('evidence.manifest.expected-files') });
        } else if (!isDir && !entry.format && !TABULAR.test(abs)) {
          issues.push({ ...at(`${field}.format`), message: msg('evidence.check.format', { path: entry.path }), expected: msg('evidence.check.expected-format') });
        }
      } catch (e) {
        issue(`${field}.path`, e);
      }
    });
  });
  return issues;
}
