/**
 * UPD-10: FTZ negative lists known to exist, with automobile content, whose rows were not found: the
 * Chongqing list (in force 1 September 2025; first batch intelligent connected vehicles only: 4
 * activities, 9 scenarios, 110 items) and the Fujian list (25 December 2025, two-year trial, includes
 * connected vehicles). A processor in these zones fills the items in (`negativeLists` with the same id);
 * until then chujing cannot tell what is off the list, so it never grants EXEMPT-7 on them.
 */
import type { NegativeList } from '../../model/workspace.js';

export const chongqingFtz2025: NegativeList = {
  id: 'chongqing-ftz-2025',
  kind: 'negative',
  zone: 'chongqing',
  name: 'Chongqing FTZ data-outbound negative list (2025), intelligent connected vehicles',
  source: 'UPD-10 (rows not found)',
  confidence: 'UNCONFIRMED',
  excludesCiio: false,
  fillable: true,
  items: [],
};

export const fujianFtz2025: NegativeList = {
  id: 'fujian-ftz-2025',
  kind: 'negative',
  zone: 'fujian',
  name: 'Fujian FTZ data-outbound negative list (2025 trial), incl. connected vehicles',
  source: 'UPD-10 (rows not found)',
  confidence: 'UNCONFIRMED',
  excludesCiio: false,
  fillable: true,
  items: [],
};
