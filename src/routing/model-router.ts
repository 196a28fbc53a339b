import type { ModelConfig } from './route-config-schema.ts';
import type { Price } from '../core/model/index.ts';
import type { Provider } from '../providers/provider.ts';

/** A deployment a request can be sent to, resolved once per config load, not per request. */
export interface RouteTarget {
  provider: Provider;
  /** The provider's own model name. */
  model: string;
  /** USD per million tokens; undefined when neither the config nor the catalog knows the model. */
  price: Price | undefined;
  /** Share of traffic under the `weighted` strategy. */
  weight: number;
}

export interface Route {
  /** The name the caller used. */
  alias: string;
  /** What the route serves; `any` for direct `<provider>/<model>` routes, where the provider decides. */
  kind: 'chat' | 'embeddings' | 'any';
  /** In order of preference. */
  targets: readonly RouteTarget[];
  /** How the first target is chosen; direct routes have one target and keep `ordered`. */
  balancing: ModelConfig['balancing'];
}

export interface ModelRouter {
  /**
   * The route for a model name: a configured alias, or `<provider>/<model>` to reach any model of a
   * configured provider directly (as LiteLLM and Portkey allow). Undefined when neither matches.
   */
  resolve(model: string): Route | undefined;
  /** The configured aliases, for `GET /v1/models`. */
  aliases(): readonly Route[];
}

export interface ModelRouterOptions {
  /** The config's `models` map. */
  models: Readonly<Record<string, ModelConfig>>;
  providers: { get(name: string): Provider | undefined };
  lookupPrice: (providerType: string, model: string) => Price | undefined;
}

export const createModelRouter = ({ models, providers, lookupPrice }: ModelRouterOptions): ModelRouter => {
  const targetFor = (providerName: string, model: string, price: Price | undefined, weight = 1): RouteTarget | undefined => {
    const provider = providers.get(providerName);
    if (provider === undefined) return undefined;
    return { provider, model, price: price ?? lookupPrice(provider.type, model), weight };
  };

  const routes = new Map<string, Route>();
  for (const [alias, model] of Object.entries(models)) {
    const targets = model.targets.flatMap((target) => targetFor(target.provider, target.model, target.price, target.weight) ?? []);
    routes.set(alias, { alias, kind: model.kind, targets, balancing: model.balancing });
  }

  const direct = new Map<string, Route>();
  return {
    resolve(model) {
      const configured = routes.get(model);
      if (configured !== undefined) return configured;
      const cached = direct.get(model);
      if (cached !== undefined) return cached;
      const slash = model.indexOf('/');
      if (slash <= 0 || slash === model.length - 1) return undefined;
      const target = targetFor(model.slice(0, slash), model.slice(slash + 1), undefined);
      if (target === undefined) return undefined;
      const route: Route = { alias: model, kind: 'any', targets: [target], balancing: { strategy: 'ordered', explorationProbability: 0 } };
      if (direct.size < 10_000) direct.set(model, route);
      return route;
    },
    aliases: () => [...routes.values()],
  };
};
