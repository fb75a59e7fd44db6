export { inProcessServiceEnv, NATS_URL, PG_ADMIN_URL, REDIS_URL } from './env';
export { createTestDatabase, uniquePrefix, type TestDatabase } from './databases';
export { freePort, repoRoot, startProcess, waitForHttp, type ServiceProcess } from './processes';
export { startOtlpCollector, type CollectedSpan, type OtlpCollector } from './otlp-collector';
export { deletePrefixedStreams } from './streams';
export { mailCorpusDir } from './corpus';
export { startDovecot, type TestImapServer } from './dovecot';
export { startOidcProvider, type TestOidcClient, type TestOidcProvider } from './oidc-provider';
export { startSmtpSink, type CaughtMail, type SmtpSink } from './smtp-sink';
export { delay, domainFailure, waitFor } from './async';
export { parseCsv } from './csv';
export { freePortsFor, startAfterPeers, type ServicePorts } from './services';
export { promSample, scrapeMetrics, startPrometheus, type TestPrometheus } from './prometheus';
export {
  bigHostileMails,
  hostileMails,
  nestedMime,
  wideMime,
  zipBomb,
  type HostileMail,
} from './hostile-mail';
