/**
 * cn-auto@2021 — CAC and four departments, Several Provisions on Automobile Data Security Management
 * (Trial) (汽车数据安全管理若干规定（试行）, CAC Order No. 7, S-AUTO21), in force since 1 October 2021 and
 * still in force. Art. 3 lists the automobile important data (IMP-A21-1..6). It is the binding text
 * for transfers before the guidelines: the 2025 draft was never in force, and the 2026 guidelines refine
 * these items (regulation.md §4.2).
 */
import type { JudgmentRule, RulePack } from '../types.js';

const SOURCE = 'S-AUTO21 Art. 3';

export const A21_GEO: JudgmentRule = {
  id: 'IMP-A21-1',
  title: { en: 'Geographic information, personnel and vehicle flow of important sensitive areas (military zones, defence units, Party and government organs at county level or above)', zh: '军事管理区、国防科工单位以及县级以上党政机关等重要敏感区域的地理信息、人员流量、车辆流量等数据' },
  conditions: [{ fact: 'sensitiveGeoInfo', comparator: '==', threshold: true }],
  outcome: 'important',
  source: SOURCE,
  confidence: 'confirmed',
};

export const A21_ECONOMY: JudgmentRule = {
  id: 'IMP-A21-2',
  title: { en: 'Vehicle flow, logistics and other data reflecting economic operation', zh: '车辆流量、物流等反映经济运行情况的数据' },
  conditions: [{ fact: 'regionalEconomicOperation', comparator: '==', threshold: true }],
  outcome: 'important',
  source: SOURCE,
  confidence: 'confirmed',
};

export const A21_CHARGING_NETWORK: JudgmentRule = {
  id: 'IMP-A21-3',
  title: { en: 'Operation data of the automobile charging network', zh: '汽车充电网的运行数据' },
  conditions: [{ fact: 'chargingNetworkOperationData', comparator: '==', threshold: true }],
  outcome: 'important',
  source: SOURCE,
  confidence: 'confirmed',
};

/** IMP-A21-4 as the 2021 text reads: any face or plate in outside-vehicle imagery. */
export const A21_OUTSIDE_IMAGERY: JudgmentRule = {
  id: 'IMP-A21-4',
  title: { en: 'Video and image data outside the vehicle containing face or licence-plate information', zh: '包含人脸信息、车牌信息等的车外视频、图像数据' },
  conditions: [
    { fact: 'outsideFaceOrPlateBoxes', comparator: '>', threshold: 0 },
    { fact: 'maxFaceBoxMinSidePx', comparator: '>', threshold: 0, unit: 'px' },
    { fact: 'maxPlateBoxMinSidePx', comparator: '>', threshold: 0, unit: 'px' },
  ],
  outcome: 'important',
  source: SOURCE,
  confidence: 'confirmed',
  note: { en: 'Measured face and plate boxes are taken to be outside the vehicle (the conservative side).', zh: '实测的人脸框和车牌框均按车外影像对待（从严）。' },
};

/** the 2021 rule that PI of more than 100,000 persons is important data — advisory by default. */
export const A21_PERSONS: JudgmentRule = {
  id: 'IMP-A21-5',
  title: { en: 'Personal information of more than 100,000 persons (2021 automobile provisions)', zh: '涉及个人信息主体超过10万人的个人信息（2021年汽车数据规定）' },
  conditions: [{ fact: 'piPersons', comparator: '>', threshold: 100_000, unit: 'persons' }],
  outcome: 'important',
  source: SOURCE,
  confidence: 'confirmed',
  advisory: { en: 'Q-4: conflicts with the 2024 national framework (PI volumes route to SC/CERT below 1M); needs legal review. Setting auto21PersonsAsImportant.', zh: '待决问题四：与2024年国家规定（个人信息数量不满100万人适用标准合同或认证）冲突，需法律复核；见工作区设置“涉及10万人以上个人信息（2021年规定）”。' },
  bindingSetting: { setting: 'auto21PersonsAsImportant', value: 'important' },
};

/**
 * In the guideline packs IMP-A21-4 is refined by DRAFT-J6's pixel thresholds (regulation.md §4.2, T7):
 * the 2021 reading is shown as advisory unless the organisation chooses it (setting auto21OutsideImagery).
 */
export const A21_OUTSIDE_IMAGERY_REFINED: JudgmentRule = {
  ...A21_OUTSIDE_IMAGERY,
  advisory: { en: 'Refined by the guidelines\' pixel thresholds (DRAFT-J6); binding only with settings.auto21OutsideImagery: any-face-or-plate.', zh: '指引以像素阈值细化（DRAFT-J6）；仅当工作区设置“2021年规定下的车外视频、图像”为“含任何人脸或车牌即为重要数据”时具有约束力。' },
  bindingSetting: { setting: 'auto21OutsideImagery', value: 'any-face-or-plate' },
};

export const cnAuto2021: RulePack = {
  id: 'cn-auto@2021',
  family: 'cn-auto',
  version: '2021',
  title: { en: 'Several Provisions on Automobile Data Security Management (Trial), 2021', zh: '汽车数据安全管理若干规定（试行）（2021年）' },
  effective: '2021-10-01',
  source: 'S-AUTO21',
  status: 'in-force',
  note: { en: 'The binding automobile text before the guidelines; no business-scenario catalogue.', zh: '指引发布前有约束力的汽车数据规定；无业务场景目录。' },
  scenarios: [],
  judgmentRules: [A21_GEO, A21_ECONOMY, A21_CHARGING_NETWORK, A21_OUTSIDE_IMAGERY, A21_PERSONS],
  exemptions: {},
  autoExemptionsReachImportantData: { value: false, source: 'S-AUTO21 (no automobile exemptions)' },
  references: [
    { id: 'IMP-A21-6', title: { en: 'Other data that CAC and State Council departments specify (declare it with level: important)', zh: '国家网信部门会同国务院有关部门明确的其他数据（以 `level: important` 声明）' }, source: SOURCE, confidence: 'confirmed' },
    { id: 'AUTO-4', title: { en: 'Anonymised data is not personal information', zh: '匿名化处理后的数据不属于个人信息' }, source: 'S-AUTO21 Arts. 3, 6', confidence: 'confirmed' },
    { id: 'AUTO-5', title: { en: 'Important-data processors report outbound details in the annual automobile data security report by 15 December', zh: '重要数据处理者于每年12月15日前报送年度汽车数据安全管理情况（含出境情况）' }, source: 'S-AUTO21 Arts. 11, 13-14', confidence: 'recalled' },
  ],
};
