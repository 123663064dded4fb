/** The life cycle's and engine's newer facts where people read them: the web UI and the documents (issues 19, 20). */
export const display = {
  // Documents
  'display.doc.deadline-provisional': '{what}: {date}, provisional: counted on the calendar of {years}, for which no official holiday notice is encoded.',
  'display.doc.extension-condition': 'Condition for extending {approval} (extension window {from} to {until}), UNCONFIRMED:',
  'display.doc.growth-condition': 'the persons whose personal information is exported must grow by no more than {max}% over the next {years} years ({confidence}; one of six conditions, the others not found). chujing cannot confirm it: confirm it before applying.',
  'doc.level.by-pack': 'under {pack}, the pack in force on the date of {transfers}: {level}',

  // Web UI
  'display.web.extension.heading': 'Conditions for an extension',
  'display.web.extension.unconfirmed': 'UNCONFIRMED',
  'display.web.extension.source': 'Source: {source}',
  'display.web.levels-by-pack': 'Level under other packs',
  'display.web.level-by-pack': '{pack}: {level} (judged so for {transfers})',
  'display.web.levels-on-date': 'Levels on the transfer\'s date',
  'display.web.level-on-date': '{dataset}: {level} under {pack}, the pack in force on this date (datasets table, under {reportPack}: {reportLevel})',
  'display.web.coverage': 'What each exemption claim covers',
  'display.web.coverage.exempted': 'taken out',
  'display.web.coverage.kept': 'not covered',
  'display.web.measurement-review': 'Measurement to review',
  'display.web.measurement-review.hint': 'A face or plate was measured just under a threshold: a person must confirm it before the transfer is settled.',
  'web.field.signed': 'Contract signed',
  'web.help.signed': 'Standard contract: the date it was signed; it cannot take effect before (HIST-4).',
} as const;
