import { buildStartInput } from '../../../src/cli/start-input';

test('--auto-files asks for files "auto"; with --file it is a usage error that says why', async () => {
  expect(await buildStartInput({ account: 'acct-1', autoFiles: true, email: 'owner@merchant.test' })).toEqual({
    accountID: 'acct-1',
    files: 'auto',
    resolutionLink: { recipient: { email: 'owner@merchant.test' } },
  });
  await expect(buildStartInput({ account: 'acct-1', autoFiles: true, file: ['a.pdf:business_verification'] })).rejects.toThrow(
    '--auto-files chooses the files itself: give it or --file, not both',
  );
});
