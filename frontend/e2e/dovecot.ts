// A throwaway Dovecot on 127.0.0.1 with one user, for browser tests that
// sync real mail (the Go tests have backend/mail/mailtest for the same).
// Dovecot is a Debian package (dovecot-imapd, installed by .ci/deps); it
// runs as root here and reads the mailbox as uid 5000.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { basename, join } from 'node:path';
import { closedPort } from './fixtures';

const mailUID = 5000;

export interface Dovecot {
  host: string;
  /** Plaintext IMAP (STARTTLS is not offered). */
  port: number;
  user: string;
  password: string;
  /** Config, logs and the mailbox: the server's files, not the app's. */
  dir: string;
  /** Writes a raw RFC 5322 message into the inbox, as new mail. */
  deliver(message: string): void;
  stop(): Promise<void>;
}

/** Reads the server's first line, or '' when nothing answers. */
function greeting(port: number): Promise<string> {
  return new Promise((ok) => {
    const c = connect(port, '127.0.0.1');
    let got = '';
    c.setTimeout(2000, () => c.destroy());
    c.on('data', (b) => {
      got += b.toString();
      if (got.includes('\n')) c.destroy();
    });
    c.on('error', () => {});
    c.on('close', () => ok(got));
  });
}

function owned(path: string, dir = true) {
  if (dir) mkdirSync(path, { mode: 0o700 });
  chownSync(path, mailUID, mailUID);
}

/**
 * Starts Dovecot on a free port and waits for its greeting. Its folder is
 * under /tmp with a short name: Dovecot refuses a base_dir longer than
 * about 80 characters.
 */
export async function startDovecot(): Promise<Dovecot> {
  if (process.getuid?.() !== 0) throw new Error('dovecot: mail tests run as root (the mailbox belongs to uid 5000)');
  const dir = mkdtempSync('/tmp/dv');
  chmodSync(dir, 0o711); // the mail user walks through
  const home = join(dir, 'home');
  const maildir = join(home, 'Maildir');
  owned(home);
  owned(maildir);
  for (const d of ['cur', 'new', 'tmp']) owned(join(maildir, d));
  const user = 'test';
  const password = 'pass-' + Math.random().toString(36).slice(2);
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}::::${home}\n`, { mode: 0o600 });
  const hello = `carnet test ${basename(dir)} ready`;

  for (let attempt = 0; ; attempt++) {
    const port = await closedPort();
    writeFileSync(
      join(dir, 'dovecot.conf'),
      `base_dir = ${dir}/base
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
auth_username_format = %Ln
login_greeting = ${hello}
default_internal_user = root
default_login_user = dovenull
mail_uid = ${mailUID}
mail_gid = ${mailUID}
mail_location = maildir:~/Maildir
mail_fsync = never
passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = ${dir}/passwd
}
service imap-login {
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`,
      { mode: 0o600 },
    );
    // Its own process group, killed as one.
    const proc: ChildProcess = spawn('/usr/sbin/dovecot', ['-F', '-c', join(dir, 'dovecot.conf')], { detached: true, stdio: 'ignore' });
    const exited = new Promise<void>((ok) => proc.once('exit', () => ok()));
    let up = false;
    let dead = false;
    exited.then(() => (dead = true));
    for (let i = 0; i < 200 && !dead && !up; i++) {
      up = (await greeting(port)).includes(hello);
      if (!up) await new Promise((r) => setTimeout(r, 50));
    }
    if (up) {
      let seq = 0;
      return {
        host: '127.0.0.1',
        port,
        user,
        password,
        dir,
        deliver(message: string) {
          const data = Buffer.from(message.replace(/\r?\n/g, '\r\n'), 'utf8');
          const now = Date.now();
          const name = `${Math.floor(now / 1000)}.M${(now % 1000) * 1000}P${process.pid}Q${++seq}.carnet,S=${data.length},W=${data.length}:2,`;
          const tmp = join(maildir, 'tmp', name);
          writeFileSync(tmp, data, { mode: 0o600 });
          owned(tmp, false);
          renameSync(tmp, join(maildir, 'cur', name));
        },
        async stop() {
          if (!dead) {
            process.kill(-proc.pid!, 'SIGKILL');
            await exited;
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    if (!dead) process.kill(-proc.pid!, 'SIGKILL');
    await exited;
    if (attempt === 4) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`dovecot did not start on 127.0.0.1:${port}`);
    }
  }
}
