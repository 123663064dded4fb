/** The law's finer conditions and impossible histories (issue 19): FTZ zones, approval date order, automobile exemption scope, SA extension conditions, provisional calendars, packs by date. */
export const law = {
  'law.history.before': '{check}: approval {approval}: {later} ({laterDate}) is before {earlier} ({earlierDate}), which the procedure does not allow',
  'law.history.expected': '{later} on or after {earlier} ({earlierDate}) ({check}, docs/lifecycle.md)',
  'law.history.renewal-before': '{check}: approval {approval} renews {renewed}, but its {field} ({date}) is before {renewed} came into being ({renewedDate})',
  'law.history.renewal-expected': 'dates on or after {renewedDate}, or renews: the approval it really replaces',
  'law.ftz.zone-mismatch': 'the processor is registered in the {zone} free trade zone but names {list}, the list of the {listZone} zone: a zone\'s list applies only to processors registered in it (FTZ-1, EXEMPT-7)',
  'law.ftz.zone-expected': 'a list of the {zone} zone (one of {lists}), or ftz.zone: {listZone} if the processor is registered there',
  'law.auto.no-kind': '(no important data of any kind under this pack)',
  'law.auto.national-not-important': '{dataset} is important data: {rule}, a national exemption, never reaches important data (EXEMPT-8); it keeps PATH-SA-1',
  'law.auto.not-reached': '{dataset} is important data: under {pack} with settings.autoExemptionForImportantData {setting}, {rule} does not reach important data (EXEMPT-AUTO-4, Q-3); it keeps PATH-SA-1',
  'law.auto.not-of-kind': '{dataset} is important data not of the kind {rule} is about ({kind}): it is important under {by} (data type {dataType}); {rule} reaches only data important under {expected} (UPD-2), so {dataset} keeps PATH-SA-1',
  'law.auto.of-kind': '{dataset} is important data of the kind {rule} is about ({kind}: important under {by}): exempt under {rule} (UPD-2)',
  'law.claim.covers': '{dataset} is taken out of the transfer by {rule}',
  'law.claim.already': '{dataset} is already taken out by {by}; {rule} would also cover it',
  'law.why.levels-on-date': '{why} Judged on its date ({date}): {levels}.',
  'law.level-on-date': '{dataset} was {level} under {pack}, the pack in force then (the datasets table judges it under {reportPack}: {reportLevel})',
  'law.level-by-pack': '{pack}: {level}',
} as const;
