import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { ServiceManifest } from '@helpdesk/platform';
import { SERVICE_MANIFESTS } from '../../../services/manifests';
import { REPO_ROOT } from './config';
import { SKAFFOLD_FILE, renderSkaffold } from './skaffold';

describe('skaffold.yaml', () => {
  it('is what the manifests generate (after changing one: npm run generate:skaffold)', () => {
    const committed = readFileSync(path.join(REPO_ROOT, SKAFFOLD_FILE), 'utf8');
    expect(committed).toBe(renderSkaffold(SERVICE_MANIFESTS));
  });

  it('has an artifact, a release and a profile per service, the HTTP ones forwarded', () => {
    const fake = (name: string, http?: number): ServiceManifest => ({
      ...SERVICE_MANIFESTS[0]!,
      name,
      ports: http
        ? { http: { env: 'PORT', default: http, localVariable: `${name.toUpperCase()}_PORT` } }
        : { grpc: { env: 'GRPC_PORT', default: 1, localVariable: `${name.toUpperCase()}_GRPC_PORT` } },
    });
    const config = parse(renderSkaffold([fake('a'), fake('web-ui', 3000), fake('b')]));
    expect(config.build.artifacts.map((a: { image: string }) => a.image)).toEqual([
      'helpdesk-a',
      'helpdesk-web-ui',
      'helpdesk-b',
    ]);
    expect(config.deploy.helm.releases[1]).toMatchObject({
      name: 'helpdesk-web-ui',
      setValues: {
        'global.namePrefix': 'helpdesk',
        'a.enabled': false,
        'web-ui.enabled': true,
        'b.enabled': false,
      },
      setValueTemplates: {
        'web-ui.image.repository': '{{.IMAGE_REPO_helpdesk_web_ui}}',
        'web-ui.image.tag': '{{.IMAGE_TAG_helpdesk_web_ui}}',
      },
    });
    expect(config.portForward).toEqual([
      {
        resourceType: 'service',
        resourceName: 'helpdesk-web-ui',
        namespace: 'helpdesk',
        port: 3000,
        localPort: 3000,
      },
    ]);
    const paths = (name: string) =>
      config.profiles
        .find((p: { name: string }) => p.name === name)
        .patches.map((p: { op: string; path: string }) => `${p.op} ${p.path}`);
    expect(paths('a')).toEqual([
      'replace /build/artifacts',
      'remove /deploy/helm/releases/2',
      'remove /deploy/helm/releases/1',
      'remove /portForward',
    ]);
    expect(paths('web-ui')).toEqual([
      'replace /build/artifacts',
      'remove /deploy/helm/releases/2',
      'remove /deploy/helm/releases/0',
    ]);
    expect(parse(renderSkaffold([fake('a')]))).not.toHaveProperty('portForward');
  });
});
