/**
 * FTZ-4 / UPD-10: the Shanghai Lingang "general data list" (positive list, 17 May 2024) for intelligent
 * connected vehicles: data on it may go abroad without SA, SC or certification (EXEMPT-7), on
 * conditions — its videos and images contain no faces or licence plates, VINs do not identify a person
 * after the transfer, and it is not for ICV critical information infrastructure operators. The 23
 * categories and 158 fields were not recovered: a dataset says which scenario item it falls under
 * (`positiveListItems`), and the conditions are checked against its facts.
 */
import type { NegativeList } from '../../model/workspace.js';

const noFacesOrPlates = [
  { fact: 'outsideFaceOrPlateBoxes', comparator: '==' as const, threshold: 0 },
  { fact: 'maxFaceBoxMinSidePx', comparator: '==' as const, threshold: 0 },
  { fact: 'maxPlateBoxMinSidePx', comparator: '==' as const, threshold: 0 },
  { fact: 'distinctPersonsIdentifiableByVehicleIds', comparator: '==' as const, threshold: 0 },
];

export const shanghaiLingang2024: NegativeList = {
  id: 'shanghai-lingang-2024',
  kind: 'positive',
  zone: 'shanghai-lingang',
  name: 'Shanghai Lingang general data list (2024), intelligent connected vehicles',
  source: 'S-FTZ (realtorleslie.com; wanbiaoku.com); UPD-10',
  confidence: 'confirmed',
  excludesCiio: true,
  fillable: false,
  items: [
    { id: 'LG-ICV-1', title: { en: 'Transnational production and manufacturing', zh: '跨国生产制造' }, match: {}, requires: noFacesOrPlates, mechanism: 'security-assessment' },
    { id: 'LG-ICV-2', title: { en: 'Global R&D and testing', zh: '全球研发测试' }, match: {}, requires: noFacesOrPlates, mechanism: 'security-assessment' },
    { id: 'LG-ICV-3', title: { en: 'After-sales service', zh: '售后服务' }, match: {}, requires: noFacesOrPlates, mechanism: 'security-assessment' },
    { id: 'LG-ICV-4', title: { en: 'Global used-car trade', zh: '全球二手车贸易' }, match: {}, requires: noFacesOrPlates, mechanism: 'security-assessment' },
  ],
};
