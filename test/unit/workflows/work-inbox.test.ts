import { parseRemediationInput, type ValidRemediationInput } from '../../../src/domain/remediation-input';
import { MoovNews, REMEMBERED_EVENT_IDS } from '../../../src/workflows/moov-news';
import { WorkInbox } from '../../../src/workflows/work-inbox';

/** The per-item answers of the addWork update, and what is carried over continue-as-new (pure: no Temporal). */

function input(raw: unknown): ValidRemediationInput {
  const parsed = parseRemediationInput(raw);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.input;
}

const ACCOUNT = 'acct-1';
const passport = { path: 'docs/passport.pdf', filePurpose: 'identity_verification' as const };

test('files: the same purpose and path (any spelling) is already present; a new one is accepted and pending', () => {
  const inbox = new WorkInbox(input({ accountID: ACCOUNT, files: [passport] }));
  expect(inbox.offer({ files: [{ ...passport, path: './docs//passport.pdf' }] })).toEqual([{ kind: 'file', key: 'identity_verification:docs/passport.pdf', outcome: 'already-present' }]);
  expect(inbox.hasPending()).toBe(false);
  const bill = { path: 'bill.png', filePurpose: 'business_verification' as const };
  expect(inbox.offer({ files: [bill, { ...passport, filePurpose: 'business_verification' }] }).map((a) => a.outcome)).toEqual(['accepted', 'accepted']);
  // Queued counts as there: offered again before it is done, it is not queued twice.
  expect(inbox.offer({ files: [bill] })[0]!.outcome).toBe('already-present');
  expect(inbox.takePending().files).toHaveLength(2);
  expect(inbox.hasPending()).toBe(false);
});

test("files past Moov's 50 per account are refused with why", () => {
  const files = Array.from({ length: 50 }, (_, i) => ({ path: `f${i}.pdf`, filePurpose: 'identity_verification' as const }));
  const inbox = new WorkInbox(input({ accountID: ACCOUNT, files }));
  const [answer] = inbox.offer({ files: [{ path: 'one-more.pdf', filePurpose: 'identity_verification' }] });
  expect(answer).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('50 files') });
});

test('a link: the same recipient is there, another is refused, none yet is accepted (and becomes the recipient)', () => {
  const withLink = new WorkInbox(input({ accountID: ACCOUNT, resolutionLink: { recipient: { email: 'Owner@Merchant.test' } } }));
  expect(withLink.offer({ resolutionLink: { recipient: { email: 'owner@merchant.test' } } })).toEqual([{ kind: 'resolutionLink', key: 'email', outcome: 'already-present' }]);
  const [other] = withLink.offer({ resolutionLink: { recipient: { phone: { number: '5555550123', countryCode: '1' } } } });
  expect(other).toMatchObject({ key: 'phone', outcome: 'refused', reason: expect.stringContaining('one active link per account') });
  expect(JSON.stringify(other)).not.toContain('5555550123');

  const without = new WorkInbox(input({ accountID: ACCOUNT, files: [passport] }));
  expect(without.linkRecipient()).toBeUndefined();
  expect(without.offer({ resolutionLink: { recipient: { email: 'new@merchant.test' } } })[0]!.outcome).toBe('accepted');
  expect(without.linkRecipient()).toEqual({ email: 'new@merchant.test' });
});

test('a connection: the same principal and scopes are there; other scopes or another principal are refused', () => {
  const inbox = new WorkInbox(input({ accountID: ACCOUNT, connection: { principalAccountID: 'p1', allowScopes: ['accounts.read', 'files.read'] } }));
  expect(inbox.offer({ connection: { principalAccountID: 'p1', allowScopes: ['files.read', 'accounts.read'] } })[0]!.outcome).toBe('already-present');
  expect(inbox.offer({ connection: { principalAccountID: 'p1' } })[0]).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('other scopes') });
  expect(inbox.offer({ connection: { principalAccountID: 'p2' } })[0]).toMatchObject({ key: 'p2', outcome: 'refused' });
});

test('a payment link: the same update is there; a different one is accepted and applied after', () => {
  const inbox = new WorkInbox(input({ accountID: ACCOUNT, paymentLinks: [{ code: 'pl1', update: { display: { title: 'Yoga' } } }] }));
  expect(inbox.offer({ paymentLinks: [{ code: 'pl1', update: { display: { title: 'Yoga' } } }] })[0]!.outcome).toBe('already-present');
  expect(inbox.offer({ paymentLinks: [{ code: 'pl1', update: { display: { title: 'Pilates' } } }] })[0]!.outcome).toBe('accepted');
  expect(inbox.offer({ paymentLinks: [{ code: 'pl1', update: { display: { title: 'Pilates' } } }] })[0]!.outcome).toBe('already-present');
});

test('carried over continue-as-new: accepted items stay known, pending ones stay pending', () => {
  const first = new WorkInbox(input({ accountID: ACCOUNT, files: [passport] }));
  first.offer({ files: [{ path: 'bill.png', filePurpose: 'business_verification' }] });
  const carried = JSON.parse(JSON.stringify(first.carry()));
  const next = new WorkInbox(input({ accountID: ACCOUNT, files: [passport] }), carried);
  expect(next.hasPending()).toBe(true);
  expect(next.offer({ files: [{ path: 'bill.png', filePurpose: 'business_verification' }] })[0]!.outcome).toBe('already-present');
});

test("Moov's news: a repeated eventID counts once, one read answers many, recent ids are bounded and carried", () => {
  const news = new MoovNews();
  news.receive({ eventID: 'e1', type: 'capability.updated' });
  news.receive({ eventID: 'e1', type: 'capability.updated' });
  expect(news.markRead()).toBe("Moov's capability.updated webhook");
  expect(news.hasUnread()).toBe(false);
  news.receive({ eventID: 'e1', type: 'capability.updated' });
  expect(news.hasUnread()).toBe(false);
  news.receive({ eventID: 'e2', type: 'account.updated' });
  news.receive({ eventID: 'e3', type: 'account.updated' });
  expect(news.markRead()).toBe('2 Moov webhooks');

  for (let i = 0; i < REMEMBERED_EVENT_IDS + 10; i++) news.receive({ eventID: `bulk-${i}`, type: 'account.updated' });
  const carried = news.carry();
  expect(carried).toHaveLength(REMEMBERED_EVENT_IDS);
  const next = new MoovNews(carried);
  next.receive({ eventID: `bulk-${REMEMBERED_EVENT_IDS + 9}`, type: 'account.updated' });
  expect(next.hasUnread()).toBe(false);
});

test('files "auto": present for a remediation started with it, refused with why for one that names its files; nothing queued', () => {
  const auto = new WorkInbox(input({ accountID: ACCOUNT, files: 'auto' }));
  expect(auto.offer({ files: 'auto' })).toEqual([{ kind: 'file', key: 'auto', outcome: 'already-present' }]);
  // A remediation started with "auto" still takes named files added later.
  expect(auto.offer({ files: [passport] })[0]!.outcome).toBe('accepted');
  const named = new WorkInbox(input({ accountID: ACCOUNT, files: [passport] }));
  expect(named.offer({ files: 'auto' })).toEqual([
    { kind: 'file', key: 'auto', outcome: 'refused', reason: 'files "auto" is chosen when a remediation starts; name the files to add them to this one' },
  ]);
  expect(named.hasPending()).toBe(false);
});
