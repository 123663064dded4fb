/**
 * FTZ-3: the Beijing pilot FTZ's data-outbound negative list (August 2024), automobile items deemed
 * important data. The first built-in negative list; a workspace adds others in `negativeLists` with the
 * same format.
 */
import type { NegativeList } from '../../model/workspace.js';

export const beijingFtz2024: NegativeList = {
  id: 'beijing-ftz-2024',
  kind: 'negative',
  zone: 'beijing',
  name: 'Beijing FTZ data-outbound negative list (2024), automobile',
  source: 'S-FTZ (che.yuansudz.com/news/6966390)',
  confidence: 'confirmed',
  excludesCiio: false,
  fillable: false,
  items: [
    { id: 'BJ-AUTO-1', title: { en: 'Geo-info, people and vehicle flow of military zones, defence units, county+ Party/government organs', zh: '军事管理区、国防科工单位、县级以上党政机关的地理信息、人员流量、车辆流量数据' }, match: { facts: ['sensitiveGeoInfo'] }, requires: [], mechanism: 'security-assessment' },
    { id: 'BJ-AUTO-2', title: { en: 'Vehicle flow, logistics reflecting economic operation', zh: '反映经济运行情况的车辆流量、物流等数据' }, match: { facts: ['regionalEconomicOperation', 'prefectureFlowDataDays'] }, requires: [], mechanism: 'security-assessment' },
    { id: 'BJ-AUTO-3', title: { en: 'Data reflecting charging-network operation in an area', zh: '反映区域充电网运行情况的数据' }, match: { dataTypes: ['charging-operation-data'] }, requires: [], mechanism: 'security-assessment' },
    { id: 'BJ-AUTO-4', title: { en: 'Outside-vehicle video/images containing faces, plates, road-sign information', zh: '包含人脸、车牌、道路标识信息的车外视频、图像数据' }, match: { facts: ['maxFaceBoxMinSidePx', 'maxPlateBoxMinSidePx', 'roadSignInfo'] }, requires: [], mechanism: 'security-assessment' },
    { id: 'BJ-AUTO-5', title: { en: 'Key connected-vehicle service data incl. remote control and vehicle working conditions', zh: '包含远程控制、车辆工况等车联网关键业务数据' }, match: { facts: ['vehicleControlInstructions', 'remoteControlData'] }, requires: [], mechanism: 'security-assessment' },
    { id: 'BJ-AUTO-6', title: { en: 'OTA data incl. vehicle control; after-sales data incl. ECUs', zh: '包含车辆控制的OTA数据；包含ECU的售后数据' }, match: { facts: ['otaVehicleControl'] }, requires: [], mechanism: 'security-assessment' },
    { id: 'BJ-AUTO-7', title: { en: 'Data usable for supply-chain/APT attacks on key connected-vehicle devices; CII-related transport data', zh: '可用于对车联网关键设备和部件实施供应链攻击、APT攻击的数据；交通领域关基保护相关数据' }, match: { facts: ['iovSecurityData'] }, requires: [], mechanism: 'security-assessment' },
  ],
};
