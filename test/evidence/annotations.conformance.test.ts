/**
 * Conformance against the real public annotation sets in <repo>/../shared/data/annotations/ (SOURCES.md
 * there: five sets, four formats). The expected figures were computed ONCE, independently of the scanner,
 * with the python3 / awk commands quoted above each case (run from that folder), and are written here as
 * literals. Skips with a message when ../shared is absent; CI has it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanAnnotations } from '../../src/evidence/annotations/index.js';
import { boxThresholds } from '../../src/evidence/thresholds.js';
import { AUTO_PACKS } from '../../src/rules/index.js';
import type { AnnotationFormat } from '../../src/evidence/types.js';

const DATA = fileURLToPath(new URL('../../../shared/data/annotations/', import.meta.url));
const present = existsSync(join(DATA, 'SOURCES.md'));
if (!present) console.warn(`annotation conformance tests skipped: ${DATA} is absent (it is present in CI)`);

interface Expected {
  images: number;
  boxes: number;
  faceBoxes: number;
  plateBoxes: number;
  qualifyingFaceBoxes: number;
  qualifyingPlateBoxes: number;
  imagesWithQualifyingBox: number;
  maxFaceBoxMinSidePx: number | null;
  maxPlateBoxMinSidePx: number | null;
}

const SETS: { name: string; path: string; format: AnnotationFormat; options?: Record<string, string>; expected: Expected }[] = [
  {
    // python3 -c "
    // L=[l.split() for l in open('wider-face-val-subset/wider_face_split/wider_face_val_bbx_gt.txt')];i=0;im=b=q=qi=0;mx=0
    // while i<len(L):
    //   n=int(L[i+1][0]);bx=L[i+2:i+2+max(n,1)] if n else [];i+=2+max(n,1);im+=1;ok=0
    //   for r in bx:
    //     m=min(int(r[2]),int(r[3]));b+=1;mx=max(mx,m)
    //     if m>=32:q+=1;ok=1
    //   qi+=ok
    // print(im,b,q,qi,mx)"                      -> 1062 21892 4381 914 779 (405 invalid=1, 5 zero-size: all counted)
    name: 'WIDER FACE val subset (invalid and zero-size boxes counted)',
    path: 'wider-face-val-subset',
    format: 'wider',
    expected: { images: 1062, boxes: 21892, faceBoxes: 21892, plateBoxes: 0, qualifyingFaceBoxes: 4381, qualifyingPlateBoxes: 0, imagesWithQualifyingBox: 914, maxFaceBoxMinSidePx: 779, maxPlateBoxMinSidePx: null },
  },
  {
    // same script with `if r[7]=='1': continue` before counting    -> 1062 21487 4381 914 779
    name: 'WIDER FACE val subset, invalid=skip',
    path: 'wider-face-val-subset',
    format: 'wider',
    options: { invalid: 'skip' },
    expected: { images: 1062, boxes: 21892, faceBoxes: 21487, plateBoxes: 0, qualifyingFaceBoxes: 4381, qualifyingPlateBoxes: 0, imagesWithQualifyingBox: 914, maxFaceBoxMinSidePx: 779, maxPlateBoxMinSidePx: null },
  },
  {
    // python3 -c "
    // import glob,xml.etree.ElementTree as ET
    // im=b=q=qi=0;mx=0
    // for f in sorted(glob.glob('face-mask-voc/annotations/*.xml')):
    //   r=ET.parse(f).getroot();im+=1;ok=0
    //   for o in r.iter('object'):
    //     bb=o.find('bndbox');g=lambda k:float(bb.find(k).text);m=min(g('xmax')-g('xmin'),g('ymax')-g('ymin'));b+=1;mx=max(mx,m)
    //     t=16 if o.find('name').text=='licence' else 32
    //     if m>=t:q+=1;ok=1
    //   qi+=ok
    // print(im,b,q,qi,mx)"                      -> 201 225 222 201 289.0 (names: with_mask, without_mask)
    name: 'face-mask VOC (with_mask / without_mask are faces)',
    path: 'face-mask-voc',
    format: 'voc',
    expected: { images: 201, boxes: 225, faceBoxes: 225, plateBoxes: 0, qualifyingFaceBoxes: 222, qualifyingPlateBoxes: 0, imagesWithQualifyingBox: 201, maxFaceBoxMinSidePx: 289, maxPlateBoxMinSidePx: null },
  },
  {
    // the same script on car-plate-voc/annotations/*.xml -> 183 189 184 179 332.0 (name: licence)
    name: 'car-plate VOC (licence is a plate)',
    path: 'car-plate-voc',
    format: 'voc',
    expected: { images: 183, boxes: 189, faceBoxes: 0, plateBoxes: 189, qualifyingFaceBoxes: 0, qualifyingPlateBoxes: 184, imagesWithQualifyingBox: 179, maxFaceBoxMinSidePx: null, maxPlateBoxMinSidePx: 332 },
  },
  {
    // cat openalpr-benchmarks-endtoend/endtoend/*/*.txt | awk -F'\t' 'NF>=5{n++; m=($4<$5?$4:$5); if(m>mx)mx=m; if(m>=16)q++} END{print n,q,mx}'
    //                                           -> 444 444 262 (one plate per file and image)
    name: 'OpenALPR end-to-end benchmark',
    path: 'openalpr-benchmarks-endtoend',
    format: 'openalpr',
    expected: { images: 444, boxes: 444, faceBoxes: 0, plateBoxes: 444, qualifyingFaceBoxes: 0, qualifyingPlateBoxes: 444, imagesWithQualifyingBox: 444, maxFaceBoxMinSidePx: null, maxPlateBoxMinSidePx: 262 },
  },
  {
    // cat ccpd-splits/split/*.txt | awk -F'-' 'NF==7{split($3,a,/[&_]/); w=a[3]-a[1]; h=a[4]-a[2]; m=(w<h?w:h); n++; if(m>mx)mx=m; if(m>=16)q++} END{print n,q,mx}'
    //                                           -> 71368 71368 606 (smallest plate: 22 px)
    name: 'CCPD split lists (box in the file name)',
    path: 'ccpd-splits',
    format: 'ccpd',
    expected: { images: 71368, boxes: 71368, faceBoxes: 0, plateBoxes: 71368, qualifyingFaceBoxes: 0, qualifyingPlateBoxes: 71368, imagesWithQualifyingBox: 71368, maxFaceBoxMinSidePx: null, maxPlateBoxMinSidePx: 606 },
  },
];

describe.skipIf(!present)('conformance: public annotation sets at the pack thresholds (32 / 16 px)', () => {
  for (const pack of AUTO_PACKS.filter((p) => p.judgmentRules.some((r) => r.id === 'DRAFT-J6'))) {
    describe(pack.id, () => {
      const thresholds = boxThresholds(pack);
      it('takes 32 / 16 px from DRAFT-J6', () => expect([thresholds.face, thresholds.plate, thresholds.rule]).toEqual([32, 16, 'DRAFT-J6']));
      for (const set of SETS) {
        it(set.name, async () => {
          const r = await scanAnnotations(join(DATA, set.path), { format: set.format, thresholds, ...(set.options ? { options: set.options } : {}) });
          const { images, boxes, faceBoxes, plateBoxes, qualifyingFaceBoxes, qualifyingPlateBoxes, imagesWithQualifyingBox, maxFaceBoxMinSidePx, maxPlateBoxMinSidePx } = r;
          expect({ images, boxes, faceBoxes, plateBoxes, qualifyingFaceBoxes, qualifyingPlateBoxes, imagesWithQualifyingBox, maxFaceBoxMinSidePx, maxPlateBoxMinSidePx }).toEqual(set.expected);
          expect(r.skipped).toEqual([]);
        });
      }
    });
  }
});
