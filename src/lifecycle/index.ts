/**
 * Life cycle of approvals: the mainland working-day calendar, validity and deadlines (SA-4, SA-6, SC-2,
 * SC-3, CERT-4), coverage of transfers, change detection (SA-5, SC-5), the `status` report and its
 * iCalendar export.
 */
export * from './calendar.js';
export * from './scope.js';
export * from './coverage.js';
export * from './deadlines.js';
export * from './changes.js';
export * from './status.js';
export * from './messages.js';
export * from './render.js';
export * from './ics.js';
