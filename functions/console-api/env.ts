/** What the app's middleware hands its routes: the request as the use cases take it. */
import type { ConsoleRequest } from '../../shared/use-cases/console/context.js';

export interface ConsoleEnv {
  Variables: { request: ConsoleRequest };
}
