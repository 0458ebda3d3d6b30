import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../src/net/ports';
import { ensureProjectTool } from '../../src/temporal-servers/project-tools';

/**
 * A real S3 protocol server on loopback: moto_server (moto[server] from PyPI, installed into
 * .temporal/venv like the Temporal servers; src/temporal-servers/project-tools.ts). Its werkzeug
 * request log ("GET /bucket/key HTTP/1.1" 200) is kept, so tests can assert from the server's side
 * which requests the worker made.
 */
export interface S3Server {
  endpoint: string;
  /** An admin client for seeding (the test's own, not the worker's). */
  admin: S3Client;
  /** Every request line the server has logged for requests answered so far, e.g. `HEAD /docs/kyc/acct/a.pdf 200`. */
  requests(): Promise<string[]>;
  createBucket(bucket: string, options?: { versioned?: boolean }): Promise<void>;
  put(bucket: string, key: string, body: Buffer, contentType?: string): Promise<void>;
  close(): Promise<void>;
}

/** A bucket name no test makes: its HEADs answer 404 and mark a point in the request log. */
const LOG_MARKER_BUCKET = 'request-log-marker';

/** moto checks no signature; any keys do. Set in the environment so the worker's default chain finds them too. */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIATESTDOCUMENTS', secretAccessKey: 'test-secret-not-a-real-key' };

export async function startS3Server(): Promise<S3Server> {
  const binary = await ensureProjectTool('moto-server', (line) => console.log(`[moto] ${line}`));
  const port = await freePort('127.0.0.1');
  const child: ChildProcess = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  // werkzeug logs a request before it sends the answer, but the line reaches us on a pipe that
  // Node reads on its own schedule: an answered request's line may not be read yet. requests()
  // sends a marker request and waits for its line, which comes after every earlier request's.
  const markersAwaited = new Map<string, () => void>();
  let markers = 0;
  let markListening!: () => void;
  const listening = new Promise<void>((resolve, reject) => {
    markListening = resolve;
    child.once('exit', (code) => reject(new Error(`moto_server exited with code ${code} before listening`)));
  });
  let pending = '';
  const onData = (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const raw of parts) {
      // werkzeug colours some lines; the ANSI codes sit inside the quoted request line.
      // eslint-disable-next-line no-control-regex
      const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
      if (line.includes('Running on')) markListening();
      const match = /"([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3})/.exec(line);
      if (!match) continue;
      const path = decodeURIComponent(match[2]!.split('?')[0]!);
      // A marker is never part of the log, even one whose requests() gave up before its line came.
      if (path.startsWith(`/${LOG_MARKER_BUCKET}-`)) markersAwaited.get(path)?.();
      else lines.push(`${match[1]} ${path} ${match[3]}`);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const endpoint = `http://127.0.0.1:${port}`;
  // werkzeug prints "Running on <url>" once its socket is bound.
  await listening;
  const admin = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: TEST_CREDENTIALS });
  return {
    endpoint,
    admin,
    async requests() {
      const path = `/${LOG_MARKER_BUCKET}-${++markers}`;
      const logged = new Promise<void>((resolve) => markersAwaited.set(path, resolve));
      await fetch(`${endpoint}${path}`, { method: 'HEAD' });
      await logged;
      markersAwaited.delete(path);
      return [...lines];
    },
    async createBucket(bucket, { versioned = false } = {}) {
      await admin.send(new CreateBucketCommand({ Bucket: bucket }));
      if (versioned) await admin.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    },
    async put(bucket, key, body, contentType) {
      await admin.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...(contentType && { ContentType: contentType }) }));
    },
    async close() {
      admin.destroy();
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * One S3 server for a test file, with its buckets made and the AWS SDK's credential chain pointed
 * at the test credentials (process environment, as production's chain reads it).
 */
export function useS3Server(buckets: { name: string; versioned?: boolean }[]): () => S3Server {
  let s3: S3Server | undefined;
  beforeAll(async () => {
    s3 = await startS3Server();
    process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
    for (const bucket of buckets) await s3.createBucket(bucket.name, { versioned: bucket.versioned ?? false });
  }, 120_000);
  afterAll(async () => {
    await s3?.close();
  });
  return () => s3!;
}
