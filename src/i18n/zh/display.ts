import type { display as en } from '../en/display.js';

export const display: Record<keyof typeof en, string> = {
  // 文书
  'display.doc.deadline-provisional': '{what}：{date}，暂定：计算经过{years}年，尚无已编码的正式放假通知。',
  'display.doc.extension-condition': '{approval} 延期的条件（延期申请期间 {from} 至 {until}），未经证实：',
  'display.doc.growth-condition': '未来{years}年内出境个人信息的人数增长不超过{max}%（{confidence}；为六项条件之一，其余未查到）。chujing 无法确认，申请前请自行确认。',
  'doc.level.by-pack': '按 {transfers} 出境之日施行的规则包 {pack}：{level}',

  // 网页界面
  'display.web.extension.heading': '延期条件',
  'display.web.extension.unconfirmed': '未经证实',
  'display.web.extension.source': '来源：{source}',
  'display.web.levels-by-pack': '按其他规则包的级别',
  'display.web.level-by-pack': '{pack}：{level}（适用于 {transfers}）',
  'display.web.levels-on-date': '出境之日的数据级别',
  'display.web.level-on-date': '{dataset}：按出境之日施行的 {pack} 为{level}（数据表按 {reportPack} 为{reportLevel}）',
  'display.web.coverage': '各豁免情形的适用范围',
  'display.web.coverage.exempted': '予以豁免',
  'display.web.coverage.kept': '不在豁免范围内',
  'display.web.measurement-review': '待复核的测量结果',
  'display.web.measurement-review.hint': '测得的人脸或车牌尺寸略低于阈值：须由人员确认后，相关出境方可定论。',
  'web.field.signed': '合同签订日期',
  'web.help.signed': '标准合同：签订日期；合同不得早于签订日期生效（HIST-4）。',
};
