// Annotation scanner benchmark (imports the built code from dist/; `npm run bench -- annotations`).
//
// COCO: generates a COCO file of >= 1 GB (categories LAST, as in real COCO files), then in the same run:
//   (a) baseline: readFileSync + JSON.parse + a walk computing the same counts. V8 cannot hold a string
//       over ~512 MB, so the baseline runs on a 400 MB file — the largest it can handle;
//   (b) our streaming scanner on the 400 MB file AND on the 1 GB file.
// Each measurement runs in its own child process, so peak RSS (process.resourceUsage().maxRSS) is that
// of the measurement alone. Text formats (wider, kitti, yolo): boxes/s on generated files.
// Files go to a temp folder that is deleted at the end.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const DIST = new URL('../dist/', import.meta.url);
const MB = 1 << 20;

async function thresholdsOfPack() {
  const { boxThresholds } = await import(new URL('evidence/thresholds.js', DIST).href);
  const { findPack } = await import(new URL('rules/index.js', DIST).href);
  return boxThresholds(findPack('cn-auto@2026'));
}

// ---------------------------------------------------------------- child measurements
if (process.argv[2] === '--child') {
  const [, , , what, file, format, extra] = process.argv;
  const thresholds = await thresholdsOfPack();
  const t0 = process.hrtime.bigint();
  let result;
  if (what === 'baseline') {
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const names = new Map(doc.categories.map((c) => [c.id, c.name]));
    const kind = (id) => {
      const n = names.get(id);
      return n === 'face' ? 'face' : n === 'license_plate' ? 'plate' : null;
    };
    let boxes = 0, face = 0, plate = 0, qFace = 0, qPlate = 0, maxFace = null, maxPlate = null;
    const qImages = new Set();
    for (const a of doc.annotations) {
      boxes++;
      const k = kind(a.category_id);
      if (!k) continue;
      const m = Math.min(a.bbox[2], a.bbox[3]);
      if (k === 'face') {
        face++;
        if (maxFace === null || m > maxFace) maxFace = m;
        if (m >= thresholds.face) (qFace++, qImages.add(a.image_id));
      } else {
        plate++;
        if (maxPlate === null || m > maxPlate) maxPlate = m;
        if (m >= thresholds.plate) (qPlate++, qImages.add(a.image_id));
      }
    }
    result = { images: doc.images.length, boxes, faceBoxes: face, plateBoxes: plate, qualifyingFaceBoxes: qFace, qualifyingPlateBoxes: qPlate, imagesWithQualifyingBox: qImages.size, maxFaceBoxMinSidePx: maxFace, maxPlateBoxMinSidePx: maxPlate };
  } else {
    const { scanAnnotations } = await import(new URL('evidence/annotations/index.js', DIST).href);
    const options = extra ? JSON.parse(extra) : {};
    const r = await scanAnnotations(file, { format, thresholds, options });
    const { images, boxes, faceBoxes, plateBoxes, qualifyingFaceBoxes, qualifyingPlateBoxes, imagesWithQualifyingBox, maxFaceBoxMinSidePx, maxPlateBoxMinSidePx } = r;
    result = { images, boxes, faceBoxes, plateBoxes, qualifyingFaceBoxes, qualifyingPlateBoxes, imagesWithQualifyingBox, maxFaceBoxMinSidePx, maxPlateBoxMinSidePx };
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMB: process.resourceUsage().maxRSS / 1024, result }));
  process.exit(0);
}

function measure(what, file, format = 'coco', options) {
  const args = ['--max-old-space-size=12000', SELF, '--child', what, file, format];
  if (options) args.push(JSON.stringify(options));
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * MB });
  if (r.status !== 0) throw new Error(`${what} on ${file} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// ---------------------------------------------------------------- generators (fast: big chunks)
let seed = 12345;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
const int = (n) => Math.floor(rnd() * n);

/** COCO with images, then annotations (with polygons), then categories — until `targetBytes`. */
function generateCoco(file, targetBytes) {
  const fd = openSync(file, 'w');
  const ANN_PER_IMAGE = 8;
  // ~180 bytes per annotation, ~70 per image record (measured on this generator).
  const images = Math.ceil(targetBytes / (ANN_PER_IMAGE * 180 + 70));
  let written = 0;
  const flush = (parts) => {
    const s = parts.join('');
    written += writeSync(fd, s);
    parts.length = 0;
  };
  const parts = ['{"info": {"description": "chujing bench", "version": "1.0"},\n"images": [\n'];
  for (let i = 1; i <= images; i++) {
    parts.push(`{"id": ${i}, "file_name": "img_${i}.jpg", "width": 1920, "height": 1080}${i < images ? ',' : ''}\n`);
    if (parts.length >= 50_000) flush(parts);
  }
  parts.push('],\n"annotations": [\n');
  let id = 0;
  for (let i = 1; i <= images; i++) {
    for (let k = 0; k < ANN_PER_IMAGE; k++) {
      const x = int(1800), y = int(1000), w = int(120) + 1 + int(10) / 10, h = int(90) + 1;
      const cat = 1 + int(4);
      parts.push(`{"id": ${++id}, "image_id": ${i}, "category_id": ${cat}, "bbox": [${x}, ${y}, ${w}, ${h}], "area": ${(w * h).toFixed(2)}, "iscrowd": 0, "segmentation": [[${x}, ${y}, ${x + w}, ${y}, ${x + w}, ${y + h}, ${x}, ${y + h}]]}${i < images || k < ANN_PER_IMAGE - 1 ? ',' : ''}\n`);
    }
    if (parts.length >= 50_000) flush(parts);
  }
  parts.push('],\n"categories": [{"id": 1, "name": "face"}, {"id": 2, "name": "license_plate"}, {"id": 3, "name": "car"}, {"id": 4, "name": "person"}]\n}\n');
  flush(parts);
  closeSync(fd);
  return { bytes: written, images, annotations: id };
}

function generateWider(file, images) {
  const fd = openSync(file, 'w');
  const parts = [];
  let boxes = 0;
  for (let i = 0; i < images; i++) {
    const n = 1 + int(40);
    parts.push(`${i % 60}--Event/${i}_event_${i}.jpg\n${n}\n`);
    for (let k = 0; k < n; k++) parts.push(`${int(1000)} ${int(700)} ${1 + int(120)} ${1 + int(150)} ${int(3)} 0 ${int(2)} ${int(20) === 0 ? 1 : 0} ${int(3)} 0 \n`);
    boxes += n;
    if (parts.length > 50_000) writeSync(fd, parts.splice(0).join(''));
  }
  writeSync(fd, parts.join(''));
  closeSync(fd);
  return boxes;
}

function generatePerImage(dir, images, line) {
  mkdirSync(dir, { recursive: true });
  let boxes = 0;
  for (let i = 0; i < images; i++) {
    const n = 1 + int(60);
    const rows = [];
    for (let k = 0; k < n; k++) rows.push(line());
    boxes += n;
    writeFileSync(join(dir, `${String(i).padStart(6, '0')}.txt`), rows.join('\n') + '\n');
  }
  return boxes;
}

// ---------------------------------------------------------------- run
const fmt = (n, d = 1) => n.toFixed(d).padStart(8);
const sameCounts = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const dir = mkdtempSync(join(tmpdir(), 'chujing-bench-ann-'));
try {
  const t0 = Date.now();
  const small = join(dir, 'coco-400mb.json');
  const big = join(dir, 'coco-1gb.json');
  const gSmall = generateCoco(small, 400 * MB);
  const gBig = generateCoco(big, 1040 * MB);
  console.log(`generated COCO ${fmt(gSmall.bytes / MB, 0)} MB (${gSmall.annotations} annotations) and ${fmt(gBig.bytes / MB, 0)} MB (${gBig.annotations} annotations) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const base = measure('baseline', small);
  const oursSmall = measure('scanner', small);
  const oursBig = measure('scanner', big);
  if (!sameCounts(base.result, oursSmall.result)) {
    console.error('MISMATCH between baseline and scanner:', base.result, oursSmall.result);
    process.exitCode = 1;
  }
  const mbps = (bytes, m) => bytes / MB / m.seconds;
  // CPU time beside wall time: on a shared machine wall time is mostly waiting (whole child process, incl. start-up).
  console.log('\nCOCO (float boxes)                     size MB  wall s   cpu s  MB/cpu-s  peak RSS MB');
  const line = (name, bytes, m) => `${name} ${fmt(bytes / MB, 0)} ${fmt(m.seconds, 2)} ${fmt(m.cpuSeconds, 2)} ${fmt(bytes / MB / m.cpuSeconds)} ${fmt(m.peakRssMB, 0)}`;
  console.log(line('baseline JSON.parse + walk (400 MB)', gSmall.bytes, base));
  console.log(line('chujing streaming scanner  (400 MB)', gSmall.bytes, oursSmall));
  console.log(line('chujing streaming scanner  (1 GB)  ', gBig.bytes, oursBig));
  console.log(`throughput ratio scanner/baseline: ${(mbps(gSmall.bytes, oursSmall) / mbps(gSmall.bytes, base)).toFixed(2)}x (400 MB), ${(mbps(gBig.bytes, oursBig) / mbps(gSmall.bytes, base)).toFixed(2)}x (1 GB vs baseline at 400 MB)`);
  console.log(`memory ratio baseline/scanner (400 MB): ${(base.peakRssMB / oursSmall.peakRssMB).toFixed(1)}x; scanner peak under 300 MB at 1 GB: ${oursBig.peakRssMB < 300 ? 'yes' : 'NO'}`);
  console.log(`counts identical to the baseline: ${sameCounts(base.result, oursSmall.result) ? 'yes' : 'NO'} (${JSON.stringify(oursSmall.result)})`);
  rmSync(small);
  rmSync(big);

  // Text formats: boxes/s.
  const widerFile = join(dir, 'wider_face_train_bbx_gt.txt');
  const widerBoxes = generateWider(widerFile, 100_000);
  const kittiBoxes = generatePerImage(join(dir, 'kitti/label_2'), 20_000, () => `${['Car', 'Pedestrian', 'Face', 'License_Plate'][int(4)]} 0.00 0 -1.57 ${int(1000)}.25 ${int(300)}.50 ${1000 + int(240)}.75 ${300 + int(70)}.00 1.50 1.60 3.90 1.00 2.00 3.00 -1.50`);
  const yoloBoxes = generatePerImage(join(dir, 'yolo/labels'), 20_000, () => `${int(3)} ${rnd().toFixed(6)} ${rnd().toFixed(6)} ${(rnd() / 5).toFixed(6)} ${(rnd() / 5).toFixed(6)}`);
  console.log('\ntext formats                  boxes   files  wall s   cpu s  boxes/cpu-s  peak RSS MB');
  for (const [format, path, boxes, files, options] of [
    ['wider', widerFile, widerBoxes, 1, undefined],
    ['kitti', join(dir, 'kitti'), kittiBoxes, 20_000, undefined],
    ['yolo', join(dir, 'yolo'), yoloBoxes, 20_000, { width: 1920, height: 1080 }],
  ]) {
    const m = measure('scanner', path, format, options);
    if (m.result.boxes !== boxes) {
      console.error(`MISMATCH ${format}: ${m.result.boxes} boxes, generated ${boxes}`);
      process.exitCode = 1;
    }
    console.log(`${format.padEnd(24)} ${String(boxes).padStart(10)} ${String(files).padStart(7)} ${fmt(m.seconds, 2)} ${fmt(m.cpuSeconds, 2)} ${String(Math.round(boxes / m.cpuSeconds)).padStart(12)} ${fmt(m.peakRssMB, 0)}`);
  }
  console.log(`\ntotal bench time ${((Date.now() - t0) / 1000).toFixed(0)} s (wider file ${(statSync(widerFile).size / MB).toFixed(0)} MB)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
