export {
  startGrpcServer,
  DEFAULT_GRPC_LIMITS,
  type GrpcServerOptions,
  type GrpcServiceRegistration,
  type RunningGrpcServer,
} from './server';
export {
  createGrpcClient,
  createStreamingClient,
  grpcTarget,
  grpcChannelOptions,
  type PromiseClient,
  type CallOpts,
  type GrpcClientConstructor,
  type GrpcClientOptions,
} from './client';
export { unary, toDomainError, handlerFailure } from './unary';
export { clientStreaming, serverStreaming, sendStream, receiveStream } from './streaming';
export {
  toGrpcStatus,
  fromGrpcStatus,
  fromGrpcError,
  httpStatusFor,
  errorMetadata,
  toServiceError,
  GRPC_STATUS_BY_CODE,
  HTTP_STATUS_BY_CODE,
  ERROR_CODE_METADATA,
  ERROR_DETAILS_METADATA,
} from './status-mapping';
export { chunksOf, STREAM_CHUNK_BYTES } from './chunks';
export { assertCallerWaiting, callTimeLeftMs } from './call-context';
export { isTransportFailure } from './status-mapping';
