/** 数据库层（src/store）的消息：打开、加锁、迁移。 */
import type { store as en } from '../en/store.js';

export const store: Record<keyof typeof en, string> = {
  'store.in-use': '数据库正被占用：另一个 chujing 进程（进程号 {pid}）正在使用内嵌台账数据库（{file}）',
  'store.in-use-expected': '等待另一个 chujing 进程结束（或设置 CHUJING_DB_WAIT_MS 以等待更久），或改用所有进程共享的 PostgreSQL 服务器（DATABASE_URL）',
  'store.in-use-server': '数据库正被占用：位于 {url} 的 chujing 服务（进程号 {pid}）独占内嵌台账数据库；请通过 {url} 的服务操作，或改用 PostgreSQL 服务器（DATABASE_URL）',
  'store.in-use-server-expected': '服务运行期间向 {url} 发送请求，或让服务与命令行都使用 DATABASE_URL=postgres://…',
  'store.server-url-unknown': '（地址尚未公布）',
  'store.held-by': '由主机 {host} 上的进程 {pid} 自 {since} 起持有',
  'store.held-by-unknown': '由另一个进程持有',
  'store.cannot-open': '无法打开 {dir} 中的内嵌台账数据库',
  'store.cannot-open-detail': 'PGlite 无法在其上启动（{detail}）；数据库已损坏，或曾被旧版 chujing 在创建途中强行终止而只创建了一半',
  'store.cannot-open-expected':
    '一个能打开的数据库：将 {dir} 移到别处（不要删除，留作调查），然后从备份恢复，或把出境记录重新写入新台账（ledger import / record）；若台账从未写入过，删除该文件夹是安全的',
  'store.bad-url': 'DATABASE_URL 不是 postgres:// 地址：{url}',
  'store.bad-url-detail': '不是 PostgreSQL 地址',
  'store.bad-url-expected': 'postgres://用户@主机:端口/数据库',
  'store.cannot-connect': '无法连接 PostgreSQL 服务器 {where}：{why}',
  'store.cannot-connect-expected': '一个可连接的 PostgreSQL 服务器',
  'store.newer-schema': '台账数据库含有本版本 chujing 不认识的结构版本 {have}（本版本最高认识 {know}）；它由更新版本的 chujing 写入：请升级 chujing',
};
