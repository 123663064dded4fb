/**
 * The web UI's words (web/src/i18n.ts) without a browser: a 403 from the server names the role and the
 * permission by their titles in the reader's language, never by their codes.
 */
import { describe, expect, it } from 'vitest';
import { msg } from '../../src/i18n/index.js';
import { titledCodes, Words } from '../../web/src/i18n.js';

describe('web UI words', () => {
  it('renders a 403 with the role and the permission by their titles', () => {
    const forbidden = msg('server.auth.forbidden', { role: 'viewer', permission: 'edit' }) as { code: string; params: Record<string, unknown> };
    const expected = msg('server.auth.roles-with', { roles: ['officer', 'admin'] }) as { code: string; params: Record<string, unknown> };
    const zh = new Words('zh');
    expect(zh.of(titledCodes(zh, forbidden))).toBe('角色 查看者 无权执行此操作（需要权限 编辑工作区）');
    expect(zh.of(titledCodes(zh, expected))).toBe('角色为 合规专员、管理员 的令牌');
    const en = new Words('en');
    const text = en.of(titledCodes(en, forbidden));
    expect(text).toContain('edit the workspace');
    expect(text).not.toMatch(/permission edit\b(?! the)/);
    // Other messages pass unchanged.
    const other = msg('server.auth.bad-token') as { code: string; params: Record<string, unknown> };
    expect(titledCodes(zh, other)).toEqual({ code: other.code, params: {} });
  });
});
