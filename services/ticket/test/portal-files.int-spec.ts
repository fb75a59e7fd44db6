// What contacts see and the files of tickets, through the real ticket service: portal visibility (own/client),
// internal notes kept from contacts, sign-in by password and magic link, attachments in the local blob store and
// in S3-compatible storage (s3rver, a real S3 API server), and their limits.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { directoryV1, ticketSettingsV1, ticketV1 } from '@helpdesk/contracts';
import { domainFailure as failure, freePort } from '@helpdesk/testing';
import {
  agent,
  contactActor,
  createRequest,
  get,
  list,
  reply,
  startTicketHarness,
  system,
  type TicketHarness,
} from './support/ticket-harness';

const contactRequest = (tenantId: string, over: Partial<directoryV1.CreateContactRequest>) =>
  directoryV1.CreateContactRequest.fromPartial({ tenantId, actor: agent(), name: 'Someone', ...over });

describe('portal visibility and sign-in (gRPC, PostgreSQL)', () => {
  let h: TicketHarness;
  const tenant = randomUUID();
  let acme: directoryV1.Client;
  let ann: directoryV1.Contact; // own
  let ben: directoryV1.Contact; // client
  let carl: directoryV1.Contact; // none
  let otherClientContact: directoryV1.Contact;
  const tickets: Record<string, ticketV1.Ticket> = {};

  beforeAll(async () => {
    h = await startTicketHarness();
    acme = (
      await h.directory.createClient({
        tenantId: tenant,
        actor: agent(),
        name: 'Acme',
        domains: ['acme.example'],
        slaPolicyId: '',
        notes: '',
      })
    ).client!;
    await h.directory.createClient({
      tenantId: tenant,
      actor: agent(),
      name: 'Globex',
      domains: ['globex.example'],
      slaPolicyId: '',
      notes: '',
    });
    ann = (
      await h.directory.createContact(
        contactRequest(tenant, { email: 'ann@acme.example', portalAccess: 'own', password: 'ann-secret-1' }),
      )
    ).contact!;
    ben = (
      await h.directory.createContact(
        contactRequest(tenant, {
          email: 'ben@acme.example',
          portalAccess: 'client',
          password: 'ben-secret-1',
        }),
      )
    ).contact!;
    carl = (
      await h.directory.createContact(
        contactRequest(tenant, {
          email: 'carl@acme.example',
          portalAccess: 'none',
          password: 'carl-secret-1',
        }),
      )
    ).contact!;
    otherClientContact = (
      await h.directory.createContact(
        contactRequest(tenant, { email: 'gina@globex.example', portalAccess: 'client' }),
      )
    ).contact!;
    for (const [key, contact] of [
      ['ann', ann],
      ['ben', ben],
      ['gina', otherClientContact],
    ] as const) {
      tickets[key] = (
        await h.tickets.createTicket(
          createRequest(tenant, { title: `${key}'s printer`, contactId: contact.id, requester: undefined }),
        )
      ).ticket!;
    }
    await h.tickets.addMessage(
      reply(tenant, tickets.ann!.id, agent(), 'internal_note', 'Secret: the customer broke it'),
    );
    await h.tickets.addMessage(reply(tenant, tickets.ann!.id, agent(), 'public_reply', 'We are on it'));
  });

  afterAll(async () => {
    await h?.stop();
  });

  const listAs = async (contact: directoryV1.Contact) =>
    (await h.tickets.listTickets(list(tenant, { actor: contactActor(contact.id) }))).items
      .map((t) => t.title)
      .sort();

  it('own sees its tickets, client sees its client’s, none and other clients see nothing of them', async () => {
    expect(ann.clientId).toBe(acme.id);
    expect(await listAs(ann)).toEqual(["ann's printer"]);
    expect(await listAs(ben)).toEqual(["ann's printer", "ben's printer"]);
    expect(await listAs(otherClientContact)).toEqual(["gina's printer"]);
    expect((await failure(h.tickets.listTickets(list(tenant, { actor: contactActor(carl.id) })))).code).toBe(
      'PERMISSION_DENIED',
    );
    // a contact of another tenant is unknown here
    expect(
      (await failure(h.tickets.listTickets(list(randomUUID(), { actor: contactActor(ann.id) })))).code,
    ).toBe('PERMISSION_DENIED');
  });

  it("answers NOT_FOUND for another client's ticket, on read, reply and messages", async () => {
    const gina = contactActor(otherClientContact.id);
    expect((await failure(h.tickets.getTicket(get(tenant, tickets.ann!.id, gina)))).code).toBe('NOT_FOUND');
    expect(
      (await failure(h.tickets.getTicket(get(tenant, tickets.ben!.id, contactActor(ann.id))))).code,
    ).toBe('NOT_FOUND');
    expect(
      (await failure(h.tickets.addMessage(reply(tenant, tickets.ann!.id, gina, 'public_reply', 'hi')))).code,
    ).toBe('NOT_FOUND');
    expect(
      (
        await failure(
          h.tickets.listMessages({
            tenantId: tenant,
            ticketId: tickets.ann!.id,
            page: undefined,
            actor: gina,
          }),
        )
      ).code,
    ).toBe('NOT_FOUND');
    expect((await h.tickets.getTicket(get(tenant, tickets.ann!.id, contactActor(ben.id)))).ticket!.id).toBe(
      tickets.ann!.id,
    );
  });

  it('never shows internal notes to a contact; agent names, not addresses, name the authors', async () => {
    await h.knowUser(tenant, {
      id: '5a4b3c2d-1e0f-4a1b-8c2d-3e4f5a6b7c8d',
      handle: 'agent',
      name: 'Alex Agent',
    });
    const agentReply = await h.tickets.addMessage(
      reply(
        tenant,
        tickets.ann!.id,
        agent('5a4b3c2d-1e0f-4a1b-8c2d-3e4f5a6b7c8d'),
        'public_reply',
        'Try again now',
      ),
    );
    const asContact = (
      await h.tickets.listMessages({
        tenantId: tenant,
        ticketId: tickets.ann!.id,
        page: undefined,
        actor: contactActor(ann.id),
      })
    ).items;
    expect(asContact.map((m) => m.kind)).toEqual(['public_reply', 'public_reply']);
    expect(JSON.stringify(asContact)).not.toContain('Secret');
    expect(asContact.find((m) => m.id === agentReply.message!.id)!.authorName).toBe('Alex Agent');
    const asAgent = (
      await h.tickets.listMessages({
        tenantId: tenant,
        ticketId: tickets.ann!.id,
        page: undefined,
        actor: undefined,
      })
    ).items;
    expect(asAgent.map((m) => m.kind)).toEqual(['internal_note', 'public_reply', 'public_reply']);
  });

  it('a contact reply is a customer reply: it reopens a ticket waiting on the customer', async () => {
    const answered = await h.tickets.getTicket(get(tenant, tickets.ann!.id));
    expect(answered.ticket!.status).toBe('waiting_on_customer');
    const back = await h.tickets.addMessage(
      reply(tenant, tickets.ann!.id, contactActor(ann.id), 'public_reply', 'Works now?'),
    );
    expect(back.ticket!.status).toBe('open');
    expect(
      (
        await failure(
          h.tickets.addMessage(
            reply(tenant, tickets.ann!.id, contactActor(ann.id), 'internal_note', 'sneaky'),
          ),
        )
      ).code,
    ).toBe('PERMISSION_DENIED');
  });

  it('signs contacts in by password only with portal access, every failure alike', async () => {
    const ok = await h.directory.authenticateContact({
      tenantId: tenant,
      email: 'ANN@acme.example',
      password: 'ann-secret-1',
    });
    expect(ok.contact!.id).toBe(ann.id);
    for (const [email, password] of [
      ['ann@acme.example', 'wrong-password'],
      ['carl@acme.example', 'carl-secret-1'],
      ['nobody@acme.example', 'whatever-1'],
      ['not an address', 'whatever-1'],
    ]) {
      const err = await failure(
        h.directory.authenticateContact({ tenantId: tenant, email: email!, password: password! }),
      );
      expect([email, err.code, err.message]).toEqual([
        email,
        'UNAUTHENTICATED',
        'Invalid e-mail or password',
      ]);
    }
    expect(
      (
        await failure(
          h.directory.authenticateContact({
            tenantId: randomUUID(),
            email: 'ann@acme.example',
            password: 'ann-secret-1',
          }),
        )
      ).code,
    ).toBe('UNAUTHENTICATED');
  });

  it('issues one-time magic-link tokens, stored hashed, that expire', async () => {
    const link = await h.directory.createPortalMagicLink({
      tenantId: tenant,
      email: 'ben@acme.example',
      ttlSeconds: 600,
    });
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const stored = await h.service.prisma.portalLoginToken.findMany({ where: { contactId: ben.id } });
    expect(stored.map((t) => t.tokenHash)).toEqual([createHash('sha256').update(link.token).digest('hex')]);
    expect(
      (await h.directory.redeemPortalMagicLink({ tenantId: tenant, token: link.token })).contact!.id,
    ).toBe(ben.id);
    expect(
      (await failure(h.directory.redeemPortalMagicLink({ tenantId: tenant, token: link.token }))).code,
    ).toBe('UNAUTHENTICATED');
    expect(
      (
        await failure(
          h.directory.createPortalMagicLink({
            tenantId: tenant,
            email: 'carl@acme.example',
            ttlSeconds: 600,
          }),
        )
      ).code,
    ).toBe('NOT_FOUND');

    const other = await h.directory.createPortalMagicLink({
      tenantId: tenant,
      email: 'ann@acme.example',
      ttlSeconds: 600,
    });
    expect(
      (await failure(h.directory.redeemPortalMagicLink({ tenantId: randomUUID(), token: other.token }))).code,
    ).toBe('UNAUTHENTICATED');
    await h.service.prisma.portalLoginToken.updateMany({
      where: { contactId: ann.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(
      (await failure(h.directory.redeemPortalMagicLink({ tenantId: tenant, token: other.token }))).code,
    ).toBe('UNAUTHENTICATED');
  });

  it('marks and clears a bouncing address, publishing contact_updated', async () => {
    const marked = await h.directory.setContactBouncing({
      tenantId: tenant,
      actor: system,
      email: 'ben@acme.example',
      bouncing: true,
    });
    expect(marked.contact).toMatchObject({ id: ben.id, emailBouncing: true });
    const unknown = await h.directory.setContactBouncing({
      tenantId: tenant,
      actor: system,
      email: 'ghost@acme.example',
      bouncing: true,
    });
    expect(unknown.contact).toBeUndefined();
    expect(
      (
        await h.directory.setContactBouncing({
          tenantId: tenant,
          actor: system,
          email: 'ben@acme.example',
          bouncing: false,
        })
      ).contact!.emailBouncing,
    ).toBe(false);
  });
});

describe('attachments (gRPC streams, blob stores)', () => {
  const tenant = randomUUID();

  async function attachmentScenario(h: TicketHarness) {
    const ticket = (await h.tickets.createTicket(createRequest(tenant))).ticket!;
    const content = [Buffer.alloc(300_000, 1), Buffer.from('the end')];
    const whole = Buffer.concat(content);
    const attachment = await h.upload(
      {
        tenantId: tenant,
        actor: agent(),
        ticketId: ticket.id,
        filename: '../../etc/report\u0000.pdf',
        contentType: 'Application/PDF; charset=x',
      },
      content,
    );
    expect(attachment).toMatchObject({
      ticketId: ticket.id,
      messageId: '',
      filename: 'report.pdf',
      contentType: 'application/pdf',
      size: whole.length,
      sha256: createHash('sha256').update(whole).digest('hex'),
    });
    const sent = await h.tickets.addMessage(
      reply(tenant, ticket.id, agent(), 'public_reply', 'See attached', {
        message: ticketV1.NewMessage.fromPartial({
          kind: 'public_reply',
          bodyText: 'See attached',
          attachmentIds: [attachment.id],
        }),
      }),
    );
    expect(sent.message!.attachments.map((a) => a.id)).toEqual([attachment.id]);
    const back = await h.download({ tenantId: tenant, id: attachment.id });
    expect(back.content.equals(whole)).toBe(true);
    // another tenant, and an id that is no attachment, answer NOT_FOUND
    expect((await failure(h.download({ tenantId: randomUUID(), id: attachment.id }))).code).toBe('NOT_FOUND');
    expect((await failure(h.download({ tenantId: tenant, id: randomUUID() }))).code).toBe('NOT_FOUND');
    // a file already sent cannot be sent again with another message
    expect(
      (
        await failure(
          h.tickets.addMessage(
            reply(tenant, ticket.id, agent(), 'public_reply', 'again', {
              message: ticketV1.NewMessage.fromPartial({
                kind: 'public_reply',
                bodyText: 'again',
                attachmentIds: [attachment.id],
              }),
            }),
          ),
        )
      ).code,
    ).toBe('INVALID_ARGUMENT');
    return { ticket, attachment };
  }

  it('streams files into the local directory with size and sha256, and back; keys never escape the directory', async () => {
    const h = await startTicketHarness();
    try {
      await attachmentScenario(h);
      const blobDir = h.service.blobs as unknown as { root: string };
      const files = await readdir(path.join(blobDir.root, tenant), { recursive: true });
      expect(files.some((f) => f.endsWith('.partial'))).toBe(false);
    } finally {
      await h.stop();
    }
  });

  it('keeps files over the tenant limit out (PAYLOAD_TOO_LARGE), leaving nothing behind', async () => {
    const h = await startTicketHarness();
    try {
      await h.settings.updateTicketSettings(
        ticketSettingsV1.UpdateTicketSettingsRequest.fromPartial({
          tenantId: tenant,
          attachmentMaxBytes: 100_000,
        }),
      );
      const ticket = (await h.tickets.createTicket(createRequest(tenant))).ticket!;
      const header = {
        tenantId: tenant,
        actor: agent(),
        ticketId: ticket.id,
        filename: 'big.bin',
        contentType: 'application/octet-stream',
      };
      expect((await failure(h.upload({ ...header, declaredSize: 100_001 }, [Buffer.alloc(10)]))).code).toBe(
        'PAYLOAD_TOO_LARGE',
      );
      expect((await failure(h.upload(header, [Buffer.alloc(60_000), Buffer.alloc(60_000)]))).code).toBe(
        'PAYLOAD_TOO_LARGE',
      );
      expect(await h.service.prisma.attachment.count({ where: { tenantId: tenant } })).toBe(0);
      const root = (h.service.blobs as unknown as { root: string }).root;
      const left = await readdir(root, { recursive: true }).catch(() => []);
      expect(left.filter((f) => f.includes('.'))).toEqual([]);
      // exactly the limit is fine
      expect((await h.upload(header, [Buffer.alloc(100_000)])).size).toBe(100_000);
    } finally {
      await h.stop();
    }
  });

  it('lets a contact get files only of its own visible tickets and never of internal notes', async () => {
    const h = await startTicketHarness();
    try {
      const contact = (
        await h.directory.createContact(
          contactRequest(tenant, { email: 'dana@client.example', portalAccess: 'own' }),
        )
      ).contact!;
      const ticket = (
        await h.tickets.createTicket(createRequest(tenant, { contactId: contact.id, requester: undefined }))
      ).ticket!;
      const me = contactActor(contact.id);
      const noteFile = await h.upload(
        {
          tenantId: tenant,
          actor: agent(),
          ticketId: ticket.id,
          filename: 'notes.txt',
          contentType: 'text/plain',
        },
        [Buffer.from('internal')],
      );
      await h.tickets.addMessage(
        reply(tenant, ticket.id, agent(), 'internal_note', 'n', {
          message: ticketV1.NewMessage.fromPartial({
            kind: 'internal_note',
            bodyText: 'n',
            attachmentIds: [noteFile.id],
          }),
        }),
      );
      expect((await failure(h.download({ tenantId: tenant, id: noteFile.id, actor: me }))).code).toBe(
        'NOT_FOUND',
      );

      // the contact uploads for a new ticket, then sends it with a reply; an agent's unsent file is not theirs to send
      const mine = await h.upload(
        { tenantId: tenant, actor: me, filename: 'photo.png', contentType: 'image/png' },
        [Buffer.from('png')],
      );
      expect((await h.download({ tenantId: tenant, id: mine.id, actor: me })).content.toString()).toBe('png');
      const agentsFile = await h.upload(
        {
          tenantId: tenant,
          actor: agent(),
          ticketId: ticket.id,
          filename: 'draft.txt',
          contentType: 'text/plain',
        },
        [Buffer.from('d')],
      );
      expect(
        (
          await failure(
            h.tickets.addMessage(
              reply(tenant, ticket.id, me, 'public_reply', 'x', {
                message: ticketV1.NewMessage.fromPartial({
                  kind: 'public_reply',
                  bodyText: 'x',
                  attachmentIds: [agentsFile.id],
                }),
              }),
            ),
          )
        ).code,
      ).toBe('INVALID_ARGUMENT');
      await h.tickets.addMessage(
        reply(tenant, ticket.id, me, 'public_reply', 'photo', {
          message: ticketV1.NewMessage.fromPartial({
            kind: 'public_reply',
            bodyText: 'photo',
            attachmentIds: [mine.id],
          }),
        }),
      );
      expect((await h.download({ tenantId: tenant, id: mine.id, actor: me })).attachment.messageId).not.toBe(
        '',
      );
      // another contact of the tenant sees nothing of it
      const other = (
        await h.directory.createContact(
          contactRequest(tenant, { email: 'eve@else.example', portalAccess: 'own' }),
        )
      ).contact!;
      expect(
        (await failure(h.download({ tenantId: tenant, id: mine.id, actor: contactActor(other.id) }))).code,
      ).toBe('NOT_FOUND');
      // and an upload to a ticket it cannot see is refused before a byte is stored
      expect(
        (
          await failure(
            h.upload(
              {
                tenantId: tenant,
                actor: contactActor(other.id),
                ticketId: ticket.id,
                filename: 'x',
                contentType: 'text/plain',
              },
              [Buffer.from('x')],
            ),
          )
        ).code,
      ).toBe('NOT_FOUND');
    } finally {
      await h.stop();
    }
  });

  it('stores files in S3-compatible storage through the same interface', async () => {
    const { default: S3rver } = await import('s3rver');
    const dir = await mkdtemp(path.join(tmpdir(), 'hd-s3-'));
    const port = await freePort();
    const s3 = new S3rver({
      port,
      address: '127.0.0.1',
      silent: true,
      directory: dir,
      configureBuckets: [{ name: 'helpdesk-test', configs: [] }],
    });
    await s3.run();
    const h = await startTicketHarness({
      BLOB_STORE: 's3',
      S3_BUCKET: 'helpdesk-test',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_PREFIX: 'attachments/',
    });
    try {
      const { attachment } = await attachmentScenario(h);
      const keys = await readdir(path.join(dir, 'helpdesk-test'), { recursive: true });
      expect(keys.some((k) => k.includes(attachment.id))).toBe(true);
    } finally {
      await h.stop();
      await s3.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
