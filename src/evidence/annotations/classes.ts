/**
 * Which annotation classes are faces and which are licence plates (DRAFT-J6 counts "real face" and "real
 * licence plate" boxes). Defaults per format; `--face-class` / `--plate-class` replace the default list of
 * that kind only.
 */
import type { AnnotationFormat } from '../types.js';

export type BoxKind = 'face' | 'plate';

/**
 * Default names, compared after normalising case, spaces and hyphens to underscores. The two Open Images
 * machine ids are "Human face" (/m/0dzct) and "Vehicle registration plate" (/m/01jfm_).
 */
export const DEFAULT_FACE_CLASSES = ['face', 'faces', 'human_face', 'person_face', 'with_mask', 'without_mask', 'mask_weared_incorrect', '/m/0dzct'];
export const DEFAULT_PLATE_CLASSES = ['licence', 'license', 'licence_plate', 'license_plate', 'plate', 'lp', 'number_plate', 'vehicle_registration_plate', '/m/01jfm_'];

/** Formats where the annotation itself says what every box is (no class column). */
export const FIXED_KIND: Partial<Record<AnnotationFormat, BoxKind>> = { wider: 'face', ccpd: 'plate', openalpr: 'plate' };

export function normaliseClassName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

export interface ClassMap {
  /** Kind of a class name (or YOLO class id as text); null when it is neither. */
  kindOf(name: string): BoxKind | null;
  face: string[];
  plate: string[];
}

export function classMap(classes: { face?: string[]; plate?: string[] } = {}): ClassMap {
  const face = (classes.face && classes.face.length > 0 ? classes.face : DEFAULT_FACE_CLASSES).map(normaliseClassName);
  const plate = (classes.plate && classes.plate.length > 0 ? classes.plate : DEFAULT_PLATE_CLASSES).map(normaliseClassName);
  const table = new Map<string, BoxKind>();
  // Face first: a name given for both kinds counts as a face (the lower threshold would be the plate's,
  // but a name listed as a face by the user is a deliberate choice).
  for (const p of plate) table.set(p, 'plate');
  for (const f of face) table.set(f, 'face');
  const cache = new Map<string, BoxKind | null>();
  return {
    face,
    plate,
    kindOf(name) {
      let k = cache.get(name);
      if (k === undefined) {
        k = table.get(normaliseClassName(name)) ?? null;
        if (cache.size < 10_000) cache.set(name, k);
      }
      return k;
    },
  };
}
