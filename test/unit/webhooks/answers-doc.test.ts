import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ANSWERS } from '../../../src/webhooks/answers';
import { EVENT_ROUTES } from '../../../src/webhooks/events';

/** docs/webhooks.md states the receiver's tables: every answer with its status, every routed event type. */
const doc = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'webhooks.md'), 'utf8');

test.each(Object.entries(ANSWERS))('the answers table has %s with its status', (answer, { status }) => {
  expect(doc).toContain(`| \`${answer}\` | ${status} |`);
});

test('the answers table has no row the receiver does not give', () => {
  const section = doc.slice(doc.indexOf('## Answers'), doc.indexOf('## Metrics and logs'));
  const rows = [...section.matchAll(/^\| `([a-z-]+)` \| \d{3} \|/gm)].map((m) => m[1]);
  expect(rows.sort()).toEqual(Object.keys(ANSWERS).sort());
});

test.each(Object.keys(EVENT_ROUTES).filter((type) => EVENT_ROUTES[type as keyof typeof EVENT_ROUTES] === 'account'))('the set-up lists %s among the events to subscribe to', (type) => {
  const setup = doc.slice(doc.indexOf('## Setting it up in Moov'), doc.indexOf('## How a delivery is checked'));
  expect(setup).toContain(`\`${type}\``);
});
