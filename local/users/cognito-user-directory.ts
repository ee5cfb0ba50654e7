/**
 * The console's users in the Cognito user pool, through its admin API. The pool signs users in
 * by e-mail; a user's partner is the custom attribute `custom:partner_id`, which only an operator
 * (this admin API) writes. Cognito's ListUsers cannot filter on a custom attribute, so a
 * partner's users are the pool's users filtered here, page by page.
 */
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  UsernameExistsException,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { PARTNER_CLAIM } from '../../shared/console/contract.js';
import {
  type AddUserResult,
  byEmail,
  normalizeEmail,
  type PartnerUser,
  type RemoveUserResult,
  requireEmail,
  type UserDirectory,
} from './user-directory.js';

export class CognitoUserDirectory implements UserDirectory {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async addUser(partnerId: string, rawEmail: string): Promise<AddUserResult> {
    const email = requireEmail(rawEmail);
    const existing = await this.findByEmail(email);
    if (existing) return { outcome: 'exists', samePartner: partnerOf(existing) === partnerId };
    try {
      // No TemporaryPassword and no MessageAction: Cognito makes the password and sends its invitation e-mail.
      const { User } = await this.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
            { Name: PARTNER_CLAIM, Value: partnerId },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      return { outcome: 'added', user: view(User ?? {}, email), delivery: { kind: 'invitation', to: email } };
    } catch (error) {
      // Added by someone else since the look-up.
      if (error instanceof UsernameExistsException) {
        const now = await this.findByEmail(email);
        return { outcome: 'exists', samePartner: now !== undefined && partnerOf(now) === partnerId };
      }
      throw error;
    }
  }

  async listUsers(partnerId: string): Promise<PartnerUser[]> {
    const users: PartnerUser[] = [];
    let token: string | undefined;
    do {
      const page = await this.cognito.send(new ListUsersCommand({ UserPoolId: this.userPoolId, Limit: 60, PaginationToken: token }));
      for (const user of page.Users ?? []) if (partnerOf(user) === partnerId) users.push(view(user));
      token = page.PaginationToken;
    } while (token);
    return users.sort(byEmail);
  }

  async removeUser(partnerId: string, rawEmail: string): Promise<RemoveUserResult> {
    const email = normalizeEmail(rawEmail);
    const user = email ? await this.findByEmail(email) : undefined;
    if (!user?.Username || partnerOf(user) !== partnerId) return { outcome: 'not_found' };
    await this.cognito.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: user.Username }));
    return { outcome: 'removed' };
  }

  /** E-mail is a standard attribute, so Cognito filters on it; the pool keeps one user per address. */
  private async findByEmail(email: string): Promise<UserType | undefined> {
    const { Users } = await this.cognito.send(
      new ListUsersCommand({ UserPoolId: this.userPoolId, Filter: `email = "${email.replace(/["\\]/g, '\\$&')}"`, Limit: 2 }),
    );
    return Users?.find((u) => attribute(u, 'email')?.toLowerCase() === email);
  }
}

const attribute = (user: UserType, name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
const partnerOf = (user: UserType) => attribute(user, PARTNER_CLAIM);

function view(user: UserType, email?: string): PartnerUser {
  return {
    email: attribute(user, 'email') ?? email ?? user.Username ?? '',
    status: user.UserStatus ?? 'UNKNOWN',
    createdAt: user.UserCreateDate,
  };
}
