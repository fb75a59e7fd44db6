// Checks rendered manifests against the Kubernetes API schemas, as an API server would before admitting
// them: kubernetes-models validates types, enums and required fields; the models generated for
// @kubernetes/client-node list every field a kind has, which catches fields the API does not know
// (a server applying with strict field validation refuses them; a lenient one drops them silently).

interface Attribute {
  name: string;
  baseName: string;
  type: string;
}
interface ModelClass {
  attributeTypeMap?: Attribute[];
}
interface Validatable {
  validate(): void;
}
type ModelCtor = new (data: unknown) => Validatable;

const SCALARS = new Set(['string', 'number', 'boolean', 'Date', 'any', 'object', 'IntOrString']);

/** `apps/v1` → `apps/v1`, `v1` → `v1` (core), the module path kubernetes-models uses. */
function modelsModule(apiVersion: string): string {
  return `kubernetes-models/${apiVersion}`;
}

/** The client-node model of a kind: `autoscaling/v2` HorizontalPodAutoscaler → V2HorizontalPodAutoscaler. */
function clientModelName(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').pop()!;
  return `V${version.slice(1)}${kind}`;
}

function loadClientModel(name: string): ModelClass | undefined {
  try {
    const mod = require(`@kubernetes/client-node/dist/gen/models/${name}.js`) as Record<string, ModelClass>;
    return mod[name];
  } catch {
    return undefined;
  }
}

/** Paths of fields that the kind's schema does not have, walked through nested models, arrays and maps. */
export function unknownFields(value: unknown, type: string, at = ''): string[] {
  if (value === null || value === undefined || SCALARS.has(type)) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    return Array.isArray(value) ? value.flatMap((v, i) => unknownFields(v, array[1]!, `${at}[${i}]`)) : [];
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    return typeof value === 'object'
      ? Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
          unknownFields(v, map[1]!, `${at}.${k}`),
        )
      : [];
  }
  const model = loadClientModel(type);
  if (!model?.attributeTypeMap || typeof value !== 'object' || Array.isArray(value)) return [];
  const attributes = new Map(model.attributeTypeMap.map((a) => [a.baseName, a.type]));
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => {
    const childType = attributes.get(key);
    return childType === undefined ? [`${at}.${key}`] : unknownFields(child, childType, `${at}.${key}`);
  });
}

/** Problems of one rendered object against the Kubernetes schemas; empty when the API would accept it. */
export function kubernetesSchemaProblems(object: { apiVersion: string; kind: string }): string[] {
  const label = `${object.kind} (${object.apiVersion})`;
  let Model: ModelCtor | undefined;
  try {
    Model = (require(modelsModule(object.apiVersion)) as Record<string, ModelCtor>)[object.kind];
  } catch {
    Model = undefined;
  }
  const clientModel = clientModelName(object.apiVersion, object.kind);
  if (!Model || !loadClientModel(clientModel)) return [`${label}: no schema for this kind`];
  const problems: string[] = [];
  try {
    new Model(object).validate();
  } catch (err) {
    problems.push(`${label}: ${(err as Error).message}`);
  }
  for (const field of unknownFields(object, clientModel))
    problems.push(`${label}: unknown field ${field.slice(1)}`);
  return problems;
}
