import type { rendering as en } from '../en/rendering.js';

export const rendering: Record<keyof typeof en, string> = {
  'doc.render.browser-failed': '无法生成PDF：Chromium（{path}）未能启动',
  'doc.render.browser-expected': '安装 Debian 的 chromium 软件包（apt-get install chromium），或将 CHUJING_CHROMIUM 设为可正常运行的 Chromium 或 Chrome 可执行文件；或改用其他格式（--format docx、html 或 md）',
  'doc.render.format-mismatch': '--format {format} 与文件名 {file} 不符（该文件名表示{implied}文件）',
  'doc.render.format-mismatch-expected': '--out 文件名.{format}，或不指定 --format（按文件名确定格式）',
  'doc.render.unknown-extension': '无法从文件名 {file} 确定格式',
  'doc.render.unknown-extension-expected': '以 {extensions} 结尾的文件名，或用 --format 指定格式',
};
