/** What every builder receives: the view, the transfers the document covers, the working-day calendar. */
import type { WorkdayCalendar } from '../../../lifecycle/calendar.js';
import type { Selection } from '../select.js';
import type { DocumentsView, TransferView } from '../view.js';

export interface BuildContext {
  view: DocumentsView;
  /** The transfers this document covers (already checked to need it, see select.ts). */
  transfers: TransferView[];
  calendar: WorkdayCalendar;
  selection: Selection;
}
