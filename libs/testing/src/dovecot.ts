import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './processes';

const DOVECOT = ['/usr/sbin/dovecot', '/usr/bin/dovecot'].find((p) => existsSync(p));

/** A private Dovecot IMAP server (plaintext on 127.0.0.1), with its config, users and mail in a temp directory. */
export interface TestImapServer {
  host: string;
  port: number;
  /** Adds (or replaces) a login (a `passwd-file` of its own). */
  addUser(user: string, password: string): void;
  /** Delivers messages straight into a user's INBOX (Maildir `new/`), as a local MTA would: fast for backlogs. */
  deliver(user: string, messages: Buffer[]): void;
  /** The end of Dovecot's log (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts Dovecot from Debian's `dovecot-imapd` (installed by .ci/run): passwd-file passdb, static userdb running
 * as the `dovecot` user, `first_valid_uid = 100`, its own port. Needs root, as CI and these machines run.
 */
export async function startDovecot(
  options: {
    /**
     * XOAUTH2 and OAUTHBEARER only, each token checked at this RFC 7662 introspection endpoint (Dovecot's `oauth2`
     * passdb) with these client credentials; the token's `sub` must be the login user.
     */
    oauth2?: { introspectionUrl: string; clientId: string; clientSecret: string };
  } = {},
): Promise<TestImapServer> {
  if (!DOVECOT) throw new Error('dovecot is not installed: apt-get install -y dovecot-imapd');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hd-dovecot-'));
  // Dovecot's own processes run as dovecot/dovenull and must reach the config, the users and the homes
  chmodSync(dir, 0o755);
  const port = await freePort();
  mkdirSync(path.join(dir, 'home'));
  spawnSync('chown', ['dovecot:dovecot', path.join(dir, 'home')]);
  // one passwd-file per user: Dovecot caches a file until its mtime changes, which a second user added within
  // the same second would not do
  const users = path.join(dir, 'users');
  mkdirSync(users, { mode: 0o755 });
  const config = path.join(dir, 'dovecot.conf');
  const oauth2 = options.oauth2;
  let passdb = `passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${users}/%u
}`;
  if (oauth2) {
    const url = new URL(oauth2.introspectionUrl);
    url.username = encodeURIComponent(oauth2.clientId);
    url.password = encodeURIComponent(oauth2.clientSecret);
    const oauthConfig = path.join(dir, 'dovecot-oauth2.conf.ext');
    writeFileSync(
      oauthConfig,
      `introspection_mode = post
introspection_url = ${url.toString()}
force_introspection = yes
username_attribute = sub
active_attribute = active
active_value = true
`,
      { mode: 0o644 },
    );
    passdb = `passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${oauthConfig}
}`;
  }
  writeFileSync(
    config,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = ${oauth2 ? 'xoauth2 oauthbearer' : 'plain login'}
${oauth2 ? 'auth_failure_delay = 0\nauth_verbose = yes\n' : ''}first_valid_uid = 100
mail_location = maildir:~/Maildir
default_internal_user = dovecot
default_login_user = dovenull
login_trusted_networks = 127.0.0.0/8
mail_max_userip_connections = 100
${passdb}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`,
  );
  // in the foreground, as our child: it cannot outlive the test run by accident
  const master = spawn(DOVECOT, ['-F', '-c', config], { stdio: 'ignore' });
  let exited = false;
  master.once('exit', () => (exited = true));
  const pidFile = path.join(dir, 'run', 'master.pid');
  const deadline = Date.now() + 10_000;
  while (!existsSync(pidFile)) {
    if (exited || Date.now() > deadline) throw new Error(`dovecot did not start: ${readLog(dir)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: '127.0.0.1',
    port,
    addUser: (user, password) =>
      writeFileSync(path.join(users, user), `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 }),
    deliver(user, messages) {
      const maildir = path.join(dir, 'home', user, 'Maildir');
      for (const sub of ['new', 'cur', 'tmp']) mkdirSync(path.join(maildir, sub), { recursive: true });
      const stamp = Date.now();
      messages.forEach((raw, i) =>
        writeFileSync(path.join(maildir, 'new', `${stamp}.M${i}P${process.pid}.helpdesk-test`), raw),
      );
      spawnSync('chown', ['-R', 'dovecot:dovecot', path.join(dir, 'home', user)]);
    },
    log: () => readLog(dir),
    async stop() {
      if (!exited) {
        const gone = new Promise((resolve) => master.once('exit', resolve));
        master.kill('SIGTERM');
        const timer = setTimeout(() => master.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(dir: string): string {
  const log = path.join(dir, 'dovecot.log');
  return existsSync(log) ? readFileSync(log, 'utf8').slice(-6000) : '(no log)';
}
