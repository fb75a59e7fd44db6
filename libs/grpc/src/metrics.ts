import { status as GrpcStatus } from '@grpc/grpc-js';
import { DURATION_BUCKETS_S, lazyInstruments } from '@helpdesk/telemetry';

/** Records one served call: `rpc.server.duration` (seconds) with the OTel RPC attributes. */
export type RpcRecorder = (code: GrpcStatus, startedAt: bigint) => void;

// Seconds (the Prometheus convention, and the unit of the newer rpc.server.call.duration), not the old ms.
const duration = lazyInstruments('@helpdesk/grpc', (meter) =>
  meter.createHistogram('rpc.server.duration', {
    description: 'Duration of gRPC calls served, from arrival (admission queue included) to the answer',
    unit: 's',
    advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_S] },
  }),
);

/** A recorder for the RPC at `path` (`/helpdesk.ticket.v1.TicketService/GetTicket`). */
export function rpcRecorder(path: string): RpcRecorder {
  const [service = path, method = path] = path.replace(/^\//, '').split('/');
  const base = { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method };
  // one attribute object per status, built once
  const byCode = new Map<number, Record<string, string | number>>();
  return (code, startedAt) => {
    let attributes = byCode.get(code);
    if (!attributes) {
      attributes = { ...base, 'rpc.grpc.status_code': code };
      byCode.set(code, attributes);
    }
    duration().record(Number(process.hrtime.bigint() - startedAt) / 1e9, attributes);
  };
}

/** The status an answer carries: OK, the error's code, or UNKNOWN for an error without one. */
export function statusOf(err: unknown): GrpcStatus {
  if (!err) return GrpcStatus.OK;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : GrpcStatus.UNKNOWN;
}
