/**
 * The facts a workspace may declare (`datasets[].facts`) and evidence may measure, with their types and
 * units. Every fact a rule pack or a built-in FTZ list tests is here, once; `chujing schema` lists them
 * so editors complete and check them, and the loader refuses a name that is not here (a typo must never
 * make a dataset silently "general"). Organisation rules may test their own facts, named `x-…`.
 * People read facts as words: `fact.<name>` in the message tables (src/i18n/*\/common.ts).
 */
export type FactType = 'number' | 'boolean';
export type FactUnit = 'px' | 'km' | 'h' | 'vehicles' | 'persons' | 'pictures' | 'days';

export interface FactDef {
  type: FactType;
  unit?: FactUnit;
  /** Computed by the engine, never declared (e.g. year-to-date counts, persons from personalInfo). */
  derived?: boolean;
}

export const FACTS = {
  nationalMajorProject: { type: 'boolean' },
  sensitiveGeoInfo: { type: 'boolean' },
  regionalEconomicOperation: { type: 'boolean' },
  lawEnforcementData: { type: 'boolean' },
  iovSecurityData: { type: 'boolean' },
  drivingAutomationResults: { type: 'boolean' },
  techSecurityImpact: { type: 'boolean' },
  maxFaceBoxMinSidePx: { type: 'number', unit: 'px' },
  maxPlateBoxMinSidePx: { type: 'number', unit: 'px' },
  outsideFaceOrPlateBoxes: { type: 'number' },
  rawImageryKm: { type: 'number', unit: 'km' },
  rawImageryHours: { type: 'number', unit: 'h' },
  rawPictures: { type: 'number', unit: 'pictures' },
  distinctVehicles: { type: 'number', unit: 'vehicles' },
  distinctPersonsIdentifiableByVehicleIds: { type: 'number', unit: 'persons' },
  vehiclesWithKeysOrCertificates: { type: 'number', unit: 'vehicles' },
  vehicleControlInstructions: { type: 'boolean' },
  chargingNetworkOperationData: { type: 'boolean' },
  exportControlledTechnology: { type: 'boolean' },
  prefectureFlowDataDays: { type: 'number', unit: 'days' },
  vehiclesWithChargingStatusData: { type: 'number', unit: 'vehicles' },
  platformServedVehicles: { type: 'number', unit: 'vehicles' },
  safetyOtaVehicles: { type: 'number', unit: 'vehicles' },
  otaVehicleControl: { type: 'boolean' },
  roadSignInfo: { type: 'boolean' },
  remoteControlData: { type: 'boolean' },
  surveyingMappingData: { type: 'boolean' },
  chargingConsumptionPersonsYTD: { type: 'number', unit: 'persons', derived: true },
  piPersons: { type: 'number', unit: 'persons', derived: true },
} as const satisfies Record<string, FactDef>;

export type FactName = keyof typeof FACTS;

/** Organisation-defined facts (tested by `overrides.rules`) are named x-… so they cannot shadow a real one. */
export const CUSTOM_FACT = /^x-[A-Za-z0-9][A-Za-z0-9-]*$/;

export function factDef(name: string): FactDef | undefined {
  return (FACTS as Record<string, FactDef>)[name];
}

/** Facts a workspace may declare (the derived ones are computed, never declared). */
export function declarableFacts(): string[] {
  return Object.entries(FACTS as Record<string, FactDef>)
    .filter(([, d]) => !d.derived)
    .map(([n]) => n);
}
