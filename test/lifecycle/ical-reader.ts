/**
 * Read an .ics file back for the tests. With a standard parser when one is present — ical.js
 * (Mozilla's, used by Thunderbird) from node_modules, or from the file named by CHUJING_TEST_ICALJS
 * (its ESM entry, e.g. a copy unpacked in a temp folder) — and otherwise with a strict reader of the
 * RFC 5545 rules the tests rely on: CRLF only, physical lines of at most 75 octets, folding, nesting of
 * BEGIN/END, required VEVENT properties, TEXT unescaping.
 */
import { pathToFileURL } from 'node:url';

export interface ReadEvent {
  uid: string;
  summary: string;
  description: string;
  /** DTSTART as YYYY-MM-DD (all-day events). */
  start: string;
  end: string;
  dtstamp: string;
  /** SEQUENCE (0 when absent, as RFC 5545 says). */
  sequence: number;
  allDay: boolean;
  /** TRIGGER of each VALARM inside the event. */
  alarms: string[];
}

export interface ReadCalendar {
  parser: 'ical.js' | 'strict';
  events: ReadEvent[];
}

interface IcalComponent {
  getFirstPropertyValue(name: string): unknown;
  getFirstProperty(name: string): { type: string } | null;
  getAllSubcomponents(name: string): IcalComponent[];
}

interface IcalJs {
  parse(text: string): unknown;
  Component: new (jcal: unknown) => IcalComponent;
}

async function loadIcalJs(): Promise<IcalJs | null> {
  const candidates: string[] = [];
  if (process.env.CHUJING_TEST_ICALJS) candidates.push(pathToFileURL(process.env.CHUJING_TEST_ICALJS).href);
  candidates.push('ical.js');
  for (const spec of candidates) {
    try {
      const mod = (await import(spec)) as { default?: IcalJs } & IcalJs;
      return mod.default ?? mod;
    } catch {
      // not installed: try the next, then the strict reader
    }
  }
  return null;
}

const isoOf = (basic: string) => `${basic.slice(0, 4)}-${basic.slice(4, 6)}-${basic.slice(6, 8)}`;

function unescapeText(v: string): string {
  return v.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

export function strictRead(text: string): ReadEvent[] {
  if (!text.endsWith('\r\n')) throw new Error('the file does not end with CRLF');
  if (/[^\r]\n/.test(text) || /\r[^\n]/.test(text)) throw new Error('a line ending is not CRLF');
  const physical = text.slice(0, -2).split('\r\n');
  physical.forEach((l, i) => {
    if (Buffer.byteLength(l, 'utf8') > 75) throw new Error(`line ${i + 1} is longer than 75 octets`);
  });
  const logical: string[] = [];
  for (const l of physical) {
    if (l.startsWith(' ') || l.startsWith('\t')) {
      if (!logical.length) throw new Error('continuation line at the start');
      logical[logical.length - 1] += l.slice(1);
    } else logical.push(l);
  }
  const stack: string[] = [];
  const events: ReadEvent[] = [];
  let current: Record<string, { params: string; value: string }> | null = null;
  let alarm: Record<string, { params: string; value: string }> | null = null;
  let alarms: string[] = [];
  for (const line of logical) {
    const m = /^([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$/.exec(line);
    if (!m) throw new Error(`not a content line: ${line}`);
    const [, name, params, value] = m as unknown as [string, string, string, string];
    if (name === 'BEGIN') {
      stack.push(value);
      if (value === 'VEVENT') current = {};
      if (value === 'VALARM') alarm = {};
      continue;
    }
    if (name === 'END') {
      if (stack.pop() !== value) throw new Error(`END:${value} does not close the open component`);
      if (value === 'VALARM' && alarm) {
        for (const req of ['ACTION', 'TRIGGER']) if (!alarm[req]) throw new Error(`VALARM without ${req}`);
        alarms.push(alarm.TRIGGER!.value);
        alarm = null;
        continue;
      }
      if (value === 'VEVENT' && current) {
        for (const req of ['UID', 'DTSTAMP', 'DTSTART']) if (!current[req]) throw new Error(`VEVENT without ${req}`);
        const start = current.DTSTART!;
        events.push({
          uid: current.UID!.value,
          summary: unescapeText(current.SUMMARY?.value ?? ''),
          description: unescapeText(current.DESCRIPTION?.value ?? ''),
          start: isoOf(start.value),
          end: current.DTEND ? isoOf(current.DTEND.value) : '',
          dtstamp: current.DTSTAMP!.value,
          sequence: current.SEQUENCE ? Number(current.SEQUENCE.value) : 0,
          allDay: /VALUE=DATE(;|$)/.test(start.params) && /^\d{8}$/.test(start.value),
          alarms,
        });
        current = null;
        alarms = [];
      }
      continue;
    }
    if (stack.length === 0) throw new Error(`property outside VCALENDAR: ${name}`);
    // Properties of a nested VALARM belong to the alarm, not to the event.
    if (alarm) alarm[name.toUpperCase()] = { params, value };
    else if (current) current[name.toUpperCase()] = { params, value };
  }
  if (stack.length) throw new Error(`unclosed ${stack.join(', ')}`);
  return events;
}

export async function readIcs(text: string): Promise<ReadCalendar> {
  const ICAL = await loadIcalJs();
  if (!ICAL) return { parser: 'strict', events: strictRead(text) };
  const comp = new ICAL.Component(ICAL.parse(text));
  const events = comp.getAllSubcomponents('vevent').map((ev) => {
    const start = ev.getFirstPropertyValue('dtstart') as { toString(): string; isDate: boolean };
    const end = ev.getFirstPropertyValue('dtend') as { toString(): string } | null;
    const stamp = ev.getFirstPropertyValue('dtstamp') as { toString(): string };
    const sequence = ev.getFirstPropertyValue('sequence');
    return {
      uid: String(ev.getFirstPropertyValue('uid')),
      summary: String(ev.getFirstPropertyValue('summary') ?? ''),
      description: String(ev.getFirstPropertyValue('description') ?? ''),
      start: start.toString(),
      end: end ? end.toString() : '',
      dtstamp: stamp.toString(),
      sequence: sequence === null || sequence === undefined ? 0 : Number(sequence),
      allDay: start.isDate,
      alarms: ev.getAllSubcomponents('valarm').map((a) => String(a.getFirstPropertyValue('trigger'))),
    };
  });
  return { parser: 'ical.js', events };
}
