export { Argon2PasswordHasher } from './argon2-password-hasher';
export { AesGcmSecretBox } from './secret-box';
export {
  SsrfRefusedError,
  addressRefusal,
  checkUrl,
  checkUrlShape,
  classifyAddress,
  guardedLookup,
} from './ssrf';
export type { AddressClass, LookupFunction, SsrfPolicy } from './ssrf';
export { guardedHttpAgents, postGuarded } from './guarded-http';
export type { GuardedHttpAgents, GuardedPostOptions, GuardedPostResult } from './guarded-http';
export { guardedFetch } from './guarded-fetch';
export type { FetchFunction, GuardedFetchOptions } from './guarded-fetch';
