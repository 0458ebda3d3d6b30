/** How `npm start` runs: the worker against configured services, or everything embedded. */
export type StartMode = { kind: 'external' } | { kind: 'embedded' } | { kind: 'incomplete'; message: string };

const set = (env: NodeJS.ProcessEnv, name: string): boolean => (env[name]?.trim() ?? '') !== '';

/**
 * A half-configured environment is refused rather than guessed at: silently starting the demo
 * when the user meant to reach their own Temporal (or the reverse) would hide a typo.
 */
export function chooseStartMode(env: NodeJS.ProcessEnv = process.env): StartMode {
  const hasKeys = (set(env, 'MOOV_PUBLIC_KEY') && set(env, 'MOOV_SECRET_KEY')) || set(env, 'MOOV_ACCESS_TOKEN');
  if (set(env, 'TEMPORAL_ADDRESS') && set(env, 'MOOV_BASE_URL') && hasKeys) return { kind: 'external' };
  const given = ['TEMPORAL_ADDRESS', 'MOOV_BASE_URL', 'MOOV_PUBLIC_KEY', 'MOOV_SECRET_KEY', 'MOOV_ACCESS_TOKEN'].filter((name) => set(env, name));
  if (given.length === 0) return { kind: 'embedded' };
  const missing = [
    ...(set(env, 'TEMPORAL_ADDRESS') ? [] : ['TEMPORAL_ADDRESS']),
    ...(set(env, 'MOOV_BASE_URL') ? [] : ['MOOV_BASE_URL']),
    ...(hasKeys ? [] : ['MOOV_PUBLIC_KEY + MOOV_SECRET_KEY (or MOOV_ACCESS_TOKEN)']),
  ];
  return {
    kind: 'incomplete',
    message:
      `${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set, but ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not. ` +
      'Set all of them to run the worker against your Temporal and Moov, or unset them to run the embedded demo.',
  };
}
