/**
 * The open-question settings in force, as every human report shows them: one line per setting with
 * its label, its name in the workspace (to find it in chujing.yaml and docs/judgments.md), its value in
 * words and the question it answers.
 */
import type { AppliedOverride } from '../engine/types.js';
import { hasMessage, msg, t, type Lang, type Msg } from '../i18n/index.js';
import type { Settings } from '../model/workspace.js';

/** The open-question settings shown in every report, with the question each answers. */
export const SETTINGS: [keyof Settings, string][] = [
  ['sensitiveOverlap', 'Q-1'],
  ['countExemptTransfers', 'Q-2'],
  ['autoExemptionForImportantData', 'Q-3'],
  ['auto21PersonsAsImportant', 'Q-4'],
  ['auto21OutsideImagery', 'IMP-A21-4'],
  ['boxMeasure', 'Q-5'],
  ['detectorNearThreshold', 'Q-14'],
  ['splittingCheck', 'PATH-SC-3'],
];

export function settingsLines(lang: Lang, settings: Partial<Settings>): string[] {
  return SETTINGS.filter(([name]) => settings[name] !== undefined).map(([name, question]) =>
    t(lang, 'setting.line', { label: msg(`setting.${name}`), name, value: msg(`setting.${name}.${String(settings[name])}`), question }),
  );
}

/** One organisation override in words: its kind, rule, what it changes and the organisation's reason. */
export function overrideText(lang: Lang, o: AppliedOverride): string {
  let detail: string | Msg = o.detail;
  if (o.kind === 'promote') detail = msg('override.promoted');
  else if (o.kind === 'rule') {
    // `fact op threshold => outcome`: the outcome is a data level, said in words.
    const m = o.detail.match(/^(.*) => (\w+)$/);
    if (m && hasMessage(`level.${m[2]}`)) detail = msg('override.rule-detail', { test: m[1]!, outcome: msg(`level.${m[2]}`) });
  }
  return t(lang, 'override.line', { kind: msg(`override.kind.${o.kind}`), rule: o.rule, pack: o.pack ?? '', detail, reason: o.reason });
}
