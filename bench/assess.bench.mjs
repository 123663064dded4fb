// Assess generated workspaces of 1k, 10k and 100k transfers: time and memory of each stage, so that
// growth is visible (it should be close to linear). Baseline in the same run: a plain YAML.parse of the
// same file, the least any YAML-based tool must do.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadWorkspace } from '../dist/model/load.js';
import { checkReferences } from '../dist/model/references.js';
import { assess } from '../dist/engine/assess.js';

const SIZES = (process.env.CHUJING_BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);

function generate(transfers) {
  const datasets = Math.max(10, Math.round(transfers / 20));
  const lines = ['version: 1', 'organization: { id: acme, name: ACME, processorType: oem, group: g }',
    'affiliates:', '  - { id: sub, name: Sub, processorType: dealer, group: g }', 'recipients:'];
  for (let r = 0; r < 20; r++) lines.push(`  - { id: r${r}, name: Recipient ${r}, country: DE }`);
  lines.push('datasets:');
  for (let d = 0; d < datasets; d++) {
    if (d % 3 === 0) lines.push(`  - { id: d${d}, name: imagery ${d}, scenario: driving-automation, dataType: algorithm-training-data, facts: { maxFaceBoxMinSidePx: ${16 + (d % 40)}, rawImageryHours: ${d * 7} } }`);
    else lines.push(`  - { id: d${d}, name: crm ${d}, scenario: other, dataType: customers, personalInfo: { persons: ${50 + (d % 500)}, sensitivePersons: ${d % 7 === 0 ? 3 : 0} } }`);
  }
  lines.push('approvals:', '  - { id: sa, mechanism: security-assessment, issued: 2025-01-02, covers: { recipients: [r0, r1] } }',
    '  - { id: sc, mechanism: standard-contract, effective: 2025-01-05, covers: { recipients: [r2, r3, r4] } }');
  lines.push('transfers:');
  for (let t = 0; t < transfers; t++) {
    const day = 1 + (t % 28);
    const month = 1 + (Math.floor(t / 28) % 12);
    const year = 2025 + (Math.floor(t / 336) % 2);
    lines.push(`  - { id: t${t}, date: ${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}, datasets: [d${t % datasets}], recipient: r${t % 20}, purpose: p${t % 5}${t % 4 === 0 ? ', organization: sub' : ''} }`);
  }
  return lines.join('\n') + '\n';
}

const mb = (n) => (n / 1048576).toFixed(1);
const time = (fn) => {
  const start = process.hrtime.bigint();
  const value = fn();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
};

const dir = mkdtempSync(join(tmpdir(), 'chujing-bench-assess-'));
console.log('transfers  file MB  YAML.parse ms (baseline)  load+validate ms  engine ms  total ms  µs/transfer  load/baseline  retained heap MB  rss MB');
const rows = [];
try {
  for (const n of SIZES) {
    const file = join(dir, `ws-${n}.yaml`);
    const text = generate(n);
    writeFileSync(file, text);
    globalThis.gc?.();
    const base = time(() => void parse(text));
    const loaded = time(() => {
      const l = loadWorkspace(file);
      checkReferences(l);
      return l;
    });
    const engine = time(() => assess({ workspace: loaded.value.workspace, asOf: '2026-12-31' }));
    globalThis.gc?.();
    // Retained: the loaded workspace and the full report, after garbage collection.
    const mem = process.memoryUsage();
    const total = loaded.ms + engine.ms;
    rows.push({ n, total, engine: engine.ms });
    console.log(
      `${String(n).padStart(9)}  ${mb(text.length).padStart(7)}  ${base.ms.toFixed(0).padStart(24)}  ${loaded.ms.toFixed(0).padStart(16)}  ${engine.ms.toFixed(0).padStart(9)}  ${total.toFixed(0).padStart(8)}  ${((total * 1000) / n).toFixed(1).padStart(11)}  ${(loaded.ms / base.ms).toFixed(2).padStart(13)}  ${mb(mem.heapUsed).padStart(16)}  ${mb(mem.rss).padStart(6)}`,
    );
    if (engine.value.transfers.length !== n) throw new Error('engine lost transfers');
  }
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    console.log(`growth ${a.n} -> ${b.n} (x${b.n / a.n}): total x${(b.total / a.total).toFixed(1)}, engine x${(b.engine / a.engine).toFixed(1)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
