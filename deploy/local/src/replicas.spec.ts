import { loadLocalConfig } from './config';
import { parseReplicas, planReplicas } from './replicas';

const SERVICES = ['identity', 'ticket', 'gateway'];

describe('parseReplicas', () => {
  it('is one process each when unset or empty', () => {
    expect(parseReplicas(undefined, SERVICES)).toEqual({
      counts: { identity: 1, ticket: 1, gateway: 1 },
      issues: [],
    });
    expect(parseReplicas(' ', SERVICES).counts).toEqual({ identity: 1, ticket: 1, gateway: 1 });
  });

  it('takes one count for every service, or counts for the services named', () => {
    expect(parseReplicas('3', SERVICES).counts).toEqual({ identity: 3, ticket: 3, gateway: 3 });
    expect(parseReplicas('ticket=2, gateway=3', SERVICES).counts).toEqual({
      identity: 1,
      ticket: 2,
      gateway: 3,
    });
  });

  it('names what is wrong', () => {
    expect(parseReplicas('0', SERVICES).issues).toEqual(['must be a whole number from 1 to 8, not "0"']);
    expect(parseReplicas('ticket=two,mailer=2,=3,a=1=2', SERVICES).issues).toEqual([
      'ticket: must be a whole number from 1 to 8, not "two"',
      'no service is named mailer (identity, ticket, gateway)',
      '"=3" is not <service>=<count>',
      '"a=1=2" is not <service>=<count>',
    ]);
  });

  it('stops the runner with the reason through its configuration', () => {
    expect(() => loadLocalConfig({ HELPDESK_REPLICAS: 'ticket=9' }, { isTTY: false })).toThrow(
      'HELPDESK_REPLICAS: ticket: must be a whole number from 1 to 8, not "9"',
    );
    const config = loadLocalConfig({ HELPDESK_REPLICAS: 'ticket=2' }, { isTTY: false });
    expect(config.replicas.ticket).toBe(2);
    expect(config.replicas.gateway).toBe(1);
    expect(config.replicaPortBase).toBe(46000);
  });
});

describe('planReplicas', () => {
  const ports = {
    identity: { grpc: 50051, health: 9101 },
    ticket: { grpc: 50052, health: 9102 },
    gateway: { http: 8080, health: 9109 },
  };

  it('keeps every port as it is with one process each, and balances nothing', () => {
    const plan = planReplicas(ports, { identity: 1, ticket: 1, gateway: 1 }, 46000);
    expect(plan.processes.ticket).toEqual([
      { service: 'ticket', index: 1, name: 'ticket', ports: { grpc: 50052, health: 9102 } },
    ]);
    expect(plan.balanced).toEqual([]);
  });

  it('gives the extra processes ports of their own, and the public port to a balancer', () => {
    const plan = planReplicas(ports, { identity: 1, ticket: 2, gateway: 3 }, 46000);
    expect(plan.processes.ticket).toEqual([
      { service: 'ticket', index: 1, name: 'ticket', ports: { grpc: 50052, health: 9102 } },
      { service: 'ticket', index: 2, name: 'ticket.2', ports: { grpc: 46000, health: 46001 } },
    ]);
    // every gateway process listens on a port of its own behind the balancer on 8080
    expect(plan.processes.gateway!.map((p) => p.ports)).toEqual([
      { http: 46002, health: 9109 },
      { http: 46003, health: 46004 },
      { http: 46005, health: 46006 },
    ]);
    expect(plan.balanced).toEqual([{ service: 'gateway', port: 8080, targets: [46002, 46003, 46005] }]);
  });

  it('never hands out a port that a service already has', () => {
    const plan = planReplicas(ports, { identity: 2, ticket: 1, gateway: 1 }, 50051);
    expect(plan.processes.identity![1]!.ports).toEqual({ grpc: 50053, health: 50054 });
  });
});
