import type { provenance as en } from '../en/provenance.js';

export const provenance: Record<keyof typeof en, string> = {
  'provenance.carried-over-unconfirmed': '沿用征求意见稿，待对照官方附件核对',
  'confidence.with-provenance': '{confidence}（{provenance}）',
};
