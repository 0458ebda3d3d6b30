import { proxyActivities, sleep } from '@temporalio/workflow';
import type * as activities from './activities';

const { shout } = proxyActivities<typeof activities>({ startToCloseTimeout: '10s' });

/** Sleeps a simulated day so the time-skipping server has something to skip. */
export async function greetAfterADay(name: string): Promise<string> {
  await sleep('1 day');
  return shout(`hello ${name}`);
}

export async function greetNow(name: string): Promise<string> {
  return shout(`hello ${name}`);
}
