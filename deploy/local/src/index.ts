export { startPlatform, type Platform, type PlatformUrls, type StartOptions } from './platform';
export { loadLocalConfig, type LocalConfig } from './config';
export { Output } from './log-prefixer';
export { SERVICES, type ServiceSpec } from './services';
