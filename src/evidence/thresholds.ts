/**
 * The pixel thresholds of the face / licence-plate rule, read from the rule pack in force — never typed
 * here. DRAFT-J6 (alias IMP-DA-R1 for the face condition): "real face bounding box with a minimum side of
 * 32 px or more, or real licence-plate box of 16 px or more" (车外真实人脸边界框最小边长32像素及以上 …).
 * The rule is found by the facts its conditions test, so a renamed or re-numbered rule in a later pack
 * still feeds the scanner.
 */
import { badInput } from '../errors.js';
import type { Overrides } from '../model/workspace.js';
import type { Condition, JudgmentRule, RulePack } from '../rules/types.js';
import type { BoxThresholds } from './types.js';

/** The dataset facts the annotation scanner measures (regulation.md §4.4 names). */
export const FACE_FACT = 'maxFaceBoxMinSidePx';
export const PLATE_FACT = 'maxPlateBoxMinSidePx';

interface Found {
  rule: JudgmentRule;
  condition: Condition;
}

function findCondition(pack: RulePack, fact: string): Found | undefined {
  for (const rule of pack.judgmentRules) {
    const condition = rule.conditions.find((c) => c.fact === fact);
    if (condition) return { rule, condition };
  }
  return undefined;
}

function numericThreshold(value: number | boolean, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw badInput(`threshold of ${where} is not a pixel count`, [{ field: where, message: `got ${String(value)}`, expected: 'a non-negative number of pixels' }]);
  }
  return value;
}

/**
 * Face and plate thresholds of `pack`, with the workspace's threshold overrides applied (an override
 * names the rule — by id or alias — and, for a rule with several conditions, the fact).
 */
export function boxThresholds(pack: RulePack, overrides?: Pick<Overrides, 'thresholds'>): BoxThresholds {
  const face = findCondition(pack, FACE_FACT);
  const plate = findCondition(pack, PLATE_FACT);
  if (!face || !plate) {
    throw badInput(`rule pack ${pack.id} has no face/plate bounding-box rule`, [
      { field: 'pack', message: `no judgment rule tests ${!face ? FACE_FACT : PLATE_FACT} in ${pack.id}`, expected: 'an automobile pack (cn-auto@…) that carries DRAFT-J6' },
    ]);
  }
  let faceValue = numericThreshold(face.condition.threshold, `${face.rule.id}.${FACE_FACT}`);
  let plateValue = numericThreshold(plate.condition.threshold, `${plate.rule.id}.${PLATE_FACT}`);
  (overrides?.thresholds ?? []).forEach((o, i) => {
    if (o.threshold === undefined) return;
    if (o.pack && o.pack !== pack.id) return;
    const names = (r: JudgmentRule) => [r.id, ...(r.aliases ?? [])].map((s) => s.toUpperCase());
    const wanted = o.rule.toUpperCase();
    const hitsFace = names(face.rule).includes(wanted) && (o.fact === undefined || o.fact === FACE_FACT);
    const hitsPlate = names(plate.rule).includes(wanted) && (o.fact === undefined || o.fact === PLATE_FACT);
    if (hitsFace && hitsPlate && o.fact === undefined && face.rule === plate.rule && face.rule.conditions.length > 1) {
      throw badInput(`override of ${o.rule} does not say which condition it changes`, [
        { field: `overrides.thresholds[${i}].fact`, message: `${o.rule} has several conditions`, expected: `${FACE_FACT} or ${PLATE_FACT}` },
      ]);
    }
    if (hitsFace) faceValue = numericThreshold(o.threshold, `overrides.thresholds[${i}].threshold`);
    if (hitsPlate) plateValue = numericThreshold(o.threshold, `overrides.thresholds[${i}].threshold`);
  });
  const rule = face.rule === plate.rule ? face.rule.id : `${face.rule.id}+${plate.rule.id}`;
  return { face: faceValue, plate: plateValue, pack: pack.id, rule };
}
