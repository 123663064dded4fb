// Documents: CPU and wall time of each document kind and format for the example workspace, against a
// baseline measured in the same run — gathering the documents' input (evidence, ledger, `assess`,
// `status`), which every document needs once. Then PDF printing with one browser (the first PDF pays
// for starting Chromium), and the plan (the longest document: one section per transfer) for a
// generated workspace of 1,000 transfers, to see how it grows. Last, the server (in this process,
// requests through Fastify's inject): the same document as HTML and as a warm PDF (the server's one
// browser already started), against a browser started per PDF (as the server did before); goal: the
// warm PDF within 3x the HTML's time.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCUMENT_KINDS, PdfRenderer, documentInputFor, htmlToPdf, renderDocument } from '../dist/report/documents/index.js';
import { createServer } from '../dist/server/app.js';
import { createToken } from '../dist/server/tokens.js';

const EXAMPLE = fileURLToPath(new URL('../examples/acme-auto', import.meta.url));
const ENV = { cwd: process.cwd(), env: { ...process.env, LANG: 'en_US.UTF-8' } };
const AS_OF = '2026-11-23';

async function measure(fn) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = await fn();
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { value, wall, cpu: (used.user + used.system) / 1000 };
}
const f = (n) => n.toFixed(0).padStart(7);

const base = await measure(() => documentInputFor(EXAMPLE, ENV, { asOf: AS_OF }));
const input = base.value;
console.log(`baseline: gather the input (evidence, ledger, assess, status): cpu ${base.cpu.toFixed(0)} ms, wall ${base.wall.toFixed(0)} ms`);
console.log('kind                 format  cpu ms  wall ms  cpu/baseline  KB');
for (const kind of DOCUMENT_KINDS) {
  for (const format of ['md', 'html', 'docx', 'json']) {
    await renderDocument(input, { kind, format, lang: 'zh' }); // warm
    const m = await measure(() => renderDocument(input, { kind, format, lang: 'zh' }));
    console.log(`${kind.padEnd(20)} ${format.padEnd(6)} ${f(m.cpu)} ${f(m.wall)}  ${(m.cpu / base.cpu).toFixed(2).padStart(12)}  ${(m.value.bytes.length / 1024).toFixed(0).padStart(3)}`);
  }
}

const renderer = new PdfRenderer();
try {
  for (const label of ['first PDF (starts Chromium)', 'second PDF (same browser)', 'third PDF (same browser)']) {
    const m = await measure(() => renderDocument(input, { kind: 'self-assessment', format: 'pdf', lang: 'zh' }, { pdf: renderer }));
    console.log(`pdf self-assessment, ${label}: cpu ${f(m.cpu)} ms (this process; the browser's own CPU is not counted), wall ${f(m.wall)} ms, ${(m.value.bytes.length / 1024).toFixed(0)} KB`);
  }
} finally {
  await renderer.close();
}

// Growth: the plan for 100 and 1,000 transfers.
const dir = mkdtempSync(join(tmpdir(), 'chujing-bench-docs-'));
try {
  for (const n of [100, 1000]) {
    const lines = ['version: 1', 'organization: { id: acme, name: ACME, processorType: oem }', 'recipients:', '  - { id: r0, name: HQ, country: DE }', 'datasets:'];
    for (let d = 0; d < 10; d++) lines.push(`  - { id: d${d}, name: crm ${d}, scenario: other, dataType: customer-records, personalInfo: { persons: ${1000 + d}, sensitivePersons: 0 } }`);
    lines.push('transfers:');
    for (let t = 0; t < n; t++) lines.push(`  - { id: t${t}, date: 2026-${String(1 + (t % 12)).padStart(2, '0')}-${String(1 + (t % 28)).padStart(2, '0')}, datasets: [d${t % 10}], recipient: r0, purpose: crm }`);
    const ws = join(dir, `ws-${n}`);
    writeFileSync(`${ws}.yaml`, `${lines.join('\n')}\n`);
    const gathered = await measure(() => documentInputFor(`${ws}.yaml`, ENV, { asOf: AS_OF }));
    for (const format of ['md', 'docx']) {
      const m = await measure(() => renderDocument(gathered.value, { kind: 'plan', format, lang: 'zh' }));
      console.log(`plan, ${String(n).padStart(4)} transfers, ${format.padEnd(4)}: input cpu ${f(gathered.cpu)} ms; document cpu ${f(m.cpu)} ms, wall ${f(m.wall)} ms (${((m.cpu * 1000) / n).toFixed(0)} µs/transfer), ${(m.value.bytes.length / 1024).toFixed(0)} KB; document/input ${(m.cpu / gathered.cpu).toFixed(2)}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// The server: HTML and warm PDF of the same document, median of 5 requests each.
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ws = mkdtempSync(join(tmpdir(), 'chujing-bench-docs-server-'));
cpSync(EXAMPLE, ws, { recursive: true, filter: (src) => !src.includes('.chujing') });
const server = await createServer({ workspace: ws, env: { ...process.env, CHUJING_HMAC_KEY: 'bench-hmac-key-0123456789abcdef' }, watch: false, logLevel: 'silent', port: 0 });
try {
  const token = (await createToken(server.core.db, 'bench-docs', 'viewer')).token;
  await server.core.auth.refresh();
  const get = async (format) => {
    const start = process.hrtime.bigint();
    const r = await server.app.inject({ method: 'GET', url: `/v1/documents/self-assessment?format=${format}&asOf=${AS_OF}&lang=zh`, headers: { authorization: `Bearer ${token}` } });
    if (r.statusCode !== 200) throw new Error(`${format}: HTTP ${r.statusCode} ${r.body.slice(0, 200)}`);
    return { wall: Number(process.hrtime.bigint() - start) / 1e6, bytes: r.rawPayload.length };
  };
  await get('html'); // the assessment, memoised
  const cold = await get('pdf'); // starts the server's browser
  const html = [];
  const pdf = [];
  for (let i = 0; i < 5; i++) {
    html.push((await get('html')).wall);
    pdf.push((await get('pdf')).wall);
  }
  const doc = await renderDocument(input, { kind: 'self-assessment', format: 'html', lang: 'zh' });
  const perLaunch = await measure(() => htmlToPdf(new TextDecoder().decode(doc.bytes), { footer: 'bench' }));
  const ratio = median(pdf) / median(html);
  console.log(`server, self-assessment (zh): HTML ${f(median(html))} ms; first PDF (starts Chromium) ${f(cold.wall)} ms; warm PDF ${f(median(pdf))} ms, ${(cold.bytes / 1024).toFixed(0)} KB; a browser per PDF ${f(perLaunch.wall)} ms`);
  console.log(`warm PDF / HTML: ${ratio.toFixed(1)}x (goal <= 3x: ${ratio <= 3 ? 'met' : 'NOT met'}); browser per PDF / warm PDF: ${(perLaunch.wall / median(pdf)).toFixed(1)}x`);
} finally {
  await server.close();
  rmSync(ws, { recursive: true, force: true });
}
