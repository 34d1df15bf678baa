/** The tariff catalogue: what `plan_change` can switch to. */
export interface PlanInfo {
  id: PlanId;
  label: string;
  monthlyPrice: number;
  /** Only business accounts may take it. */
  businessOnly: boolean;
  aliases: readonly string[];
}

export type PlanId = 'basic' | 'plus' | 'unlimited' | 'business_pro';

export const PLAN_IDS = ['basic', 'plus', 'unlimited', 'business_pro'] as const satisfies readonly PlanId[];

export const PLANS: Readonly<Record<PlanId, PlanInfo>> = {
  basic: { id: 'basic', label: 'Basic 10 GB', monthlyPrice: 15, businessOnly: false, aliases: ['basic'] },
  plus: { id: 'plus', label: 'Plus 40 GB', monthlyPrice: 25, businessOnly: false, aliases: ['plus'] },
  unlimited: { id: 'unlimited', label: 'Unlimited', monthlyPrice: 40, businessOnly: false, aliases: ['unlimited', 'unlimited data'] },
  business_pro: { id: 'business_pro', label: 'Business Pro', monthlyPrice: 60, businessOnly: true, aliases: ['business pro', 'business_pro', 'pro'] },
};

/** The plan id for a name a customer or an LLM used (`Unlimited`, `business pro`), else the input. */
export function planIdOf(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, ' ')
    .replace(/ plan$/, '');
  for (const plan of Object.values(PLANS)) if (plan.aliases.includes(text) || plan.id === text) return plan.id;
  return value;
}
