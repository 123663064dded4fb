/**
 * cn-auto@2026 — Automobile Data Outbound Security Guidelines (2026 edition), the final of 30 January
 * 2026 (S-GD26), in force from that date. The official annex (5 scenarios, 27 categories, 51 items) was
 * not available to this project: the draft's judgment rules are carried over, each marked so, and
 * the further §4.3 items are added at their stated confidence (UNCONFIRMED => advisory unless promoted).
 */
import type { JudgmentRule, RulePack, ScenarioDef } from '../types.js';
import { AUTO_EXEMPTION_REACH } from './auto-exemption-reach.js';
import { DRAFT_JUDGMENT_RULES, DRAFT_SCENARIOS } from './cn-auto-2025-draft.js';
import { A21_CHARGING_NETWORK, A21_OUTSIDE_IMAGERY_REFINED, A21_PERSONS } from './cn-auto-2021.js';

const CARRIED = { en: 'Carried over from the draft: verify against the official annex (Q-6).', zh: '沿用征求意见稿：须对照官方附件核对（Q-6）。' };

/** S-GD26 has five scenarios: the draft's platform operation is folded into connected operation. */
const scenarios: ScenarioDef[] = DRAFT_SCENARIOS.filter((s) => s.id !== 'platform-operation').map((s) =>
  s.id === 'connected-operation'
    ? { ...s, dataTypes: [...s.dataTypes, ...DRAFT_SCENARIOS.find((p) => p.id === 'platform-operation')!.dataTypes] }
    : s,
);

const extraItems: JudgmentRule[] = [
  {
    id: 'IMP-DA-G2',
    title: { en: 'Involves technologies in the catalogue of technologies prohibited or restricted from export / export-control lists', zh: '涉及《中国禁止出口限制出口技术目录》或出口管制清单所列技术' },
    conditions: [{ fact: 'exportControlledTechnology', comparator: '==', threshold: true }],
    outcome: 'important',
    source: 'S-TOOL; S-GD26 summary',
    confidence: 'UNCONFIRMED',
  },
  {
    id: 'IMP-DA-G4',
    title: { en: 'Real vehicle/personnel flow or logistics reflecting the economic operation of a prefecture-level region, 30 days or more in total', zh: '反映地级及以上行政区经济运行的真实车流、人流、物流等数据，累计30天以上' },
    conditions: [{ fact: 'prefectureFlowDataDays', comparator: '>=', threshold: 30, unit: 'days' }],
    outcome: 'important',
    source: 'S-TOOL',
    confidence: 'UNCONFIRMED',
  },
  {
    id: 'IMP-DA-R5',
    title: { en: '10 million or more raw pictures', zh: '一千万张以上原始图片' },
    conditions: [{ fact: 'rawPictures', comparator: '>=', threshold: 10_000_000, unit: 'pictures' }],
    dataTypes: ['product-testing', 'algorithm-training-data', 'algorithm-feature-data', 'vehicle-road-perception-data'],
    outcome: 'important',
    source: 'S-TOOL',
    confidence: 'UNCONFIRMED',
  },
  {
    id: 'IMP-DA-C5',
    title: { en: 'Charging-status monitoring data (power, current, voltage, battery temperature, SoH) of 100,000 or more domestic vehicles', zh: '10万台以上境内车辆的充电状态监测数据' },
    conditions: [{ fact: 'vehiclesWithChargingStatusData', comparator: '>=', threshold: 100_000, unit: 'vehicles' }],
    dataTypes: ['charging-operation-data', 'vehicle-data'],
    outcome: 'important',
    source: 'S-TOOL mock rule 1-1-5-23',
    confidence: 'UNCONFIRMED',
  },
  {
    id: 'IMP-DA-C6',
    title: { en: 'Network topology of a connected-vehicle platform serving 1,000,000 or more domestic vehicles, or giving safety-relevant OTA to 500,000 or more', zh: '服务100万台以上境内车辆或为50万台以上车辆提供涉及动力、底盘、安全驾驶功能OTA的车联网平台网络拓扑' },
    conditions: [
      { fact: 'platformServedVehicles', comparator: '>=', threshold: 1_000_000, unit: 'vehicles' },
      { fact: 'safetyOtaVehicles', comparator: '>=', threshold: 500_000, unit: 'vehicles' },
    ],
    dataTypes: ['network-planning-data'],
    outcome: 'important',
    source: 'S-TOOL mock rule 1-1-5-21',
    confidence: 'UNCONFIRMED',
  },
  {
    id: 'IMP-DA-S1',
    title: { en: 'OTA packages containing vehicle-control upgrades; ECU after-sales data', zh: '包含车辆控制升级的OTA升级包；ECU售后数据' },
    conditions: [{ fact: 'otaVehicleControl', comparator: '==', threshold: true }],
    dataTypes: ['software-upgrade-data'],
    outcome: 'important',
    source: 'S-FTZ Beijing (item 6)',
    confidence: 'UNCONFIRMED',
    note: { en: 'Confirmed for the Beijing FTZ list only.', zh: '仅在北京自贸试验区清单中得到确认。' },
  },
];

export const cnAuto2026: RulePack = {
  id: 'cn-auto@2026',
  family: 'cn-auto',
  version: '2026',
  title: { en: 'Automobile data outbound security guidelines (2026 edition)', zh: '汽车数据出境安全指引（2026版）' },
  effective: '2026-01-30',
  source: 'S-GD26',
  status: 'in-force',
  note: { en: 'Official annex not yet encoded (Q-6): draft rules carried over; further items UNCONFIRMED.', zh: '官方附件尚未编码（Q-6）：沿用征求意见稿规则；其他条目未经证实。' },
  scenarios,
  scenarioAliases: { 'platform-operation': 'connected-operation' },
  judgmentRules: [
    ...DRAFT_JUDGMENT_RULES.map((r) => ({
      ...r,
      source: `${r.source}; S-GD26 (carried over)`,
      provenance: 'carried-over-unconfirmed' as const,
      note: r.note ? { en: `${r.note.en} ${CARRIED.en}`, zh: `${r.note.zh}${CARRIED.zh}` } : CARRIED,
    })),
    ...extraItems,
    A21_CHARGING_NETWORK,
    A21_OUTSIDE_IMAGERY_REFINED,
    A21_PERSONS,
  ],
  exemptions: {
    'vulnerability-remediation': 'EXEMPT-AUTO-1',
    'security-incident': 'EXEMPT-AUTO-2',
    'defect-recall-ota': 'EXEMPT-AUTO-3',
  },
  // UPD-2 (research of November 2026): the final text brings important data on vulnerabilities,
  // incidents and OTA source code into the exempt situations, given purpose and prior report/filing.
  autoExemptionsReachImportantData: { value: true, source: 'UPD-2 (S-GD26, secondary: Economic Daily; Xinhua/Sina)' },
  autoExemptionReach: AUTO_EXEMPTION_REACH,
  references: [
    { id: 'EXEMPT-AUTO-0', title: { en: 'The guidelines list nine exemption situations', zh: '指引列明九类免予申报情形' }, source: 'S-GD25; S-GD26', confidence: 'confirmed' },
    { id: 'EXEMPT-AUTO-1', title: { en: 'Security-vulnerability data already reported to MIIT, transferred to remediate the vulnerability, is exempt', zh: '已报送的安全漏洞数据为修补漏洞向境外提供的，免予申报' }, source: 'S-GD26 (DLA Piper)', confidence: 'confirmed' },
    { id: 'EXEMPT-AUTO-2', title: { en: 'Security-incident data transferred to handle the incident, after a prior report, is exempt', zh: '发生安全事件后为处置事件向境外提供相关数据（事先报告）的，免予申报' }, source: 'S-GD26 (DLA Piper; Xinhua)', confidence: 'confirmed' },
    { id: 'EXEMPT-AUTO-3', title: { en: 'OTA / software-upgrade source code and data transferred to rectify defects (recall), filed beforehand, is exempt', zh: '为整改产品缺陷（召回）向境外提供在线升级软件源代码等数据（事先备案）的，免予申报' }, source: 'S-GD26 (Xinhua)', confidence: 'confirmed' },
    { id: 'EXEMPT-AUTO-4', title: { en: 'Automobile exemptions also cover important data of their kind, given purpose and prior report (UPD-2 resolves most of Q-3)', zh: '汽车行业豁免情形涵盖与漏洞、事件、缺陷整改相关的重要数据（须符合目的并事先报告或备案）' }, source: 'UPD-2 (S-GD26, secondary)', confidence: 'confirmed' },
    { id: 'EXEMPT-AUTO-5', title: { en: 'An automobile exemption reaches only important data of its own kind (vulnerability, incident, OTA upgrade); other important data keeps PATH-SA-1', zh: '汽车行业豁免仅涵盖与漏洞、事件、在线升级相关的重要数据；其他重要数据仍须申报安全评估' }, source: 'UPD-2 (S-GD26, secondary: Economic Daily; Xinhua/Sina)', confidence: 'confirmed', note: { en: 'Which important data is of each kind is this project\'s reading (rule pack autoExemptionReach, UNCONFIRMED): by the rule that made the data important, or the data type of declared importance.', zh: '何种重要数据属于各类豁免，系本项目的理解（规则包 autoExemptionReach，未经证实）：依据认定其为重要数据的规则，或声明为重要数据时的数据类型。' } },
    { id: 'IMP-DA-G6', title: { en: 'Surveying & mapping data needs the statutory approval or map review before declaring SA', zh: '测绘地理信息出境应先完成法定审批或地图审核' }, source: 'S-GD26 (garbled summary)', confidence: 'UNCONFIRMED' },
  ],
};
