import type { law as en } from '../en/law.js';

export const law: Record<keyof typeof en, string> = {
  'law.history.before': '{check}：审批 {approval} 的 {later}（{laterDate}）早于 {earlier}（{earlierDate}），不符合程序的先后顺序',
  'law.history.expected': '{later} 不早于 {earlier}（{earlierDate}）（{check}，见 docs/lifecycle.md）',
  'law.history.renewal-before': '{check}：审批 {approval} 替代 {renewed}，但其 {field}（{date}）早于 {renewed} 产生之日（{renewedDate}）',
  'law.history.renewal-expected': '不早于 {renewedDate} 的日期，或 renews 填写其实际替代的审批',
  'law.ftz.zone-mismatch': '该处理者登记在{zone}自贸试验区，却引用了{listZone}自贸试验区的清单 {list}：自贸试验区清单仅适用于在本区登记的处理者（FTZ-1、EXEMPT-7）',
  'law.ftz.zone-expected': '{zone}自贸试验区的清单（{lists} 之一），或若处理者登记在该区，填写 ftz.zone: {listZone}',
};
