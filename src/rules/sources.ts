/**
 * The sources rules cite (regulation.md §0.2), with their official titles, so that a reference a user
 * is shown can be resolved to an instrument and its articles. docs/sources.md lists the same table.
 */
export interface SourceDef {
  key: string;
  title: { en: string; zh: string };
  /** Issuer, number and date, as far as known. */
  issued: { en: string; zh: string };
  status: { en: string; zh: string };
}

export const SOURCES: readonly SourceDef[] = [
  { key: 'S-PIPL', title: { en: 'Personal Information Protection Law of the PRC', zh: '中华人民共和国个人信息保护法' }, issued: { en: 'NPC Standing Committee, 2021-08-20', zh: '全国人大常委会，2021-08-20' }, status: { en: 'in force since 2021-11-01', zh: '2021年11月1日起施行' } },
  { key: 'S-SAM', title: { en: 'Measures for Security Assessment of Outbound Data Transfer', zh: '数据出境安全评估办法' }, issued: { en: 'CAC Order No. 11, 2022-07-07', zh: '国家互联网信息办公室令第11号，2022-07-07' }, status: { en: 'in force since 2022-09-01 (amended by S-PROV)', zh: '2022年9月1日起施行（经《促进和规范数据跨境流动规定》调整）' } },
  { key: 'S-SCM', title: { en: 'Measures on the Standard Contract for Outbound Transfer of Personal Information', zh: '个人信息出境标准合同办法' }, issued: { en: 'CAC Order No. 13, 2023-02-22', zh: '国家互联网信息办公室令第13号，2023-02-22' }, status: { en: 'in force since 2023-06-01', zh: '2023年6月1日起施行' } },
  { key: 'S-PROV', title: { en: 'Provisions on Promoting and Regulating Cross-Border Data Flows', zh: '促进和规范数据跨境流动规定' }, issued: { en: 'CAC Order No. 16, 2024-03-22', zh: '国家互联网信息办公室令第16号，2024-03-22' }, status: { en: 'in force since 2024-03-22', zh: '2024年3月22日起施行' } },
  { key: 'S-CERT', title: { en: 'Measures for Certification of Personal Information Outbound Transfer', zh: '个人信息出境认证办法' }, issued: { en: 'CAC and SAMR Order No. 20, 2025-10-14', zh: '国家互联网信息办公室、国家市场监督管理总局令第20号，2025-10-14' }, status: { en: 'in force since 2026-01-01', zh: '2026年1月1日起施行' } },
  { key: 'S-NDSMR', title: { en: 'Regulations on Network Data Security Management', zh: '网络数据安全管理条例' }, issued: { en: 'State Council Decree No. 790, 2024-09-24', zh: '国务院令第790号，2024-09-24' }, status: { en: 'in force since 2025-01-01', zh: '2025年1月1日起施行' } },
  { key: 'S-AUTO21', title: { en: 'Several Provisions on Automobile Data Security Management (Trial)', zh: '汽车数据安全管理若干规定（试行）' }, issued: { en: 'CAC and four departments, Order No. 7, 2021-08-16', zh: '国家互联网信息办公室等五部门令第7号，2021-08-16' }, status: { en: 'in force since 2021-10-01', zh: '2021年10月1日起施行' } },
  { key: 'S-GD25', title: { en: 'Security Guidelines for Outbound Transfer of Automobile Data (2025 edition), draft for comment', zh: '汽车数据出境安全指引（2025版）（征求意见稿）' }, issued: { en: 'MIIT and seven departments, 2025-06-13', zh: '工业和信息化部等八部门，2025-06-13' }, status: { en: 'draft for comment, never in force', zh: '征求意见稿，未生效' } },
  { key: 'S-GD26', title: { en: 'Automobile Data Outbound Security Guidelines (2026 edition)', zh: '汽车数据出境安全指引（2026版）' }, issued: { en: 'MIIT and seven departments, 2026-01-30 (published 2026-02-03)', zh: '工业和信息化部等八部门，2026-01-30（2026-02-03发布）' }, status: { en: 'in force since 2026-01-30 (one source says 2026-07-01, UPD-5); official annex not encoded (Q-6)', zh: '2026年1月30日起施行（一说2026年7月1日，UPD-5）；官方附件尚未编码（Q-6）' } },
  { key: 'S-QA', title: { en: 'Data Outbound Security Management Policy Q&A (April 2025)', zh: '数据出境安全管理政策问答（2025年4月）' }, issued: { en: 'CAC, 2025-04-09', zh: '国家互联网信息办公室，2025-04-09' }, status: { en: 'published guidance', zh: '已发布的政策问答' } },
  { key: 'S-43697', title: { en: 'GB/T 43697-2024 Data security technology — Rules for data classification and grading', zh: 'GB/T 43697-2024 数据安全技术 数据分类分级规则' }, issued: { en: 'SAMR and SAC, 2024-03-15', zh: '国家市场监督管理总局、国家标准化管理委员会，2024-03-15' }, status: { en: 'national standard, effective 2024-10-01', zh: '国家标准，2024年10月1日起实施' } },
  { key: 'S-44464', title: { en: 'GB/T 44464-2024 General requirements of vehicle data', zh: 'GB/T 44464-2024 汽车数据通用要求' }, issued: { en: 'SAMR and SAC, 2024-08-23', zh: '国家市场监督管理总局、国家标准化管理委员会，2024-08-23' }, status: { en: 'national standard, effective 2024-08-23', zh: '国家标准，2024年8月23日起实施' } },
  { key: 'S-FTZ', title: { en: 'Pilot free trade zone data-outbound lists (Tianjin, Beijing, Shanghai Lingang and others)', zh: '自由贸易试验区数据出境清单（天津、北京、上海临港等）' }, issued: { en: 'provincial cyberspace commissions, 2024–2025', zh: '各省级网信部门，2024–2025年' }, status: { en: 'in force in their zones', zh: '在各自试验区内适用' } },
  { key: 'S-SEED', title: { en: 'Law-firm summary of the 2025 draft guidelines (the project\'s source document)', zh: '律所对2025年征求意见稿的摘要（本项目的源文档）' }, issued: { en: '2025-06-27', zh: '2025-06-27' }, status: { en: 'secondary; authoritative only for the draft pack', zh: '二手资料；仅作为征求意见稿规则包的依据' } },
  { key: 'S-SEED-QA', title: { en: 'Summary of the CAC Q&A of April 2025 (the project\'s source document)', zh: '国家网信办2025年4月政策问答摘要（本项目的源文档）' }, issued: { en: '2025', zh: '2025年' }, status: { en: 'secondary', zh: '二手资料' } },
  { key: 'S-TOOL', title: { en: 'Third-party open-source tools encoding the draft\'s trigger conditions', zh: '第三方开源工具对征求意见稿触发条件的编码' }, issued: { en: 'unofficial, 2025', zh: '非官方，2025年' }, status: { en: 'unofficial: rules citing it are UNCONFIRMED', zh: '非官方：引用它的规则均为未经证实' } },
  { key: 'UPD', title: { en: 'Research update of November 2026 (regulation.md §13)', zh: '2026年11月研究更新（regulation.md 第13节）' }, issued: { en: '2026-11', zh: '2026年11月' }, status: { en: 'secondary sources, as marked per item', zh: '二手资料，逐项标注' } },
];

/** Source keys a `source` text cites (S-PROV Art. 7; S-GD25/26 → S-PROV, S-GD25, S-GD26). */
export function citedSources(source: string): string[] {
  const keys = new Set<string>();
  for (const m of source.matchAll(/\b(S-[A-Z0-9]+(?:-QA)?|UPD)(?:-\d+)?(?:\/(\d+))?/g)) {
    keys.add(m[1]!);
    if (m[2] && m[1]!.startsWith('S-GD')) keys.add(`S-GD${m[2]}`);
  }
  return [...keys];
}

export function findSource(key: string): SourceDef | undefined {
  return SOURCES.find((s) => s.key === key);
}

/** 5 → 五, 14 → 十四, 1259 → 一千二百五十九: article numbers as Chinese statutes write them. */
export function chineseArticleNumber(n: number): string {
  const digits = '零一二三四五六七八九';
  if (!Number.isInteger(n) || n <= 0 || n >= 10_000) return String(n);
  if (n < 10) return digits[n]!;
  if (n < 20) return `十${n % 10 ? digits[n % 10] : ''}`;
  const units = ['', '十', '百', '千'];
  const parts = String(n).split('').map(Number);
  let out = '';
  let zero = false;
  parts.forEach((d, i) => {
    const unit = units[parts.length - 1 - i]!;
    if (d === 0) zero = out.length > 0;
    else {
      if (zero) out += '零';
      zero = false;
      out += digits[d]! + unit;
    }
  });
  return out;
}

/** "5(1)" → 第五条第（一）项; "13-14" → 第十三条至第十四条. */
function chineseArticles(refs: string): string {
  return refs
    .trim()
    .split(/,\s*/)
    .map((ref) =>
      ref
        .split(/[-–]/)
        .map((one) => {
          const m = /^(\d+)(?:\((\d+)\))?$/.exec(one.trim());
          if (!m) return one.trim();
          return `第${chineseArticleNumber(Number(m[1]))}条${m[2] ? `第（${chineseArticleNumber(Number(m[2]))}）项` : ''}`;
        })
        .join('至'),
    )
    .join('、');
}

/**
 * A citation as people read it: "S-PROV Art. 7" in English; in Chinese the instrument's own title and
 * the article as statutes write it — 《促进和规范数据跨境流动规定》第七条 — and the qualifiers in
 * Chinese. No key (S-PROV, UPD-2) reaches a Chinese reader: a research item cites what it summarises.
 */
export function formatSource(source: string, lang: 'en' | 'zh'): string {
  if (lang === 'en') return source;
  // A research item (UPD-2 (S-GD26, secondary)) cites the document it summarises.
  let out = source.replace(/\bUPD-\d+ \(([^)]*)\)/g, '$1');
  // A bare research item next to the document it summarises adds nothing for the reader.
  out = out.replace(/(?:[;,]\s*)?\bUPD-\d+\b(?!\s*\()/g, (m) => (out.trim() === m.trim() ? m : ''));
  out = out.replace(/\bArt\. (\d+\(\d+\))/g, (_, ref: string) => chineseArticles(ref));
  out = out.replace(/\bArts?\. ([\d, \-–]+?)(?=(?:;|$| [a-z]|\)))/g, (_, refs: string) => chineseArticles(refs));
  out = out.replace(/§(\d+)\((\d+)\)/g, (_, a: string, b: string) => `第${chineseArticleNumber(Number(a))}部分第（${chineseArticleNumber(Number(b))}）项`);
  // "S-GD25 via S-SEED": the text as reported by the seed.
  out = out.replace(/ via (S-[A-Z0-9-]+)/g, '（据 $1）');
  out = out.replace(/(\S+) summary of (S-[A-Z0-9]+)/g, '$1对$2的摘要');
  out = out.replace(/MIIT remarks on (S-[A-Z0-9]+)/g, '工业和信息化部就$1答记者问');
  out = out.replace(/S-GD25\/26/g, 'S-GD25及S-GD26');
  for (const [en, zh] of CITATION_WORDS) out = out.split(en).join(zh);
  // Chinese punctuation, no spaces between Chinese words.
  out = out.replace(/; /g, '；').replace(/, /g, '，').replace(/ ?\(/g, '（').replace(/\)/g, '）');
  out = out.replace(/(?<=[\u3000-\u9fff》）]) +(?=[\u3000-\u9fff《（\d])/g, '').replace(/(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])/g, '');
  // Keys last: the longest first (S-SEED-QA before S-SEED).
  for (const def of [...SOURCES].sort((a, b) => b.key.length - a.key.length)) {
    if (def.key === 'UPD') continue;
    out = out.replace(new RegExp(`\\b${def.key}\\b(?!-)`, 'g'), `《${def.title.zh}》`);
  }
  return out.replace(/》 +/g, '》').replace(/ +《/g, '《');
}

const CITATION_WORDS: [string, string][] = [
  ['(carried over)', '（沿用）'],
  ['(rows not found)', '（未找到条目原文）'],
  ['PRC Civil Code', '《中华人民共和国民法典》'],
  ['MIIT notice, Sept 2021', '工业和信息化部通知（2021年9月）'],
  ['CAC Q&A, January 2026', '国家网信办答问（2026年1月）'],
  ['CAC Q&A, July 2026', '国家网信办答问（2026年7月）'],
  ['s8fe.ai', '第三方网站s8fe.ai'],
  ['(DLA Piper; Xinhua)', '（欧华律师事务所解读；新华社）'],
  ['(DLA Piper)', '（欧华律师事务所解读）'],
  ['Q-2', '待决问题二'],
  ['mock rule', '模拟规则'],
  ['structure', '结构'],
  ["People's Daily / Xinhua", '人民日报/新华社'],
  ['common practice', '通行做法'],
  ['third-party memo', '第三方法律备忘录'],
  ['SC filing guide (1st ed.)', '《个人信息出境标准合同备案指南（第一版）》'],
  ['SC filing guide', '《个人信息出境标准合同备案指南》'],
  ['SA declaration guide templates', '《数据出境安全评估申报指南》所附模板'],
  ['SA declaration guide, 3rd ed.', '《数据出境安全评估申报指南（第三版）》'],
  ['SA declaration guide', '《数据出境安全评估申报指南》'],
  ['1st ed. confirmed', '第一版已核实'],
  ['(1st ed.)', '（第一版）'],
  ['provincial practice', '各省实践'],
  ['mzyfz analysis', '民主与法制网分析文章'],
  ['3rd ed.', '第三版'],
  ['current layout secondary', '现行版式据二手资料'],
  ['current layout', '现行版式'],
  ["People's Daily", '人民日报'],
  ['official remarks', '官方答记者问'],
  ['not found in an official source', '未见于官方来源'],
  ['CAC Q&A', '国家网信办答问'],
  ['(secondary)', '（二手资料）'],
  ['secondary reports', '二手报道'],
  ['secondary', '二手资料'],
  [' proviso', '但书'],
  ['proviso', '但书'],
  ['CAC Q&A summary', '国家网信办答问摘要'],
  ['mock rule', '模拟规则'],
  ['garbled summary', '残缺摘要'],
  ['summary', '摘要'],
  ['Beijing', '北京'],
  ['item', '条目'],
  ['rows not found', '条目未找到'],
  ['no automobile exemptions', '无汽车行业豁免情形'],
  ['draft silent; conservative', '征求意见稿未规定；从严'],
  ['Economic Daily', '经济日报'],
  ['Xinhua/Sina', '新华社/新浪'],
  ['Xinhua', '新华社'],
];
