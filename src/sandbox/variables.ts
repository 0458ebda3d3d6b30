/**
 * The environment variables `npm run sandbox` reads (besides its flags), as rows of
 * docs/configuration.md's table (scripts/settings-doc.ts; the same shape as src/domain's
 * VariableDoc, which the sandbox may not import). commander reads them, as the flags' fallbacks.
 */
export const SANDBOX_VARIABLES = {
  webhookUrl: {
    variable: 'SANDBOX_WEBHOOK_URL',
    usedBy: '`npm run sandbox`',
    meaning: 'where the sandbox POSTs Moov webhook events (`--webhook-url`; with `SANDBOX_WEBHOOK_SECRET`)',
  },
  webhookSecret: {
    variable: 'SANDBOX_WEBHOOK_SECRET',
    usedBy: '`npm run sandbox`',
    meaning: 'the signing secret of those events (`--webhook-secret`); never logged',
  },
} as const;
