/**
 * One message table for people-facing text, in Chinese and English. The engine and the reports look
 * messages up by key; nothing builds sentences by concatenating translated fragments elsewhere.
 */
export type Lang = 'zh' | 'en';

type Params = Record<string, string | number>;
type Message = { en: string; zh: string };

export const MESSAGES = {
  'path.security-assessment': { en: 'security assessment', zh: '数据出境安全评估' },
  'path.standard-contract-or-certification': { en: 'standard contract or certification', zh: '标准合同或个人信息保护认证' },
  'path.exempt': { en: 'exempt', zh: '免予申报' },
  'path.prohibited': { en: 'prohibited (core data)', zh: '禁止出境（核心数据）' },
  'level.core': { en: 'core', zh: '核心数据' },
  'level.important': { en: 'important', zh: '重要数据' },
  'level.general': { en: 'general', zh: '一般数据' },
  'why.core': { en: 'Dataset {datasets} is core data, which must never leave China (IMP-GEN-6).', zh: '数据集 {datasets} 为核心数据，不得出境（IMP-GEN-6）。' },
  'why.important': { en: 'Dataset {datasets} is important data ({findings}): any quantity needs a security assessment (PATH-SA-1).', zh: '数据集 {datasets} 属于重要数据（{findings}），无论数量均须申报安全评估（PATH-SA-1）。' },
  'why.important-ytd': { en: 'Charging consumption data of {value} persons this year reaches {threshold} ({rule}): important data, security assessment (PATH-SA-1).', zh: '本年度累计充电消费数据 {value} 人，达到 {threshold}（{rule}），属于重要数据，须申报安全评估（PATH-SA-1）。' },
  'why.ftz-list': { en: 'Data is on the {list} negative list ({items}): security assessment (FTZ-3).', zh: '数据在 {list} 负面清单内（{items}），须申报安全评估（FTZ-3）。' },
  'why.ciio': { en: 'The sender is a critical information infrastructure operator: any PI abroad needs a security assessment (PATH-SA-4).', zh: '发送方为关键信息基础设施运营者，向境外提供个人信息须申报安全评估（PATH-SA-4）。' },
  'why.sa-persons': { en: '{value} persons this year reach {threshold} ({rule}).', zh: '本年度累计 {value} 人，达到 {threshold} 人（{rule}）。' },
  'why.sa-sensitive': { en: 'Sensitive PI of {value} persons this year reaches {threshold} ({rule}).', zh: '本年度累计敏感个人信息 {value} 人，达到 {threshold} 人（{rule}）。' },
  'why.splitting': { en: 'Group {group} sent {value} persons of scenario {scenario} this year across {entities}; splitting is prohibited, so the aggregate decides ({rule}, PATH-SC-3).', zh: '集团 {group} 本年度在场景 {scenario} 下经 {entities} 累计提供 {value} 人，不得拆分，按合计判断（{rule}，PATH-SC-3）。' },
  'why.sc-persons': { en: '{value} persons this year: at least {threshold} and under one million (PATH-SC-1).', zh: '本年度累计 {value} 人，在 {threshold} 人以上、不满100万人（PATH-SC-1）。' },
  'why.sc-sensitive': { en: 'Sensitive PI of {value} persons this year, under ten thousand; no lower bound (PATH-SC-2).', zh: '本年度累计敏感个人信息 {value} 人，不满1万人，且无下限（PATH-SC-2）。' },
  'why.low-volume': { en: '{value} persons this year, under {threshold}, no sensitive PI, no important data (EXEMPT-6).', zh: '本年度累计 {value} 人，不满 {threshold} 人，不含敏感个人信息和重要数据（EXEMPT-6）。' },
  'why.free': { en: 'No personal information and no important data: general data flows freely (FREE-1).', zh: '不含个人信息和重要数据，一般数据可自由流动（FREE-1）。' },
  'why.ftz-off-list': { en: 'Sender in the {zone} FTZ and no data is on its negative list (EXEMPT-7).', zh: '发送方位于{zone}自贸试验区，数据不在负面清单内（EXEMPT-7）。' },
  'why.claim': { en: 'Exemption {rule} applies: {reason}.', zh: '适用豁免 {rule}：{reason}。' },
  'why.claim-not-important': { en: 'Exemption {rule} does not reach important data; dataset {datasets} is important ({findings}): security assessment (EXEMPT-8, PATH-SA-1).', zh: '豁免 {rule} 不适用于重要数据；数据集 {datasets} 为重要数据（{findings}），须申报安全评估（EXEMPT-8、PATH-SA-1）。' },
  'why.auto-important': { en: 'Exemption {rule} is claimed for important data; whether it reaches important data is unresolved (Q-3): {outcome} by setting autoExemptionForImportantData, legal review required.', zh: '对重要数据主张豁免 {rule}，是否适用尚未明确（Q-3）：按设置 autoExemptionForImportantData 处理为{outcome}，需法律复核。' },
  'covered.yes': { en: 'covered by {approval}', zh: '已由 {approval} 覆盖' },
  'covered.no': { en: 'NOT covered: {missing}', zh: '未覆盖：{missing}' },
} as const satisfies Record<string, Message>;

export type MessageKey = keyof typeof MESSAGES;

export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export function both(key: MessageKey, params: Params = {}): { en: string; zh: string } {
  return { en: t('en', key, params), zh: t('zh', key, params) };
}
