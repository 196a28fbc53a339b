import type { GatewayResponse } from './gateway-response.ts';
import type { RequestContext } from './request-context.ts';
import type { Stage } from './stage.ts';

/**
 * Composes stages into one handler, outermost first. `terminal` runs after the last stage. Calling
 * `next` twice from one stage is a bug and rejects, rather than silently running the rest twice.
 */
export const composeStages =
  (stages: readonly Stage[], terminal: (context: RequestContext) => Promise<GatewayResponse>) =>
  (context: RequestContext): Promise<GatewayResponse> => {
    let lastIndex = -1;
    const dispatch = (index: number): Promise<GatewayResponse> => {
      if (index <= lastIndex) return Promise.reject(new Error(`stage "${stages[index - 1]?.name}" called next() twice`));
      lastIndex = index;
      const stage = stages[index];
      if (stage === undefined) return terminal(context);
      return stage.run(context, () => dispatch(index + 1));
    };
    return dispatch(0);
  };
