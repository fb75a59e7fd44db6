export { startGrpcServer, type GrpcServerOptions, type GrpcServiceRegistration, type RunningGrpcServer } from './server';
export {
  createGrpcClient,
  type PromiseClient,
  type CallOpts,
  type GrpcClientConstructor,
  type GrpcClientOptions,
} from './client';
export { unary, toDomainError } from './unary';
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
export { callClientStream, readServerStream, chunksOf, STREAM_CHUNK_BYTES } from './streams';
