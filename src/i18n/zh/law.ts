import type { law as en } from '../en/law.js';

export const law: Record<keyof typeof en, string> = {
  'law.history.before': '{check}：审批 {approval} 的 {later}（{laterDate}）早于 {earlier}（{earlierDate}），不符合程序的先后顺序',
  'law.history.expected': '{later} 不早于 {earlier}（{earlierDate}）（{check}，见 docs/lifecycle.md）',
  'law.history.renewal-before': '{check}：审批 {approval} 替代 {renewed}，但其 {field}（{date}）早于 {renewed} 产生之日（{renewedDate}）',
  'law.history.renewal-expected': '不早于 {renewedDate} 的日期，或 renews 填写其实际替代的审批',
  'law.ftz.zone-mismatch': '该处理者登记在{zone}自贸试验区，却引用了{listZone}自贸试验区的清单 {list}：自贸试验区清单仅适用于在本区登记的处理者（FTZ-1、EXEMPT-7）',
  'law.ftz.zone-expected': '{zone}自贸试验区的清单（{lists} 之一），或若处理者登记在该区，填写 ftz.zone: {listZone}',
  'law.auto.no-kind': '（本规则包下不涵盖任何重要数据）',
  'law.auto.national-not-important': '{dataset} 为重要数据：国家层面的豁免 {rule} 不适用于重要数据（EXEMPT-8），仍适用 PATH-SA-1',
  'law.auto.not-reached': '{dataset} 为重要数据：适用 {pack} 且设置 settings.autoExemptionForImportantData 为 {setting} 时，{rule} 不涵盖重要数据（EXEMPT-AUTO-4、Q-3），仍适用 PATH-SA-1',
  'law.auto.not-of-kind': '{dataset} 为重要数据，但不属于 {rule} 所涉的数据（{kind}）：其依据 {by} 被认定为重要数据（数据类型 {dataType}）；{rule} 仅涵盖依据 {expected} 认定的重要数据（UPD-2），故 {dataset} 仍适用 PATH-SA-1',
  'law.auto.of-kind': '{dataset} 为 {rule} 所涉类别的重要数据（{kind}：依据 {by} 认定）：依 {rule} 免予申报（UPD-2）',
  'law.claim.covers': '{dataset} 依 {rule} 不计入本次出境的申报范围',
  'law.claim.already': '{dataset} 已依 {by} 豁免；{rule} 亦可涵盖',
  'law.why.levels-on-date': '{why}按出境当日（{date}）判断：{levels}。',
  'law.level-on-date': '{dataset} 在当时适用的 {pack} 下为{level}（数据集表按 {reportPack} 判断为{reportLevel}）',
  'law.level-by-pack': '{pack}：{level}',
  'law.calendar.statutory': '{year} 年为暂定日历：尚未编入国务院办公厅当年的放假安排通知，按《全国年节及纪念日放假办法》（2024年修订）规定的法定节假日及周末补假计算；通知中的调休上班与连休安排未知，日期可能变动。通知发布后请补入正式日历（见 docs/lifecycle.md“日历文件”）',
  'law.calendar.provisional': '{year} 年在 {origin} 中为暂定日历：国务院办公厅正式通知尚未确认；调休安排可能使日期变动',
  'law.calendar.near-unknown': '警告：{date} 距暂定的 {year} 年{holiday}（{from} 至 {to}）不超过 {days} 个工作日：正式通知中未知的调休安排可能使该期限变动；通知发布后请核对',
};
