import type { Stage } from '../../core/pipeline/stage.ts';
import { authorizeModel, type Authenticator } from './authenticator.ts';

/** Resolves the caller's virtual key to a principal and checks that it may use the requested model. */
export const createAuthStage = (authenticator: Authenticator): Stage => ({
  name: 'auth',
  async run(context, next) {
    context.principal = await authenticator.authenticate(context.headers);
    authorizeModel(context.principal, context.request.model);
    return next();
  },
});
