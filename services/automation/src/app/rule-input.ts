// A rule's JSON parts as the gRPC requests carry them → the domain definition, or INVALID_ARGUMENT naming the path
// of every offending part (e.g. ["trigger", "after"], ["conditions", "all", 0, "op"]).
import { invalidArgument } from '@helpdesk/platform';
import type { z } from 'zod';
import {
  actionsSchema,
  conditionsSchema,
  definitionProblems,
  triggerSchema,
  type Action,
  type Conditions,
  type Trigger,
} from '../domain/rule';

export interface FieldProblem {
  path: (string | number)[];
  message: string;
}

function issuesOf(error: z.ZodError, prefix: string): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ path: [...path, key], message: 'Unrecognized key' }));
    return [{ path, message: issue.message }];
  });
}

function parsePart<S extends z.ZodType>(
  schema: S,
  json: string,
  name: string,
  problems: FieldProblem[],
): z.output<S> | undefined {
  let value: unknown;
  try {
    value = json === '' ? undefined : JSON.parse(json);
  } catch {
    problems.push({ path: [name], message: 'must be JSON' });
    return undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    problems.push(...issuesOf(parsed.error, name));
    return undefined;
  }
  return parsed.data;
}

export function throwIfProblems(problems: FieldProblem[]): void {
  if (problems.length === 0) return;
  const summary = problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ');
  throw invalidArgument(
    `Invalid rule: ${summary}`,
    problems.map((p) => ({ path: p.path.map(String), message: p.message })),
  );
}

export interface DefinitionParts {
  trigger: Trigger;
  conditions: Conditions;
  actions: Action[];
}

/** Parses the three JSON parts; a part passed as undefined keeps `current`'s. */
export function parseDefinition(
  json: { trigger?: string; conditions?: string; actions?: string },
  current?: DefinitionParts,
): DefinitionParts {
  const problems: FieldProblem[] = [];
  const trigger =
    json.trigger === undefined
      ? current?.trigger
      : parsePart(triggerSchema, json.trigger, 'trigger', problems);
  const conditions =
    json.conditions === undefined
      ? current?.conditions
      : (parsePart(conditionsSchema, json.conditions, 'conditions', problems) as Conditions | undefined);
  const actions =
    json.actions === undefined
      ? current?.actions
      : parsePart(actionsSchema, json.actions, 'actions', problems);
  if (json.trigger !== undefined && trigger === undefined && !problems.some((p) => p.path[0] === 'trigger'))
    problems.push({ path: ['trigger'], message: 'is required' });
  if (json.actions !== undefined && actions === undefined && !problems.some((p) => p.path[0] === 'actions'))
    problems.push({ path: ['actions'], message: 'is required' });
  throwIfProblems(problems);
  const parts = { trigger: trigger!, conditions: conditions ?? { all: [], any: [] }, actions: actions! };
  throwIfProblems(definitionProblems(parts.trigger, parts.actions, parts.conditions));
  return parts;
}

export function checkName(name: string, problems: FieldProblem[] = []): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 200)
    problems.push({ path: ['name'], message: 'must be 1 to 200 characters' });
  throwIfProblems(problems);
  return trimmed;
}

export function checkPosition(position: number): number {
  if (!Number.isInteger(position) || position < 0 || position > 1_000_000)
    throwIfProblems([{ path: ['position'], message: 'must be an integer from 0 to 1000000' }]);
  return position;
}
