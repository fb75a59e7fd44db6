export { newNonce, signMessageId, verifyMessageId, type SignedMessageIdInput } from './message-id';
export { subjectWithToken, ticketNumbersIn, ticketToken } from './ticket-token';
export { domainOf, isSystemAddress, normalizeAddress } from './addresses';
