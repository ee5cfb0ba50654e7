/**
 * The local stack's console users: one JSON file in the data folder, readable by this machine's
 * user only. Passwords are kept as scrypt hashes; the one generated at `addUser` is handed back
 * once and stored nowhere else. The sign-in provider reads the file at each sign-in, so a user
 * added or removed takes effect at once on the running stack.
 */
import { randomBytes, randomInt, randomUUID, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  type AddUserResult,
  byEmail,
  normalizeEmail,
  type PartnerUser,
  type RemoveUserResult,
  requireEmail,
  type UserDirectory,
} from './user-directory.js';

/** The users file, in the local stack's data folder. */
export const localUsersFile = (dataDir: string) => join(dataDir, 'console-users.json');

export interface LocalUser {
  /** The subject of the user's tokens (`sub`), as Cognito's user id. */
  id: string;
  email: string;
  partnerId: string;
  /** `scrypt$N$r$p$salt$hash`, base64url. */
  passwordHash: string;
  createdAt: string;
}

interface UsersFile {
  users: LocalUser[];
}

export class UsersFileError extends Error {}

// OWASP's scrypt minimum (N=2^17) takes seconds on a shared laptop core; 2^15 is a local stack's compromise.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

export class LocalUserDirectory implements UserDirectory {
  constructor(readonly file: string) {}

  async addUser(partnerId: string, rawEmail: string): Promise<AddUserResult> {
    const email = requireEmail(rawEmail);
    const data = await this.read();
    const existing = data.users.find((u) => u.email === email);
    if (existing) return { outcome: 'exists', samePartner: existing.partnerId === partnerId };
    const password = generatePassword();
    const user: LocalUser = {
      id: randomUUID(),
      email,
      partnerId,
      passwordHash: await hashPassword(password),
      createdAt: new Date().toISOString(),
    };
    data.users.push(user);
    await this.write(data);
    return { outcome: 'added', user: view(user), delivery: { kind: 'password', password } };
  }

  async listUsers(partnerId: string): Promise<PartnerUser[]> {
    return (await this.read()).users
      .filter((u) => u.partnerId === partnerId)
      .map(view)
      .sort(byEmail);
  }

  async removeUser(partnerId: string, rawEmail: string): Promise<RemoveUserResult> {
    const email = normalizeEmail(rawEmail);
    const data = await this.read();
    const index = data.users.findIndex((u) => u.email === email && u.partnerId === partnerId);
    if (index < 0) return { outcome: 'not_found' };
    data.users.splice(index, 1);
    await this.write(data);
    return { outcome: 'removed' };
  }

  /** The user these credentials sign in, or undefined; as slow for an unknown address as for a wrong password. */
  async authenticate(rawEmail: string, password: string): Promise<LocalUser | undefined> {
    const email = normalizeEmail(rawEmail);
    const user = email ? (await this.read()).users.find((u) => u.email === email) : undefined;
    const matches = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    return user && matches ? user : undefined;
  }

  async findById(id: string): Promise<LocalUser | undefined> {
    return (await this.read()).users.find((u) => u.id === id);
  }

  private async read(): Promise<UsersFile> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { users: [] };
      throw error;
    }
    try {
      const data = JSON.parse(text) as UsersFile;
      if (!Array.isArray(data.users)) throw new Error('no "users" list');
      return data;
    } catch (error) {
      throw new UsersFileError(`the users file ${this.file} cannot be read (${(error as Error).message}); fix or remove it.`);
    }
  }

  /** Written whole to a temporary file, then renamed over the old one: a reader never sees half a file. */
  private async write(data: UsersFile): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.file);
  }
}

function view(user: LocalUser): PartnerUser {
  return { email: user.email, status: 'CONFIRMED', createdAt: new Date(user.createdAt) };
}

/** Four groups of five from an alphabet without look-alikes (no 0/O, 1/l/I): about 100 bits, easy to read out. */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const group = () => Array.from({ length: 5 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return [group(), group(), group(), group()].join('-');
}

const scryptAsync = (password: string, salt: Buffer, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Checked against when the address is unknown, so the answer takes as long either way. */
const UNKNOWN_USER_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEY_LENGTH).toString('base64url')}`;
