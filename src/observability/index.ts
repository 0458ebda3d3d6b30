export { observabilityConfigFromEnv, LOG_LEVELS } from './config';
export type { LogLevelName, ObservabilityConfig } from './config';
export { createLogger, PinoTemporalLogger, REDACT_KEYS, REDACT_PATHS } from './logger';
export type { CreateLoggerOptions } from './logger';
export { METRICS, MOOV_LATENCY_BUCKETS_MS, REMEDIATION_OUTCOMES } from '../domain/metric-names';
export { moovExchangeObserver, observabilityActivityInterceptor, remediationMetrics } from './metrics';
export type { MoovObserverDeps, RemediationMetrics } from './metrics';
export { installRuntime, runtimeOptions } from './runtime';
export type { InstallRuntimeOptions } from './runtime';
