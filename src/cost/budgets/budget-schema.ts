import { z } from 'zod';

/** The three ways to narrow a budget; none means the whole gateway. */
const scopeFields = ['team', 'key', 'model'] as const;

/**
 * One monthly spend budget (UTC calendar month). `team` is the virtual keys' team, `key` one virtual key
 * id (`vk_...`), `model` a route alias; at most one of them, none for the whole gateway. A budget is
 * watched and forecast (dashboard burn-down); it does not block requests.
 */
export const budgetSchema = z
  .strictObject({
    name: z.string().trim().min(1),
    monthlyUsd: z.number().positive(),
    team: z.string().min(1).optional(),
    key: z.string().regex(/^vk_[A-Za-z0-9_-]+$/, "must be a virtual key id ('vk_...')").optional(),
    model: z.string().min(1).optional(),
  })
  .superRefine((budget, context) => {
    const present = scopeFields.filter((field) => budget[field] !== undefined);
    if (present.length <= 1) return;
    context.addIssue({
      code: 'custom',
      path: [present[1] ?? 'team'],
      message: `a budget scopes to at most one of team, key, model; got ${present.join(' and ')}`,
    });
  });

/** The optional top-level `budgets:` section: a list with unique names, empty when absent. */
export const budgetsSchema = z
  .array(budgetSchema)
  .superRefine((budgets, context) => {
    const seen = new Map<string, number>();
    budgets.forEach((budget, index) => {
      const first = seen.get(budget.name);
      if (first === undefined) {
        seen.set(budget.name, index);
        return;
      }
      context.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate budget name "${budget.name}" (first used at budgets[${first}])` });
    });
  })
  .default([]);

export type BudgetConfig = z.output<typeof budgetSchema>;
