/**
 * Regulation content that only the documents use, each item with its ID, source and confidence from
 * regulation.md: the protection requirements in four aspects (SEC-*), the implementation process
 * (PROC-*), what is known of the templates (UPD-*), and the CAC statistics (QA-5). Rules the packs
 * already hold (SA-1, SC-2, SEC-LOG-1, AUTO-5, …) are looked up there, never repeated here: a test
 * checks that no ID is in both.
 */
import { lookupRule } from '../../rules/index.js';
import type { Bilingual, Confidence, ReferenceRule } from '../../rules/types.js';

const ref = (id: string, en: string, zh: string, source: string, confidence: Confidence, note?: Bilingual): ReferenceRule => ({
  id,
  title: { en, zh },
  source,
  confidence,
  ...(note ? { note } : {}),
});

export const DOCUMENT_REFERENCES: readonly ReferenceRule[] = [
  ref('PROC-1', 'Implementation process: data identification → path determination → path-specific implementation', '实施流程：数据识别→路径判定→按路径实施', 'S-GD25 (mzyfz analysis)', 'confirmed'),
  ref('PROC-4', 'Self-assess before declaring, rectify risks, submit the materials; transfer only after passing the security assessment', '申报前开展风险自评估并整改，提交申报材料；通过评估后方可出境', 'S-GD26', 'confirmed'),
  ref('PROC-5', 'Re-declare when circumstances affecting the security of exported data arise', '出现影响出境数据安全的情形时重新申报', 'S-GD26; S-SAM Art. 14', 'confirmed'),
  ref('PROC-6', 'The guidelines align with the CAC security-assessment declaration guide (3rd edition)', '指引与《数据出境安全评估申报指南（第三版）》衔接', 'S-GD26', 'confirmed'),
  ref('UPD-1', 'Outbound process: identify and file important data → choose the mechanism → SA / SC / CERT; protection requirements in four aspects', '出境流程：识别并备案重要数据→选择出境机制→安全评估/标准合同/认证；保护要求分四方面', 'S-GD26 (official remarks)', 'confirmed'),
  ref('UPD-6', 'Security-assessment declaration: eight steps of the online system and the materials to upload', '数据出境安全评估申报：系统填报八个步骤及上传材料', 'SA declaration guide, 3rd ed. (secondary)', 'UNCONFIRMED', { en: 'Secondary sources only (system manual preview, a third-party mock of the form).', zh: '仅见于二手资料（系统操作手册预览、第三方仿制的表单）。' }),
  ref('UPD-7', 'Structure of the data outbound risk self-assessment report', '数据出境风险自评估报告的结构', 'SA declaration guide templates (1st ed. confirmed; current layout secondary)', 'confirmed', { en: 'The current edition\'s layout is known from secondary sources only.', zh: '现行版本的版式仅见于二手资料。' }),
  ref('UPD-8', 'Structure of the PIPIA report; standard-contract filing: 10 working days, answer in 15 working days, who may file', '个人信息保护影响评估报告的结构；标准合同备案的期限与备案主体', 'SC filing guide (1st ed.); provincial practice', 'confirmed'),
  ref('UPD-9', 'The SA declaration\'s volume includes the persons already sent that year under SC/CERT', '申报安全评估时，出境人数应包括当年已通过标准合同或认证出境的人数', 'CAC Q&A, January 2026 (secondary)', 'UNCONFIRMED', { en: 'Secondary source only.', zh: '仅见于二手资料。' }),
  ref('IMP-GEN-5', 'The declaration describes the characteristics of important data and PI (type, sector, scale), not the data itself', '申报时说明重要数据和个人信息的特征（类型、领域、规模），不提交数据本身', 'S-GD26 (People\'s Daily / Xinhua)', 'confirmed'),
  ref('QA-5', 'As of March 2025, 325 of 509 important-data items declared for export were approved (63.9%)', '截至2025年3月，申报出境的509项重要数据中325项获批（63.9%）', 'S-SEED-QA (CAC Q&A summary); not found in an official source', 'UNCONFIRMED'),
  ref('SEC-MGT-1', 'Designate a person or organisation responsible for data security and define responsibilities', '明确数据安全负责人和管理机构，落实安全责任', 's8fe.ai summary of S-GD25; S-GD26 summary', 'UNCONFIRMED'),
  ref('SEC-MGT-2', 'Internal approval and audit trail for each outbound transfer; management system and operating rules across the life cycle', '每次出境的内部审批和审计记录；覆盖全生命周期的管理制度和操作规程', 's8fe.ai; MIIT remarks on S-GD26', 'UNCONFIRMED', { en: 'Confirmed in general terms; the detail is secondary.', zh: '总体要求已核实，具体内容来自二手资料。' }),
  ref('SEC-TECH-1', 'Encrypt data in transit; authenticate the overseas recipient', '传输加密；核验境外接收方身份的真实性', 's8fe.ai; S-GD26 summary', 'UNCONFIRMED'),
  ref('SEC-TECH-2', 'Verify the integrity of transferred data (checksums)', '采用完整性校验技术', 'S-GD26 summary', 'UNCONFIRMED'),
  ref('SEC-TECH-3', 'Manage access-permission changes for overseas access (remote access is outbound)', '管理境外访问权限变更（远程访问属于出境）', 'S-GD26 summary', 'UNCONFIRMED'),
  ref('SEC-LOG-2', 'ICV security-monitoring logs kept at least 6 months (a different, 2021 MIIT instrument)', '智能网联汽车网络安全监测日志留存不少于6个月（2021年工业和信息化部通知，另一文件）', 'MIIT notice, Sept 2021', 'confirmed', { en: 'Not the outbound-log rule (SEC-LOG-1): do not confuse them.', zh: '并非数据出境日志要求（SEC-LOG-1），不要混淆。' }),
  ref('SEC-ER-1', 'Emergency response plan for outbound data incidents: remedies, notifying individuals, reporting to authorities', '数据出境安全事件应急预案：补救措施、告知个人、向主管部门报告', 'S-GD25/26 structure', 'confirmed', { en: 'Existence confirmed; the time limits are UNCONFIRMED.', zh: '该要求的存在已核实，时限未经证实。' }),
];

/** The security protection requirements in the guidelines' four aspects (UPD-1, regulation.md §7). */
export const SECURITY_ASPECTS = [
  { aspect: 'management', requirements: ['SEC-MGT-1', 'SEC-MGT-2'] },
  { aspect: 'technical', requirements: ['SEC-TECH-1', 'SEC-TECH-2', 'SEC-TECH-3'] },
  { aspect: 'logs', requirements: ['SEC-LOG-1'] },
  { aspect: 'emergency', requirements: ['SEC-ER-1'] },
] as const;
export type SecurityAspect = (typeof SECURITY_ASPECTS)[number]['aspect'];

/** QA-5: the CAC approval statistics the officer asks for, with the confidence regulation.md gives. */
export const CAC_APPROVAL_STATISTICS = { asOf: '2025-03', declared: 509, approved: 325, rule: 'QA-5' } as const;

/** AUTO-5: the annual report is due on this day of each year (month, day). */
export const ANNUAL_REPORT_DUE = { month: 12, day: 15, rule: 'AUTO-5' } as const;

export interface CitedRule {
  id: string;
  title: Bilingual;
  source: string;
  confidence: Confidence;
  /** The packs that hold it (empty for the documents' own references). */
  packs: string[];
  note: Bilingual | null;
}

/** A rule ID as cited in a document: from the rule packs first, else from the documents' references. */
export function citedRule(id: string): CitedRule | null {
  const found = lookupRule(id);
  if (found.length) {
    const first = found[found.length - 1]!; // the newest pack's wording
    return {
      id,
      title: first.rule.title,
      source: first.rule.source,
      confidence: first.rule.confidence,
      packs: [...new Set(found.map((f) => f.pack.id))],
      note: first.rule.note ?? null,
    };
  }
  const own = DOCUMENT_REFERENCES.find((r) => r.id === id);
  return own ? { id, title: own.title, source: own.source, confidence: own.confidence, packs: [], note: own.note ?? null } : null;
}
