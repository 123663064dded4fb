/**
 * What `chujing init` writes: the starter workspace in English and in Chinese (same fields and values,
 * comments and names in the language), and the .gitignore that keeps the local state out of git.
 * Both templates validate and assess as they are (test/cli/init.test.ts).
 */
import type { Lang } from '../../i18n/index.js';

const EN = `# chujing workspace — compliance as code. Run \`chujing schema\` for every field,
# \`chujing validate\` to check this file, \`chujing assess\` to get the paths.
version: 1

organization:
  id: my-company                # short id, used in transfers and approvals
  name: My Automotive (China) Co., Ltd.
  processorType: oem            # oem | parts-supplier | software-supplier | telecom-operator |
                                # autonomous-driving-provider | platform-operator | dealer |
                                # maintenance | mobility-service | other      (SCOPE-2)
  ciio: false                   # designated critical information infrastructure operator (PATH-SA-4)
  ftz: null                     # or { zone: beijing, list: beijing-ftz-2024 }  (EXEMPT-7, FTZ-3)

# rulePack: cn-auto@2026      # pin a pack; default: the pack in force on each transfer's date

settings:                       # open questions of the regulation, conservative defaults (shown in every report)
  sensitiveOverlap: count-in-both        # Q-1
  countExemptTransfers: false            # Q-2 / CNT-6
  autoExemptionForImportantData: security-assessment   # Q-3
  auto21PersonsAsImportant: advisory     # Q-4
  boxMeasure: min-side                   # Q-5
  hmacKeyEnv: CHUJING_HMAC_KEY           # where the secret for hashing identifiers is read from

datasets:
  - id: crm-buyers
    name: Car buyers in the CRM (name, phone)
    scenario: other             # a catalogue scenario (chujing rules) or other
    dataType: customer-records
    personalInfo:
      persons: 50000            # distinct persons (CNT-1)
      sensitivePersons: 0
      categories: [name, phone]
      subjects: [customers]

  - id: road-test-video
    name: Outside-vehicle road-test video
    scenario: driving-automation
    dataType: algorithm-training-data
    facts:                      # declared facts (regulation.md §4.4); evidence files replace them
      rawImageryHours: 1200
      distinctVehicles: 40
      maxFaceBoxMinSidePx: 20
      maxPlateBoxMinSidePx: 12
    # evidence:
    #   - { kind: annotations, path: data/labels.json, format: coco }

recipients:
  - id: hq
    name: Overseas headquarters
    country: DE

transfers:
  - id: t-001
    date: 2026-03-01
    kind: transmit              # transmit | remote-access | offshore-processing  (OUT-1..3)
    datasets: [crm-buyers]
    recipient: hq
    purpose: global CRM
    exemptionClaims: []         # e.g. [contract-necessity] with a basis; checked against the facts

approvals: []                   # security-assessment | standard-contract | certification
`;

const ZH = `# chujing 工作区：以代码管理合规。字段说明见 \`chujing schema\`，
# 用 \`chujing validate\` 检查本文件，用 \`chujing assess\` 得出每项数据出境的路径。
# 字段名和取值（如 oem、transmit）保持英文，是格式的一部分；名称、用途等可以写中文。
version: 1

organization:
  id: my-company                # 简短标识，数据出境和审批中引用
  name: 我的汽车（中国）有限公司
  processorType: oem            # 汽车数据处理者类型：\`oem\`（整车企业）| \`parts-supplier\`（零部件供应商）|
                                # \`software-supplier\`（软件供应商）| \`telecom-operator\`（电信运营商）|
                                # \`autonomous-driving-provider\`（自动驾驶服务商）| \`platform-operator\`（平台运营者）|
                                # \`dealer\`（经销商）| \`maintenance\`（维修机构）| \`mobility-service\`（出行服务）|
                                # \`other\`（其他）（SCOPE-2）
  ciio: false                   # 是否为关键信息基础设施运营者（PATH-SA-4）
  ftz: null                     # 自贸试验区，例如 \`{ zone: beijing, list: beijing-ftz-2024 }\`（EXEMPT-7、FTZ-3）

# rulePack: cn-auto@2026      # 指定规则包；默认按每项出境日期适用当时有效的规则包

settings:                       # 法规待明确事项，默认取审慎做法（每份报告都会列出）
  sensitiveOverlap: count-in-both        # 问题1：含敏感个人信息的个人同时计入个人信息人数
  countExemptTransfers: false            # 问题2 / CNT-6：依豁免情形出境的人数不计入累计数
  autoExemptionForImportantData: security-assessment   # 问题3：汽车行业豁免不适用于重要数据，仍须安全评估
  auto21PersonsAsImportant: advisory     # 问题4：2021年“超过10万人即为重要数据”的规定仅作提示
  boxMeasure: min-side                   # 问题5：以边界框的短边与像素阈值比较
  hmacKeyEnv: CHUJING_HMAC_KEY           # 散列标识符所用密钥所在的环境变量（密钥本身不写入工作区）

datasets:
  - id: crm-buyers
    name: 客户关系管理系统中的购车客户（姓名、手机号）
    scenario: other             # 目录中的场景（见 \`chujing rules\`），或 \`other\`
    dataType: customer-records
    personalInfo:
      persons: 50000            # 不重复的个人数量（CNT-1）
      sensitivePersons: 0       # 其中含敏感个人信息的个人数量
      categories: [name, phone] # 个人信息类别：姓名、手机号
      subjects: [customers]     # 个人信息主体：客户

  - id: road-test-video
    name: 道路测试车外视频
    scenario: driving-automation
    dataType: algorithm-training-data
    facts:                      # 声明的事实（regulation.md 第4.4节）；证据文件测量值优先
      rawImageryHours: 1200     # 原始影像时长（小时）
      distinctVehicles: 40      # 采集车辆数（台）
      maxFaceBoxMinSidePx: 20   # 最大车外人脸框短边（像素）
      maxPlateBoxMinSidePx: 12  # 最大车牌框短边（像素）
    # evidence:                 # 要测量的文件（相对于工作区的路径）
    #   - { kind: annotations, path: data/labels.json, format: coco }

recipients:
  - id: hq
    name: 境外总部
    country: DE                 # 国家或地区代码；中国香港、澳门、台湾也属于境外（OUT-4）

transfers:
  - id: t-001
    date: 2026-03-01
    kind: transmit              # 出境方式：\`transmit\`（传输）| \`remote-access\`（境外访问）| \`offshore-processing\`（境外处理）（OUT-1..3）
    datasets: [crm-buyers]
    recipient: hq
    purpose: 全球客户关系管理
    exemptionClaims: []         # 主张的豁免情形，例如 \`[contract-necessity]\` 并写明依据；会对照事实核实

approvals: []                   # 审批与备案：\`security-assessment\`（数据出境安全评估）| \`standard-contract\`（个人信息出境标准合同备案）| \`certification\`（个人信息保护认证）
`;

export function starterWorkspace(lang: Lang): string {
  return lang === 'zh' ? ZH : EN;
}

/** For callers that want the English starter (kept for compatibility). */
export const STARTER_WORKSPACE = EN;

/**
 * What belongs in git and what does not. `.chujing/` holds local state: the embedded ledger database
 * (db/, one machine's copy; a team shares a DATABASE_URL server), the evidence cache and the ledger
 * summary (both rebuilt from the sources). `.chujing/calendar.yaml` is the organisation's own
 * working-day calendar years: reviewed like the rest of the workspace, so it stays in git — as do the
 * ledger's signed anchor and public key (ledger-anchor.json, ledger-anchor.pub), which live beside
 * chujing.yaml precisely so that they are committed.
 */
const GITIGNORE: Record<Lang, string> = {
  en: `# chujing: local state (embedded ledger database, evidence cache, ledger summary) stays out of git.
# .chujing/calendar.yaml (your working-day calendar years) is kept, like ledger-anchor.json and
# ledger-anchor.pub beside chujing.yaml. Never commit the HMAC key or an anchor's private key.
.chujing/*
!.chujing/calendar.yaml
`,
  zh: `# chujing：本地状态（内置台账数据库、证据缓存、台账摘要）不纳入 git。
# 保留 .chujing/calendar.yaml（本组织补充的工作日历年份），以及 chujing.yaml 旁的
# ledger-anchor.json 和 ledger-anchor.pub。HMAC 密钥和锚点私钥切勿提交。
.chujing/*
!.chujing/calendar.yaml
`,
};

export function gitignoreBlock(lang: Lang): string {
  return GITIGNORE[lang];
}

/** Whether an existing .gitignore already deals with .chujing/ (then it is left as it is). */
export function gitignoreMentionsChujing(text: string): boolean {
  return text.split(/\r?\n/).some((line) => /^\s*!?\/?\.chujing(\/|\s*$)/.test(line));
}
