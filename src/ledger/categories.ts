/**
 * What the ledger counts, in distinct keyed hashes per organisation and calendar year (CNT-1, CNT-2):
 * persons (everyone whose PI was sent, sensitive or not), persons whose sensitive PI was sent (CNT-3,
 * PATH-SA-3), persons whose charging consumption data was sent (DRAFT-J12) and vehicles.
 * The numeric codes are stored in `ledger_person_hashes.category`: never renumber them.
 */
export const LEDGER_CATEGORIES = ['persons', 'sensitivePersons', 'chargingConsumptionPersons', 'vehicles'] as const;
export type LedgerCategory = (typeof LEDGER_CATEGORIES)[number];

export const CATEGORY_CODE: Record<LedgerCategory, number> = {
  persons: 1,
  sensitivePersons: 2,
  chargingConsumptionPersons: 3,
  vehicles: 4,
};

export function categoryOfCode(code: number): LedgerCategory | undefined {
  return LEDGER_CATEGORIES.find((c) => CATEGORY_CODE[c] === code);
}

export type PerCategory<T> = Record<LedgerCategory, T>;

export function perCategory<T>(make: (c: LedgerCategory) => T): PerCategory<T> {
  return Object.fromEntries(LEDGER_CATEGORIES.map((c) => [c, make(c)])) as PerCategory<T>;
}
