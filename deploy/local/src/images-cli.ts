// `npm run images [-- <service> …]`: every service's image (or those named) built from the one Dockerfile on a
// base image made here, its migration run as the chart's Job runs it, and the service started read-only with
// the host's network until its /readyz answers. Infrastructure is found or started as by `npm start`.
import { ConfigError } from '@helpdesk/platform';
import { loadLocalConfig } from './config';
import { ensureBaseImage } from './images/base-image';
import { ensureDocker } from './images/docker';
import { buildImage, imageName, imageSizeMb, runImages, type ImageResult } from './images/images';
import { ensureInfrastructure, InfrastructureUnavailableError } from './infra/infrastructure';
import { Output } from './log-prefixer';
import { SERVICES } from './services';

async function main(names: string[]): Promise<number> {
  const config = loadLocalConfig();
  const unknown = names.filter((n) => !SERVICES.some((s) => s.name === n));
  if (unknown.length > 0) {
    process.stderr.write(
      `no such service: ${unknown.join(', ')} (services: ${SERVICES.map((s) => s.name).join(', ')})\n`,
    );
    return 2;
  }
  const specs = names.length > 0 ? SERVICES.filter((s) => names.includes(s.name)) : SERVICES;
  const output = new Output(process.stdout, { pretty: config.pretty, color: config.color }, []);
  const began = Date.now();
  const infra = await ensureInfrastructure(config, output, (instance) => {
    output.info(`${instance.name}: private instance (pid ${instance.pid}) left running at ${instance.url}`);
  });
  const host = {
    env: config.baseEnv,
    localDir: config.localDir,
    isRoot: config.isRoot,
    autoInstall: config.infra.autoInstall,
  };
  const docker = await ensureDocker(output, host);
  output.info(`docker engine ${docker.version} (${docker.cli})`);
  const baseImage = await ensureBaseImage(output, docker, { ...host, mirror: config.debianMirror });

  const built = new Map<string, number>();
  for (const spec of specs) {
    built.set(
      spec.name,
      await buildImage(
        output,
        docker,
        { repoRoot: config.repoRoot, baseImage, env: config.baseEnv },
        spec.name,
      ),
    );
    output.info(`built ${imageName(spec.name)} in ${built.get(spec.name)!.toFixed(1)} s`);
  }
  const ready = await runImages(output, docker, config, infra, specs, config.readyTimeoutMs);

  const results: ImageResult[] = [];
  for (const spec of specs) {
    results.push({
      service: spec.name,
      image: imageName(spec.name),
      sizeMb: await imageSizeMb(output, docker, config.baseEnv, spec.name),
      buildSeconds: built.get(spec.name)!,
      readySeconds: ready.get(spec.name)!,
    });
  }
  output.info('every image built, migrated and ready (read-only root filesystem, user 10001, host network):');
  for (const r of results) {
    output.info(
      `  ${r.image.padEnd(30)} ${String(r.sizeMb).padStart(5)} MB  built in ${r.buildSeconds.toFixed(1)} s, /readyz after ${r.readySeconds.toFixed(1)} s`,
    );
  }
  output.info(`done in ${((Date.now() - began) / 1000).toFixed(0)} s`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const known = err instanceof ConfigError || err instanceof InfrastructureUnavailableError;
    process.stderr.write(`${known ? (err as Error).message : String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  },
);
