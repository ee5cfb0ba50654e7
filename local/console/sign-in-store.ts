/**
 * Where the local sign-in keeps its sessions, grants and tokens: in memory, and — when the stack
 * has a data folder — in one file there (mode 0600), so a signed-in browser and its refresh token
 * survive a restart of `cspmove serve`. The store is a handful of records, so a write rewrites
 * the file and a look-up scans.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  /** Epoch seconds; none for what never expires. */
  expiresAt?: number | undefined;
}

export interface SignInStore {
  /** The `adapter` oidc-provider is configured with. */
  adapter: new (
    model: string,
  ) => Adapter;
  /** Waits for the last write. */
  flush(): Promise<void>;
}

const now = () => Math.floor(Date.now() / 1000);

export async function signInStore(file: string | undefined): Promise<SignInStore> {
  const entries = new Map<string, Entry>();
  if (file) {
    try {
      const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, Entry>;
      for (const [key, entry] of Object.entries(saved)) if (!entry.expiresAt || entry.expiresAt > now()) entries.set(key, entry);
    } catch (error) {
      // A missing or unreadable state file only signs everyone out.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') entries.clear();
    }
  }
  let writing = Promise.resolve();
  const save = () => {
    if (!file) return;
    writing = writing
      .then(async () => {
        const live: Record<string, Entry> = {};
        for (const [key, entry] of entries) if (!entry.expiresAt || entry.expiresAt > now()) live[key] = entry;
        await mkdir(dirname(file), { recursive: true });
        const temporary = `${file}.tmp`;
        await writeFile(temporary, JSON.stringify(live), { mode: 0o600 });
        await rename(temporary, file);
      })
      .catch(() => {
        // The file keeps the last state saved; the next change writes it whole again.
      });
  };
  const live = (key: string): AdapterPayload | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  const findWhere = (model: string, test: (p: AdapterPayload) => boolean) => {
    for (const key of entries.keys()) {
      if (!key.startsWith(`${model}:`)) continue;
      const payload = live(key);
      if (payload && test(payload)) return payload;
    }
    return undefined;
  };

  class FileAdapter implements Adapter {
    constructor(private readonly model: string) {}
    private key(id: string) {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      entries.set(this.key(id), { payload, expiresAt: expiresIn ? now() + expiresIn : undefined });
      save();
    }
    async find(id: string) {
      return live(this.key(id));
    }
    async findByUserCode(userCode: string) {
      return findWhere(this.model, (p) => p.userCode === userCode);
    }
    async findByUid(uid: string) {
      return findWhere(this.model, (p) => p.uid === uid);
    }
    async consume(id: string) {
      const payload = live(this.key(id));
      if (payload) {
        payload.consumed = now();
        save();
      }
    }
    async destroy(id: string) {
      entries.delete(this.key(id));
      save();
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, entry] of entries) if (entry.payload.grantId === grantId) entries.delete(key);
      save();
    }
  }

  return { adapter: FileAdapter, flush: () => writing };
}
