/**
 * cn-auto@2025-draft — MIIT et al., Security Guidelines for Outbound Transfer of Automobile Data (2025
 * edition), draft for comment of 13 June 2025 (汽车数据出境安全指引（2025版）（征求意见稿）, S-GD25), as
 * summarised by the project's seed document (S-SEED), which is authoritative for this pack.
 * Scenarios, data types and the twelve judgment rules DRAFT-J1..J12 of regulation.md §4.4.
 *
 * Where the seed says "more than", the Chinese original most likely says 以上 (CNT-10, Q-7): the
 * comparator is `>=` and stays data, so a reviewer can flip it with a workspace override.
 */
import type { JudgmentRule, RulePack, ScenarioDef } from '../types.js';
import { AUTO_EXEMPTION_REACH } from './auto-exemption-reach.js';
import { A21_CHARGING_NETWORK, A21_OUTSIDE_IMAGERY_REFINED, A21_PERSONS } from './cn-auto-2021.js';

/** The draft gives no article numbers; the seed summary (S-SEED) is how this project knows it. */
const SEED = 'S-GD25; S-SEED';

export const DRAFT_SCENARIOS: ScenarioDef[] = [
  {
    id: 'rnd-design',
    title: { en: 'R&D and design', zh: '研发设计' },
    dataTypes: [
      { id: 'product-development', title: { en: 'Product development data', zh: '产品研发数据' } },
      { id: 'product-testing', title: { en: 'Product testing data', zh: '产品测试数据' } },
    ],
  },
  {
    id: 'manufacturing',
    title: { en: 'Production and manufacturing', zh: '生产制造' },
    dataTypes: [
      { id: 'bill-of-materials', title: { en: 'Bill of materials', zh: '物料清单' } },
      { id: 'production-control-source-code', title: { en: 'Production-control program source code', zh: '生产控制程序源代码' } },
    ],
  },
  {
    id: 'driving-automation',
    title: { en: 'Driving automation', zh: '驾驶自动化' },
    dataTypes: [
      { id: 'driving-automation-algorithm', title: { en: 'Driving-automation algorithms', zh: '驾驶自动化算法' } },
      { id: 'algorithm-training-data', title: { en: 'Driving-automation algorithm training data', zh: '驾驶自动化算法训练数据' } },
      { id: 'algorithm-feature-data', title: { en: 'Driving-automation algorithm feature data', zh: '驾驶自动化算法特征数据' } },
    ],
  },
  {
    id: 'software-upgrade',
    title: { en: 'Software upgrade services', zh: '软件升级服务' },
    dataTypes: [{ id: 'software-upgrade-data', title: { en: 'Software upgrade data', zh: '软件升级数据' } }],
  },
  {
    id: 'connected-operation',
    title: { en: 'Networked (connected) operation', zh: '联网运行' },
    dataTypes: [
      { id: 'vehicle-data', title: { en: 'Vehicle data', zh: '车辆数据' } },
      { id: 'vehicle-road-perception-data', title: { en: 'Vehicle-road perception data', zh: '车路感知数据' } },
      { id: 'vehicle-road-analysis-data', title: { en: 'Vehicle-road analysis data', zh: '车路分析数据' } },
    ],
  },
  {
    id: 'platform-operation',
    title: { en: 'Vehicle-networking platform operation', zh: '车联网平台运营' },
    dataTypes: [
      { id: 'network-planning-data', title: { en: 'Network planning data', zh: '网络规划数据' } },
      { id: 'charging-operation-data', title: { en: 'Charging operation data', zh: '充电运营数据' } },
    ],
  },
];

/** Data types of imagery and sensor collections, to which the pixel and scale rules are relevant. */
const IMAGERY_TYPES = ['product-testing', 'algorithm-training-data', 'algorithm-feature-data', 'vehicle-road-perception-data'];
const FLEET_TYPES = [...IMAGERY_TYPES, 'vehicle-data', 'vehicle-road-analysis-data', 'charging-operation-data'];

export const DRAFT_JUDGMENT_RULES: JudgmentRule[] = [
  {
    id: 'DRAFT-J1',
    aliases: ['IMP-DA-G1'],
    title: { en: 'Included in national major science & technology projects or national key R&D plans', zh: '纳入国家重大专项、国家重点研发计划的数据' },
    conditions: [{ fact: 'nationalMajorProject', comparator: '==', threshold: true }],
    outcome: 'important',
    source: SEED,
    confidence: 'confirmed',
  },
  {
    id: 'DRAFT-J2',
    aliases: ['IMP-DA-G3', 'IMP-A21-1'],
    title: { en: 'Involves or can infer confidential or sensitive geographic information on military, defence or government bodies', zh: '涉及或可推断军事、国防、政府机关等涉密或敏感地理信息' },
    conditions: [{ fact: 'sensitiveGeoInfo', comparator: '==', threshold: true }],
    outcome: 'important',
    source: SEED,
    confidence: 'confirmed',
  },
  {
    id: 'DRAFT-J3',
    aliases: ['IMP-DA-G4', 'IMP-DA-G5', 'IMP-A21-2'],
    title: { en: 'Involves regional economic operation, or social public-security administrative law enforcement', zh: '涉及区域经济运行或社会治安行政执法' },
    conditions: [
      { fact: 'regionalEconomicOperation', comparator: '==', threshold: true },
      { fact: 'lawEnforcementData', comparator: '==', threshold: true },
    ],
    outcome: 'important',
    source: SEED,
    confidence: 'confirmed',
  },
  {
    id: 'DRAFT-J4',
    title: { en: 'Concerns the network and data security of the Internet of Vehicles, or the results of driving-automation functions', zh: '涉及车联网网络和数据安全，或驾驶自动化功能结果' },
    conditions: [
      { fact: 'iovSecurityData', comparator: '==', threshold: true },
      { fact: 'drivingAutomationResults', comparator: '==', threshold: true },
    ],
    outcome: 'important',
    source: SEED,
    confidence: 'confirmed',
  },
  {
    id: 'DRAFT-J5',
    title: { en: 'May affect national science & technology security or industry competitiveness', zh: '可能影响国家科技安全或产业竞争力' },
    conditions: [{ fact: 'techSecurityImpact', comparator: '==', threshold: true }],
    outcome: 'important',
    source: SEED,
    confidence: 'confirmed',
  },
  {
    id: 'DRAFT-J6',
    aliases: ['IMP-DA-R1', 'IMP-DA-R2'],
    title: {
      en: 'Product test data with a real outside-vehicle face bounding box whose shorter side is at least 32 px, or a real licence-plate bounding box whose shorter side is at least 16 px',
      zh: '车外真实人脸边界框最小边长32像素及以上或真实车牌边界框最小边长16像素及以上的产品测试数据',
    },
    conditions: [
      { fact: 'maxFaceBoxMinSidePx', comparator: '>=', threshold: 32, unit: 'px' },
      { fact: 'maxPlateBoxMinSidePx', comparator: '>=', threshold: 16, unit: 'px' },
    ],
    dataTypes: IMAGERY_TYPES,
    outcome: 'important',
    source: SEED,
    confidence: 'confirmed',
    note: { en: 'Measured as min(width, height) of the box (setting boxMeasure, Q-5); the annotation scanner measures it.', zh: '按边界框的最小边长 min(宽, 高) 计（设置 boxMeasure，Q-5）；由标注扫描器实测。' },
  },
  {
    id: 'DRAFT-J7',
    aliases: ['IMP-DA-R4', 'IMP-DA-R6'],
    title: { en: 'Collected from original images or video covering at least 50 million km or at least 2,000 hours in real environments', zh: '真实环境下累计5000万公里以上或2000小时以上的原始图像、原始视频采集数据' },
    conditions: [
      { fact: 'rawImageryKm', comparator: '>=', threshold: 50_000_000, unit: 'km' },
      { fact: 'rawImageryHours', comparator: '>=', threshold: 2_000, unit: 'h' },
    ],
    dataTypes: IMAGERY_TYPES,
    outcome: 'important',
    source: SEED,
    confidence: 'confirmed',
  },
  {
    id: 'DRAFT-J8',
    aliases: ['IMP-DA-R3'],
    title: { en: 'Collected from 100,000 or more vehicles operating in China', zh: '采集自境内运行的10万台以上车辆的数据' },
    conditions: [{ fact: 'distinctVehicles', comparator: '>=', threshold: 100_000, unit: 'vehicles' }],
    dataTypes: FLEET_TYPES,
    outcome: 'important',
    source: SEED,
    confidence: 'confirmed',
  },
  {
    id: 'DRAFT-J9',
    aliases: ['IMP-DA-C1'],
    title: { en: 'VINs and vehicle network-card identifiers that can identify 1 million or more persons in total', zh: '累计可识别100万人以上个人身份的车辆识别代号、车联网卡标识' },
    conditions: [{ fact: 'distinctPersonsIdentifiableByVehicleIds', comparator: '>=', threshold: 1_000_000, unit: 'persons' }],
    dataTypes: ['vehicle-data', 'vehicle-road-analysis-data', 'charging-operation-data'],
    outcome: 'important',
    source: SEED,
    confidence: 'confirmed',
  },
  {
    id: 'DRAFT-J10',
    aliases: ['IMP-DA-C2'],
    title: { en: 'Vehicle keys and digital certificates (secure boot, diagnosis, update, communication) of 100,000 or more vehicles in China', zh: '境内运行的10万台以上车辆安全启动、诊断、升级、通信过程中的车辆密钥和数字证书' },
    conditions: [{ fact: 'vehiclesWithKeysOrCertificates', comparator: '>=', threshold: 100_000, unit: 'vehicles' }],
    dataTypes: ['vehicle-data', 'software-upgrade-data'],
    outcome: 'important',
    source: SEED,
    confidence: 'confirmed',
  },
  {
    id: 'DRAFT-J11',
    aliases: ['IMP-DA-C3'],
    title: { en: 'Control instructions for vehicles operating in China', zh: '境内运行车辆的控制指令' },
    conditions: [{ fact: 'vehicleControlInstructions', comparator: '==', threshold: true }],
    dataTypes: ['vehicle-data', 'software-upgrade-data'],
    outcome: 'important',
    source: SEED,
    confidence: 'confirmed',
  },
  {
    id: 'DRAFT-J12',
    aliases: ['IMP-DA-C4'],
    title: { en: 'Charging consumption data of 1 million or more persons provided abroad in one year', zh: '一年内累计向境外提供100万人以上的充电消费数据' },
    conditions: [{ fact: 'chargingConsumptionPersonsYTD', comparator: '>=', threshold: 1_000_000, unit: 'persons' }],
    dataTypes: ['charging-operation-data', 'vehicle-data'],
    scope: 'year-to-date',
    outcome: 'important',
    source: SEED,
    confidence: 'confirmed',
    note: { en: 'Cumulative since 1 January across transfers (and the ledger), evaluated on each transfer.', zh: '自当年1月1日起跨出境活动（含台账）累计，逐项出境判断。' },
  },
];

export const cnAuto2025Draft: RulePack = {
  id: 'cn-auto@2025-draft',
  family: 'cn-auto',
  version: '2025-draft',
  title: { en: 'Automobile data outbound security guidelines, 2025 draft for comment', zh: '汽车数据出境安全指引（2025版）（征求意见稿）' },
  effective: '2025-06-13',
  source: 'S-GD25 via S-SEED',
  status: 'draft',
  note: { en: 'A draft for comment, never in force: applied to transfers dated from its publication to the 2026 final, as the reading the seed gives; the binding automobile text then was S-AUTO21 (cn-auto@2021).', zh: '征求意见稿，从未生效：适用于其发布至2026年正式版之间日期的出境活动，按源文档的理解；当时有约束力的汽车规定为 S-AUTO21（cn-auto@2021）。' },
  scenarios: DRAFT_SCENARIOS,
  judgmentRules: [...DRAFT_JUDGMENT_RULES, A21_CHARGING_NETWORK, A21_OUTSIDE_IMAGERY_REFINED, A21_PERSONS],
  exemptions: {
    'vulnerability-remediation': 'EXEMPT-AUTO-1',
  },
  // the draft does not say; the conservative default keeps important data in security assessment.
  autoExemptionsReachImportantData: { value: false, source: 'Q-3 / EXEMPT-AUTO-4 (draft silent; conservative)' },
  // Used only when settings.autoExemptionForImportantData is `exempt`: the same kinds as the final text.
  autoExemptionReach: { 'EXEMPT-AUTO-1': AUTO_EXEMPTION_REACH['EXEMPT-AUTO-1']! },
  references: [
    { id: 'EXEMPT-AUTO-0', title: { en: 'The guidelines list nine exemption situations', zh: '指引列明九类免予申报情形' }, source: 'S-GD25; S-GD26', confidence: 'confirmed' },
    {
      id: 'EXEMPT-AUTO-1',
      title: { en: 'Security-vulnerability data already reported to MIIT, transferred to remediate the vulnerability, is exempt', zh: '已向工业和信息化部报送的安全漏洞数据，为修补漏洞确需向境外提供的，免予申报' },
      source: 'S-SEED; S-GD26',
      confidence: 'confirmed',
    },
    {
      id: 'EXEMPT-AUTO-4',
      title: { en: 'Whether automobile exemptions also cover important data is unresolved (Q-3)', zh: '汽车行业豁免情形是否涵盖重要数据尚待确认' },
      source: 'S-GD26 secondary reports',
      confidence: 'UNCONFIRMED',
    },
  ],
};
