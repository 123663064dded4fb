import type { errors as en } from '../en/errors.js';

export const errors: Record<keyof typeof en, string> = {
  'error.expected': '（应为：{what}）',
  'error.internal': '内部错误（请报告）：{detail}',
  'path.outside-workspace': '{path} 指向工作区之外；chujing 只读写工作区内的文件',
  'path.inside-workspace-expected': '工作区文件夹内的路径（不得使用 ..、绝对路径或指向外部的符号链接）',
};
