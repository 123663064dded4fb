/** The law's finer conditions and impossible histories (issue 19): FTZ zones, approval date order, automobile exemption scope, SA extension conditions, provisional calendars, packs by date. */
export const law = {
  'law.history.before': '{check}: approval {approval}: {later} ({laterDate}) is before {earlier} ({earlierDate}), which the procedure does not allow',
  'law.history.expected': '{later} on or after {earlier} ({earlierDate}) ({check}, docs/lifecycle.md)',
  'law.history.renewal-before': '{check}: approval {approval} renews {renewed}, but its {field} ({date}) is before {renewed} came into being ({renewedDate})',
  'law.history.renewal-expected': 'dates on or after {renewedDate}, or renews: the approval it really replaces',
  'law.ftz.zone-mismatch': 'the processor is registered in the {zone} free trade zone but names {list}, the list of the {listZone} zone: a zone\'s list applies only to processors registered in it (FTZ-1, EXEMPT-7)',
  'law.ftz.zone-expected': 'a list of the {zone} zone (one of {lists}), or ftz.zone: {listZone} if the processor is registered there',
} as const;
