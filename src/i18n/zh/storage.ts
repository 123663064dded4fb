/** 问题 19 的消息：数据库损坏、失效的锁文件、他人可读的密钥、决策日志的完整性。 */
import type { storage as en } from '../en/storage.js';

export const storage: Record<keyof typeof en, string> = {
  'storage.damaged': '台账数据库 {where} 已损坏：chujing 已停止，不再读写该数据库',
  'storage.damaged-detail': '数据库返回：{detail}',
  'storage.damaged-expected-pglite':
    '一个完好的数据库：停止所有 chujing 进程，将 {where} 的文件夹移到别处（留作调查），从备份恢复，然后运行 `chujing ledger verify`（用 `--against` 指定最近的锚点）；没有备份时，把出境记录重新写入新数据库（ledger import / record）',
  'storage.damaged-expected-postgres':
    '一个完好的数据库：查明是谁在 chujing 之外改动了 {where}（删除、清空或损坏了某张表），从备份恢复，然后运行 `chujing ledger verify`（用 `--against` 指定最近的锚点）',
  'storage.tables-missing': 'chujing 迁移所建的表 {tables} 已不存在',
};
