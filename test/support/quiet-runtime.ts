import { DefaultLogger, Runtime } from '@temporalio/worker';

// Many tests fail workflows on purpose; the SDK logs each at WARN. Errors still show.
// Set as the default rather than installed: the Runtime is created on first use with these
// options, so a suite that needs its own Runtime (metrics endpoint, captured JSON logs) can still
// call Runtime.install before it starts anything (see test/observability).
Runtime.defaultOptions = { logger: new DefaultLogger('ERROR') };
