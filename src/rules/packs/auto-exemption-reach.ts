import type { ExemptionReach } from '../types.js';

/**
 * UPD-2: S-GD26 brings into the exempt situations only important data *relating to* the vulnerability,
 * the incident or the OTA upgrade-package source code. Which important data that is, read on the rules
 * that make data important: IoV network and data security (DRAFT-J4, its iovSecurityData limb) for a
 * vulnerability or a security incident; OTA packages with vehicle-control upgrades (IMP-DA-S1) and
 * declared-important software-upgrade data for a recall. Imagery, maps, fleet flows and the results of
 * driving-automation functions are never of these kinds.
 */
export const AUTO_EXEMPTION_REACH: Record<string, ExemptionReach> = {
  'EXEMPT-AUTO-1': {
    kind: { en: 'security-vulnerability / IoV network and data security data', zh: '安全漏洞及车联网网络和数据安全数据' },
    importantBy: [{ rule: 'DRAFT-J4', facts: ['iovSecurityData'] }],
    dataTypes: [],
    source: 'UPD-2 (S-GD26, secondary: Economic Daily; Xinhua/Sina); DRAFT-J4 (S-GD25)',
    confidence: 'UNCONFIRMED',
  },
  'EXEMPT-AUTO-2': {
    kind: { en: 'security-incident data (IoV network and data security)', zh: '安全事件相关数据（车联网网络和数据安全）' },
    importantBy: [{ rule: 'DRAFT-J4', facts: ['iovSecurityData'] }],
    dataTypes: [],
    source: 'UPD-2 (S-GD26, secondary: Economic Daily; Xinhua/Sina); DRAFT-J4 (S-GD25)',
    confidence: 'UNCONFIRMED',
  },
  'EXEMPT-AUTO-3': {
    kind: { en: 'software-upgrade (OTA) data: upgrade packages and their source code', zh: '软件升级（OTA）数据：升级包及其源代码' },
    importantBy: [{ rule: 'IMP-DA-S1' }],
    dataTypes: ['software-upgrade-data'],
    source: 'UPD-2 (S-GD26, secondary: Xinhua/Sina); IMP-DA-S1 (S-FTZ Beijing item 6)',
    confidence: 'UNCONFIRMED',
  },
};
