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
  'storage.lock-stale-empty': '已接管锁文件 {file}：其中没有持有者（在创建与写入之间崩溃而留下的空文件），不可能有进程持有它',
  'storage.lock-stale-dead': '已接管锁文件 {file}：其持有者（主机 {host} 上自 {since} 起的进程 {pid}）已不存在',
  'storage.key-file-readable': '密钥文件 {file} 可被其他用户读取（权限 {mode}）：本机任何人都可能取得该密钥',
  'storage.key-file-readable-detail': '权限 {mode}：组或其他用户可读；读到组织密钥者可伪造封印和检查点，读到锚点密钥者可签署锚点',
  'storage.key-file-readable-expected': '只有所有者可读的密钥文件：`chmod 600 {file}`（或在明知风险的情况下使用 {flag}）',
  'help.option.--allow-readable-key-file': '接受组或其他用户可读的密钥文件（本机任何人都可能因此取得密钥）：否则拒绝，请对其执行 chmod 600',
};
