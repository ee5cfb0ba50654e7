/** A fixed local port another program holds: the message says which, and how to choose another. */
export class PortTakenError extends Error {
  constructor(
    readonly service: string,
    readonly port: number,
    readonly option: string,
  ) {
    super(
      `port ${port} on 127.0.0.1 (${service}) is taken by another program: stop it (an earlier \`cspmove serve\`?), or pass ${option} to use others.`,
    );
    this.name = 'PortTakenError';
  }
}

/** Whether a listen failed because the address is in use (also as a worker thread reports it). */
export function isAddressInUse(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return e?.code === 'EADDRINUSE' || /EADDRINUSE/.test(e?.message ?? '');
}
