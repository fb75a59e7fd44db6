import { z } from 'zod';
import { displayNameSchema, isoDateTime, pageOf } from './common.schema';

export const teamSchema = z
  .object({
    id: z.guid(),
    name: z.string(),
    memberIds: z.array(z.guid()),
    createdAt: isoDateTime().nullable(),
  })
  .meta({ id: 'Team' });

export const teamPageSchema = pageOf(teamSchema, 'TeamPage');

export const createTeamBodySchema = z
  .strictObject({
    name: displayNameSchema,
    memberIds: z.array(z.guid()).max(1000).default([]).meta({ description: 'User ids of the same tenant' }),
  })
  .meta({ id: 'CreateTeamRequest' });
