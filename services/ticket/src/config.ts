// The only reader of process.env in the ticket service.
import { busEnv, commonEnv, grpcServerEnv, loadConfig, port, urlString } from '@helpdesk/platform';
import { z } from 'zod';

export const ticketConfigSchema = z
  .object({
    ...commonEnv,
    ...grpcServerEnv,
    ...busEnv,
    DATABASE_URL: urlString(),
    GRPC_PORT: port(50052),
    HEALTH_PORT: port(9102),
    // where attachment content lives: a directory on this machine, or S3-compatible storage shared by every replica
    BLOB_STORE: z.enum(['local', 's3']).default('local'),
    BLOB_DIR: z.string().min(1).default('data/blobs'),
    S3_BUCKET: z.string().min(3).max(63).optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ENDPOINT: z.url().optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_FORCE_PATH_STYLE: z.stringbool().default(true),
    S3_PREFIX: z.string().max(200).default(''),
  })
  .refine((c) => c.BLOB_STORE !== 's3' || c.S3_BUCKET, {
    message: 'S3_BUCKET is required when BLOB_STORE=s3',
    path: ['S3_BUCKET'],
  });

export type TicketConfig = Readonly<z.infer<typeof ticketConfigSchema>>;

export function loadTicketConfig(env: NodeJS.ProcessEnv = process.env): TicketConfig {
  return loadConfig(ticketConfigSchema, env);
}
