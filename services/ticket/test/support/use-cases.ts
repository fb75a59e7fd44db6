import { CreateTicketUseCase, type CreateTicketDeps } from '../../src/app/create-ticket.use-case';

/** The service's own create use case with some ports replaced (another clock, a unit of work that fails on purpose, …). */
export function withDeps(useCase: CreateTicketUseCase, over: Partial<CreateTicketDeps>): CreateTicketUseCase {
  return new CreateTicketUseCase({ ...useCase.deps, ...over });
}
