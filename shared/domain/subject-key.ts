/** One string per customer or subscription, to key maps of their states and events. */
import type { StatusSubject } from './status-events.js';

export function subjectKey(subject: StatusSubject): string {
  return `${subject.kind === 'customer' ? 'C' : 'S'}#${subject.id}`;
}
