// Face and plate detector benchmark (imports the built code from dist/; `npm run bench -- imagery`).
//
// 1080p frames made from the shared test photos (../shared/data/imagery, upscaled to 1920x1080 and
// written as JPEG), then in the same process and run:
//   (a) bare inference: the exact tensors the scanner feeds onnxruntime for each frame (YuNet on the
//       padded frame, y5fu on the letterboxed frame and, when the scanner tiles, on each tile), built
//       beforehand; only InferenceSession.run is timed;
//   (b) the scanner (scanImagery): read, hash, decode (sharp), both detectors, decode the outputs, NMS.
// Figures: frames per CPU-second (process CPU time, user + system, one onnxruntime thread), the
// scanner's CPU time over the bare inference's (overhead; goal <= 1.2x), and the load average (the
// machine may be shared: ratios within one run are what to compare). Goal: >= 8 frames / CPU-s / core.
// Frames with a plate at the threshold on the whole frame skip the tiles; frames without one are tiled
// (small plates survive only at native resolution): both kinds are measured and reported apart.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = new URL('../dist/', import.meta.url);
const SHARED = fileURLToPath(new URL('../../shared/', import.meta.url));
const MODELS = process.env.CHUJING_MODEL_DIR ?? join(SHARED, 'models');
const IMAGERY = join(SHARED, 'data', 'imagery');
const imp = (p) => import(new URL(p, DIST).href);

const { FACE_MODEL, PLATE_MODEL, readModel } = await imp('evidence/imagery/models.js');
let faceBytes, plateBytes;
try {
  faceBytes = readModel(MODELS, FACE_MODEL);
  plateBytes = readModel(MODELS, PLATE_MODEL);
} catch (e) {
  console.log(`imagery bench skipped: ${e.message} (set CHUJING_MODEL_DIR or provide ../shared/models)`);
  process.exit(0);
}
const { Detector, yunetInput, letterboxTensor, tileStarts, crop, PLATE_INPUT, TILE_OVERLAP, loadOrt } = await imp('evidence/imagery/detect.js');
const { decodeImage, resizeRaw, loadSharp } = await imp('evidence/imagery/decode.js');
const { scanImagery } = await imp('evidence/imagery/scan.js');
const { boxThresholds } = await imp('evidence/thresholds.js');
const { findPack } = await imp('rules/index.js');
const thresholds = boxThresholds(findPack('cn-auto@2026'));
const sharp = await loadSharp();
const ort = await loadOrt();

const FRAMES_PER_KIND = Number(process.env.CHUJING_BENCH_FRAMES ?? 4);
const dir = mkdtempSync(join(tmpdir(), 'chujing-imagery-bench-'));
const kinds = {
  'with a plate (no tiles)': readdirSync(join(IMAGERY, 'ccpd')).slice(0, FRAMES_PER_KIND).map((f) => join(IMAGERY, 'ccpd', f)),
  'faces, no plate (tiled)': readdirSync(join(IMAGERY, 'faces')).filter((f) => f.endsWith('.jpg')).slice(0, FRAMES_PER_KIND).map((f) => join(IMAGERY, 'faces', f)),
};

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const detector = await Detector.create(faceBytes, plateBytes, 1);
const options = { intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu'], graphOptimizationLevel: 'all' };
const faceSession = await ort.InferenceSession.create(faceBytes, options);
const plateSession = await ort.InferenceSession.create(plateBytes, options);

/** The tensors the scanner feeds for one frame (whole-frame plate pass; tiles when it tiles). */
async function tensorsOf(frame) {
  const yn = yunetInput(frame);
  const out = [{ session: faceSession, tensor: new ort.Tensor('float32', yn.data, [1, 3, yn.height, yn.width]) }];
  const letterbox = async (image) => {
    const S = PLATE_INPUT;
    const r = Math.min(S / image.height, S / image.width);
    const w = Math.max(1, Math.round(image.width * r));
    const h = Math.max(1, Math.round(image.height * r));
    const scaled = w === image.width && h === image.height ? image : await resizeRaw(image, w, h);
    return new ort.Tensor('float32', letterboxTensor(scaled, S, Math.floor((S - w) / 2), Math.floor((S - h) / 2)), [1, 3, S, S]);
  };
  out.push({ session: plateSession, tensor: await letterbox(frame) });
  const plates = await detector.detectPlates(frame, { plateThreshold: thresholds.plate, tiles: false });
  if (!plates.some((b) => Math.min(b.w, b.h) >= thresholds.plate)) {
    for (const ty of tileStarts(frame.height, PLATE_INPUT, TILE_OVERLAP))
      for (const tx of tileStarts(frame.width, PLATE_INPUT, TILE_OVERLAP)) out.push({ session: plateSession, tensor: await letterbox(crop(frame, tx, ty, Math.min(PLATE_INPUT, frame.width - tx), Math.min(PLATE_INPUT, frame.height - ty))) });
  }
  return out;
}

console.log(`imagery bench: ${Object.values(kinds).flat().length} frames of 1920x1080, one onnxruntime thread; ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const rows = [];
for (const [kind, sources] of Object.entries(kinds)) {
  const files = [];
  for (const [i, src] of sources.entries()) {
    const file = join(dir, `${kind.replace(/\W+/g, '-')}-${i}.jpg`);
    await sharp(src).resize(1920, 1080, { fit: 'fill' }).jpeg({ quality: 90 }).toFile(file);
    files.push({ file, display: file, size: statSync(file).size });
  }
  // Warm-up (first runs allocate), not timed.
  await detector.detect(await decodeImage(readFileSync(files[0].file)), { plateThreshold: thresholds.plate });

  // (a) bare inference on the same frames' tensors.
  const feeds = [];
  for (const f of files) feeds.push(...(await tensorsOf(await decodeImage(readFileSync(f.file)))));
  let c0 = cpuMs();
  let w0 = performance.now();
  for (const { session, tensor } of feeds) await session.run({ input: tensor });
  const bareCpu = cpuMs() - c0;
  const bareWall = performance.now() - w0;

  // (b) the scanner.
  c0 = cpuMs();
  w0 = performance.now();
  const result = await scanImagery(files, detector, { kind: 'images', thresholds, boxMeasure: 'min-side', reviewBand: 0.7 }, { face: FACE_MODEL.sha256, plate: PLATE_MODEL.sha256 });
  const scanCpu = cpuMs() - c0;
  const scanWall = performance.now() - w0;
  if (result.measuredFiles !== files.length) throw new Error(`scanned ${result.measuredFiles} of ${files.length}`);
  rows.push({ kind, frames: files.length, runs: feeds.length, bareCpu, bareWall, scanCpu, scanWall });
}
rmSync(dir, { recursive: true, force: true });

const fmt = (n) => n.toFixed(2);
console.log('| frames | n | onnxruntime runs | bare inference: frames / CPU-s | scanner: frames / CPU-s | scanner frames / wall-s | overhead (scanner CPU / bare CPU) |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.kind} | ${r.frames} | ${r.runs} | ${fmt(r.frames / (r.bareCpu / 1000))} | ${fmt(r.frames / (r.scanCpu / 1000))} | ${fmt(r.frames / (r.scanWall / 1000))} | ${fmt(r.scanCpu / r.bareCpu)}× |`);
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}; goals: >= 8 frames / CPU-s / core, overhead <= 1.2x`);
await detector.release();
await faceSession.release();
await plateSession.release();
