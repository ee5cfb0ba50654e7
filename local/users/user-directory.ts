/**
 * The console's users, as the operator manages them (`cspmove user add|list|remove`): each user
 * belongs to one partner, and sees that partner's data only. On AWS they live in the Cognito user
 * pool (cognito-user-directory.ts), locally in a file in the data folder (local-user-directory.ts).
 * An e-mail address is one user across all partners, as in a user pool.
 */
import { isEmail } from '../../shared/domain/values.js';

export interface PartnerUser {
  email: string;
  /** Cognito's user status (FORCE_CHANGE_PASSWORD until the first sign-in, then CONFIRMED); locally CONFIRMED. */
  status: string;
  createdAt?: Date | undefined;
}

export type AddUserResult =
  /**
   * Locally the password is generated and handed back once, for the operator to pass on; on
   * AWS Cognito e-mails the user an invitation with a temporary password.
   */
  | { outcome: 'added'; user: PartnerUser; delivery: { kind: 'password'; password: string } | { kind: 'invitation'; to: string } }
  /** The address is a user already: of this partner, or of another one. */
  | { outcome: 'exists'; samePartner: boolean };

export type RemoveUserResult = { outcome: 'removed' } | { outcome: 'not_found' };

export interface UserDirectory {
  /** Adds a user to a partner; the e-mail is `normalizeEmail`'d. */
  addUser(partnerId: string, email: string): Promise<AddUserResult>;
  /** The partner's users, by e-mail. */
  listUsers(partnerId: string): Promise<PartnerUser[]>;
  /** Removes a user of this partner; a user of another partner is not found, and stays. */
  removeUser(partnerId: string, email: string): Promise<RemoveUserResult>;
}

/**
 * The address a user is kept under: trimmed and lower-cased, since a sign-in form and an
 * operator may type it in any case; undefined when it is not an e-mail address.
 */
export function normalizeEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase();
  return email.length <= 254 && isEmail(email) ? email : undefined;
}

/** Thrown by `addUser` for an address `normalizeEmail` refuses (the CLI checks it before). */
export class InvalidEmailError extends Error {
  constructor(readonly email: string) {
    super(`not an e-mail address: ${email}`);
  }
}

/** The normalized address, or `InvalidEmailError`. */
export function requireEmail(raw: string): string {
  const email = normalizeEmail(raw);
  if (!email) throw new InvalidEmailError(raw);
  return email;
}

export const byEmail = (a: PartnerUser, b: PartnerUser) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0);
