/** 问题 19 的消息：数据库损坏、失效的锁文件、他人可读的密钥、决策日志的完整性。 */
import type { storage as en } from '../en/storage.js';

export const storage: Record<keyof typeof en, string> = {
  'storage.damaged': '台账数据库 {where} 已损坏：chujing 已停止，不再读写该数据库',
  'storage.damaged-detail': '数据库返回：{detail}',
  'storage.damaged-expected-pglite':
    '一个完好的数据库：停止所有 chujing 进程，将 {where} 的文件夹移到别处（留作调查），从备份恢复，然后运行 `chujing ledger verify`（用 `--against` 指定最近的锚点）；没有备份时，把出境记录重新写入新数据库（`ledger import` / `record`）',
  'storage.damaged-expected-postgres':
    '一个完好的数据库：查明是谁在 chujing 之外改动了 {where}（删除、清空或损坏了某张表），从备份恢复，然后运行 `chujing ledger verify`（用 `--against` 指定最近的锚点）',
  'storage.disk-full': '数据库 {where} 无法写入：存放它的磁盘已满；本请求所要求的内容均未记录',
  'storage.disk-full-expected': '为存放 {where} 的磁盘腾出空间：下一次写入成功后 chujing 自行恢复（无需重启）',
  'storage.resources': '数据库 {where} 资源耗尽（内存或某项配置上限）；本请求所要求的内容均未记录',
  'storage.resources-expected': '为 {where} 提供更多内存，或在其消息指明的上限处调高上限：下一条语句成功后 chujing 自行恢复',
  'storage.unreachable': '无法连接数据库 {where}（其服务已停止或重启，或连接被切断）；本请求未获应答',
  'storage.unreachable-expected': '一个可应答的数据库服务：chujing 在下一个请求时自行重新连接（无需重启）；请把本请求视为被拒绝并重新发送',
  'storage.busy': '数据库 {where} 未能及时处理本请求：另一个会话锁住了它的表（管理员的 LOCK TABLE、长时间的 VACUUM FULL 或迁移），或管理员取消了该语句；本请求所要求的内容均未记录',
  'storage.busy-expected': '锁被释放：查明持有该锁的会话（{where} 上的 pg_stat_activity、pg_locks）；chujing 等待锁的时间不超过 `serve --database-lock-timeout`，下一次写入成功后自行恢复；请把本请求视为被拒绝并重新发送',
  'storage.tables-missing': 'chujing 迁移所建的表 {tables} 已不存在',
  'storage.lock-stale-empty': '已接管锁文件 {file}：其中没有持有者（在创建与写入之间崩溃而留下的空文件），不可能有进程持有它',
  'storage.lock-stale-dead': '已接管锁文件 {file}：其持有者（主机 {host} 上自 {since} 起的进程 {pid}）已不存在',
  'storage.key-file-readable': '密钥文件 {file} 可被其他用户读取（权限 {mode}）：本机任何人都可能取得该密钥',
  'storage.key-file-readable-detail': '权限 {mode}：组或其他用户可读；读到组织密钥者可伪造封印和检查点，读到锚点密钥者可签署锚点',
  'storage.key-file-readable-expected': '只有所有者可读的密钥文件：`chmod 600 {file}`（或在明知风险的情况下使用 `{flag}`）',
  'help.option.--allow-readable-key-file': '接受组或其他用户可读的密钥文件（本机任何人都可能因此取得密钥）：否则拒绝，请对其执行 `chmod 600`',
  'storage.decision-log-missing': '决策日志已断裂：第 {from} 至 {to} 条决策缺失（其表被清空或截断，或有行被删除）',
  'storage.decision-log-gaps': '决策日志已断裂：第 {from} 至 {to} 条之间缺失 {n} 条决策（`GET /v1/decision-log/verify` 会指出第一处）',
  'storage.decision-log-no-head': '决策日志已断裂：存在 {n} 条决策，但链头已被删除',
  'storage.decision-log-head-removed': '决策日志已断裂：其链头已被删除（本服务曾见到第 {seq} 条）',
  'storage.decision-log-rolled-back': '决策日志已断裂：其链头退回到第 {head} 条（本服务曾见到第 {seen} 条）',
  'storage.decision-log-head-mismatch': '决策日志已断裂：链头与第 {seq} 条决策不符',
  'storage.decision-log-bad-seal': '决策日志已断裂：第 {seq} 条处的链头没有组织密钥的封印（在 chujing 之外被改写）',
  'storage.decision-log-unchecked': '无法检查决策日志：{why}',
  'storage.decision-log-refused': '决策日志断裂期间拒绝作出决策（故障即关闭）：{problem}',
  'storage.decision-log-refused-expected': '修复后的决策日志（恢复数据库后重启服务），或以 `--accept-broken-decision-log` 启动的服务，在断裂的记录上继续作出决策',
  'help.serve.--accept-broken-decision-log': '决策日志被发现断裂时仍继续作出决策（默认：以 503 拒绝，故障即关闭）',
  'storage.decision-log-behind-anchor': '决策日志已断裂：其链头在第 {head} 条，落后于 {createdAt} 的锚点（第 {seq} 条）：决策被删除或日志被回滚',
  'storage.decision-log-diverged': '决策日志已断裂：第 {seq} 条决策不是 {createdAt} 的锚点所签署的那一条',
};
