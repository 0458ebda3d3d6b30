import { DefaultLogger, Runtime } from '@temporalio/worker';

// Many tests fail workflows on purpose; the SDK logs each at WARN. Errors still show.
Runtime.install({ logger: new DefaultLogger('ERROR') });
